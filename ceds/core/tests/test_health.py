from django.core.cache import cache


def test_healthz_checks_the_database_and_the_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_is_503_naming_the_service_that_fails(client, db, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *a, **k: None)  # a cache that keeps nothing
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "RuntimeError"}


def test_healthz_checks_the_broker_when_one_is_configured(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"] != "ok"


def test_healthz_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
