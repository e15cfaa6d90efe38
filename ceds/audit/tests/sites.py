"""Fixture portals served on loopback for the audit's tests: one server (port) per site."""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STYLE = (
    "<style>body{font:16px sans-serif;color:#111;background:#fff;max-width:60rem;margin:auto}a{color:#0645ad}</style>"
)


def _page(title: str, body: str, lang: str = "en", head: str = "") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>{STYLE}{head}</head>'
        f'<body><header><nav aria-label="Main"><a href="/">Home</a> <a href="/news">News</a></nav></header>'
        f"<main><h1>{title}</h1>{body}</main>"
        f'<footer><a href="/privacy">Privacy policy</a> · <a href="/contact">Contact us</a>'
        f' · <a href="/open-data">Open data</a><p>Last updated: 2026-11-20</p></footer></body></html>'
    )


GOOD = {
    "/": _page(
        "City of Exampleton",
        '<form role="search" action="/search"><label for="q">Search the site</label>'
        '<input id="q" type="search" name="q"><button>Search</button></form>'
        '<p>Welcome to the city portal.</p><ul><li><a href="/ko/" hreflang="ko" lang="ko">한국어</a></li>'
        '<li><a href="/fr/" hreflang="fr" lang="fr">Français</a></li></ul>',
        head='<link rel="alternate" hreflang="ko" href="/ko/"><link rel="alternate" hreflang="fr" href="/fr/">',
    ),
    "/news": _page("News", "<p>The council met on 2 November.</p>"),
    "/privacy": _page("Privacy policy", "<p>Why we collect personal data and how long we keep it.</p>"),
    "/contact": _page(
        "Contact us",
        "<p>City Hall, 1 Main Square. E-mail: info@exampleton.example. Phone: +82 2 120 0000.</p>"
        '<form action="/contact" method="post"><label for="n">Your name</label><input id="n" name="name">'
        '<label for="m">Your message</label><textarea id="m" name="message"></textarea><button>Send</button></form>',
    ),
    "/open-data": _page("Open data", "<p>Datasets for download.</p>"),
    "/ko/": _page("예시시", "<p>시청 포털입니다.</p>", lang="ko"),
    "/fr/": _page("Ville d'Exempleton", "<p>Bienvenue.</p>", lang="fr"),
    "/search": _page("Search", "<p>No results.</p>"),
}

POOR = {
    "/": (
        '<!doctype html><html><head><title>Town</title></head><body style="width:1400px">'
        '<p style="color:#bbb;background:#fff">Welcome</p><img src="/logo.gif">'
        '<a href="/about">About</a> <a href="/missing-1">Old page</a> <a href="/missing-2">Older page</a></body></html>'
    ),
    "/about": "<!doctype html><html><head><title>About</title></head><body><p>About the town.</p></body></html>",
}
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


class Site:
    """A loopback HTTP server; `hits` counts the requests it answered."""

    def __init__(self, name: str, route):
        self.name, self.route, self.hits = name, route, []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.hits.append(self.path)
                status, headers, body = site.route(self.path, site)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if isinstance(body, str):
                    body = body.encode()
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            do_HEAD = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.other: Site | None = None
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def _pages(pages):
    def route(path, site):
        if path == "/robots.txt":
            return 404, {}, ""
        if path == "/logo.gif":
            return 200, {"Content-Type": "image/gif"}, GIF
        if path.split("?")[0] in pages:
            return 200, HTML, pages[path.split("?")[0]]
        return 404, HTML, "<!doctype html><title>Not found</title><p>Not found</p>"

    return route


def _slow(path, site):
    if path == "/robots.txt":
        return 404, {}, ""
    time.sleep(4)
    return 200, HTML, GOOD["/"]


def _loop(path, site):
    if path == "/robots.txt":
        return 404, {}, ""
    return 302, {"Location": "/b" if path == "/a" else "/a"}, ""


def _huge(path, site):
    if path == "/robots.txt":
        return 404, {}, ""
    return 200, HTML, "<!doctype html><html lang=en><title>Big</title><body>" + "<p>filler text</p>" * 600_000


def _robots(path, site):
    if path == "/robots.txt":
        return 200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /\n"
    return 200, HTML, GOOD["/"]


def _redirect_other(path, site):
    if path == "/robots.txt":
        return 404, {}, ""
    return 302, {"Location": site.other.url}, ""


def _embed_other(path, site):
    if path == "/robots.txt":
        return 404, {}, ""
    if path == "/":
        body = GOOD["/"].replace(
            "<main>",
            f'<main><img alt="Partner" src="{site.other.url}pixel.gif"><script src="{site.other.url}x.js"></script>',
        )
        return 200, HTML, body
    return _pages(GOOD)(path, site)


def _other(path, site):
    return 200, {"Content-Type": "image/gif"}, GIF


ROUTES = {
    "good": _pages(GOOD),
    "poor": _pages(POOR),
    "slow": _slow,
    "loop": _loop,
    "huge": _huge,
    "robots": _robots,
    "redirect_other": _redirect_other,
    "embed_other": _embed_other,
    "other": _other,
}


def start_sites() -> dict[str, Site]:
    sites = {name: Site(name, route) for name, route in ROUTES.items()}
    sites["redirect_other"].other = sites["other"]
    sites["embed_other"].other = sites["other"]
    return sites
