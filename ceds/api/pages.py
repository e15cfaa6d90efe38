"""Pages around the API: personal tokens on the profile, and the open-data downloads."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ceds.accounts import roles, signin
from ceds.api import opendata, tokens
from ceds.api.models import ApiToken, OpenDataLicence
from ceds.core import audit


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=80)
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"), coerce=int, initial=365, required=False, empty_value=365
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(d, _("%(n)s days") % {"n": d}) for d in tokens.LIFETIMES]


@login_required
def api_tokens(request):
    """List, create (the secret is shown once, on this response only) and revoke tokens."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = tokens.create_token(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["days"],
                second_factor=signin.session_passed_two_factor(request),
            )
        except ValidationError as error:
            form.add_error(None, error)  # a dict of field errors lands on those fields
        else:
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": request.user.api_tokens.all(),
        "now": timezone.now(),
        "needs_second_factor": signin.two_factor_required(request.user)
        and not signin.session_passed_two_factor(request),
    }
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the page may carry a secret
    return response


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(request.user, token)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("api_tokens")


class LicenceForm(forms.ModelForm):
    class Meta:
        model = OpenDataLicence
        fields = ["licence", "attribution"]


def open_data(request):
    """Public downloads; the secretariat sets the licence here."""
    licence = OpenDataLicence.current()
    form = None
    if roles.is_secretariat_admin(request.user):
        form = LicenceForm(request.POST or None, instance=licence)
        if request.method == "POST" and form.is_valid():
            before = audit.snapshot(licence, LicenceForm.Meta.fields)
            licence = form.save(commit=False)
            licence.updated_by = request.user
            licence.save()
            audit.record(
                request.user,
                "opendata.licence",
                licence,
                audit.diff(before, audit.snapshot(licence, LicenceForm.Meta.fields)),
            )
            messages.success(request, _("Saved."))
            return redirect("open_data")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "api/open_data.html",
        {"licence": licence, "datasets": opendata.datasets(), "form": form, "formats": list(opendata.FORMATS)},
    )
