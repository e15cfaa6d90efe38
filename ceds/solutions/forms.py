from django import forms
from django.utils.translation import gettext_lazy as _

from ceds.accounts.models import User
from ceds.frameworks.models import Section, newest_versions
from ceds.solutions.models import Action
from ceds.solutions.planning import DEFAULT_HORIZON


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
        return linked_items(self.cleaned_data["linked"].split(","), self.item_codes)


def linked_items(codes, item_codes) -> list[str]:
    """The items an action is linked to, as the page and the API take them: codes in any case
    and spacing, empty ones left out, each an item of the assessment's framework (`item_codes`)."""
    if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
        raise forms.ValidationError(_("Give a list of item codes."), code="invalid")
    codes = [c.strip().upper() for c in codes if c.strip()]
    unknown = [c for c in codes if c not in item_codes]
    if unknown:
        raise forms.ValidationError(
            _("Not items of this framework: %(codes)s") % {"codes": ", ".join(unknown)}, code="unknown_items"
        )
    return codes


CATEGORIES = [
    ("services", _("Services")),
    ("efficiency", _("Efficiency")),
    ("open_city", _("Open City")),
    ("urban_management", _("Urban Management")),
    ("digital_divide", _("Digital Divide")),
]


def section_choices() -> list:
    """What a shared case may illustrate: the dimensions and domains of each framework's newest
    version, as content defines them (validate_content accepts a section of any framework);
    grouped by framework when there are several."""
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    sections = (
        Section.objects.filter(framework_version__in=newest_versions())
        .select_related("framework_version")
        .order_by("framework_version__framework_id", "position")
    )
    for section in sections:
        if section.code not in seen:
            seen.add(section.code)
            groups.setdefault(section.framework_version.name, []).append((section.code, section.name))
    if len(groups) == 1:
        return next(iter(groups.values()))
    return list(groups.items())


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
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attachment = forms.FileField(label=_("Attachment (PDF, image or Office document)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = section_choices()


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

    def plan_inputs(self) -> dict:
        """build_plan's keyword arguments from valid input; what is left empty takes the city's default."""
        data = self.cleaned_data
        return {
            "budget": data.get("budget"),
            "staff": data.get("staff"),
            "horizon": data.get("horizon") or DEFAULT_HORIZON,
        }

    def clean_staff(self):
        return self._capacity("staff", self.MAX_STAFF)


class AdoptStepsForm(forms.Form):
    """Adopting a module's steps: when the first starts and who owns them."""

    start = forms.DateField(label=_("First step starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    owner_user = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        empty_label=_("— the roles each step names —"),
        help_text=_("A member of the city team; or write a person or unit below."),
    )
    owner_text = forms.CharField(label=_("Or another owner"), max_length=120, required=False)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = User.objects.filter(city_roles__city=city).order_by("email")
        self.fields["owner_user"].label_from_instance = lambda user: str(user)

    def clean(self):
        data = super().clean()
        if data.get("owner_user") and (data.get("owner_text") or "").strip():
            raise forms.ValidationError(_("Choose a member of the team or write an owner, not both."))
        return data

    def owner(self) -> str | None:
        """The owner every adopted step gets; None: each step's roles."""
        user = self.cleaned_data.get("owner_user")
        if user is not None:
            return str(user)[:120]
        return (self.cleaned_data.get("owner_text") or "").strip() or None
