from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from ceds.accounts import signin

# Paths a user without TOTP may still reach: setting it up, signing out, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")


class RequireTwoFactorMiddleware:
    """Send secretariat and regional staff to TOTP set-up until they have it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and signin.two_factor_required(user)
            and not signin.has_totp(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
