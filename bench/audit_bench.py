"""Page response times while portal audits run (issue #27): the slow and hostile fixture portals.

The same pages are timed twice in one run, for the same cities: first with nothing else
running, then while audits of the slow, the 10 MB and the good fixture portals run at the
same time, each repeated without pause. The audits run in a thread of this very process, as the embedded
set-up starts them (`ceds/audit/services.py`), which shares the interpreter with the pages
and is therefore the worst case; with a task queue they run in the worker's process. Chromium
renders the portals in processes of its own, on the same two cores.

The figure kept per page is the ratio of the two medians; the budget guards against an audit
that blocks requests (a lock held, the interpreter starved), not against the machine being busier.
"""

from __future__ import annotations

import threading
import time

from bench import pages

PAGES_TIMED = ["dashboard", "benchmark", "report", "autosave"]
SITES = ["slow", "huge", "good"]


def _audit_continuously(site: str, url: str, stop: threading.Event, outcomes: list[tuple[str, str, float]]) -> None:
    from ceds.audit.crawler import Limits, crawl

    # Production limits, but a shorter pause between pages and a shorter wait for a slow page,
    # so that the audits keep the machine busy for the whole measurement and stop soon after.
    limits = Limits(delay=0.1, page_seconds=5, max_seconds=30)
    while not stop.is_set():
        started = time.monotonic()
        result = crawl(url, allow_loopback=True, limits=limits)
        outcomes.append((site, result.status, time.monotonic() - started))


def pages_during_audit(sample_count: int, seed: int) -> dict:
    """Median ms per page without and with audits running; the audits' statuses and durations."""
    from ceds.audit.tests.sites import start_sites

    sample_list = pages.samples(sample_count, seed)
    quiet = pages.timings(sample_list, names=PAGES_TIMED)
    sites = start_sites()
    stop = threading.Event()
    outcomes: list[tuple[str, str, float]] = []
    workers = [
        threading.Thread(target=_audit_continuously, args=(name, sites[name].url, stop, outcomes), daemon=True)
        for name in SITES
    ]
    try:
        for worker in workers:
            worker.start()
        time.sleep(3)  # the crawls have launched Chromium and are fetching
        busy = pages.timings(sample_list, names=PAGES_TIMED)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
        for site in sites.values():
            site.close()
    statuses: dict[str, list[tuple[str, float]]] = {}
    for name, status, seconds in outcomes:
        statuses.setdefault(name, []).append((status, seconds))
    return {"quiet": quiet, "busy": busy, "audits": statuses}
