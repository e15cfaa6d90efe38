import re

import pytest
from django.core import mail
from django.utils import timezone

from ceds.accounts.models import CityRole, Invitation, RegionRole, User
from ceds.core.models import AuditEvent
from conftest import PASSWORD


def _link(message) -> str:
    return re.search(r"http://\S+/invitations/(\S+)/", message.body).group(1)


def test_coordinator_invites_a_colleague_who_creates_an_account(world, client_for, django_capture_on_commit_callbacks):
    coordinator = client_for(world["a_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            f"/cities/{world.city_a.slug}/invite/", {"email": "Ji-woo@Example.org", "role": "contributor"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ji-woo@example.org"]
    assert message.alternatives, "the invitation has an HTML part too"
    token = _link(message)
    invitation = Invitation.objects.get()
    assert invitation.token_hash != token, "only the hash of the token is stored"

    anonymous = client_for(None)
    page = anonymous.get(f"/invitations/{token}/")
    assert page.status_code == 200
    assert b"Contributor" in page.content
    response = anonymous.post(
        f"/invitations/{token}/", {"first_name": "Ji-woo", "last_name": "Park", "password": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="ji-woo@example.org")
    assert CityRole.objects.get(user=user).role == "contributor"
    assert AuditEvent.objects.filter(action="invitation.accept").exists()
    # Used once: the link no longer works.
    assert anonymous.get(f"/invitations/{token}/").status_code == 404


def test_weak_password_is_refused_with_the_reason(world, client_for):
    from ceds.accounts import services

    _inv, token = services.invite(world["a_coordinator"], "new@example.org", city=world.city_a, city_role="viewer")
    response = client_for(None).post(
        f"/invitations/{token}/", {"first_name": "A", "last_name": "B", "password": "12345"}
    )
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.org").exists()


def test_expired_invitation_is_refused_with_a_clear_message(world, client_for):
    from ceds.accounts import services

    invitation, token = services.invite(world["secretariat"], "late@example.org", region=world.region_a)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client_for(None).get(f"/invitations/{token}/")
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert "send it again" in response.content.decode()
    # Nothing can be accepted through it.
    assert (
        client_for(None)
        .post(f"/invitations/{token}/", {"first_name": "A", "last_name": "B", "password": PASSWORD})
        .status_code
        == 410
    )
    assert not User.objects.filter(email="late@example.org").exists()
    assert client_for(None).get("/invitations/not-a-token/").status_code == 404


def test_invitation_validity_is_configurable(world, settings):
    from ceds.accounts import services

    settings.CEDS_INVITATION_DAYS = 3
    invitation, _token = services.invite(world["secretariat"], "soon@example.org", region=world.region_a)
    days = (invitation.expires_at - timezone.now()).total_seconds() / 86400
    assert 2.99 < days <= 3


def test_expired_invitation_is_sent_again_with_a_new_link(world, client_for, django_capture_on_commit_callbacks):
    from ceds.accounts import services

    invitation, old_token = services.invite(
        world["a_coordinator"], "late@example.org", city=world.city_a, city_role="viewer"
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    coordinator = client_for(world["a_coordinator"])
    page = coordinator.get(f"/cities/{world.city_a.slug}/invite/").content.decode()
    assert "late@example.org" in page and "expired" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"/cities/{world.city_a.slug}/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    new_token = _link(mail.outbox[-1])
    assert new_token != old_token
    assert client_for(None).get(f"/invitations/{old_token}/").status_code == 404, "the old link no longer works"
    assert client_for(None).get(f"/invitations/{new_token}/").status_code == 200
    assert AuditEvent.objects.filter(action="invitation.resend", city=world.city_a).exists()
    # Another city's coordinator cannot see or resend it.
    other = client_for(world["b_coordinator"]).post(f"/cities/{world.city_a.slug}/invitations/{invitation.pk}/resend/")
    assert other.status_code == 404


def test_existing_user_accepts_a_regional_role_after_signing_in(world, client_for):
    from ceds.accounts import services

    _inv, token = services.invite(world["secretariat"], world["outsider"].email, region=world.region_b)
    response = client_for(world["outsider"]).post(f"/invitations/{token}/")
    assert response.status_code == 302
    assert RegionRole.objects.filter(user=world["outsider"], region=world.region_b).exists()


def test_coordinator_cannot_invite_someone_already_in_the_city(world, client_for):
    response = client_for(world["a_coordinator"]).post(
        f"/cities/{world.city_a.slug}/invite/", {"email": world["a_viewer"].email, "role": "viewer"}
    )
    assert response.status_code == 200
    assert "already has a role" in str(response.context["form"].errors["email"])


def test_secretariat_invites_staff_and_region_is_required_for_regional_role(world, client_for):
    client = client_for(world["secretariat"])
    response = client.post("/invitations/new/", {"email": "office@example.org", "role": "region"})
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    response = client.post("/invitations/new/", {"email": "analyst2@example.org", "role": "analyst"})
    assert response.status_code == 302
    assert Invitation.objects.get(email="analyst2@example.org").secretariat_role == "analyst"


@pytest.mark.parametrize("path", ["/accounts/signup/"])
def test_nobody_signs_up_without_an_invitation(client, db, path):
    client.post(path, {"email": "x@example.org", "password1": PASSWORD})
    assert not User.objects.filter(email="x@example.org").exists()


def test_a_role_granted_or_removed_counts_at_once_in_the_same_request(world):
    from ceds.accounts import roles, services
    from ceds.accounts.models import CityRole

    outsider = world["outsider"]
    assert roles.city_role(outsider, world.city_a) is None  # asked, and remembered for the request
    invitation, _token = services.invite(world["a_coordinator"], outsider.email, city=world.city_a, city_role="viewer")
    services.accept_invitation(invitation, outsider)
    assert roles.city_role(outsider, world.city_a) == "viewer"
    role = CityRole.objects.get(user=outsider, city=world.city_a)
    services.remove_city_role(role.user, role)  # leaving the city themselves
    assert roles.city_role(role.user, world.city_a) is None
    next_request = type(outsider).objects.get(pk=outsider.pk)  # each request loads its own user
    assert roles.city_role(next_request, world.city_a) is None
