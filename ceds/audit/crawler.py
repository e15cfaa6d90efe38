"""The bounded crawl: Playwright on Debian's chromium, every request through safety.fetch().

crawl() returns plain data (CrawlResult); it touches no database, so the command, the
background run and the tests share it. Limits: pages, seconds overall and per page, bytes per
response, requests per audit; a polite delay between pages (or robots.txt's Crawl-delay, up to
ten seconds); robots.txt is read first and obeyed for the audit's user agent.
"""

from __future__ import annotations

import http.client
import os
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib import robotparser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from ceds.audit.safety import Fetched, Refused, Scope, fetch, resolve_checked

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REDIRECTS, MAX_REDIRECTS = (301, 302, 303, 307, 308), 10
MAX_AXE_ELEMENTS, AXE_MILLISECONDS = 15000, 15000  # axe-core on a bigger page would outlast the audit
SKIPPED_SUFFIXES = (".pdf", ".zip", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".jpg", ".jpeg", ".png", ".gif")

EXTRACT = """() => {
  const abs = (h) => { try { return new URL(h, document.baseURI).href } catch (e) { return null } };
  const clip = (s, n) => (s || '').replace(/\\s+/g, ' ').trim().slice(0, n);
  const links = [...document.querySelectorAll('a[href]')].slice(0, 500).map(a => ({
    href: abs(a.getAttribute('href')),
    text: clip(a.innerText || a.getAttribute('aria-label') || a.title, 200),
    lang: a.getAttribute('hreflang') || a.getAttribute('lang') || ''}));
  const skip = ['hidden', 'submit', 'button', 'reset', 'image'];
  const forms = [...document.forms].slice(0, 50).map(f => {
    const fields = [...f.querySelectorAll('input, textarea, select')].filter(e => !skip.includes((e.type || '').toLowerCase()));
    const search = f.getAttribute('role') === 'search' || !!f.closest('[role=search]') || !!f.querySelector('input[type=search]')
      || fields.some(e => /^(q|query|search|s|keyword|keywords|searchterm)$/i.test(e.name || ''));
    const heading = f.getAttribute('aria-label') || (f.querySelector('legend') || {}).innerText || '';
    return {action: abs(f.getAttribute('action') || document.URL), fields: fields.length,
            textarea: !!f.querySelector('textarea'), search, label: clip(heading, 200)};
  });
  const meta = (sel) => (document.querySelector(sel) || {}).content || '';
  return {
    title: clip(document.title, 300),
    lang: document.documentElement.lang || '',
    text: document.body ? document.body.innerText.slice(0, 30000) : '',
    links, forms,
    alternates: [...document.querySelectorAll('link[rel~=alternate][hreflang]')].map(l => l.hreflang),
    search_box: !!document.querySelector('input[type=search], [role=search] input'),
    viewport: meta('meta[name=viewport]'),
    times: [...document.querySelectorAll('time[datetime]')].slice(0, 5).map(t => t.getAttribute('datetime')),
    modified: meta('meta[property="article:modified_time"]') || meta('meta[name="dcterms.modified"]') || meta('meta[name="last-modified"]'),
  };
}"""


@dataclass
class Limits:
    max_pages: int = 15
    max_seconds: float = 120.0
    page_seconds: float = 20.0
    delay: float = 1.0
    max_bytes: int = 3_000_000
    max_requests: int = 600
    max_link_checks: int = 25


@dataclass
class Page:
    url: str
    status: int
    title: str = ""
    lang: str = ""
    text: str = ""
    links: list[dict] = field(default_factory=list)
    forms: list[dict] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)
    search_box: bool = False
    viewport: str = ""
    times: list[str] = field(default_factory=list)
    modified: str = ""
    https: bool = False
    bytes: int = 0
    seconds: float = 0.0
    truncated: bool = False
    fits_mobile: bool | None = None
    screenshot: bytes = b""


