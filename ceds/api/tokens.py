"""Creating, revoking and checking personal API tokens."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ceds.api.models import ApiToken, token_digest
from ceds.core import audit

PREFIX = "ceds_"
# A forgotten token stops working by itself; scripts that run for years renew it yearly.
LIFETIMES = (30, 90, 365)
# A user rarely needs more; the cap keeps forgotten tokens from piling up.
MAX_ACTIVE_TOKENS = 10


@transaction.atomic
def create_token(user, name: str, days: int = 365) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and cannot be shown again."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

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
    """(user, token) for an unexpired, unrevoked token of an active user; None otherwise."""
    if not secret.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    # Record use at most once a minute: a busy script should not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
