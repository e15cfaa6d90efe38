"""Assessment pages. Each view: authorize, load through the access helpers, validate, call a
service, render. Rules live in accounts.roles, writes in assessments.services."""

import time
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ceds.accounts import roles
from ceds.assessments import autosave, grid, services, workbook
from ceds.assessments import review as review_page
from ceds.assessments.answers import describe, service_scale_for
from ceds.assessments.forms import (
    AssignForm,
    CommentForm,
    EvidenceForm,
    OpenAssessmentForm,
    PublishForm,
    ReopenForm,
    WorkbookUploadForm,
)
from ceds.assessments.models import Answer, Assessment, Assignment, Comment, Correction, Evidence, SectionTarget
from ceds.assessments.previous import renamed_from
from ceds.assessments.scoring import compute, section_of, section_result
from ceds.assessments.uploads import UploadRefused
from ceds.audit.presenters import findings_for_section as audit_findings
from ceds.cities.timezones import is_overdue
from ceds.core import downloads
from ceds.frameworks.models import Item, Section, version_items
from ceds.scoring.engine import HIDDEN, UNANSWERED
from ceds.tenancy.access import get_assessment_for, get_city_for


def _item(assessment, code) -> Item:
    item = version_items(assessment.framework_version).get(code)
    if item is None:
        raise Http404("No such item")
    return item


def _section(assessment, code) -> Section:
    return get_object_or_404(Section, framework_version=assessment.framework_version, code=code)


def _section_url(assessment, section, anchor=""):
    url = reverse("assessments:section", args=[assessment.pk, section.code])
    return f"{url}#{anchor}" if anchor else url


def _progress(assessment, result):
    """answered / applicable per section code, from the engine's figures."""
    return {
        key.removeprefix("section:"): (figure.answered, figure.applicable)
        for key, figure in result.figures.items()
        if key.startswith("section:")
    }


@login_required
@require_http_methods(["GET", "POST"])
def city_assessments(request, slug):
    city = get_city_for(request.user, slug)
    can_open = roles.can_open_assessment(request.user, city)
    form = OpenAssessmentForm(request.POST or None) if can_open else None
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied
        if form.is_valid():
            try:
                assessment = services.open_assessment(
                    request.user,
                    city,
                    form.cleaned_data["framework_version"],
                    form.cleaned_data["period"],
                    form.cleaned_data["carry_forward"],
                )
            except services.WorkflowError as exc:
                form.add_error("period", exc.messages[0])
            else:
                messages.success(request, _("Assessment opened."))
                return redirect("assessments:detail", pk=assessment.pk)
    assessments = Assessment.objects.filter(city=city).select_related("framework_version").order_by("-period", "-pk")
    return render(
        request, "assessments/city_assessments.html", {"city": city, "assessments": assessments, "form": form}
    )


