"""Creating, revoking and checking personal API tokens."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ceds.api.models import ApiToken, token_digest
from ceds.core import audit

PREFIX = "ceds_"
# A user rarely needs more; the cap keeps forgotten tokens from piling up.
MAX_ACTIVE_TOKENS = 10


@transaction.atomic
def create_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and cannot be shown again."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    name = name.strip()[:80]
    if not name:
        raise ValidationError({"name": _("Name the token, e.g. 'open data sync'.")})
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError({"name": _("You have %(n)s active tokens; revoke one first.") % {"n": MAX_ACTIVE_TOKENS}})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[: len(PREFIX) + 6], digest=token_digest(secret))
    audit.record(user, "token.create", token, {"name": [None, name]})
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
    """(user, token) for an active token of an active user; None otherwise."""
    if not secret.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute: a busy script should not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
