from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ceds.accounts.models import CityRole, User
from ceds.cities.models import Region


class CityInvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=CityRole.Role.choices)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if CityRole.objects.filter(city=self.city, user__email=email).exists():
            raise forms.ValidationError(_("This person already has a role in this city."))
        return email


class HandOverForm(forms.Form):
    """The coordinator role to a colleague of the city, or to someone invited by e-mail."""

    colleague = forms.ModelChoiceField(
        label=_("Colleague in the city"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    email = forms.EmailField(
        label=_("Or invite by e-mail"),
        required=False,
        help_text=_("They become coordinator when they accept; you stay coordinator until then."),
    )
    keep_as = forms.ChoiceField(
        label=_("Your role afterwards"),
        choices=[
            (CityRole.Role.CONTRIBUTOR, _("Contributor")),
            (CityRole.Role.VIEWER, _("Viewer")),
            ("", _("Leave the city")),
        ],
        required=False,
        initial=CityRole.Role.CONTRIBUTOR,
    )

    def __init__(self, *args, city, actor, **kwargs):
        super().__init__(*args, **kwargs)
        others = CityRole.objects.filter(city=city).exclude(role=CityRole.Role.COORDINATOR).exclude(user=actor)
        self.fields["colleague"].queryset = User.objects.filter(
            pk__in=others.values("user_id"), is_active=True
        ).order_by("email")

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("colleague")) == bool(data.get("email")):
            self.add_error("colleague", _("Choose a colleague or give an e-mail address, not both."))
        return data


class StaffInvitationForm(forms.Form):
    """Secretariat only: invite a regional coordinator or secretariat staff."""

    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            ("region", _("Regional coordinator")),
            *[(code, label) for code, label in User.SecretariatRole.choices if code],
        ],
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("role") == "region" and not data.get("region"):
            self.add_error("region", _("Choose the region this coordinator will follow."))
        return data


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, User(email=self.email))
        return password


class LanguageSelect(forms.Select):
    """Each language named in itself, marked with its own lang so screen readers say it right."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Browser default")), *settings.LANGUAGES],
        required=False,
        widget=LanguageSelect,
    )
