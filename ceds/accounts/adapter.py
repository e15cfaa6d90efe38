from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.shortcuts import render
from django.utils.translation import gettext as _

from ceds.accounts import signin, sso
from ceds.accounts.models import User


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by accepting an invitation, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def pre_login(self, request, user, **kwargs):
        # allauth logs in a user whose password matched even when a backend refused them
        # (to show "account inactive"); demo accounts must stay out unless DEBUG is on.
        if not signin.may_sign_in(user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)


class OrganisationSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-in through an organisation's OpenID Connect provider, under the rules of ``sso``."""

    def pre_social_login(self, request, sociallogin):
        try:
            organisation = sso.organisation_of(sociallogin.account.get_provider(request).app)
            email = sso.verified_email(sociallogin)
            if sociallogin.state.get("process") == AuthProcess.CONNECT:
                user = request.user
            elif sociallogin.is_existing:
                user = sociallogin.user
            else:
                user = User.objects.filter(email__iexact=email).first()
            if user is None:
                # A new person: allowed only with an invitation of this organisation (is_open_for_signup).
                if not sso.pending_invitations(email, organisation).exists():
                    raise sso.Refused(
                        _("You hold no role in this organisation on CeDS. Ask your coordinator for an invitation.")
                    )
                return
            sso.check_existing_user(user, email, organisation)
        except sso.Refused as refusal:
            raise ImmediateHttpResponse(
                render(request, "accounts/sso_refused.html", {"reason": str(refusal)}, status=403)
            ) from None
        sso.accept_invitations(user, email, organisation)
        if not sociallogin.is_existing and sociallogin.state.get("process") != AuthProcess.CONNECT:
            # Our own e-mail match, instead of allauth's e-mail authentication: that one would
            # wipe the password of an account whose address allauth has not itself verified.
            sociallogin.connect(request, user)

    def is_open_for_signup(self, request, sociallogin):
        organisation = sso.organisation_of(sociallogin.account.get_provider(request).app)
        return sso.pending_invitations(sso.verified_email(sociallogin), organisation).exists()

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        organisation = sso.organisation_of(sociallogin.account.get_provider(request).app)
        sso.accept_invitations(user, sso.verified_email(sociallogin), organisation)
        return user