@dataclass
class CrawlResult:
    url: str
    status: str  # done | page_limit | time_limit | robots | refused | unreachable
    message: str = ""
    pages: list[Page] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    broken: list[dict] = field(default_factory=list)
    axe: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    requests: int = 0

    @property
    def usable(self) -> bool:
        return bool(self.pages) and self.status not in ("robots", "refused", "unreachable")


def user_agent() -> str:
    return settings.CEDS_AUDIT_USER_AGENT


def _robots(start: str, scope: Scope, limits: Limits) -> robotparser.RobotFileParser:
    parts = urlsplit(start)
    parser = robotparser.RobotFileParser()
    try:
        got = fetch(
            f"{parts.scheme}://{parts.netloc}/robots.txt",
            scope,
            user_agent=user_agent(),
            timeout=min(10.0, limits.page_seconds),
            max_bytes=500_000,
        )
    except (OSError, http.client.HTTPException, ssl.SSLError, TimeoutError):
        parser.parse([])  # unreachable robots.txt: allowed (RFC 9309, 2.3.1.3)
        return parser
    if got.status >= 500:
        parser.disallow_all = True  # server error: assume complete disallow (RFC 9309, 2.3.1.4)
    elif got.status >= 400:
        parser.allow_all = True
    else:
        parser.parse(got.body.decode("utf-8", "replace").splitlines())
    return parser


def _same_document(url: str) -> str:
    return urldefrag(url)[0]


# The crawl's niceness (0 normal, 19 lowest): pages served beside an audit keep the cores.
CRAWL_NICENESS = 10


def _lower_priority() -> None:
    """Lower the CPU priority of the calling thread only (Linux keeps niceness per thread), which
    the Playwright driver and Chromium it starts inherit. Elsewhere, leave it as it is."""
    try:
        current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), max(current, CRAWL_NICENESS))
    except (AttributeError, OSError):
        pass


