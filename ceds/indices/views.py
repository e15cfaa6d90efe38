from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ceds.accounts import roles
from ceds.indices.forms import IndexUploadForm
from ceds.indices.importer import import_index
from ceds.indices.models import ReferenceIndex


@login_required
def indices(request):
    """The secretariat imports reference indices and sees what is loaded."""
    if not roles.is_secretariat(request.user):
        raise PermissionDenied
    form = IndexUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST":
        if not roles.is_secretariat_admin(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = import_index(
                    request.user, data["file"].read(), data["code"], data["year"], data["name"], data["source"]
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(
                    request,
                    _("%(index)s: %(n)s countries imported.") % {"index": report.index, "n": report.imported},
                )
                if not report.unmatched:
                    return redirect("indices")
    editions = ReferenceIndex.objects.all()
    return render(request, "indices/indices.html", {"form": form, "report": report, "editions": editions})
