"""Reference indices (e.g. the UN EGDI for countries, the UN LOSI for cities), imported from
their published files.

They give a city's results their national (and local) context; CeDS ships no copy of them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceds.indices.layouts import component_name, index_name


class ReferenceIndex(models.Model):
    class Scope(models.TextChoices):
        COUNTRY = "country", _("Countries")
        CITY = "city", _("Cities")

    code = models.SlugField(_("code"), max_length=20, help_text=_("e.g. egdi"))
    year = models.PositiveSmallIntegerField(_("edition year"))
    # Empty: the index's published name (ceds/indices/layouts.py), shown in the reader's language.
    name = models.CharField(_("name"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Publisher and address of the file"))
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.COUNTRY)
    components = models.JSONField(default=list, help_text=_("The component codes, in file order"))
    # Which column of the imported file became what: [[header, role], ...] (ceds/indices/layouts.py).
    columns = models.JSONField(default=list, blank=True, editable=False)
    # How many countries (or, for a city-level index, cities) the edition ranks ("12 of 193"),
    # counted when it is imported.
    countries = models.PositiveSmallIntegerField(_("entries"), default=0, editable=False)
    imported_at = models.DateTimeField(auto_now=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["code", "-year"]
        verbose_name = _("reference index")
        verbose_name_plural = _("reference indices")
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="reference_index_edition_unique")]

    def __str__(self) -> str:
        # The code, not a name: the audit log keeps this text, and a code reads the same in every language.
        return f"{self.code.upper()} {self.year}"

    @property
    def display_name(self) -> str:
        return index_name(self.code, self.name)

    @property
    def component_names(self) -> list[str]:
        return [component_name(c) for c in self.components]


class ReferenceValue(models.Model):
    index = models.ForeignKey(ReferenceIndex, on_delete=models.CASCADE, related_name="values")
    country = models.ForeignKey("cities.Country", on_delete=models.CASCADE, related_name="reference_values")
    # The country's name as this edition wrote it ("The former Yugoslav Republic of Macedonia").
    published_name = models.CharField(max_length=120, blank=True)
    # A city-level index: the city as published and the gazetteer place it was matched to (a
    # GeoNames id, not a key: the gazetteer is reloaded), so a city that is not a member yet
    # is matched the day it joins. Both empty for a country-level index.
    city = models.CharField(max_length=120, blank=True)
    geonameid = models.PositiveIntegerField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.CharField(
        max_length=40, blank=True, help_text=_("The group the publisher puts it in, e.g. Very high")
    )
    values = models.JSONField(help_text=_("{component: value}, e.g. {'egdi': 0.95, 'osi': 0.97}"))

    class Meta:
        ordering = ["index", "rank", "country"]
        constraints = [
            # city is "" for a country-level index: one row per country; per city otherwise.
            models.UniqueConstraint(fields=["index", "country", "city"], name="reference_value_one_per_entry"),
            models.UniqueConstraint(
                fields=["index", "geonameid"],
                condition=models.Q(geonameid__isnull=False),
                name="reference_value_one_per_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.index} {self.city or self.country_id}"
