"""Production settings: the deployment checklist passes and the CSP forbids inline script."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args, **env):
    unwanted = (
        "DEBUG",
        "CEDS_TESTING",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    )  # the last is set by browser tests
    environment = {k: v for k, v in os.environ.items() if k not in unwanted}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 30 + "-a-long-random-production-secret-key-for-the-test",
        ALLOWED_HOSTS="ceds.example.org",
        EMAIL_URL="smtp://mail.example.org:587",
        CEDS_TESTING="false",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_the_default_secret_key():
    result = _manage("check", DEBUG="false", EMAIL_URL="smtp://mail.example.org:587", CEDS_TESTING="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_setting_value_names_the_variable():
    result = _manage("check", DEBUG="perhaps")
    assert result.returncode != 0 and "DEBUG must be true or false, not 'perhaps'" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_without_debug_a_missing_page_is_our_own_404_with_the_policy(client, db, settings):
    # `make run` (DEBUG on) shows Django's technical 404; production (DEBUG off) never does.
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert next(t.name for t in response.templates) == "404.html"
    body = response.content.decode()
    assert "Page not found" in body and 'class="skip-link"' in body
    assert "technical_404" not in body and "URLconf" not in body
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
