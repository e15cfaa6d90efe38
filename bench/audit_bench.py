"""Page response times while portal audits run (issue #27): the slow and hostile fixture portals.

The same pages are timed three times in one run, for the same cities: with nothing else
running; while audits of the slow, the 10 MB and the good fixture portals run in worker
processes, each repeated without pause (the production set-up: `run_audit` tasks on a Celery
worker); and while the same audits run in threads of the serving process itself (the embedded
set-up without a broker, `ceds/audit/services.py` start_in_background), where they share the
interpreter with the pages. Chromium renders the portals in processes of its own, on the same
cores as everything else.

The budget applies to the worker set-up, the one for many cities; the embedded figure is
printed so that an operator sees what a busy single-process installation costs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # also when run as a worker script

from bench import pages  # noqa: E402

PAGES_TIMED = ["dashboard", "benchmark", "report", "autosave"]
SITES = ["slow", "huge", "good"]


def _limits():
    from ceds.audit.crawler import Limits

    # Production limits, but a shorter pause between pages and a shorter wait for a slow page,
    # so that the audits keep the machine busy for the whole measurement and stop soon after.
    return Limits(delay=0.1, page_seconds=5, max_seconds=30)


def _audit_until(url: str, stop: threading.Event) -> list[tuple[str, float]]:
    from ceds.audit.crawler import crawl

    outcomes = []
    while not stop.is_set():
        started = time.monotonic()
        result = crawl(url, allow_loopback=True, limits=_limits())
        outcomes.append((result.status, time.monotonic() - started))
    return outcomes


def _in_threads(urls: dict[str, str], sample_list) -> tuple[dict, dict]:
    stop = threading.Event()
    outcomes: dict[str, list] = {}

    def work(name, url):
        outcomes[name] = _audit_until(url, stop)

    threads = [threading.Thread(target=work, args=item, daemon=True) for item in urls.items()]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)  # the crawls have launched Chromium and are fetching
        busy = pages.timings(sample_list, names=PAGES_TIMED)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    return busy, outcomes


def _in_workers(urls: dict[str, str], sample_list) -> tuple[dict, dict]:
    workers = {
        name: subprocess.Popen(
            [sys.executable, __file__, url], stdout=subprocess.PIPE, text=True, env=os.environ, cwd=ROOT
        )
        for name, url in urls.items()
    }
    try:
        time.sleep(4)  # Django set up, Chromium launched
        busy = pages.timings(sample_list, names=PAGES_TIMED)
    finally:
        for worker in workers.values():
            worker.terminate()  # the worker finishes its current crawl, prints, and exits
    outcomes = {}
    for name, worker in workers.items():
        output, _ = worker.communicate(timeout=90)
        outcomes[name] = [(line.split()[0], float(line.split()[1])) for line in output.splitlines() if line]
    return busy, outcomes


def _serve_sites() -> tuple[subprocess.Popen, dict[str, str]]:
    """The fixture portals in a process of their own, as a city's portal is on a server of its own:
    served from this process, their 10 MB pages would take the interpreter from the pages timed.
    That process runs at the lowest priority: in production its work is on another machine."""
    server = subprocess.Popen(
        [sys.executable, __file__, "--sites"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    urls = json.loads(server.stdout.readline())
    return server, {name: urls[name] for name in SITES}


def pages_during_audit(sample_count: int, seed: int) -> dict:
    """Median ms per page: quiet, with audits on workers, with audits in this process."""
    sample_list = pages.samples(sample_count, seed)
    quiet = pages.timings(sample_list, names=PAGES_TIMED)
    server, urls = _serve_sites()
    try:
        workers, worker_audits = _in_workers(urls, sample_list)
        threads, thread_audits = _in_threads(urls, sample_list)
    finally:
        server.stdin.close()  # the sites' process stops when its input closes
        server.wait(timeout=30)
    return {
        "quiet": quiet,
        "workers": workers,
        "threads": threads,
        "audits": worker_audits,
        "thread_audits": thread_audits,
    }


def _worker_main(url: str) -> None:
    """A stand-in for a Celery worker busy with audits: crawl `url` until SIGTERM, then report."""
    import signal

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceds.settings")
    django.setup()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    for status, seconds in _audit_until(url, stop):
        print(status, f"{seconds:.1f}", flush=True)


def _sites_main() -> None:
    """Serve the fixture portals, print their URLs as one JSON line, and stop when stdin closes."""
    from ceds.audit.tests.sites import start_sites

    os.nice(19)
    sites = start_sites()
    print(json.dumps({name: site.url for name, site in sites.items()}), flush=True)
    sys.stdin.read()
    for site in sites.values():
        site.close()


if __name__ == "__main__":
    if sys.argv[1] == "--sites":
        _sites_main()
    else:
        _worker_main(sys.argv[1])
