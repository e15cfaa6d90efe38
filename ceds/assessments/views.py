"""Assessment pages. Each view: authorize, load through the access helpers, validate, call a
service, render. Rules live in accounts.roles, writes in assessments.services."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ceds.accounts import roles
from ceds.assessments import services, workbook
from ceds.assessments.answers import AnswerError, describe, parse_answer, service_scale_for
from ceds.assessments.forms import (
    AssignForm,
    CommentForm,
    EvidenceForm,
    OpenAssessmentForm,
    PublishForm,
    WorkbookUploadForm,
)
from ceds.assessments.models import Answer, Assessment, Assignment, Comment, Evidence, SectionTarget
from ceds.assessments.scoring import compute, section_of, section_result
from ceds.assessments.uploads import UploadRefused
from ceds.audit.presenters import findings_for_section as audit_findings
from ceds.core import downloads
from ceds.frameworks.crosswalk import DROPPED
from ceds.frameworks.models import Item, Section, version_items
from ceds.scoring.engine import HIDDEN
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
    rows = [
        {
            "section": s,
            "answered": progress.get(s.code, (0, 0))[0],
            "applicable": progress.get(s.code, (0, 0))[1],
            "assignment": assignments.get(s.pk),
            "mine": assignments.get(s.pk) is not None and assignments[s.pk].assignee_id == request.user.pk,
            "editable": editable is None or s.pk in editable,
        }
        for s in sections
    ]
    rows.sort(key=lambda r: not r["mine"])  # "my sections" first, otherwise framework order
    can_manage = roles.can_manage_assessment(request.user, assessment)
    context = {
        "assessment": assessment,
        "rows": rows,
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
        "review_comments": Comment.objects.filter(assessment=assessment, review=True).select_related("item", "author"),
        "carried_from": _carried_from(assessment),
    }
    return render(request, "assessments/detail.html", context)


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


def _renamed_from(assessment, answers) -> dict[str, str]:
    """new id -> old id of the carried answers that changed id on the way from an older version
    (one query, only when the page shows a carried answer)."""
    crosswalk = assessment.framework_version.crosswalk
    if not crosswalk or not assessment.carried_from_id or not any(a.carried_forward for a in answers):
        return {}
    previous = Assessment.objects.filter(pk=assessment.carried_from_id).values_list("framework_version_id", flat=True)
    if previous.first() in (None, assessment.framework_version_id):
        return {}
    items = crosswalk.get("items", {})
    renamed: dict[str, str] = {}
    for old, new in items.items():  # as carry_map reads them: an id that was kept wins, else the first
        if new not in (old, DROPPED) and items.get(new) != new:
            renamed.setdefault(new, old)
    return renamed


@login_required
def section(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    section = _section(assessment, code)
    items = list(Item.objects.filter(section=section).select_related("section"))
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment, item__section=section)}
    evidence, comments = defaultdict(list), defaultdict(list)
    for e in Evidence.objects.filter(assessment=assessment, item__section=section):
        evidence[e.item_id].append(e)
    for c in Comment.objects.filter(assessment=assessment, item__section=section).select_related("author"):
        comments[c.item_id].append(c)
    result = compute(assessment)
    definition = assessment.framework_version.definition
    renamed = _renamed_from(assessment, answers.values())
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
    sections = list(Section.objects.filter(framework_version=assessment.framework_version))
    index = [s.pk for s in sections].index(section.pk)
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
            "levels": definition["levels"],
            "previous": sections[index - 1] if index else None,
            "next": sections[index + 1] if index + 1 < len(sections) else None,
            "answered": figure.answered,
            "applicable": figure.applicable,
            "target": target,
            "audit_pending": sum(1 for a in proposals.values() if a["proposal"].state == "proposed"),
            "can_edit_section": roles.can_edit_section(request.user, assessment, section)
            and assessment.status in Assessment.OPEN_STATUSES,
            "evidence_form": EvidenceForm(),
            "comment_form": CommentForm(),
        },
    )


@login_required
@require_POST
def save_item(request, pk, code):
    """Autosave of one item (htmx) or a plain form post; answers a fragment or a redirect."""
    assessment = get_assessment_for(request.user, pk)
    item = _item(assessment, code)
    try:
        base_version = int(request.POST.get("base_version", "0"))
    except ValueError:
        base_version = -1
    status, context = 200, {}
    try:
        value = parse_answer(item.data, request.POST)
        answer = services.save_answer(request.user, assessment, item, value, base_version)
        context = {"saved": True}
    except AnswerError as exc:
        answer = Answer.objects.filter(assessment=assessment, item=item).first()
        # Show what the person entered, not the stored answer, so nothing they typed is lost.
        posted = {k: request.POST.get(k, "") for k in ("status", "level", "utilization", "systems")}
        posted["value"] = request.POST.get("choice") or request.POST.get("value", "")
        context, status = {"error": str(exc), "error_field": exc.field, "value": posted}, 422
    except services.AnswerConflict as conflict:
        answer = conflict.current
        mine = request.POST.dict()
        try:
            mine_value = parse_answer(item.data, request.POST)
        except AnswerError:
            mine_value = None
        context = {
            "conflict": True,
            "theirs": describe(item.data, answer.value if answer else None),
            "theirs_by": answer.updated_by if answer else None,
            "mine": describe(item.data, mine_value),
            "mine_post": {k: v for k, v in mine.items() if k not in ("csrfmiddlewaretoken", "base_version")},
        }
        status = 409
    except services.WorkflowError as exc:
        answer = Answer.objects.filter(assessment=assessment, item=item).first()
        context, status = {"error": exc.messages[0]}, 409
    if not request.htmx:
        # Without JavaScript the whole page comes back, with what happened as a message.
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
        return redirect(_section_url(assessment, item.section, f"item-{item.code}"))
    result = section_result(assessment, item.section.code)
    figure = result[f"section:{item.section.code}"]
    return render(
        request,
        "assessments/_answer_saved.html",
        {
            "entry": _item_context(assessment, item, answer, request.user, result, **context),
            "dependents": _dependent_entries(assessment, item, request.user, result),
            "answered": figure.answered,
            "applicable": figure.applicable,
        },
        status=status if not request.htmx else 200,
    )


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
    section = _section(assessment, code)
    raw = request.POST.get("target", "")
    try:
        services.set_target(request.user, assessment, section, int(raw) if raw else None)
        messages.success(request, _("Target saved."))
    except (ValueError, services.WorkflowError) as exc:
        messages.error(request, getattr(exc, "messages", [_("A target is a level from 1 to 5.")])[0])
    return redirect(_section_url(assessment, section))


@login_required
def item_history(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    item = _item(assessment, code)
    rows = [
        (event, *(_described(item, value) for value in event.changes[item.code]))
        for event in services.item_history(assessment, item)
    ]
    return render(request, "assessments/history.html", {"assessment": assessment, "item": item, "rows": rows})


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
    assessment = get_assessment_for(request.user, pk)
    if not roles.can_validate(request.user, assessment):
        raise PermissionDenied
    items = list(Item.objects.filter(framework_version=assessment.framework_version).select_related("section"))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "validate":
                services.validate(request.user, assessment)
                messages.success(request, _("Validated; the scores are stored."))
            else:
                comments = {item: request.POST.get(f"comment-{item.code}", "") for item in items}
                services.return_assessment(request.user, assessment, comments)
                messages.success(request, _("Returned to the city with your comments."))
            return redirect("assessments:detail", pk=assessment.pk)
        except services.WorkflowError as exc:
            messages.error(request, exc.messages[0])
    answers = {a.item_id: a.value for a in Answer.objects.filter(assessment=assessment)}
    rows = [
        {"item": item, "answer": describe(item.data, answers.get(item.pk))} for item in items if item.kind != "text"
    ]
    return render(request, "assessments/review.html", {"assessment": assessment, "rows": rows})


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
            count = workbook.apply(request.user, assessment, pending)
        except services.AnswerConflict:
            messages.error(
                request, _("Answers changed online while you were reviewing; nothing was imported. Upload again.")
            )
            return redirect("assessments:import", pk=assessment.pk)
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
