"""What the audit may fetch: the portal's own host and port, public addresses only, checked on
every request; and the content that says which items it checks."""

import socket

import pytest
import yaml

from ceds.audit import safety
from ceds.audit.safety import Refused, Scope


def _resolving_to(monkeypatch, address):
    def fake(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(safety.socket, "getaddrinfo", fake)


def test_scope_is_the_portal_host_its_www_twin_and_its_port():
    scope = Scope.for_url("https://www.city.example/home")
    assert scope.contains("http://city.example/a") and scope.contains("https://www.city.example:443/b")
    assert not scope.contains("https://evil.example/") and not scope.contains("https://city.example:8443/")
    assert not scope.contains("ftp://city.example/") and not scope.contains("javascript:alert(1)")
    loop = Scope.for_url("http://127.0.0.1:5000/", allow_loopback=True)
    assert loop.contains("http://127.0.0.1:5000/x") and not loop.contains("http://127.0.0.1:5001/")


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("10.0.0.5", False),
        ("172.16.3.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),  # noqa: S104 — an address checked, not bound
        ("127.0.0.1", False),
        ("::1", False),
        ("::ffff:10.0.0.1", False),
        ("fd00::1", False),
        ("224.0.0.1", False),
        ("2606:4700::1111", True),
    ],
)
def test_only_public_addresses(address, allowed):
    assert safety.address_allowed(address, allow_loopback=False) is allowed


def test_loopback_only_when_opted_in():
    assert safety.address_allowed("127.0.0.1", allow_loopback=True)
    assert not safety.address_allowed("192.168.1.1", allow_loopback=True)


def test_a_public_name_resolving_to_a_private_address_is_refused(monkeypatch):
    _resolving_to(monkeypatch, "10.1.2.3")
    with pytest.raises(Refused, match="private or reserved"):
        safety.fetch(
            "https://portal.example/", Scope.for_url("https://portal.example/"), user_agent="t", timeout=1, max_bytes=10
        )


def test_every_request_resolves_again_and_connects_to_the_checked_address(monkeypatch):
    """DNS rebinding: the second answer is private, so the second request is refused; the first
    connects to the address that was checked, never to a name resolved again by the socket."""
    answers = iter(["93.184.216.34", "127.0.0.1"])
    connected = []

    def fake(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    def connect(address, timeout=None, *args, **kwargs):
        connected.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(safety.socket, "getaddrinfo", fake)
    monkeypatch.setattr(safety.socket, "create_connection", connect)
    scope = Scope.for_url("http://portal.example/")
    with pytest.raises(OSError):
        safety.fetch("http://portal.example/", scope, user_agent="t", timeout=1, max_bytes=10)
    assert connected == [("93.184.216.34", 80)]
    with pytest.raises(Refused):
        safety.fetch("http://portal.example/next", scope, user_agent="t", timeout=1, max_bytes=10)
    assert len(connected) == 1


def test_another_host_is_refused_before_any_lookup(monkeypatch):
    monkeypatch.setattr(safety.socket, "getaddrinfo", lambda *a, **k: pytest.fail("resolved"))
    with pytest.raises(Refused, match="another host"):
        safety.fetch(
            "https://tracker.example/x.js",
            Scope.for_url("https://portal.example/"),
            user_agent="t",
            timeout=1,
            max_bytes=1,
        )


def test_the_command_refuses_a_private_portal(world, website, monkeypatch):
    from django.core.management import CommandError, call_command

    from ceds.audit.models import AuditRun

    _resolving_to(monkeypatch, "192.168.0.10")
    with pytest.raises(CommandError, match="may not be audited"):
        call_command("audit_portal", world.city_a.slug, "--url", "http://intranet.example/")
    run = AuditRun.objects.get()
    assert run.status == "refused" and "private or reserved" in run.message and not run.proposals.exists()


def _problems(tmp_path, checks=None, losi=None):
    import shutil

    from django.conf import settings

    from ceds.content.reader import read_content

    source = settings.CONTENT_DIR
    shutil.copytree(source / "frameworks" / "website", tmp_path / "frameworks" / "website")
    shutil.copytree(source / "audit", tmp_path / "audit")
    if checks is not None:
        (tmp_path / "audit" / "checks.yaml").write_text(yaml.safe_dump(checks), encoding="utf-8")
    if losi is not None:
        data = yaml.safe_load((tmp_path / "audit" / "losi.yaml").read_text(encoding="utf-8"))
        data["features"].append(losi)
        (tmp_path / "audit" / "losi.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return [str(p) for p in read_content(tmp_path).problems]


def test_content_is_valid_as_shipped(tmp_path):
    assert _problems(tmp_path) == []


def test_content_problems_name_the_file_and_item(tmp_path):
    checks = [
        {
            "framework": "website",
            "version": 1,
            "items": {
                "PRIV-01": {"check": "telepathy"},
                "PRIV-99": {"check": "https"},
                "CONT-11": {"check": "open_data"},
            },
        }
    ]
    problems = _problems(tmp_path, checks=checks)
    assert any("PRIV-01" in p and "unknown check 'telepathy'" in p for p in problems)
    assert any("PRIV-99" in p and "no such item" in p for p in problems)
    assert any("CONT-11" in p and "points:" in p for p in problems)
    losi = {"id": "x", "criterion": "magic", "items": ["NOPE-01"], "title": {"ko": "없음"}}
    problems = _problems(tmp_path / "b", losi=losi)
    assert any("unknown criterion 'magic'" in p for p in problems)
    assert any("no such item NOPE-01" in p for p in problems)
    assert any("needs English" in p for p in problems)
