import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import hotp_value
from django.test import override_settings

from ceds.accounts.models import User
from ceds.demo.seed import DEMO_PASSWORD
from conftest import PASSWORD


def _login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_sign_in_with_email_and_password(world, client):
    response = _login(client, world["a_viewer"].email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/").context["user"] == world["a_viewer"]


def test_repeated_failures_lock_the_account(world, client):
    for _ in range(5):
        _login(client, world["a_viewer"].email, "wrong-password")
    response = _login(client, world["a_viewer"].email, PASSWORD)
    assert response.status_code == 429, "axes locks out after 5 failures, even with the right password"


@override_settings(DEBUG=False)
def test_demo_accounts_cannot_sign_in_without_debug(db, client):
    User.objects.create_user("demo@example.org", DEMO_PASSWORD, is_demo=True)
    response = _login(client, "demo@example.org", DEMO_PASSWORD)
    assert response["Location"] == "/accounts/inactive/"
    assert not client.session.get("_auth_user_id")
    assert client.get("/cities/").status_code == 302


@override_settings(DEBUG=True)
def test_demo_accounts_sign_in_with_debug(db, client):
    User.objects.create_user("demo@example.org", DEMO_PASSWORD, is_demo=True)
    assert _login(client, "demo@example.org", DEMO_PASSWORD).status_code == 302


def _counter() -> int:
    return int(time.time()) // 30


def _current_code(secret: str) -> str:
    return f"{hotp_value(secret, _counter()):06d}"


@override_settings(CEDS_REQUIRE_MFA_FOR_STAFF=True)
@pytest.mark.parametrize("persona", ["regional", "analyst"])
def test_staff_must_set_up_totp_then_sign_in_with_a_real_code(world, client, persona):
    user = world[persona]
    assert _login(client, user.email, PASSWORD).status_code == 302
    response = client.get("/cities/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate" in response["Location"]

    # allauth asks for the password again before TOTP can be activated.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert client.post(response["Location"], {"password": PASSWORD}).status_code == 302
    # Activate TOTP with a code computed from the secret the page shows.
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": _current_code(secret)})
    assert response.status_code == 302, response.content[:500]
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/cities/").status_code == 200

    # A new sign-in now asks for the code.
    client.logout()
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 302 and "/accounts/2fa/authenticate" in response["Location"]
    assert client.get("/cities/").status_code == 302
    # A code is accepted once; the next window's code is within the ±1 window tolerance.
    counter = _counter() + 1
    secret = Authenticator.objects.get(user=user, type="totp").wrap().instance.data["secret"]
    from allauth.mfa.utils import decrypt

    code = f"{hotp_value(decrypt(secret), counter):06d}"
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/cities/").status_code == 200


@override_settings(CEDS_REQUIRE_MFA_FOR_STAFF=True)
def test_city_users_are_not_forced_into_totp(world, client):
    _login(client, world["a_coordinator"].email, PASSWORD)
    assert client.get("/cities/").status_code == 200


def test_password_reset_sends_a_link_by_email(world, client):
    from django.core import mail

    response = client.post("/accounts/password/reset/", {"email": world["a_viewer"].email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and world["a_viewer"].email in mail.outbox[0].to
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
