"""Single sign-on against a real OpenID Connect provider (panva's oidc-provider) on loopback.

The provider runs as a Node process; the browser's part of the dance (the provider's login and
consent screens) is played with `requests`, ours with Django's test client. Every token,
userinfo and key request our side makes goes over HTTP to that real provider.
"""

import json
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from ceds.accounts import services, sso
from ceds.accounts.models import CityRole, Invitation, User

ROOT = Path(__file__).resolve().parents[3]
PROVIDER_SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (ROOT / "node_modules" / "oidc-provider").exists(),
    reason="needs Node.js and the npm packages of package.json (make test installs them)",
)

CALLBACK = "http://testserver/accounts/oidc/{}/login/callback/"
ACCOUNTS = {
    # login at the provider -> the claims it asserts
    "kim": {"email": "a_coordinator@example.org", "email_verified": True, "given_name": "Kim"},
    "newcomer": {"email": "newcomer@seoul.example", "email_verified": True, "given_name": "Min", "family_name": "Lee"},
    "stranger": {"email": "stranger@seoul.example", "email_verified": True},
    "impostor": {"email": "analyst@example.org", "email_verified": True},
    "neighbour": {"email": "b_viewer@example.org", "email_verified": True},
    "unverified": {"email": "a_viewer@example.org", "email_verified": False},
    "regional": {"email": "regional@example.org", "email_verified": True},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def issuer():
    port = _free_port()
    config = {
        "clients": [
            {"client_id": f"ceds-{pid}", "client_secret": f"secret-{pid}", "redirect_uris": [CALLBACK.format(pid)]}
            for pid in ("seoul-id", "wego-id")
        ],
        "accounts": ACCOUNTS,
    }
    process = subprocess.Popen(
        ["node", str(PROVIDER_SCRIPT), str(port), json.dumps(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _providers(issuer: str) -> str:
    return json.dumps(
        [
            {
                "id": "seoul-id",
                "name": "Seoul City ID",
                "server_url": issuer,
                "client_id": "ceds-seoul-id",
                "secret": "secret-seoul-id",
                "organisation": "seoul",
            },
            {
                "id": "wego-id",
                "name": "WeGO Secretariat",
                "server_url": issuer,
                "client_id": "ceds-wego-id",
                "secret": "secret-wego-id",
                "organisation": "secretariat",
            },
        ]
    )


@pytest.fixture
def providers(issuer, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": sso.providers_from_env(_providers(issuer))}
    }
    return issuer


def sign_in(client, provider_id: str, login: str):
    """Press the provider's button, sign in at the provider as `login`, return our callback's response."""
    response = client.post(f"/accounts/oidc/{provider_id}/login/")
    assert response.status_code == 302, response.content[:300]
    browser = requests.Session()
    location = response["Location"]
    assert "code_challenge=" in location, "PKCE is on"
    for _ in range(10):  # the provider's login and consent screens, then the redirect to us
        answer = browser.get(location, allow_redirects=False, timeout=10)
        if answer.is_redirect:
            location = urljoin(location, answer.headers["Location"])
            if location.startswith("http://testserver/"):
                break
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"', answer.text)
        assert form, answer.text[:500]
        prompt = re.search(r'name="prompt" value="(\w+)"', answer.text)
        data = {"prompt": prompt.group(1) if prompt else "login", "login": login, "password": "any"}
        answer = browser.post(urljoin(location, form.group(1)), data=data, allow_redirects=False, timeout=10)
        location = urljoin(location, answer.headers["Location"])
    parts = urlsplit(location)
    assert parts.path == f"/accounts/oidc/{provider_id}/login/callback/", location
    assert "code" in parse_qs(parts.query), location
    return client.get(f"{parts.path}?{parts.query}")


def _signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_sign_in_page_offers_each_organisations_provider(providers, client, db):
    page = client.get("/accounts/login/")
    assert "Seoul City ID" in page.content.decode() and "WeGO Secretariat" in page.content.decode()
    confirm = client.get("/accounts/oidc/seoul-id/login/")
    # The form's POST is answered by a redirect to the provider, which form-action must allow.
    assert providers in confirm["Content-Security-Policy"].split("form-action", 1)[1].split(";")[0]


def test_a_city_member_signs_in_through_the_citys_provider(providers, world, client):
    response = sign_in(client, "seoul-id", "kim")
    assert response.status_code == 302, response.content[:500]
    assert _signed_in_user(client) == world["a_coordinator"]
    assert SocialAccount.objects.filter(user=world["a_coordinator"], provider="seoul-id", uid="kim").exists()
    assert world["a_coordinator"].has_usable_password(), "the password still works beside the provider"
    # The next sign-in finds the connected account by the provider's subject.
    client.logout()
    sign_in(client, "seoul-id", "kim")
    assert _signed_in_user(client) == world["a_coordinator"]


def test_a_newcomer_with_an_invitation_gets_an_account_and_the_role(providers, world, client):
    invitation, _token = services.invite(
        world["a_coordinator"], "newcomer@seoul.example", city=world.city_a, city_role="contributor"
    )
    response = sign_in(client, "seoul-id", "newcomer")
    assert response.status_code == 302, response.content[:500]
    user = _signed_in_user(client)
    assert user is not None and user.email == "newcomer@seoul.example" and user.first_name == "Min"
    assert CityRole.objects.get(user=user).role == "contributor"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_provider_grants_no_role_without_an_invitation(providers, world, client):
    users = User.objects.count()
    response = sign_in(client, "seoul-id", "stranger")
    assert response.status_code == 403
    assert "Ask your coordinator for an invitation" in response.content.decode()
    assert User.objects.count() == users and _signed_in_user(client) is None


def test_an_invitation_of_another_city_is_not_accepted_through_this_provider(providers, world, client):
    services.invite(world["b_coordinator"], "stranger@seoul.example", city=world.city_b, city_role="viewer")
    assert sign_in(client, "seoul-id", "stranger").status_code == 403
    assert not User.objects.filter(email="stranger@seoul.example").exists()
    assert Invitation.objects.pending().filter(email="stranger@seoul.example").exists()


@pytest.mark.parametrize(
    ("login", "why"),
    [
        ("impostor", "holds roles outside"),  # a city's directory asserting a secretariat analyst
        ("neighbour", "holds roles outside"),  # ... or a member of another city
        ("unverified", "did not confirm your e-mail address"),
    ],
)
def test_a_city_provider_cannot_speak_for_people_outside_the_city(providers, world, client, login, why):
    response = sign_in(client, "seoul-id", login)
    assert response.status_code == 403 and why in response.content.decode()
    assert _signed_in_user(client) is None
    assert not SocialAccount.objects.exists()


@override_settings(CEDS_REQUIRE_MFA_FOR_STAFF=True)
def test_staff_signing_in_through_a_provider_still_give_their_second_factor(providers, world, client):
    secret = generate_totp_secret()
    TOTP.activate(world["regional"], secret)
    response = sign_in(client, "wego-id", "regional")
    assert response.status_code == 302 and "/accounts/2fa/authenticate" in response["Location"]
    assert _signed_in_user(client) is None
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert _signed_in_user(client) == world["regional"]
    assert client.get("/cities/").status_code == 200


@override_settings(DEBUG=False)
def test_demo_accounts_stay_out_through_a_provider_too(providers, world, client):
    User.objects.filter(pk=world["a_coordinator"].pk).update(is_demo=True)
    response = sign_in(client, "seoul-id", "kim")
    assert response["Location"] == "/accounts/inactive/"
    assert _signed_in_user(client) is None


def test_a_provider_without_a_known_organisation_is_refused(issuer, settings, world, client):
    apps = sso.providers_from_env(_providers(issuer))
    apps[0]["settings"]["organisation"] = "atlantis"
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}}
    response = sign_in(client, "seoul-id", "kim")
    assert response.status_code == 403 and "not linked to an organisation" in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{", "not valid JSON"),
        ('{"id": "x"}', "must be a JSON list"),
        ('[{"id": "x", "name": "X"}]', "CEDS_OIDC_PROVIDERS[0] lacks client_id, organisation, secret, server_url"),
        (
            '[{"id": "x", "name": "X", "server_url": "u", "client_id": "c", "secret": "s", "organisation": "o", "scope": "y"}]',
            "has unknown keys scope",
        ),
    ],
)
def test_a_bad_provider_configuration_stops_the_process_naming_the_entry(raw, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        sso.providers_from_env(raw)


def test_no_configuration_means_no_provider():
    assert sso.providers_from_env("") == []


def test_a_linked_account_is_in_the_persons_data_and_goes_with_erasure(providers, world, client):
    from ceds.privacy import personal_data

    sign_in(client, "seoul-id", "kim")
    exported = personal_data.export_for(world["a_coordinator"])["linked_sign_in_accounts"]
    assert exported[0]["provider"] == "seoul-id" and exported[0]["subject"] == "kim"
    counts = personal_data.erase(None, world["a_coordinator"])
    assert counts["linked_sign_in_accounts"] == 1 and not SocialAccount.objects.exists()


def test_the_secretariat_adds_a_provider_in_the_admin(world, client_for, client):
    from allauth.socialaccount.models import SocialApp

    admin = client_for(world["secretariat"])
    assert admin.get("/admin/socialaccount/socialapp/add/").status_code == 200
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="sennar-id",
        name="Sennar State ID",
        client_id="ceds",
        secret="s",
        settings={"server_url": "https://id.sennar.example", "organisation": "seoul"},
    )
    page = client.get("/accounts/login/")  # signed out
    assert "Sennar State ID" in page.content.decode()
    assert "https://id.sennar.example" in page["Content-Security-Policy"]
