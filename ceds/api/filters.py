"""List filters that refuse what they do not know: an unknown value, an empty one or one of
the wrong type is a 400 naming the filter, never a silently empty (or unfiltered) list."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters

from ceds.assessments.models import Assessment
from ceds.assessments.services import PERIOD_PATTERN
from ceds.cities.models import City, Country, Region
from ceds.frameworks.models import FrameworkVersion
from ceds.indices.models import ReferenceValue
from ceds.solutions.models import Practice


class KnownValueFilter(filters.CharFilter):
    """A code that must exist; `known(value)` says whether it does (one query, only when used)."""

    def __init__(self, *args, known, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known


class YearFilter(filters.Filter):
    field_class = forms.IntegerField


class StrictFilterSet(filters.FilterSet):
    def is_valid(self):
        super().is_valid()
        for name, declared in self.filters.items():
            raw = self.data.get(name)
            if raw is None or name in self.form.errors:
                continue
            value = self.form.cleaned_data.get(name)
            if not str(raw).strip():
                self.form.add_error(name, _("Give a value, or leave the parameter out."))
            elif isinstance(declared, KnownValueFilter) and not declared.known(value):
                # Params, not a formatted message: django-filter formats it again, and a raw
                # value may hold a "%" (a 500 once, found by schemathesis).
                error = forms.ValidationError(_("Unknown value: %(value)s."), params={"value": raw})
                self.form.add_error(name, error)
        return not self.form.errors


def _exists(model, field):
    # An existence check, not the list of every value: it costs the same at 10 or 10,000 cities.
    return lambda value: model.objects.filter(**{field: value}).exists()


class CityFilter(StrictFilterSet):
    region = KnownValueFilter(
        field_name="region__code", known=_exists(Region, "code"), help_text="Region code, e.g. asia_pacific"
    )
    country = KnownValueFilter(
        field_name="country_id", known=_exists(Country, "code"), help_text="ISO 3166-1 alpha-2, e.g. KR"
    )
    kind = filters.ChoiceFilter(choices=City.Kind.choices)

    class Meta:
        model = City
        fields = ["region", "country", "kind"]


class AssessmentFilter(StrictFilterSet):
    city = KnownValueFilter(field_name="city__slug", known=_exists(City, "slug"), help_text="City short name")
    region = KnownValueFilter(field_name="city__region__code", known=_exists(Region, "code"), help_text="Region code")
    period = filters.CharFilter(
        validators=[
            RegexValidator(
                rf"^{PERIOD_PATTERN}$", _lazy("A year from 2000 to 2099, optionally -H1, -H2 or -Q1 to -Q4.")
            )
        ],
        help_text="e.g. 2026 or 2026-H1",
    )
    framework = KnownValueFilter(
        field_name="framework_version__framework_id",
        known=_exists(FrameworkVersion, "framework_id"),
        help_text="e.g. ceds",
    )
    status = filters.ChoiceFilter(choices=Assessment.Status.choices)

    class Meta:
        model = Assessment
        fields = ["city", "region", "period", "framework", "status"]


class PracticeFilter(StrictFilterSet):
    country = KnownValueFilter(known=_exists(Country, "code"), help_text="ISO 3166-1 alpha-2")
    year = YearFilter(min_value=1900, max_value=2100)
    origin = filters.ChoiceFilter(choices=Practice.Origin.choices)

    class Meta:
        model = Practice
        fields = ["country", "year", "origin"]


class IndexValueFilter(StrictFilterSet):
    country = KnownValueFilter(field_name="country_id", known=_exists(Country, "code"), help_text="ISO 3166-1 alpha-2")

    class Meta:
        model = ReferenceValue
        fields = ["country"]
