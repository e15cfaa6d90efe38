"""Single sign-on through an organisation's own OpenID Connect provider.

A city or the secretariat may bring its identity provider (configured by environment,
``CEDS_OIDC_PROVIDERS``, or by the secretariat as a social application in the admin). Each
provider belongs to one organisation, named in its settings: ``"organisation": "<city slug>"`` or
``"organisation": "secretariat"``. The rules, in one place:

- the provider must assert a verified e-mail address;
- a provider vouches only for people of its organisation: a city's provider signs in people
  whose every role is in that city, the secretariat's provider people whose every role is a
  secretariat or regional-office role. A city's directory can therefore never sign someone in
  as a secretariat analyst, or as a member of another city, whatever e-mail it asserts;
- signing in this way grants no role by itself: a person without an account needs a pending
  invitation of the provider's organisation, which the sign-in then accepts (the provider has
  verified the address the invitation was sent to);
- the account rules of every sign-in (``signin.may_sign_in``) and the second factor for staff
  apply as to a password sign-in, because the login goes through the same allauth stages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The settings import this module to read CEDS_OIDC_PROVIDERS, before any app is loaded:
# models are therefore imported inside the functions that use them.
SECRETARIAT = "secretariat"


class Refused(Exception):
    """The sign-in is refused; the message says why, for the person signing in."""


@dataclass(frozen=True)
class Organisation:
    """Whom a provider speaks for: the secretariat (city is None) or one city."""

    city: object | None

    @property
    def is_secretariat(self) -> bool:
        return self.city is None


def providers_from_env(raw: str) -> list[dict]:
    """Parse ``CEDS_OIDC_PROVIDERS`` (a JSON list) into allauth's ``APPS`` entries.

    Each entry needs ``id``, ``name``, ``server_url``, ``client_id``, ``secret`` and
    ``organisation``; a missing or extra key stops the process, naming the entry and key.
    """
    if not raw.strip():
        return []
    try:
        entries = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"CEDS_OIDC_PROVIDERS is not valid JSON: {error}") from None
    if not isinstance(entries, list):
        raise ImproperlyConfigured("CEDS_OIDC_PROVIDERS must be a JSON list of providers")
    required = {"id", "name", "server_url", "client_id", "secret", "organisation"}
    apps = []
    for index, entry in enumerate(entries):
        keys = set(entry) if isinstance(entry, dict) else set()
        if missing := sorted(required - keys):
            raise ImproperlyConfigured(f"CEDS_OIDC_PROVIDERS[{index}] lacks {', '.join(missing)}")
        if extra := sorted(keys - required):
            raise ImproperlyConfigured(f"CEDS_OIDC_PROVIDERS[{index}] has unknown keys {', '.join(extra)}")
        apps.append(
            {
                "provider_id": entry["id"],
                "name": entry["name"],
                "client_id": entry["client_id"],
                "secret": entry["secret"],
                "settings": {
                    "server_url": entry["server_url"],
                    "organisation": entry["organisation"],
                },
            }
        )
    return apps


def organisation_of(app) -> Organisation:
    """The organisation a social application speaks for; refused when it names none we know."""
    from ceds.cities.models import City

    code = str((app.settings or {}).get("organisation", "")).strip()
    if code == SECRETARIAT:
        return Organisation(city=None)
    city = City.objects.filter(slug=code).first() if code else None
    if city is None:
        raise Refused(_("This sign-in service is not linked to an organisation on CeDS. Please tell the secretariat."))
    return Organisation(city=city)


def verified_email(sociallogin) -> str:
    """The e-mail address the provider vouches for, or a refusal."""
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email.strip().lower()
    raise Refused(_("Your organisation's sign-in did not confirm your e-mail address, so CeDS cannot sign you in."))


def pending_invitations(email: str, organisation: Organisation):
    from ceds.accounts.models import Invitation

    invitations = Invitation.objects.pending().filter(email__iexact=email)
    if organisation.is_secretariat:
        return invitations.filter(kind__in=[Invitation.Kind.SECRETARIAT, Invitation.Kind.REGION])
    return invitations.filter(kind=Invitation.Kind.CITY, city=organisation.city)


def _roles_outside(user, organisation: Organisation) -> bool:
    """Whether the user holds any role the organisation's provider cannot vouch for."""
    if organisation.is_secretariat:
        return user.city_roles.exists()
    return bool(user.secretariat_role or user.is_superuser or user.region_roles.exists()) or (
        user.city_roles.filter(~Q(city=organisation.city)).exists()
    )


def _roles_inside(user, organisation: Organisation) -> bool:
    if organisation.is_secretariat:
        return bool(user.secretariat_role) or user.region_roles.exists()
    return user.city_roles.filter(city=organisation.city).exists()


def check_existing_user(user, email: str, organisation: Organisation) -> None:
    """Refuse a provider speaking for a person outside its organisation."""
    if _roles_outside(user, organisation):
        raise Refused(
            _(
                "Your account holds roles outside the organisation of this sign-in service. "
                "Please sign in with your password."
            )
        )
    if not _roles_inside(user, organisation) and not pending_invitations(email, organisation).exists():
        raise Refused(_("You hold no role in this organisation on CeDS. Ask your coordinator for an invitation."))


def accept_invitations(user, email: str, organisation: Organisation) -> None:
    """Accept the person's pending invitations of the provider's organisation."""
    from ceds.accounts import services

    for invitation in pending_invitations(email, organisation):
        services.accept_invitation(invitation, user)


def provider_origins(apps) -> list[str]:
    """The origins sign-in forms may send people to (the CSP's form-action)."""
    origins = []
    for app in apps:
        parts = urlsplit(str((app.settings or {}).get("server_url", "")))
        if parts.scheme in {"http", "https"} and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))
