"""What the portal audit may fetch, and fetching it.

Every request the browser makes goes through fetch(): the host must be one of the portal's
own hosts (same port), the name is resolved and every address it resolves to must be public
(loopback only when a test opts in), and the connection goes to the address that was checked,
so a name cannot resolve to a public address for the check and a private one for the
connection (DNS rebinding). Redirects are never followed here: the browser receives the
redirect and asks again, and the new address is checked like the first one.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-encoding",
    "content-length",
    "upgrade",
    "proxy-connection",
    "te",
    "trailer",
}


class Refused(Exception):
    """A request the audit will not make; the message says why (shown in the audit's log)."""


@dataclass
class Scope:
    """The portal's own hosts: the start URL's host (and its www. twin), on the same port."""

    hosts: set[tuple[str, int | None]]
    allow_loopback: bool = False

    @classmethod
    def for_url(cls, url: str, allow_loopback: bool = False, extra_hosts: tuple[str, ...] = ()) -> Scope:
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise Refused(f"not a web address: {url}")
        host = parts.hostname.lower()
        # None: the default port of either scheme, so http://x and https://x are the same portal.
        port = parts.port if parts.port not in (None, *DEFAULT_PORTS.values()) else None
        names = {host, host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"}
        names.update(h.lower() for h in extra_hosts)
        return cls({(name, port) for name in names}, allow_loopback)

    def check_url(self, url: str) -> tuple[str, int, str]:
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise Refused(f"not a web address: {url[:200]}")
        port = parts.port or DEFAULT_PORTS[parts.scheme]
        key = parts.port if parts.port not in (None, *DEFAULT_PORTS.values()) else None
        if (parts.hostname.lower(), key) not in self.hosts:
            raise Refused(f"another host: {parts.netloc}")
        return parts.hostname.lower(), port, parts.scheme

    def contains(self, url: str) -> bool:
        try:
            self.check_url(url)
        except Refused:
            return False
        return True


def address_allowed(address: str, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


def resolve_checked(host: str, port: int, allow_loopback: bool) -> str:
    """The address to connect to; Refused unless every address the name resolves to is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise Refused(f"{host} does not resolve ({exc.strerror})") from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not address_allowed(address, allow_loopback):
            raise Refused(f"{host} resolves to a private or reserved address ({address})")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Fetched:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    truncated: bool = False
    seconds: float = 0.0
    tls: bool = False
    extra: dict = field(default_factory=dict)

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")


def fetch(
    url: str,
    scope: Scope,
    *,
    user_agent: str,
    timeout: float,
    max_bytes: int,
    method: str = "GET",
    headers: dict | None = None,
) -> Fetched:
    """One request, no redirect followed, at most max_bytes of body, within `timeout` seconds."""
    host, port, scheme = scope.check_url(url)
    address = resolve_checked(host, port, scope.allow_loopback)
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    started = time.monotonic()
    deadline = started + timeout
    conn_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    conn = conn_class(host, port, address, timeout)
    sent = {k: v for k, v in (headers or {}).items() if k.lower() not in HOP_BY_HOP | {"host", "user-agent", "cookie"}}
    sent.update({"User-Agent": user_agent, "Accept-Encoding": "identity", "Connection": "close"})
    try:
        conn.request(method, target, headers=sent)
        response = conn.getresponse()
        chunks, size, truncated = [], 0, False
        while method != "HEAD":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} took longer than {timeout:.0f} s")
            chunk = response.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                truncated = True
                break
        body = b"".join(chunks)[:max_bytes]
        return Fetched(
            url=url,
            status=response.status,
            headers=[(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP],
            body=body,
            truncated=truncated,
            seconds=time.monotonic() - started,
            tls=scheme == "https",
        )
    finally:
        conn.close()
