from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ceds.accounts import roles
from ceds.indices.forms import ConfirmImportForm, IndexUploadForm, sign_upload
from ceds.indices.importer import import_index, preview
from ceds.indices.models import ReferenceIndex


@login_required
def indices(request):
    """The secretariat previews an edition's file, confirms it, and sees what is loaded."""
    if not roles.is_secretariat(request.user):
        raise PermissionDenied
    form = IndexUploadForm()
    plan = token = confirm_errors = None
    if request.method == "POST":
        if not roles.is_secretariat_admin(request.user):
            raise PermissionDenied
        if "token" in request.POST:
            confirm = ConfirmImportForm(request.POST)
            if confirm.is_valid():
                upload = confirm.cleaned_data["token"]
                try:
                    report = import_index(
                        request.user, upload["data"], upload["code"], upload["year"], upload["name"], upload["source"]
                    )
                except ValidationError as error:
                    confirm_errors = error.messages
                else:
                    messages.success(
                        request,
                        _("%(index)s, edition %(year)s: %(n)s rows imported.")
                        % {"index": report.index.display_name, "year": report.index.year, "n": report.imported},
                    )
                    return redirect("indices")
            else:
                confirm_errors = confirm.errors["token"]
        else:
            form = IndexUploadForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["file"].read()
                try:
                    plan = preview(data, form.cleaned_data["code"], form.cleaned_data["year"])
                except ValidationError as error:
                    form.add_error("file", error)
                else:
                    token = sign_upload(data, form.cleaned_data) if plan.ok else None
    editions = ReferenceIndex.objects.all()
    context = {"form": form, "plan": plan, "token": token, "confirm_errors": confirm_errors, "editions": editions}
    return render(request, "indices/indices.html", context)