def crawl(url: str, *, allow_loopback: bool = False, limits: Limits | None = None, extra_hosts=()) -> CrawlResult:
    """The crawl, in a thread of its own: Playwright's sync API refuses a thread that runs an
    asyncio loop (a test's browser, an async server), the crawl touches no database, and the
    thread (with the browser it starts) runs at a lower CPU priority than the serving threads."""
    outcome: dict = {}

    def work():
        _lower_priority()
        try:
            outcome["result"] = _crawl(url, allow_loopback=allow_loopback, limits=limits, extra_hosts=extra_hosts)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="portal-audit-crawl", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _crawl(url: str, *, allow_loopback: bool, limits: Limits | None, extra_hosts) -> CrawlResult:
    limits = limits or Limits()
    started = time.monotonic()
    deadline = started + limits.max_seconds
    try:
        scope = Scope.for_url(url, allow_loopback, tuple(extra_hosts))
        host, port, _scheme = scope.check_url(url)
        resolve_checked(host, port, allow_loopback)
    except Refused as exc:
        return CrawlResult(url, "refused", str(exc))
    result = CrawlResult(url, "done")
    robots = _robots(url, scope, limits)
    if not robots.can_fetch(user_agent(), url):
        result.status, result.message = "robots", "robots.txt disallows the portal's address for this user agent"
        return result
    delay = limits.delay
    crawl_delay = robots.crawl_delay(user_agent())
    if crawl_delay:
        delay = max(delay, min(float(crawl_delay), 10.0))

    bucket = {"bytes": 0, "truncated": False}
    pending: dict[str, str] = {}
    fetched_pages: dict[str, Fetched] = {}

    def handle(route, request):
        if result.requests >= limits.max_requests:
            route.abort("blockedbyclient")
            return
        if request.method not in ("GET", "HEAD"):
            result.refused.append({"url": request.url[:300], "reason": f"{request.method} is not sent by the audit"})
            route.abort("blockedbyclient")
            return
        result.requests += 1
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError("time limit")
            got = fetch(
                request.url,
                scope,
                user_agent=user_agent(),
                timeout=min(limits.page_seconds, remaining),
                max_bytes=limits.max_bytes,
                method=request.method,
                headers=request.headers,
            )
        except Refused as exc:
            result.refused.append({"url": request.url[:300], "reason": str(exc)})
            route.abort("blockedbyclient")
            return
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            route.abort("timedout" if isinstance(exc, TimeoutError) else "failed")
            return
        # Chromium follows a redirect it is given without asking the route again, so the
        # browser never sees one: the main document's redirect is navigated to anew by the
        # crawl loop (and checked again there); a resource's is followed here, hop by hop.
        hops = 0
        while got.status in REDIRECTS and got.header("location"):
            target = urljoin(got.url, got.header("location"))
            if request.is_navigation_request() and request.frame == request.frame.page.main_frame:
                pending["redirect"] = target
                route.abort("aborted")
                return
            hops += 1
            try:
                if hops > MAX_REDIRECTS:
                    raise Refused(f"more than {MAX_REDIRECTS} redirects")
                got = fetch(
                    target,
                    scope,
                    user_agent=user_agent(),
                    timeout=min(limits.page_seconds, max(0.1, deadline - time.monotonic())),
                    max_bytes=limits.max_bytes,
                )
            except Refused as exc:
                result.refused.append({"url": target[:300], "reason": str(exc)})
                route.abort("blockedbyclient")
                return
            except (TimeoutError, OSError, http.client.HTTPException):
                route.abort("failed")
                return
        bucket["bytes"] += len(got.body)
        bucket["truncated"] = bucket["truncated"] or got.truncated
        if request.is_navigation_request():
            fetched_pages[_same_document(request.url)] = got
        headers = {k: v for k, v in got.headers if k.lower() != "set-cookie"}
        route.fulfill(status=got.status, headers=headers, body=got.body)

    def navigate(page, target: str, timeout: float):
        """goto(), following the document's redirects ourselves; (response, final URL)."""
        for _hop in range(MAX_REDIRECTS + 1):
            pending.pop("redirect", None)
            try:
                return page.goto(target, timeout=timeout * 1000, wait_until="load"), target
            except PlaywrightError:
                redirect = pending.pop("redirect", None)
                if redirect is None:
                    raise
            if not scope.contains(redirect):
                result.refused.append(
                    {"url": redirect[:300], "reason": f"redirect to another host: {urlsplit(redirect).netloc}"}
                )
                raise PlaywrightError("ERR_BLOCKED_BY_CLIENT: redirect to another host")
            target = redirect
        raise PlaywrightError("ERR_TOO_MANY_REDIRECTS")

    queue = deque([_same_document(url)])
    seen = {queue[0]}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=settings.CEDS_CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(
                user_agent=user_agent(), viewport={"width": 1280, "height": 900}, service_workers="block"
            )
            context.route("**/*", handle)
            page = context.new_page()
            while queue:
                if len(result.pages) >= limits.max_pages:
                    result.status, result.message = "page_limit", f"stopped at the page limit ({limits.max_pages})"
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 1:
                    result.status, result.message = (
                        "time_limit",
                        f"stopped at the time limit ({limits.max_seconds:.0f} s)",
                    )
                    break
                target = queue.popleft()
                if not robots.can_fetch(user_agent(), target):
                    continue
                if result.pages and delay:
                    time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                bucket.update(bytes=0, truncated=False)
                begun = time.monotonic()
                try:
                    response, final = navigate(page, target, min(limits.page_seconds, remaining))
                except PlaywrightError as exc:
                    if not result.pages:
                        result.status = "unreachable"
                        result.message = _reason(str(exc), time.monotonic() - begun, limits)
                        break
                    continue
                seconds = time.monotonic() - begun
                final = _same_document(final)
                if final in seen and final != target:
                    continue  # redirected to a page already crawled or queued
                if not scope.contains(final):
                    continue
                facts = _facts(page)
                fetched = fetched_pages.get(final)
                record = Page(
                    url=final,
                    status=response.status if response else 0,
                    https=bool(fetched and fetched.tls),
                    bytes=bucket["bytes"],
                    seconds=round(seconds, 2),
                    truncated=bucket["truncated"],
                    **facts,
                )
                if not result.pages:
                    result.axe = _axe(page)
                    record.fits_mobile = _fits_mobile(page)
                try:
                    record.screenshot = page.screenshot(type="jpeg", quality=60, timeout=5000)
                except PlaywrightError:
                    record.screenshot = b""
                result.pages.append(record)
                seen.add(final)
                for link in record.links:
                    href = _same_document(link.get("href") or "")
                    if (
                        href
                        and href not in seen
                        and scope.contains(href)
                        and not href.lower().endswith(SKIPPED_SUFFIXES)
                    ):
                        seen.add(href)
                        queue.append(href)
            context.close()
        finally:
            browser.close()
    if result.pages:
        _check_links(result, scope, robots, limits, deadline)
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _reason(error: str, seconds: float, limits: Limits) -> str:
    if "Timeout" in error:
        return f"the home page did not load within {limits.page_seconds:.0f} s"
    if "ERR_TOO_MANY_REDIRECTS" in error:
        return "the home page redirects in a loop"
    if "ERR_BLOCKED_BY_CLIENT" in error:
        return "the home page leads to an address the audit may not fetch"
    return "the home page could not be loaded: " + error.splitlines()[0][:200]