@login_required
def detail(request, pk):
    assessment = get_assessment_for(request.user, pk)
    sections = list(Section.objects.filter(framework_version=assessment.framework_version))
    result = compute(assessment)
    progress = _progress(assessment, result)
    assignments = {a.section_id: a for a in Assignment.objects.filter(assessment=assessment).select_related("assignee")}
    editable = roles.editable_section_ids(request.user, assessment)
    now, zone = timezone.now(), assessment.city.timezone
    rows = [
        {
            "section": s,
            "answered": progress.get(s.code, (0, 0))[0],
            "applicable": progress.get(s.code, (0, 0))[1],
            "assignment": assignments.get(s.pk),
            "mine": assignments.get(s.pk) is not None and assignments[s.pk].assignee_id == request.user.pk,
            "editable": editable is None or s.pk in editable,
            "overdue": s.pk in assignments
            and assessment.status in Assessment.OPEN_STATUSES
            and is_overdue(assignments[s.pk].due_date, zone, now),
        }
        for s in sections
    ]
    rows.sort(key=lambda r: not r["mine"])  # "my sections" first, otherwise framework order
    can_manage = roles.can_manage_assessment(request.user, assessment)
    context = {
        "assessment": assessment,
        "rows": rows,
        "start": _where_to_start(assessment, rows),
        # Validated results (an archived cycle keeps them): its dashboard, report and plan.
        "has_results": assessment.status
        in (Assessment.Status.VALIDATED, Assessment.Status.PUBLISHED, Assessment.Status.ARCHIVED),
        "overall": result.overall,
        "can_manage": can_manage,
        "can_validate": roles.can_validate(request.user, assessment),
        "can_remind": roles.can_send_reminders(request.user, assessment),
        "can_see_results": roles.can_see_provisional(request.user, assessment)
        or assessment.status in (Assessment.Status.VALIDATED, Assessment.Status.PUBLISHED),
        "assign_form": AssignForm(assessment=assessment) if can_manage else None,
        "publish_form": PublishForm(initial={"sharing": assessment.sharing}) if can_manage else None,
        "missing": services.missing_items(assessment, result)
        if can_manage and assessment.status in Assessment.OPEN_STATUSES
        else [],
        "review_comments": services.returned_notes(assessment),
        "carried_from": _carried_from(assessment),
        "reopen_form": ReopenForm()
        if roles.can_reopen(request.user, assessment)
        and assessment.status in (Assessment.Status.VALIDATED, Assessment.Status.PUBLISHED)
        else None,
        "open_correction": Correction.objects.filter(assessment=assessment, revalidated_at=None).first(),
    }
    return render(request, "assessments/detail.html", context)


def _where_to_start(assessment, rows) -> dict | None:
    """An open cycle's next step for this reader: the first section they may edit that still
    has unanswered items (their own sections first), and whether anything is answered yet."""
    if assessment.status not in Assessment.OPEN_STATUSES:
        return None
    editable = [r for r in rows if r["editable"]]
    if not editable:
        return None
    section = next((r for r in editable if r["answered"] < r["applicable"]), editable[0])["section"]
    return {"section": section, "begun": any(r["answered"] for r in rows)}


def _carried_from(assessment) -> dict | None:
    """The cycle an open assessment's answers came from, with its framework version (one query)."""
    if not assessment.carried_from_id or assessment.status not in Assessment.OPEN_STATUSES:
        return None
    row = (
        Assessment.objects.filter(pk=assessment.carried_from_id)
        .values_list("period", "framework_version__version", "framework_version_id")
        .first()
    )
    if row is None:
        return None
    period, version, version_id = row
    return {"period": period, "version": version, "other_version": version_id != assessment.framework_version_id}


def _section_scales(definition: dict, items) -> list[dict]:
    """The scales a section's services are read on, each once, in the order they first appear."""
    scales: list[dict] = []
    for item in items:
        if item.data.get("kind") == "service":
            scale = service_scale_for(definition, item.data)
            if scale and scale not in scales:
                scales.append(scale)
    return scales


def _item_context(assessment, item, answer, user, result=None, **extra):
    editable = (
        roles.can_edit_section(user, assessment, item.section)
        if assessment.status in Assessment.OPEN_STATUSES
        else False
    )
    state = result[f"item:{item.code}"].state if result is not None and f"item:{item.code}" in result.figures else ""
    return {
        "assessment": assessment,
        "item": item,
        "data": item.data,
        "answer": answer,
        "value": answer.value if answer else {},
        "version": answer.version if answer else 0,
        "editable": editable,
        "hidden": state == HIDDEN,
        "scale": service_scale_for(assessment.framework_version.definition, item.data)
        if item.data.get("kind") == "service"
        else None,
        **extra,
    }


