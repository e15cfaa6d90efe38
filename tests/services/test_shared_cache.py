"""Several app servers share one Redis: API rate limits count every server's requests and a
session opened on one server is found by the others (Django's own Redis cache backend)."""

import importlib
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from tests.services.conftest import TEST_REDIS_URL


def _server_caches(backend, location, count=2):
    """One cache client per app server: each its own connection pool, as in its own process."""
    prefix = f"ceds-test-{uuid.uuid4().hex[:8]}"
    return [backend(location, {"KEY_PREFIX": prefix}) for _ in range(count)]


@pytest.fixture
def redis_cache(settings):
    prefix = f"ceds-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    from django.core.cache import cache

    cache.clear()


def _requests_through(servers, api, monkeypatch) -> list[int]:
    from ceds.api.auth import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    client = api("a_viewer")
    statuses = []
    for number in range(4):  # alternately through each server
        monkeypatch.setattr(TokenRateThrottle, "cache", servers[number % len(servers)])
        statuses.append(client.get("/api/v1/frameworks/").status_code)
    return statuses


def test_the_api_rate_limit_counts_the_requests_of_every_app_server(api_world, api, monkeypatch):
    servers = _server_caches(RedisCache, TEST_REDIS_URL)
    try:
        assert _requests_through(servers, api, monkeypatch) == [200, 200, 200, 429]
    finally:
        servers[0].clear()


def test_with_a_cache_per_process_each_server_would_count_alone(api_world, api, monkeypatch):
    """Why the shared cache matters: per-process caches let twice the limit through."""
    servers = [LocMemCache(f"server-{n}-{uuid.uuid4().hex}", {}) for n in range(2)]
    assert _requests_through(servers, api, monkeypatch) == [200, 200, 200, 200]


def test_a_session_opened_on_one_server_is_found_by_another(world, redis_cache, settings, client):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(world["a_viewer"])
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    other_server = RedisCache(TEST_REDIS_URL, {"KEY_PREFIX": redis_cache})
    session = other_server.get(f"django.contrib.sessions.cached_db{key}")
    assert session is not None and session["_auth_user_id"] == str(world["a_viewer"].pk)


def test_redis_url_gives_the_shared_cache_and_cached_sessions(monkeypatch):
    import ceds.settings as module

    try:
        monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
        configured = importlib.reload(module)
        assert configured.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert configured.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"
        assert configured.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
        monkeypatch.delenv("REDIS_URL")
        configured = importlib.reload(module)
        assert configured.CACHES["default"]["BACKEND"].endswith("LocMemCache")
        assert configured.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    finally:
        monkeypatch.undo()
        importlib.reload(module)
