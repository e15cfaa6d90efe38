"""Portal audit pages: authorize, load through the access helpers, call a service, render."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ceds.accounts import roles
from ceds.audit import services
from ceds.audit.models import AuditRun, Proposal
from ceds.audit.presenters import describe
from ceds.core import downloads
from ceds.frameworks.models import Section, version_items
from ceds.tenancy.access import get_assessment_for, get_city_for


@login_required
def audit_page(request, slug):
    city = get_city_for(request.user, slug)
    runs = list(AuditRun.objects.filter(city=city).select_related("assessment")[:6])
    latest = runs[0] if runs else None
    finished = next((r for r in runs if r.finished), None)
    sections = defaultdict(list)
    changes = []
    if finished is not None:
        proposals = list(Proposal.objects.filter(run=finished))
        items = version_items(finished.assessment.framework_version) if finished.assessment else {}
        for proposal in proposals:
            proposal.run = finished
            item = items.get(proposal.item_code)
            sections[proposal.section_code].append({"proposal": proposal, "item": item, "text": describe(proposal)})
        changes = [
            {
                "proposal": c["proposal"],
                "now": describe(c["proposal"]),
                "before": describe(c["before"]) if c["before"] else "",
            }
            for c in services.difference(finished, services.previous_finished(finished))
        ]
    return render(
        request,
        "audit/audit.html",
        {
            "city": city,
            "runs": runs,
            "latest": latest,
            "finished": finished,
            "sections": dict(sections),
            "changes": changes,
            "can_run": roles.can_manage_city(request.user, city),
            "portal_url": city.portal_url,
        },
    )


@login_required
@require_POST
def run_audit(request, slug):
    city = get_city_for(request.user, slug, write=True)
    try:
        run = services.create_run(request.user, city)
    except services.AuditError as exc:
        messages.error(request, str(exc))
    else:
        services.start_in_background(run)
        messages.success(request, _("The audit has started; this page shows its progress."))
    return redirect("audit:page", slug=city.slug)


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _proposal_for(request, pk) -> Proposal:
    proposal = Proposal.objects.filter(pk=pk).select_related("run").first()
    if proposal is None or proposal.assessment_id is None:
        raise Http404("No such proposal")
    get_assessment_for(request.user, proposal.assessment_id)  # 404 for another city
    return proposal


@login_required
@require_POST
def decide(request, pk):
    proposal = _proposal_for(request, pk)
    action = request.POST.get("action")
    if action not in ("accept", "dispute"):
        raise Http404("No such action")
    try:
        if action == "accept":
            services.accept(request.user, proposal)
            messages.success(request, _("The audit's finding is now the answer, with its evidence attached."))
        else:
            services.dispute(request.user, proposal)
            messages.success(request, _("Disputed: the audit's finding stays beside the item and is not used."))
    except services.AuditError as exc:
        messages.error(request, str(exc))
    default = reverse("assessments:section", args=[proposal.assessment_id, proposal.section_code])
    return redirect(_back(request, f"{default}#item-{proposal.item_code}"))


@login_required
@require_POST
def accept_section(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    if not roles.can_edit_section(request.user, assessment, _section(assessment, code)):
        raise PermissionDenied
    count = services.accept_section(request.user, assessment, code)
    messages.success(
        request,
        ngettext("%(count)s finding of the audit accepted.", "%(count)s findings of the audit accepted.", count)
        % {"count": count},
    )
    return redirect(_back(request, reverse("assessments:section", args=[assessment.pk, code])))


def _section(assessment, code):
    section = Section.objects.filter(framework_version=assessment.framework_version, code=code).first()
    if section is None:
        raise Http404("No such section")
    return section


@login_required
def screenshot(request, pk):
    proposal = Proposal.objects.filter(pk=pk).select_related("run__city").first()
    if proposal is None:
        raise Http404("No such proposal")
    get_city_for(request.user, proposal.run.city.slug)
    if not proposal.screenshot:
        raise Http404("No screenshot")
    return downloads.stored_file(proposal.screenshot, f"{proposal.item_code}.jpg", "image/jpeg")
