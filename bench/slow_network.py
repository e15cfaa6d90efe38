"""The main pages over a slow connection: Chromium throttled to 400 kbit/s and 400 ms round trip.

Each page is loaded in a fresh browser context (nothing cached) through Chrome DevTools'
Network.emulateNetworkConditions, and timed from navigation to the load event; its weight is
what crossed the network (encoded bytes, so after compression). Budget: 3 s a page.

    python bench/slow_network.py BASE_URL SESSION_COOKIE PATH...    (prints one JSON line)

bench/run.py serves the bench database with gunicorn and calls measure() in process.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass

KBITS = 400
LATENCY_MS = 400
BUDGET_S = 3.0
CHROMIUM = "/usr/bin/chromium"


@dataclass
class SlowPage:
    path: str
    seconds: float
    kib: float
    requests: int


def measure(base_url: str, session_cookie: str, paths: list[str], session_name: str = "sessionid") -> list[SlowPage]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path in paths:
            context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
            if session_cookie:
                context.add_cookies([{"name": session_name, "value": session_cookie, "url": base_url}])
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": LATENCY_MS,
                    "downloadThroughput": KBITS * 1000 / 8,
                    "uploadThroughput": KBITS * 1000 / 8,
                },
            )
            received: dict[str, float] = {}
            cdp.on(
                "Network.loadingFinished", lambda e, r=received: r.__setitem__(e["requestId"], e["encodedDataLength"])
            )
            page.goto(path, wait_until="load")
            seconds = page.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd / 1000; }"
            )
            out.append(SlowPage(path, round(seconds, 2), round(sum(received.values()) / 1024, 1), len(received)))
            context.close()
        browser.close()
    return out


def report(results: list[SlowPage]) -> list[str]:
    """Print the table; return the pages over budget."""
    print(f"\nSlow connection ({KBITS} kbit/s, {LATENCY_MS} ms round trip, nothing cached): load event, weight")
    print("| page | s | KiB over the wire | requests | budget |")
    print("|---|---:|---:|---:|---|")
    misses = []
    for r in results:
        ok = r.seconds <= BUDGET_S
        print(f"| {r.path} | {r.seconds:.2f} | {r.kib:.0f} | {r.requests} | {'pass' if ok else 'MISSED'} |")
        if not ok:
            misses.append(f"slow connection {r.path}: {r.seconds:.2f} s > {BUDGET_S:.0f} s")
    return misses


if __name__ == "__main__":
    found = measure(sys.argv[1], sys.argv[2], sys.argv[3:])
    report(found)
    print(json.dumps([asdict(r) for r in found]))
