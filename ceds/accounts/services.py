"""Invitations and roles. Atomic, audit-logged, called alike by pages and commands."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ceds.accounts import roles
from ceds.accounts.models import CityRole, Invitation, RegionRole, User
from ceds.core import audit


@transaction.atomic
def invite(actor, email: str, *, city=None, city_role="", region=None, secretariat_role="") -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link. Returns the invitation and the one-time token."""
    if city is not None:
        kind = Invitation.Kind.CITY
    elif region is not None:
        kind = Invitation.Kind.REGION
    else:
        kind = Invitation.Kind.SECRETARIAT
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email.lower(),
        kind=kind,
        city=city,
        city_role=city_role,
        region=region,
        secretariat_role=secretariat_role,
        token_hash=token_hash,
        invited_by=actor,
        expires_at=Invitation.default_expiry(),
    )
    audit.record(
        actor,
        "invitation.create",
        invitation,
        {"email": [None, invitation.email], "role": [None, invitation.describe()]},
        city,
    )
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "link": link, "inviter": actor}
    transaction.on_commit(
        lambda: send_mail(
            subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
            message=render_to_string("accounts/email/invitation.txt", context),
            html_message=render_to_string("accounts/email/invitation.html", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    )
    return invitation, token


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> None:
    """Give the invited role to the user and close the invitation."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        return
    if invitation.kind == Invitation.Kind.CITY:
        CityRole.objects.update_or_create(user=user, city=invitation.city, defaults={"role": invitation.city_role})
        roles.forget_city_roles(user)
    elif invitation.kind == Invitation.Kind.REGION:
        RegionRole.objects.get_or_create(user=user, region=invitation.region)
    else:
        user.secretariat_role = invitation.secretariat_role
        user.is_staff = True
        user.save(update_fields=["secretariat_role", "is_staff"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(user, "invitation.accept", invitation, {"role": [None, invitation.describe()]}, invitation.city)


@transaction.atomic
def create_invited_user(invitation: Invitation, first_name: str, last_name: str, password: str) -> User:
    user = User.objects.create_user(invitation.email, password, first_name=first_name, last_name=last_name)
    accept_invitation(invitation, user)
    return user


@transaction.atomic
def remove_city_role(actor, role: CityRole) -> None:
    audit.record(actor, "role.remove", role, {"role": [role.get_role_display(), None]}, role.city)
    role.delete()
    roles.forget_city_roles(actor, role.user)


@transaction.atomic
def set_language(user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