def _facts(page) -> dict:
    facts = page.evaluate(EXTRACT)
    return {
        "title": facts["title"],
        "lang": facts["lang"],
        "text": facts["text"],
        "links": [link for link in facts["links"] if link["href"]],
        "forms": facts["forms"],
        "alternates": facts["alternates"],
        "search_box": facts["search_box"],
        "viewport": facts["viewport"],
        "times": facts["times"],
        "modified": facts["modified"],
    }


def _axe(page) -> list[dict]:
    """axe-core's violations on the page (rule, impact, help, up to five elements)."""
    try:
        if page.evaluate("() => document.getElementsByTagName('*').length") > MAX_AXE_ELEMENTS:
            return []
        page.evaluate(AXE.read_text(encoding="utf-8"))
        found = page.evaluate(
            """async (ms) => await Promise.race([axe.run(document, {resultTypes: ['violations']}),
                                                new Promise(done => setTimeout(() => done(null), ms))])""",
            AXE_MILLISECONDS,
        )
        if found is None:
            return []
    except Exception:
        return []
    return [
        {
            "id": v["id"],
            "impact": v.get("impact") or "minor",
            "help": v.get("help", "")[:200],
            "nodes": [" ".join(map(str, n["target"]))[:200] for n in v["nodes"]][:5],
            "count": len(v["nodes"]),
        }
        for v in found["violations"]
    ]


def _fits_mobile(page) -> bool | None:
    try:
        page.set_viewport_size({"width": 375, "height": 740})
        page.wait_for_timeout(150)
        fits = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.set_viewport_size({"width": 1280, "height": 900})
    except Exception:
        return None
    return bool(fits)


def _check_links(result: CrawlResult, scope: Scope, robots, limits: Limits, deadline: float) -> None:
    """Broken links among the portal's own links: the crawled pages' statuses, then a sample of the rest."""
    crawled = {p.url for p in result.pages}
    for page in result.pages:
        if page.status >= 400:
            result.broken.append({"url": page.url, "status": page.status})
    others: list[str] = []
    for page in result.pages:
        for link in page.links:
            href = _same_document(link["href"])
            if href not in crawled and href not in others and scope.contains(href):
                others.append(href)
    for href in others[: limits.max_link_checks]:
        if time.monotonic() > deadline or not robots.can_fetch(user_agent(), href):
            break
        try:
            got = fetch(
                href, scope, user_agent=user_agent(), timeout=min(10.0, limits.page_seconds), max_bytes=0, method="HEAD"
            )
            if got.status in (405, 501):
                got = fetch(href, scope, user_agent=user_agent(), timeout=min(10.0, limits.page_seconds), max_bytes=1)
        except Refused:
            continue
        except (OSError, http.client.HTTPException, TimeoutError):
            result.broken.append({"url": href, "status": 0})
            continue
        if got.status >= 400:
            result.broken.append({"url": href, "status": got.status})
