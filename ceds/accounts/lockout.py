"""Login throttling on django-axes: a lock per account, and a looser one per address.

Five wrong passwords lock that account (from anywhere) for the cool-off, even against
its right password; fifty failures from one address within the cool-off (password
spraying: a few tries at many accounts) lock that address. One person's typos therefore
never lock out their colleagues behind the same city-hall NAT.

Axes compares one number with one limit (``AXES_FAILURE_LIMIT``), so the handler reports
the failures of whichever limit has the least headroom, counted in account units.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings


def username_from(request, credentials) -> str | None:
    """The e-mail being tried, the same whichever way it reaches axes (AXES_USERNAME_CALLABLE).

    allauth authenticates with ``email=``, its form posts ``login``, and axes' own success
    handler passes ``AXES_USERNAME_FORM_FIELD``; e-mails are stored lower-case.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get(settings.AXES_USERNAME_FORM_FIELD)
        value = value or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "POST", None) or {}
        value = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if not value or not isinstance(value, str):
        return None
    return value.strip().lower() or None


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Needs ``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]`` (in that order)."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            sum(attempts.values_list("failures_since_start", flat=True))
            for attempts in self.get_user_attempts(request, credentials)
        )
        if get_client_username(request, credentials) is None:
            by_account = 0  # no account named: only the address counts
        account_limit = settings.AXES_FAILURE_LIMIT
        headroom = min(account_limit - by_account, settings.CEDS_ADDRESS_FAILURE_LIMIT - by_address)
        return account_limit - headroom

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that account's failures only, not the address's.

        Axes would clear every record of the address too, so one colleague's sign-in would
        lift another's lock and a sprayer with one valid account could reset the count.
        """
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
