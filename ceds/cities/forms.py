from django import forms
from django.utils.translation import gettext_lazy as _

from ceds.cities.models import (
    DEFAULT_NEW_PROJECTS_SHARE,
    SERVICE_DOMAINS,
    BudgetYear,
    City,
    CityProfile,
    Membership,
    NationalPlatform,
)
from ceds.cities.timezones import zone_names


class CityProfileForm(forms.ModelForm):
    national_platforms = forms.MultipleChoiceField(
        label=_("National platforms serving the city"),
        choices=NationalPlatform.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shared systems the national government runs and the city may use instead of building its own."),
    )

    new_projects_share = forms.IntegerField(
        label=_("Share of the e-government budget and ICT staff available for new projects (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_(
            "The roadmap's default budget and staff: this share of the latest planned budget and of the ICT staff."
        ),
    )

    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[("", "—"), *((name, name) for name in zone_names())],
        required=False,
        help_text=_("Due dates end at midnight in this zone, and reminders follow it."),
    )

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        if city is not None:
            self.fields["timezone"].initial = city.timezone

    def clean_timezone(self):
        # Left out (an older client, a form without the field): the city keeps its zone.
        return self.cleaned_data.get("timezone") or (self.city.timezone if self.city else "UTC")

    def profile_data(self) -> dict:
        """What update_profile() takes: the profile's fields and the city's time zone."""
        return {field: self.cleaned_data[field] for field in (*CityProfile.EDITABLE_FIELDS, "timezone")}

    def clean_new_projects_share(self):
        # Left empty: the share already stored, or 30 % for a new profile.
        value = self.cleaned_data.get("new_projects_share")
        if value is None:
            return self.instance.new_projects_share if self.instance.pk else DEFAULT_NEW_PROJECTS_SHARE
        return value

    class Meta:
        model = CityProfile
        fields = list(CityProfile.EDITABLE_FIELDS)


class BudgetYearForm(forms.ModelForm):
    class Meta:
        model = BudgetYear
        fields = ["year", "currency", "planned", "actual"] + [
            f"{kind}_{code}" for code, _label in SERVICE_DOMAINS for kind in ("planned", "actual")
        ]

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        if self.instance.pk:
            self.fields["year"].disabled = True

    def clean_currency(self):
        currency = self.cleaned_data["currency"].upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use a three-letter ISO 4217 code such as USD, KRW or EUR."))
        return currency

    def clean_year(self):
        year = self.cleaned_data["year"]
        exists = BudgetYear.objects.filter(city=self.city, year=year).exclude(pk=self.instance.pk).exists()
        if exists:
            raise forms.ValidationError(
                _("This city already has a budget for %(year)s; edit that one.") % {"year": year}
            )
        return year

    def clean(self):
        data = super().clean()
        for kind, label in (("planned", _("planned budget")), ("actual", _("actual spending"))):
            total = data.get(kind)
            parts = [data.get(f"{kind}_{code}") for code, _l in SERVICE_DOMAINS]
            given = [p for p in parts if p is not None]
            if given and total is not None and sum(given) > total:
                self.add_error(
                    f"{kind}_{SERVICE_DOMAINS[0][0]}",
                    _("The domain split of the %(label)s adds up to more than its total.") % {"label": label},
                )
            if given and total is None:
                self.add_error(kind, _("Give the total before splitting it by domain."))
        return data


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["kind", "status", "since", "partner_assessments_enabled"]


class CityForm(forms.ModelForm):
    """A new city. The gazetteer search fills the place fields; they can still be corrected."""

    portal_url = forms.URLField(label=_("Official portal"), required=False, assume_scheme="https")
    membership_kind = forms.ChoiceField(label=_("Membership"), choices=Membership.Kind.choices)
    membership_since = forms.IntegerField(label=_("Member since"), required=False, min_value=2010, max_value=2100)

    class Meta:
        model = City
        fields = [
            "name",
            "slug",
            "kind",
            "country",
            "region",
            "latitude",
            "longitude",
            "population",
            "population_source",
            "timezone",
            "portal_url",
            "geonameid",
        ]
