from allauth.account.auth_backends import AuthenticationBackend

from ceds.accounts import signin


class CedsAuthenticationBackend(AuthenticationBackend):
    """allauth's e-mail backend, refusing demo accounts unless DEBUG is on."""

    def user_can_authenticate(self, user):
        return signin.may_sign_in(user) and super().user_can_authenticate(user)
