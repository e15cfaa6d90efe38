"""Personal API tokens and the open-data licence."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def token_digest(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (as for GitHub's tokens);
    # a slow password hash would only slow every API call.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A token a user creates for scripts; only its digest is stored, the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80, help_text=_("What the token is for, e.g. 'open data sync'"))
    prefix = models.CharField(max_length=12, unique=True, help_text=_("The token's public start, to recognise it"))
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    second_factor = models.BooleanField(
        _("created after a second factor"),
        default=False,
        help_text=_("Created in a session that passed TOTP; staff who must use TOTP need such a token"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class OpenDataLicence(models.Model):
    """The licence under which named-shared results are published (one row, set by the secretariat)."""

    class Licence(models.TextChoices):
        CC_BY = "CC-BY-4.0", "Creative Commons Attribution 4.0"
        CC_BY_SA = "CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0"
        CC0 = "CC0-1.0", "Creative Commons Zero 1.0 (public domain dedication)"
        ODBL = "ODbL-1.0", "Open Database License 1.0"

    licence = models.CharField(_("licence"), max_length=16, choices=Licence.choices, default=Licence.CC_BY)
    attribution = models.CharField(
        _("attribution"),
        max_length=200,
        default="WeGO CeDS — City e-Government Diagnostic & Solution",
        help_text=_("How users of the data should credit it"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("open-data licence")

    def __str__(self) -> str:
        return self.licence

    @classmethod
    def current(cls) -> "OpenDataLicence":
        return cls.objects.order_by("pk").first() or cls()
