"""What /healthz checks: each service a request may need, answered quickly or reported down.

HAProxy takes an app server out of rotation when this fails (deploy/haproxy.cfg), so each check is
short and bounded by a timeout: a slow service is a failed check, not a hung health probe.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

BROKER_TIMEOUT = 2.0  # seconds


def database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def shared_cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def broker() -> None:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)


def checks() -> dict:
    """{name: check}; the broker only where one is configured (else tasks run in the request)."""
    found = {"database": database, "cache": shared_cache}
    if getattr(settings, "CELERY_BROKER_URL", ""):
        found["broker"] = broker
    return found


def report() -> tuple[bool, dict[str, str]]:
    """(all healthy, {name: "ok" or the error's class name})."""
    results: dict[str, str] = {}
    for name, check in checks().items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # any failure of the service means "not healthy"
            results[name] = exc.__class__.__name__
    return all(v == "ok" for v in results.values()), results
