"""The account rules every way of signing in applies: the web login and API tokens alike.

- the account is active;
- a demo account works only while DEBUG is on;
- where ``CEDS_REQUIRE_MFA_FOR_STAFF`` is on, secretariat and regional staff (they read many
  cities' drafts) have TOTP set up, and prove it: on the web by the code at sign-in, through
  the API by a token created within a session that passed the code.
"""

from django.conf import settings

from ceds.accounts.roles import needs_two_factor


def may_sign_in(user) -> bool:
    """Active, and not a demo account unless DEBUG is on."""
    if not getattr(user, "is_active", False):
        return False
    return settings.DEBUG or not getattr(user, "is_demo", False)


def two_factor_required(user) -> bool:
    return bool(settings.CEDS_REQUIRE_MFA_FOR_STAFF and needs_two_factor(user))


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_two_factor(request) -> bool:
    """Whether this session's sign-in (or a re-authentication in it) used a second factor."""
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))
