"""E-government modules and best practices, loaded from content/ by load_content."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceds.core.i18n import localized


class Module(models.Model):
    code = models.SlugField(_("id"), max_length=80, unique=True)
    title = models.JSONField()
    cost_band = models.CharField(max_length=16)
    duration_months = models.PositiveSmallIntegerField()
    data = models.JSONField(help_text=_("The module as written in content/"))
    prerequisites = models.ManyToManyField("self", symmetrical=False, related_name="enables", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return localized(self.title)


class Practice(models.Model):
    code = models.SlugField(_("id"), max_length=80, unique=True)
    title = models.JSONField()
    city_name = models.CharField(max_length=120)
    country = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    data = models.JSONField()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")

    def __str__(self) -> str:
        return localized(self.title)
