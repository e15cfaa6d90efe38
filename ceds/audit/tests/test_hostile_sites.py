"""Slow and hostile fixture portals: each audit ends within its limits with a clear status,
and nothing off the portal's host is ever fetched (markers `browser` and `heavy`)."""

import time

import pytest

from ceds.audit.crawler import Limits, crawl

pytestmark = [pytest.mark.browser, pytest.mark.heavy]

LIMITS = Limits(max_pages=4, max_seconds=12, page_seconds=2, delay=0, max_bytes=1_000_000)


def _crawl(site):
    started = time.monotonic()
    result = crawl(site.url, allow_loopback=True, limits=LIMITS)
    return result, time.monotonic() - started


def test_slow_portal_stops_at_its_time_limit_per_page(sites):
    result, seconds = _crawl(sites["slow"])
    assert result.status == "unreachable" and "did not load within 2 s" in result.message
    assert seconds < LIMITS.max_seconds


def test_redirect_loop_ends(sites):
    result, seconds = _crawl(sites["loop"])
    assert result.status == "unreachable" and "loop" in result.message
    assert seconds < LIMITS.max_seconds


def test_ten_megabyte_page_is_cut_at_the_limit(sites):
    result, seconds = _crawl(sites["huge"])
    assert result.usable and result.pages[0].truncated and result.pages[0].bytes <= LIMITS.max_bytes
    from ceds.audit.checks import run_checks

    assert run_checks(result)["page_weight"].present is False
    assert seconds < LIMITS.max_seconds + 5


def test_robots_txt_is_obeyed(sites):
    site = sites["robots"]
    site.hits.clear()
    result, _seconds = _crawl(site)
    assert result.status == "robots" and site.hits == ["/robots.txt"]


def test_redirect_to_another_loopback_port_is_refused(sites):
    sites["other"].hits.clear()
    result, _seconds = _crawl(sites["redirect_other"])
    assert result.status == "unreachable"
    assert result.refused and "another host" in result.refused[0]["reason"]
    assert sites["other"].hits == []


def test_resource_from_another_loopback_port_is_refused(sites):
    sites["other"].hits.clear()
    result, _seconds = _crawl(sites["embed_other"])
    assert result.usable
    refused = {r["url"] for r in result.refused}
    assert {sites["other"].url + "pixel.gif", sites["other"].url + "x.js"} <= refused
    assert sites["other"].hits == []


def test_loopback_is_refused_without_the_opt_in(sites):
    result = crawl(sites["good"].url, limits=LIMITS)
    assert result.status == "refused" and "private or reserved" in result.message