@login_required
def section(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    section = _section(assessment, code)
    if grid.is_grid_section(section) and request.GET.get("view") != "cards":
        return _services_grid(request, assessment, section)
    items = list(Item.objects.filter(section=section).select_related("section"))
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment, item__section=section)}
    evidence, comments = defaultdict(list), defaultdict(list)
    for e in Evidence.objects.filter(assessment=assessment, item__section=section):
        evidence[e.item_id].append(e)
    for c in Comment.objects.filter(assessment=assessment, item__section=section).select_related("author"):
        comments[c.item_id].append(c)
    result = compute(assessment)
    definition = assessment.framework_version.definition
    renamed = renamed_from(assessment, answers.values())
    proposals = audit_findings(assessment, section.code)
    entries = [
        _item_context(
            assessment,
            item,
            answers.get(item.pk),
            request.user,
            result,
            evidence=evidence[item.pk],
            comments=comments[item.pk],
            renamed_from=renamed.get(item.code, ""),
            audit=proposals.get(item.code),
        )
        for item in items
    ]
    previous, following = _neighbours(assessment, section)
    target = (
        SectionTarget.objects.filter(assessment=assessment, section=section).values_list("level", flat=True).first()
    )
    figure = result[f"section:{section.code}"]
    return render(
        request,
        "assessments/section.html",
        {
            "assessment": assessment,
            "section": section,
            "entries": entries,
            "service_scales": _section_scales(definition, items),
            "service_rules": grid.rules_json(),
            "levels": definition["levels"],
            "previous": previous,
            "next": following,
            "answered": figure.answered,
            "applicable": figure.applicable,
            "next_unanswered": _next_unanswered(assessment, section, result),
            "target": target,
            "audit_pending": sum(1 for a in proposals.values() if a["proposal"].state == "proposed"),
            "can_edit_section": roles.can_edit_section(request.user, assessment, section)
            and assessment.status in Assessment.OPEN_STATUSES,
            "evidence_form": EvidenceForm(),
            "comment_form": CommentForm(),
        },
    )


def _neighbours(assessment, section) -> tuple[Section | None, Section | None]:
    sections = list(Section.objects.filter(framework_version=assessment.framework_version))
    index = [s.pk for s in sections].index(section.pk)
    return (sections[index - 1] if index else None, sections[index + 1] if index + 1 < len(sections) else None)


def _next_unanswered(assessment, section, result) -> str:
    """The first item of the section, in framework order, still waiting for an answer."""
    for entry in section_of(assessment.framework_version.definition, section.code)["items"]:
        figure = result.figures.get(f"item:{entry['id']}")
        if figure is not None and figure.state == UNANSWERED:
            return entry["id"]
    return ""


def _services_grid(request, assessment, section):
    """A domain's services as one compact table (ceds.assessments.grid)."""
    result = section_result(assessment, section.code)
    figure = result[f"section:{section.code}"]
    items = [i for i in version_items(assessment.framework_version).values() if i.section_id == section.pk]
    previous, following = _neighbours(assessment, section)
    return render(
        request,
        "assessments/services_grid.html",
        {
            "assessment": assessment,
            "section": section,
            "grid": grid.grid_for(assessment, section, request.user, request.GET.get("show", "")),
            "service_scales": _section_scales(assessment.framework_version.definition, items),
            "previous": previous,
            "next": following,
            "answered": figure.answered,
            "applicable": figure.applicable,
            "next_unanswered": _next_unanswered(assessment, section, result),
            # The audit's proposals are accepted or disputed in the detailed view, beside each item.
            "audit_pending": sum(
                1 for a in audit_findings(assessment, section.code).values() if a["proposal"].state == "proposed"
            ),
            "in_grid": True,
        },
    )


