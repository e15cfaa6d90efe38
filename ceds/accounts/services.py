"""Invitations and roles. Atomic, audit-logged, called alike by pages and commands."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ceds.accounts import roles
from ceds.accounts.models import CityRole, Invitation, RegionRole, User
from ceds.core import audit
from ceds.core.notify import notify


@transaction.atomic
def invite(
    actor,
    email: str,
    *,
    city=None,
    city_role="",
    region=None,
    secretariat_role="",
    hand_over_from=None,
    hand_over_keep_as="",
) -> tuple[Invitation, str]:
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
        hand_over_from=hand_over_from,
        hand_over_keep_as=hand_over_keep_as,
    )
    audit.record(
        actor,
        "invitation.create",
        invitation,
        {"email": [None, invitation.email], "role": [None, invitation.describe()]},
        city,
    )
    _send_invitation(invitation, token, actor)
    return invitation, token


def _send_invitation(invitation: Invitation, token: str, actor) -> None:
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


@transaction.atomic
def resend_invitation(actor, invitation: Invitation) -> tuple[Invitation, str]:
    """Send a pending or expired invitation again: a new link, valid for the full period again.

    The old link stops working (its token is replaced), so only the newest e-mail can be used.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked:
        raise ValidationError(_("This invitation was already accepted or withdrawn."), code="invitation_closed")
    token, invitation.token_hash = Invitation.new_token()
    before = invitation.expires_at
    invitation.expires_at = Invitation.default_expiry()
    invitation.invited_by = invitation.invited_by or actor
    invitation.save(update_fields=["token_hash", "expires_at", "invited_by"])
    audit.record(
        actor,
        "invitation.resend",
        invitation,
        {
            "email": [invitation.email, invitation.email],
            "expires_at": [before.isoformat(), invitation.expires_at.isoformat()],
        },
        invitation.city,
    )
    _send_invitation(invitation, token, actor)
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
        if invitation.hand_over_from is not None and invitation.hand_over_from != user:
            _step_down(invitation.hand_over_from, invitation.city, invitation.hand_over_keep_as, user)
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


HAND_OVER_KEEP_CHOICES = (CityRole.Role.CONTRIBUTOR, CityRole.Role.VIEWER, "")


@transaction.atomic
def hand_over(actor, city, *, colleague: User | None = None, email: str = "", keep_as: str = CityRole.Role.CONTRIBUTOR):
    """The coordinator role passes to a colleague of the city, or to someone invited by e-mail.

    An existing colleague becomes coordinator at once and the actor steps down to `keep_as`
    (contributor, viewer, or "" to leave the city). Someone invited becomes coordinator when they
    accept; the actor stays coordinator until then. A secretariat admin may appoint a coordinator
    the same way (a city left without one): they have no city role to step down from.
    Returns the new coordinator's role, or the invitation.
    """
    if not roles.can_manage_city(actor, city):
        raise PermissionDenied
    if keep_as not in HAND_OVER_KEEP_CHOICES:
        raise ValidationError(_("Choose contributor, viewer or leaving the city."), code="keep_as")
    if (colleague is None) == (not email):
        raise ValidationError(_("Choose a colleague or give an e-mail address, not both."), code="colleague")
    stepping_down = actor if roles.city_role(actor, city) == CityRole.Role.COORDINATOR else None
    if email:
        email = email.strip().lower()
        if CityRole.objects.filter(city=city, user__email=email).exists():
            raise ValidationError(
                _("This person already has a role in this city: choose them in the list."), code="email"
            )
        invitation, _token = invite(
            actor,
            email,
            city=city,
            city_role=CityRole.Role.COORDINATOR,
            hand_over_from=stepping_down,
            hand_over_keep_as=keep_as,
        )
        audit.record(actor, "role.hand_over", city, {"coordinator": [str(actor), email], "pending": [None, True]}, city)
        return invitation
    assert colleague is not None
    if colleague == actor:
        raise ValidationError(_("Choose a colleague other than yourself."), code="colleague")
    role = CityRole.objects.select_for_update().filter(city=city, user=colleague).first()
    if role is None:
        raise ValidationError(_("Only a member of the city can take over; invite anyone else."), code="colleague")
    before = role.role
    role.role = CityRole.Role.COORDINATOR
    role.save(update_fields=["role"])
    roles.forget_city_roles(colleague)
    audit.record(
        actor, "role.hand_over", role, {"coordinator": [str(actor), str(colleague)], "role": [before, role.role]}, city
    )
    if stepping_down is not None:
        _step_down(stepping_down, city, keep_as, colleague)
    notify("handed_over", {"city": city, "actor": actor}, [colleague])
    return role


def _step_down(user: User, city, keep_as: str, successor: User) -> None:
    role = CityRole.objects.select_for_update().filter(city=city, user=user).first()
    if role is None or role.role != CityRole.Role.COORDINATOR:
        return  # no longer the coordinator: nothing to hand over
    if keep_as:
        role.role = keep_as
        role.save(update_fields=["role"])
        audit.record(successor, "role.step_down", role, {"role": [CityRole.Role.COORDINATOR, keep_as]}, city)
    else:
        audit.record(successor, "role.step_down", role, {"role": [CityRole.Role.COORDINATOR, None]}, city)
        role.delete()
    roles.forget_city_roles(user)


@transaction.atomic
def set_language(user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
