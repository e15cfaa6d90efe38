"""Country-level reference indices (e.g. the UN EGDI), imported from their published files.

They give a city's results their national context; CeDS ships no copy of them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceIndex(models.Model):
    code = models.SlugField(_("code"), max_length=20, help_text=_("e.g. egdi"))
    year = models.PositiveSmallIntegerField(_("edition year"))
    name = models.CharField(_("name"), max_length=120)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Publisher and address of the file"))
    components = models.JSONField(default=list, help_text=_("The value columns, in file order"))
    # How many countries the edition covers ("rank 12 of 193"), counted when it is imported.
    countries = models.PositiveSmallIntegerField(_("countries"), default=0, editable=False)
    imported_at = models.DateTimeField(auto_now=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["code", "-year"]
        verbose_name = _("reference index")
        verbose_name_plural = _("reference indices")
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="reference_index_edition_unique")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class ReferenceValue(models.Model):
    index = models.ForeignKey(ReferenceIndex, on_delete=models.CASCADE, related_name="values")
    country = models.ForeignKey("cities.Country", on_delete=models.CASCADE, related_name="reference_values")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    values = models.JSONField(help_text=_("{component: value}, e.g. {'egdi': 0.95, 'osi': 0.97}"))

    class Meta:
        ordering = ["index", "rank", "country"]
        constraints = [models.UniqueConstraint(fields=["index", "country"], name="reference_value_one_per_country")]

    def __str__(self) -> str:
        return f"{self.index} {self.country_id}"