@login_required
@require_POST
def save_item(request, pk, code):
    """Autosave of one item (htmx: the item's form or grid row, with the outcome's status code)
    or a plain form post (a redirect to the section, with what happened as a message)."""
    assessment = get_assessment_for(request.user, pk)
    item = _item(assessment, code)
    outcome = autosave.save_posted(request.user, assessment, item, request.POST)
    if not request.htmx:
        _message_outcome(request, item, outcome.context)
        return redirect(_section_url(assessment, item.section, f"item-{item.code}"))
    # When the progress was counted (µs): it sees every save committed before, so the page keeps
    # the latest count when responses to saves made close together arrive out of order.
    as_of = time.time_ns() // 1000
    result = section_result(assessment, item.section.code)
    figure = result[f"section:{item.section.code}"]
    context = {
        "answered": figure.answered,
        "applicable": figure.applicable,
        "next_unanswered": _next_unanswered(assessment, item.section, result),
        "as_of": as_of,
    }
    if request.POST.get("view") == "grid":
        context["row"] = grid.row_for(assessment, item, outcome.answer, request.user, **outcome.context)
        response = render(request, "assessments/_grid_saved.html", context | {"in_grid": True}, status=outcome.status)
        if outcome.status == autosave.SAVED:
            response["HX-Reswap"] = "none"  # only the row's state and version change (out of band)
        return response
    context["entry"] = _item_context(assessment, item, outcome.answer, request.user, result, **outcome.context)
    context["dependents"] = _dependent_entries(assessment, item, request.user, result)
    return render(request, "assessments/_answer_saved.html", context, status=outcome.status)


def _message_outcome(request, item, context) -> None:
    """Without JavaScript the whole page comes back, with what happened as a message."""
    if context.get("conflict"):
        messages.error(
            request,
            _(
                "%(code)s was changed by %(who)s (%(theirs)s) after you opened the page; your answer "
                "(%(mine)s) was not saved."
            )
            % {
                "code": item.code,
                "who": context["theirs_by"] or "—",
                "theirs": context["theirs"],
                "mine": context["mine"],
            },
        )
    elif context.get("error"):
        messages.error(request, f"{item.code}: {context['error']}")


def _dependent_entries(assessment, item, user, result) -> list[dict]:
    """The items of the same section shown only for some answers of `item`: their state may
    have changed with it, so an autosave sends their forms back too."""
    section = section_of(assessment.framework_version.definition, item.section.code)
    items = version_items(assessment.framework_version)
    dependents = [items[i["id"]] for i in section["items"] if (i.get("show_if") or {}).get("item") == item.code]
    if not dependents:
        return []
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment, item__in=dependents)}
    return [_item_context(assessment, d, answers.get(d.pk), user, result) for d in dependents]


