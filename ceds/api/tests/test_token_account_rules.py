"""Tokens obey the web's sign-in rules: active, no demo without DEBUG, TOTP for staff."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from ceds.accounts.models import User
from ceds.api.models import ApiToken
from ceds.api.tokens import create_token
from conftest import PASSWORD

DRAFTS = "/api/v1/assessments/"


def _bearer(secret):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _sign_in_with_code(user, secret) -> Client:
    """The real allauth flow: password, then the authenticator code."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "/accounts/2fa/authenticate" in response["Location"]
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    return client


@override_settings(DEBUG=False)
def test_a_demo_accounts_token_is_refused_without_debug(api_world):
    demo = User.objects.create_user("demo@example.org", PASSWORD, is_demo=True)
    _token, secret = create_token(demo, "script")
    response = _bearer(secret).get(DRAFTS)
    assert response.status_code == 401
    assert response.json()["detail"] == "This account cannot sign in."
    with override_settings(DEBUG=True):
        assert _bearer(secret).get(DRAFTS).status_code == 200


def test_a_deactivated_accounts_token_is_refused(api_world, api):
    assert api("a_coordinator").get(DRAFTS).status_code == 200
    User.objects.filter(pk=api_world["a_coordinator"].pk).update(is_active=False)
    assert api("a_coordinator").get(DRAFTS).status_code == 401


@override_settings(CEDS_REQUIRE_MFA_FOR_STAFF=True)
@pytest.mark.parametrize("persona", ["regional", "analyst"])
def test_staff_without_totp_cannot_read_drafts_with_a_token(api_world, api, persona):
    # The fixture's tokens were made outside any two-factor session.
    response = api(persona).get(DRAFTS)
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]
    # Setting up TOTP later does not bless a token made without it.
    _totp(api_world[persona])
    assert api(persona).get(DRAFTS).status_code == 401
    # City users are not asked for TOTP.
    assert api("a_coordinator").get(DRAFTS).status_code == 200


@override_settings(CEDS_REQUIRE_MFA_FOR_STAFF=True)
def test_staff_create_a_token_only_in_a_session_that_passed_totp(api_world, client_for):
    regional = api_world["regional"]
    secret = _totp(regional)
    # Signed in with the password only (a session without the code): refused, nothing stored.
    password_only = client_for(regional)
    page = password_only.get("/me/api-tokens/")
    assert page.context["needs_second_factor"]
    page = password_only.post("/me/api-tokens/", {"name": "sync", "days": "30"})
    assert page.context["secret"] is None and "two-factor" in str(page.context["form"].errors)
    assert not ApiToken.objects.filter(user=regional, name="sync").exists()
    with pytest.raises(ValidationError):
        create_token(regional, "direct")

    client = _sign_in_with_code(regional, secret)
    assert not client.get("/me/api-tokens/").context["needs_second_factor"]
    token_secret = client.post("/me/api-tokens/", {"name": "sync", "days": "30"}).context["secret"]
    assert ApiToken.objects.get(user=regional, name="sync").second_factor
    assert _bearer(token_secret).get(DRAFTS).status_code == 200
    # Removing TOTP from the account stops its tokens too.
    Authenticator.objects.filter(user=regional).delete()
    assert _bearer(token_secret).get(DRAFTS).status_code == 401
