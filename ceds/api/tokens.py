"""Creating, revoking and checking personal API tokens."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceds.accounts import signin
from ceds.api.models import ApiToken, token_digest
from ceds.core import audit

PREFIX = "ceds_"
# A forgotten token stops working by itself; scripts that run for years renew it yearly.
LIFETIMES = (30, 90, 365)
# A user rarely needs more; the cap keeps forgotten tokens from piling up.
MAX_ACTIVE_TOKENS = 10


@transaction.atomic
def create_token(user, name: str, days: int = 365, *, second_factor: bool = False) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and cannot be shown again.

    ``second_factor``: the session creating it passed TOTP. Staff who must use TOTP get a
    token only then, so the token carries that proof (until it expires or is revoked).
    """
    if signin.two_factor_required(user) and not (second_factor and signin.has_totp(user)):
        raise ValidationError(
            _("Your role requires two-factor sign-in: sign in with your authenticator code, then create the token.")
        )
    name = name.strip()[:80]
    if not name:
        raise ValidationError({"name": _("Name the token, e.g. 'open data sync'.")})
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError({"name": _("You have %(n)s active tokens; revoke one first.") % {"n": MAX_ACTIVE_TOKENS}})
    secret = PREFIX + secrets.token_urlsafe(32)
    if days not in LIFETIMES:
        raise ValidationError({"days": _("Choose 30, 90 or 365 days.")})
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(PREFIX) + 6],
        digest=token_digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
        second_factor=second_factor,
    )
    audit.record(user, "token.create", token, {"name": [None, name], "days": [None, days]})
    return token, secret


@transaction.atomic
def revoke_token(user, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(user, "token.revoke", token, {"revoked": [False, True]})


def user_for(secret: str) -> tuple[object, ApiToken] | None:
    """(user, token) for an unexpired, unrevoked token its account may use now; None otherwise.

    Raises AccountRefused when the token is good but the account's sign-in rules refuse it.
    """
    if not secret.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret), revoked_at__isnull=True).first()
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    reason = refusal(token.user, token)
    if reason is not None:
        raise AccountRefused(reason)
    # Record use at most once a minute: a busy script should not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


class AccountRefused(Exception):
    """A valid token whose account the sign-in rules refuse (inactive, demo, TOTP missing)."""


def refusal(user, token: ApiToken) -> str | None:
    """Why this account may not use the token now (the web's sign-in rules), or None."""
    if not signin.may_sign_in(user):
        return _("This account cannot sign in.")
    if signin.two_factor_required(user) and not (token.second_factor and signin.has_totp(user)):
        return _("Your role requires two-factor sign-in: set up TOTP, sign in with your code and create a new token.")
    return None