@login_required
@require_POST
def save_target(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    # The section page asks a target only where the framework does (its to-be level).
    section = get_object_or_404(Section, framework_version=assessment.framework_version, code=code, takes_target=True)
    try:
        services.set_target(request.user, assessment, section, request.POST.get("target", ""))
        messages.success(request, _("Target saved."))
    except services.WorkflowError as exc:
        messages.error(request, exc.messages[0])
    return redirect(_section_url(assessment, section))


@login_required
def item_history(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    item = _item(assessment, code)
    rows = [_history_row(item, event) for event in services.item_history(assessment, item)]
    rows += [
        {"at": c.created_at, "actor": c.author, "kind": "review" if c.review else "comment", "text": c.body}
        for c in Comment.objects.filter(assessment=assessment, item=item).select_related("author")
    ]
    rows.sort(key=lambda row: row["at"], reverse=True)
    return render(request, "assessments/history.html", {"assessment": assessment, "item": item, "rows": rows})


def _history_row(item, event) -> dict:
    """One line of an item's history: an answer's change before and after, or evidence attached
    (which changes no answer, so it has no "before")."""
    row = {"at": event.at, "actor": event.actor, "via": event.changes.get("via")}
    before, after = event.changes[item.code]
    if event.action == "evidence.add":
        return {**row, "kind": "evidence", "text": after}
    return {**row, "kind": "answer", "before": _described(item, before), "after": _described(item, after)}


def _described(item, value) -> str:
    # Events recorded before answers were kept raw hold a description already.
    return value if isinstance(value, str) else describe(item.data, value)


@login_required
@require_POST
def add_evidence(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    item = _item(assessment, code)
    if not roles.can_edit_section(request.user, assessment, item.section):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(
                request.user, assessment, item, form.cleaned_data.get("file"), form.cleaned_data.get("url") or ""
            )
            messages.success(request, _("Evidence attached to %(code)s.") % {"code": item.code})
        except UploadRefused as exc:
            messages.error(request, _("%(code)s: %(reason)s") % {"code": item.code, "reason": exc})
        except services.WorkflowError as exc:
            messages.error(request, exc.messages[0])
    else:
        messages.error(
            request,
            _("%(code)s: %(reason)s")
            % {"code": item.code, "reason": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    return redirect(_section_url(assessment, item.section, f"item-{item.code}"))


@login_required
def download_evidence(request, pk, evidence_pk):
    assessment = get_assessment_for(request.user, pk)
    evidence = get_object_or_404(Evidence, assessment=assessment, pk=evidence_pk)
    if not evidence.file:
        raise Http404
    return downloads.stored_file(evidence.file, evidence.original_name or "evidence", evidence.content_type)


@login_required
@require_POST
def add_comment(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    item = _item(assessment, code)
    if not roles.can_comment(request.user, assessment):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(request.user, assessment, item, form.cleaned_data["body"])
        messages.success(request, _("Comment added to %(code)s.") % {"code": item.code})
    else:
        messages.error(request, _("%(code)s: write a comment of at most 4,000 characters.") % {"code": item.code})
    return redirect(_section_url(assessment, item.section, f"item-{item.code}"))


@login_required
@require_POST
def assign(request, pk):
    assessment = get_assessment_for(request.user, pk, write=True)
    form = AssignForm(request.POST, assessment=assessment)
    if form.is_valid():
        try:
            services.assign_section(
                request.user,
                assessment,
                form.cleaned_data["section"],
                form.cleaned_data["assignee"],
                form.cleaned_data["due_date"],
            )
            messages.success(request, _("Assignment saved."))
        except services.WorkflowError as exc:
            messages.error(request, exc.messages[0])
    else:
        messages.error(
            request, " ".join(f"{form.fields[f].label}: {e[0]}" for f, e in form.errors.items() if f in form.fields)
        )
    return redirect("assessments:detail", pk=assessment.pk)


@login_required
@require_POST
def remind(request, pk):
    assessment = get_assessment_for(request.user, pk)
    if not roles.can_send_reminders(request.user, assessment):
        raise PermissionDenied
    pending = Assignment.objects.filter(assessment=assessment).select_related(
        "assessment", "assessment__city", "section", "assignee"
    )
    count = services.send_reminders(request.user, pending) if assessment.status in Assessment.OPEN_STATUSES else 0
    messages.success(request, _("Reminders sent: %(n)s.") % {"n": count})
    return redirect("assessments:detail", pk=assessment.pk)


def _workflow_step(request, assessment, step, success: str):
    """Run one workflow service; a step that is not possible now becomes a message, not an error page."""
    try:
        step(request.user, assessment)
        messages.success(request, success)
    except services.WorkflowError as exc:
        messages.error(request, exc.messages[0])
    return redirect("assessments:detail", pk=assessment.pk)


@login_required
@require_POST
def submit(request, pk):
    assessment = get_assessment_for(request.user, pk, write=True)
    return _workflow_step(request, assessment, services.submit, _("Submitted for validation."))


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """The validator's review (ceds.assessments.review): validate, or return the items marked
    with a note each."""
    assessment = get_assessment_for(request.user, pk)
    if not roles.can_validate(request.user, assessment):
        raise PermissionDenied
    if request.method == "POST":
        items = [i for i in version_items(assessment.framework_version).values() if i.kind != "text"]
        try:
            notes = review_page.return_notes(request.POST, items)
            if request.POST.get("action") == "validate":
                if notes:
                    raise review_page.ReviewError(
                        _("%(n)s item(s) are marked to return: return them, or clear the marks to validate.")
                        % {"n": len(notes)}
                    )
                services.validate(request.user, assessment)
                messages.success(request, _("Validated; the scores are stored."))
            else:
                services.return_assessment(request.user, assessment, notes)
                messages.success(request, _("Returned to the city with your comments."))
            return redirect("assessments:detail", pk=assessment.pk)
        except (review_page.ReviewError, services.WorkflowError) as exc:
            messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    context = review_page.review_rows(assessment, request.GET.get("section", ""), request.GET.get("show", ""))
    return render(request, "assessments/review.html", {"assessment": assessment, **context})


@login_required
@require_POST
def publish(request, pk):
    assessment = get_assessment_for(request.user, pk, write=True)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publish(request.user, assessment, form.cleaned_data["sharing"])
            messages.success(request, _("Sharing level saved."))
        except services.WorkflowError as exc:
            messages.error(request, exc.messages[0])
    return redirect("assessments:detail", pk=assessment.pk)


@login_required
@require_POST
def reopen(request, pk):
    assessment = get_assessment_for(request.user, pk)
    if not roles.can_reopen(request.user, assessment):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the correction: it is printed in the amended report."))
        return redirect("assessments:detail", pk=assessment.pk)
    try:
        services.reopen(request.user, assessment, form.cleaned_data["reason"])
        messages.success(request, _("Reopened for a correction: the city's team has been told."))
    except services.WorkflowError as exc:
        messages.error(request, exc.messages[0])
    return redirect("assessments:detail", pk=assessment.pk)


@login_required
@require_POST
def archive(request, pk):
    assessment = get_assessment_for(request.user, pk)
    return _workflow_step(request, assessment, services.archive, _("Archived."))


@login_required
def workbook_download(request, pk):
    assessment = get_assessment_for(request.user, pk)
    name = f"ceds-{assessment.city.slug}-{assessment.framework_version.framework_id}-{assessment.period}.xlsx"
    return downloads.generated_file(
        workbook.build(assessment), name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@login_required
@require_http_methods(["GET", "POST"])
def workbook_import(request, pk):
    """Upload -> preview (kept in the session) -> confirm: applied all together or not at all."""
    assessment = get_assessment_for(request.user, pk)
    if (
        assessment.status not in Assessment.OPEN_STATUSES
        or roles.editable_section_ids(request.user, assessment) == set()
    ):
        raise PermissionDenied
    session_key = f"workbook-import-{assessment.pk}"
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    changes = None
    if request.method == "POST" and request.POST.get("action") == "confirm":
        pending = request.session.pop(session_key, None)
        if not pending:
            messages.error(request, _("Nothing to import; upload the workbook again."))
            return redirect("assessments:import", pk=assessment.pk)
        try:
            count = workbook.import_or_queue(request.user, assessment, pending)
        except services.AnswerConflict:
            messages.error(
                request, _("Answers changed online while you were reviewing; nothing was imported. Upload again.")
            )
            return redirect("assessments:import", pk=assessment.pk)
        if count is None:
            messages.info(
                request,
                _("%(n)s answers are being imported; a notice under Notifications tells you when they are in.")
                % {"n": len(pending)},
            )
        else:
            messages.success(request, _("%(n)s answer(s) imported.") % {"n": count})
        return redirect("assessments:detail", pk=assessment.pk)
    if request.method == "POST" and form.is_valid():
        try:
            changes = workbook.preview(request.user, assessment, form.cleaned_data["workbook"])
        except workbook.WorkbookError as exc:
            for message in exc.messages:
                form.add_error("workbook", message)
        else:
            request.session[session_key] = [c.as_session() for c in changes if not c.conflict]
    return render(
        request,
        "assessments/import.html",
        {
            "assessment": assessment,
            "form": form,
            "changes": changes,
            "applicable": [c for c in changes or [] if not c.conflict],
            "conflicts": [c for c in changes or [] if c.conflict],
        },
    )
