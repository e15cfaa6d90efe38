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


# The crawl's niceness (0 normal, 19 lowest): pages served beside an audit keep the cores. At 10 the
# pages answered up to 1.6 times as slowly while three audits ran (bench/audit_bench.py), at 19 1.1-1.3.
CRAWL_NICENESS = 19


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
    _Crawler(url, scope, robots, limits, result, deadline=deadline).run()
    if result.pages:
        _check_links(result, scope, robots, limits, deadline)
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _polite_delay(robots: robotparser.RobotFileParser, limits: Limits) -> float:
    """The pause between pages: the audit's own, or robots.txt's Crawl-delay (up to ten seconds)."""
    crawl_delay = robots.crawl_delay(user_agent())
    if crawl_delay:
        return max(limits.delay, min(float(crawl_delay), 10.0))
    return limits.delay


class _Crawler:
    """One crawl's browser session: the route that sends every request through fetch(), the
    navigation that follows the document's redirects itself, and the page loop with its limits."""

    def __init__(self, url: str, scope: Scope, robots, limits: Limits, result: CrawlResult, *, deadline: float):
        self.scope, self.robots, self.limits, self.result, self.deadline = scope, robots, limits, result, deadline
        self.delay = _polite_delay(robots, limits)
        self.bucket = {"bytes": 0, "truncated": False}  # the current page's bytes, all its requests
        self.pending: dict[str, str] = {}  # the main document's redirect, for navigate()
        self.fetched_pages: dict[str, Fetched] = {}
        self.queue = deque([_same_document(url)])
        self.seen = {self.queue[0]}

    # The route: every request the browser makes goes through safety.fetch().

    def handle(self, route, request) -> None:
        if not self._admit(route, request):
            return
        got = self._fetch_request(route, request)
        if got is not None:
            got = self._follow_redirects(route, request, got)
        if got is None:
            return
        self.bucket["bytes"] += len(got.body)
        self.bucket["truncated"] = self.bucket["truncated"] or got.truncated
        if request.is_navigation_request():
            self.fetched_pages[_same_document(request.url)] = got
        headers = {k: v for k, v in got.headers if k.lower() != "set-cookie"}
        route.fulfill(status=got.status, headers=headers, body=got.body)

    def _admit(self, route, request) -> bool:
        """The request limit and the methods the audit sends (GET and HEAD only)."""
        if self.result.requests >= self.limits.max_requests:
            route.abort("blockedbyclient")
            return False
        if request.method not in ("GET", "HEAD"):
            self._refuse(request.url, f"{request.method} is not sent by the audit")
            route.abort("blockedbyclient")
            return False
        self.result.requests += 1
        return True

    def _fetch_request(self, route, request) -> Fetched | None:
        """The request itself through fetch(), or None once the route is aborted."""
        remaining = self.deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError("time limit")
            return fetch(
                request.url,
                self.scope,
                user_agent=user_agent(),
                timeout=min(self.limits.page_seconds, remaining),
                max_bytes=self.limits.max_bytes,
                method=request.method,
                headers=request.headers,
            )
        except Refused as exc:
            self._refuse(request.url, str(exc))
            route.abort("blockedbyclient")
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            route.abort("timedout" if isinstance(exc, TimeoutError) else "failed")
        return None

    def _follow_redirects(self, route, request, got: Fetched) -> Fetched | None:
        """Chromium follows a redirect it is given without asking the route again, so the
        browser never sees one: the main document's redirect is navigated to anew by
        navigate() (and checked again there); a resource's is followed here, hop by hop,
        each hop through fetch(). None once the route is aborted."""
        hops = 0
        while got.status in REDIRECTS and got.header("location"):
            target = urljoin(got.url, got.header("location"))
            if request.is_navigation_request() and request.frame == request.frame.page.main_frame:
                self.pending["redirect"] = target
                route.abort("aborted")
                return None
            hops += 1
            try:
                if hops > MAX_REDIRECTS:
                    raise Refused(f"more than {MAX_REDIRECTS} redirects")
                got = fetch(
                    target,
                    self.scope,
                    user_agent=user_agent(),
                    timeout=min(self.limits.page_seconds, max(0.1, self.deadline - time.monotonic())),
                    max_bytes=self.limits.max_bytes,
                )
            except Refused as exc:
                self._refuse(target, str(exc))
                route.abort("blockedbyclient")
                return None
            except (TimeoutError, OSError, http.client.HTTPException):
                route.abort("failed")
                return None
        return got

    def _refuse(self, url: str, reason: str) -> None:
        self.result.refused.append({"url": url[:300], "reason": reason})

    # Navigation: goto(), following the document's redirects within the scope.

    def navigate(self, page, target: str, timeout: float):
        """goto(), following the document's redirects ourselves; (response, final URL)."""
        for _hop in range(MAX_REDIRECTS + 1):
            self.pending.pop("redirect", None)
            try:
                return page.goto(target, timeout=timeout * 1000, wait_until="load"), target
            except PlaywrightError:
                redirect = self.pending.pop("redirect", None)
                if redirect is None:
                    raise
            if not self.scope.contains(redirect):
                self._refuse(redirect, f"redirect to another host: {urlsplit(redirect).netloc}")
                raise PlaywrightError("ERR_BLOCKED_BY_CLIENT: redirect to another host")
            target = redirect
        raise PlaywrightError("ERR_TOO_MANY_REDIRECTS")

    # The page loop.

    def run(self) -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=settings.CEDS_CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                context = browser.new_context(
                    user_agent=user_agent(), viewport={"width": 1280, "height": 900}, service_workers="block"
                )
                context.route("**/*", self.handle)
                page = context.new_page()
                self._loop(page)
                context.close()
            finally:
                browser.close()

    def _loop(self, page) -> None:
        while self.queue:
            remaining = self._time_left()
            if remaining is None:
                break
            target = self.queue.popleft()
            if not self.robots.can_fetch(user_agent(), target):
                continue
            if self.result.pages and self.delay:
                time.sleep(min(self.delay, max(0.0, self.deadline - time.monotonic())))
            if not self._visit(page, target, remaining):
                break

    def _time_left(self) -> float | None:
        """The seconds left for the next page, or None (with the status set) at a limit."""
        result, limits = self.result, self.limits
        if len(result.pages) >= limits.max_pages:
            result.status, result.message = "page_limit", f"stopped at the page limit ({limits.max_pages})"
            return None
        remaining = self.deadline - time.monotonic()
        if remaining <= 1:
            result.status, result.message = "time_limit", f"stopped at the time limit ({limits.max_seconds:.0f} s)"
            return None
        return remaining

    def _visit(self, page, target: str, remaining: float) -> bool:
        """Load one page and record it; False when the crawl must stop (home page unreachable)."""
        self.bucket.update(bytes=0, truncated=False)
        begun = time.monotonic()
        try:
            response, final = self.navigate(page, target, min(self.limits.page_seconds, remaining))
        except PlaywrightError as exc:
            if self.result.pages:
                return True
            self.result.status = "unreachable"
            self.result.message = _reason(str(exc), time.monotonic() - begun, self.limits)
            return False
        seconds = time.monotonic() - begun
        final = _same_document(final)
        if final in self.seen and final != target:
            return True  # redirected to a page already crawled or queued
        if not self.scope.contains(final):
            return True
        record = self._record(page, response, final, seconds)
        self.result.pages.append(record)
        self.seen.add(final)
        self._enqueue(record.links)
        return True

    def _record(self, page, response, final: str, seconds: float) -> Page:
        facts = _facts(page)
        fetched = self.fetched_pages.get(final)
        record = Page(
            url=final,
            status=response.status if response else 0,
            https=bool(fetched and fetched.tls),
            bytes=self.bucket["bytes"],
            seconds=round(seconds, 2),
            truncated=self.bucket["truncated"],
            **facts,
        )
        if not self.result.pages:
            self.result.axe = _axe(page)
            record.fits_mobile = _fits_mobile(page)
        try:
            record.screenshot = page.screenshot(type="jpeg", quality=60, timeout=5000)
        except PlaywrightError:
            record.screenshot = b""
        return record

    def _enqueue(self, links: list[dict]) -> None:
        """The page's own links not yet seen, in the scope, and not documents the audit skips."""
        for link in links:
            href = _same_document(link.get("href") or "")
            if (
                href
                and href not in self.seen
                and self.scope.contains(href)
                and not href.lower().endswith(SKIPPED_SUFFIXES)
            ):
                self.seen.add(href)
                self.queue.append(href)


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
