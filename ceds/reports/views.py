from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ceds.core.access import get_assessment_for
from ceds.reports import assemble
from ceds.reports.pdf import render_pdf


def _context(request, pk):
    assessment = get_assessment_for(request.user, pk)
    context = assemble.build(request.user, assessment)
    if context is None:
        raise Http404(_("No results yet."))
    return assessment, context


@login_required
def report(request, pk):
    _assessment, context = _context(request, pk)
    return render(request, "reports/page.html", context)


@login_required
def report_pdf(request, pk):
    assessment = get_assessment_for(request.user, pk)
    pdf = render_pdf(request.user, assessment)
    if pdf is None:
        raise Http404(_("No results yet."))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"ceds-report-{assessment.city.slug}-{assessment.period}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
