from allauth.socialaccount.adapter import get_adapter
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from ceds.accounts import signin
from ceds.accounts.sso import provider_origins

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


class SignInProviderFormActionMiddleware:
    """Let the sign-in forms send people on to their organisation's identity provider.

    The CSP's form-action also governs the redirect that follows a form's POST, so the page
    with a provider's button must name the provider's origin (taken from its server URL).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(("/accounts/login/", "/accounts/oidc/", "/accounts/3rdparty/")):
            origins = provider_origins(get_adapter().list_apps(request, provider="openid_connect"))
            if origins:
                response._csp_update = {"form-action": origins}
        return response
