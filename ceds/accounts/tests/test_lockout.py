"""Login throttling through the real allauth form: per account (5), per address (50)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from ceds.accounts.models import User
from conftest import PASSWORD

NAT = "203.0.113.7"  # a city hall's one public address


def _login(email, password, address=NAT):
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"login": email, "password": password})


def _fail(email, times, address=NAT):
    """Wrong passwords; the one that reaches a limit is answered with the lockout page."""
    for _ in range(times):
        assert _login(email, "wrong-password", address).status_code in (200, 429)


def test_failures_are_recorded_against_the_account(world):
    _fail(world["a_viewer"].email.upper(), 1)
    attempt = AccessAttempt.objects.get()
    assert attempt.username == world["a_viewer"].email and attempt.ip_address == NAT


def test_five_failures_lock_the_account_even_with_the_right_password(world):
    _fail(world["a_viewer"].email, 4)
    assert _login(world["a_viewer"].email, PASSWORD).status_code == 302, "four failures do not lock"
    _fail(world["a_viewer"].email, 5)
    assert _login(world["a_viewer"].email, PASSWORD).status_code == 429
    # From another address too: the lock is the account's.
    assert _login(world["a_viewer"].email, PASSWORD, address="198.51.100.9").status_code == 429


def test_one_users_failures_do_not_lock_colleagues_behind_the_same_address(world):
    _fail(world["a_viewer"].email, 6)
    assert _login(world["a_viewer"].email, PASSWORD).status_code == 429
    assert _login(world["a_coordinator"].email, PASSWORD).status_code == 302
    # The colleague's successful sign-in does not lift the first account's lock.
    assert _login(world["a_viewer"].email, PASSWORD).status_code == 429


def test_the_lock_lifts_after_the_cool_off(world):
    _fail(world["a_viewer"].email, 5)
    assert _login(world["a_viewer"].email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1, minutes=1))
    assert _login(world["a_viewer"].email, PASSWORD).status_code == 302


def test_fifty_failures_from_one_address_lock_the_address(world):
    # Password spraying: a few guesses at many accounts, never five at one.
    sprayed = [f"person{n}@example.org" for n in range(25)]
    for email in sprayed[:24]:
        _fail(email, 2)
    _fail(sprayed[24], 1)
    assert _login(world["a_coordinator"].email, PASSWORD).status_code == 302, "49 failures: still open"
    _fail(sprayed[24], 1)
    assert _login(world["a_contributor"].email, PASSWORD).status_code == 429
    assert _login(world["a_contributor"].email, PASSWORD, address="198.51.100.9").status_code == 302
    assert not User.objects.filter(email__in=sprayed).exists()
