from django import forms
from django.utils.translation import gettext_lazy as _

from ceds.solutions.models import Action


class ActionForm(forms.ModelForm):
    linked = forms.CharField(
        label=_("Linked items"), required=False, help_text=_("Item codes separated by commas, e.g. GM-03, PS-05.")
    )

    class Meta:
        model = Action
        fields = ["title", "owner", "due_date", "status", "note"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, item_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_codes = set(item_codes)
        if self.instance.pk:
            self.fields["linked"].initial = ", ".join(self.instance.linked_items)

    def clean_linked(self):
        codes = [c.strip().upper() for c in self.cleaned_data["linked"].split(",") if c.strip()]
        unknown = [c for c in codes if c not in self.item_codes]
        if unknown:
            raise forms.ValidationError(_("Not items of this framework: %(codes)s") % {"codes": ", ".join(unknown)})
        return codes


CATEGORIES = [
    ("services", _("Services")),
    ("efficiency", _("Efficiency")),
    ("open_city", _("Open City")),
    ("urban_management", _("Urban Management")),
    ("digital_divide", _("Digital Divide")),
]
SECTIONS = [
    ("GM", _("Governance Mechanism")),
    ("PI", _("Policy & Institution")),
    ("RC", _("Resource Capacity")),
    ("NW", _("ICT Network")),
    ("CR", _("Citizen Readiness")),
    ("PS", _("Public Service Infrastructure")),
    ("ADM", _("e-Admin")),
    ("LIF", _("e-Life")),
    ("IND", _("e-Industry")),
    ("INF", _("e-Infra")),
]


class PracticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year it started"), min_value=1980, max_value=2100)
    what = forms.CharField(label=_("What the city did"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    why = forms.CharField(
        label=_("Why: the problem it solved"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    results = forms.CharField(
        label=_("Results, with figures where you have them"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.EmailField(label=_("Contact e-mail for peers"))
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=CATEGORIES, widget=forms.CheckboxSelectMultiple
    )
    sections = forms.MultipleChoiceField(
        label=_("Dimensions and domains it illustrates"),
        choices=SECTIONS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attachment = forms.FileField(label=_("Attachment (PDF, image or Office document)"), required=False)


class RoadmapForm(forms.Form):
    """The roadmap's inputs: horizon 1-10 years, yearly budget and staff (a number or "unlimited")."""

    MAX_BUDGET = 10_000_000_000
    MAX_STAFF = 100_000

    horizon = forms.IntegerField(label=_("Horizon (years)"), min_value=1, max_value=10, required=False)
    budget = forms.CharField(label=_("Annual budget (USD)"), required=False)
    staff = forms.CharField(label=_("Staff available (full-time equivalents)"), required=False)

    def _capacity(self, name: str, maximum: float):
        raw = (self.cleaned_data.get(name) or "").strip().replace(",", "")
        if not raw:
            return None
        if raw.lower() == "unlimited":
            return "unlimited"
        try:
            value = float(raw)
        except ValueError:
            raise forms.ValidationError(_("Enter a number or “unlimited”.")) from None
        if not 0 <= value <= maximum:
            raise forms.ValidationError(
                _("Enter a number from 0 to %(max)s, or “unlimited”.") % {"max": f"{maximum:,.0f}"}
            )
        return value

    def clean_budget(self):
        return self._capacity("budget", self.MAX_BUDGET)

    def clean_staff(self):
        return self._capacity("staff", self.MAX_STAFF)
