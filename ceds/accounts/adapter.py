from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by accepting an invitation, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False
