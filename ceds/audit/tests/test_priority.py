"""The crawl runs at a lower CPU priority than the threads serving pages (Linux: per thread)."""

import os
import threading

import pytest

from ceds.audit import crawler


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="POSIX priorities")
def test_the_crawl_thread_is_niced_and_the_caller_is_not(monkeypatch):
    seen = {}

    def fake_crawl(url, **kwargs):
        seen["crawl"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        return "result"

    monkeypatch.setattr(crawler, "_crawl", fake_crawl)
    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert crawler.crawl("https://portal.example/") == "result"
    assert seen["crawl"] >= crawler.CRAWL_NICENESS
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before
