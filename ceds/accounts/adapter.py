from allauth.account.adapter import DefaultAccountAdapter

from ceds.accounts import signin


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
