from ceds.api.models import ApiToken, token_digest
from ceds.core.models import AuditEvent


def test_a_token_is_shown_once_and_stored_only_as_a_digest(world, client_for):
    client = client_for(world["a_coordinator"])
    page = client.post("/me/api-tokens/", {"name": "open data sync", "days": "90"})
    secret = page.context["secret"]
    assert secret.startswith("ceds_") and secret in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world["a_coordinator"])
    assert token.digest == token_digest(secret) and secret not in str(ApiToken.objects.values().get())
    # Listed afterwards by name and prefix, never the secret again.
    listing = client.get("/me/api-tokens/").content.decode()
    assert "open data sync" in listing and token.prefix in listing and secret not in listing
    assert AuditEvent.objects.filter(action="token.create").exists()
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 90


def test_a_token_authenticates_until_revoked(world, client_for):
    from django.test import Client

    client = client_for(world["a_coordinator"])
    secret = client.post("/me/api-tokens/", {"name": "script"}).context["secret"]
    script = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert script.get("/api/v1/assessments/").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    token = ApiToken.objects.get()
    assert client.post(f"/me/api-tokens/{token.pk}/revoke/").status_code == 302
    refused = script.get("/api/v1/assessments/")
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Bearer"
    assert refused.json()["detail"] == "This token is unknown, expired or revoked."


def test_nobody_revokes_another_users_token(world, client_for):
    client_for(world["a_coordinator"]).post("/me/api-tokens/", {"name": "mine"})
    token = ApiToken.objects.get()
    assert client_for(world["b_coordinator"]).post(f"/me/api-tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_needs_a_name_and_active_tokens_are_capped(world, client_for):
    client = client_for(world["a_viewer"])
    page = client.post("/me/api-tokens/", {"name": " "})
    assert page.context["secret"] is None and "name" in page.context["form"].errors
    for n in range(10):
        client.post("/me/api-tokens/", {"name": f"t{n}"})
    page = client.post("/me/api-tokens/", {"name": "one too many"})
    assert "revoke one first" in page.context["form"].errors["name"][0]
    assert ApiToken.objects.count() == 10


def test_malformed_and_unknown_tokens_are_refused(world):
    from django.test import Client

    for header in ("Bearer", "Bearer a b", "Bearer ceds_not-a-real-token", "Bearer github_pat_123"):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/assessments/")
        assert response.status_code == 401, header
        assert response["Content-Type"] == "application/problem+json"
