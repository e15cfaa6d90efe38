from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceds.accounts import roles
from ceds.core import downloads
from ceds.reports import issue
from ceds.reports.pdf import render_pdf
from ceds.tenancy.access import get_assessment_for


@login_required
def report(request, pk):
    assessment = get_assessment_for(request.user, pk)
    document = issue.report_for(request.user, assessment)
    if document is None:
        raise Http404(_("No results yet."))
    return render(
        request,
        "reports/page.html",
        {
            "assessment": assessment,
            "report": document,
            "provisional": document.provisional,
            "can_reissue": document.issued_at is not None and roles.can_manage_assessment(request.user, assessment),
        },
    )


@login_required
@require_POST
def reissue(request, pk):
    assessment = get_assessment_for(request.user, pk)
    if issue.reissue(request.user, assessment) is not None:
        messages.success(request, _("Report issued again with today's comparisons."))
    return redirect("report", pk=assessment.pk)


@login_required
def report_pdf(request, pk):
    assessment = get_assessment_for(request.user, pk)
    pdf = render_pdf(request.user, assessment)
    if pdf is None:
        raise Http404(_("No results yet."))
    return downloads.generated_file(
        pdf, f"ceds-report-{assessment.city.slug}-{assessment.period}.pdf", "application/pdf"
    )
