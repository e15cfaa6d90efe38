"""The assessment workflow. Every write is a verb here: atomic, audit-logged, and called the
same way by pages, the API, workbook imports and management commands.

States: draft -> submitted -> (returned -> submitted)* -> validated -> published; any state
but archived -> archived.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceds.accounts import roles
from ceds.accounts.models import CityRole, User
from ceds.assessments import signals
from ceds.assessments.models import Answer, Assessment, Assignment, Comment, Correction, Evidence, SectionTarget
from ceds.assessments.scoring import compute, store_snapshot
from ceds.assessments.uploads import check_upload
from ceds.benchmarks import services as benchmarks
from ceds.cities.models import Membership
from ceds.cities.timezones import days_left, is_overdue
from ceds.core import audit
from ceds.core.models import AuditEvent
from ceds.core.notify import notify
from ceds.frameworks.models import FrameworkVersion, Item, Section, newest_version, version_items
from ceds.scoring.engine import HIDDEN, UNANSWERED

Status = Assessment.Status


# A period is a year from 2000 to 2099, optionally a half (H1, H2) or a quarter (Q1-Q4) of it.
PERIOD_PATTERN = r"20\d\d(-(H[12]|Q[1-4]))?"


class WorkflowError(ValidationError):
    """A workflow step that is not possible now; the message says why and `code` names it.

    The codes in STATE_CODES say the step conflicts with the assessment's current state (the
    API answers 409); any other code is bad input (400).
    """

    STATE_CODES = frozenset(
        {
            "invalid_transition",
            "membership_inactive",
            "duplicate_period",
            "outdated_version",
            "assessment_locked",
            "incomplete",
        }
    )

    def __init__(self, message, code: str = "invalid"):
        super().__init__(message, code=code)

    @property
    def is_state_conflict(self) -> bool:
        return self.code in self.STATE_CODES


class AnswerConflict(Exception):
    """Someone saved the item after the version the user started from."""

    def __init__(self, current: Answer | None):
        self.current = current
        super().__init__("conflict")


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _transition(assessment: Assessment, allowed: tuple, target: str) -> str:
    if assessment.status not in allowed:
        raise WorkflowError(
            _("This assessment is %(status)s; it cannot become %(target)s.")
            % {"status": assessment.get_status_display(), "target": Status(target).label},
            code="invalid_transition",
        )
    before = assessment.status
    assessment.status = target
    return before


# -- cycles ---------------------------------------------------------------------------------


def previous_assessment(city, framework_id: str, before: str, exclude_pk=None) -> Assessment | None:
    """The latest validated cycle of the same framework for a period before `before`."""
    return (
        Assessment.objects.filter(
            city=city,
            framework_version__framework_id=framework_id,
            status__in=[Status.VALIDATED, Status.PUBLISHED, Status.ARCHIVED],
            period__lt=before,
        )
        .exclude(pk=exclude_pk)
        .select_related("framework_version")
        .order_by("-period", "-pk")
        .first()
    )


@transaction.atomic
def open_assessment(
    actor, city, version: FrameworkVersion, period: str, carry_forward: bool = False, record_past: bool = False
) -> Assessment:
    """Open a cycle. `record_past` records a cycle run in the past on the version it used then
    (the demo's history): every other rule applies."""
    _require(roles.can_open_assessment(actor, city))
    membership = Membership.objects.filter(city=city).first()
    if membership is None or not membership.may_open_assessments:
        raise WorkflowError(
            _("Only cities with an active membership can open an assessment; ask the secretariat."),
            code="membership_inactive",
        )
    newest = newest_version(version.framework_id)
    if newest is not None and newest.pk != version.pk and not record_past:
        # Cycles already open on an older version go on; a new one starts on the newest.
        raise WorkflowError(
            _("A new cycle uses the newest version of the framework (version %(version)s).")
            % {"version": newest.version},
            code="outdated_version",
        )
    period = period.strip()
    if not re.fullmatch(PERIOD_PATTERN, period):
        raise WorkflowError(
            _("The period is a year from 2000 to 2099, such as 2026, optionally a half or quarter (2026-H1, 2026-Q3)."),
            code="invalid_period",
        )
    if int(period[:4]) > timezone.localdate().year:
        raise WorkflowError(
            _("The period %(period)s has not begun: a new cycle assesses at most the current year (%(year)s).")
            % {"period": period, "year": timezone.localdate().year},
            code="future_period",
        )
    if Assessment.objects.filter(
        city=city, framework_version__framework_id=version.framework_id, period=period
    ).exists():
        raise WorkflowError(
            _("%(city)s already has an assessment of this framework for %(period)s.")
            % {"city": city, "period": period},
            code="duplicate_period",
        )
    previous = previous_assessment(city, version.framework_id, period) if carry_forward else None
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                city=city, framework_version=version, period=period, created_by=actor, carried_from=previous
            )
    except IntegrityError:
        raise WorkflowError(_("An assessment for this period already exists."), code="duplicate_period") from None
    carried = _carry_forward(previous, assessment, actor) if previous else 0
    audit.record(
        actor, "assessment.open", assessment, {"period": [None, period], "carried_answers": [None, carried]}, city
    )
    return assessment


def _carry_forward(previous: Assessment, assessment: Assessment, actor) -> int:
    """Copy the previous cycle's answers, mapped through the crosswalk when the version changed.

    Every copy is marked `carried_forward` (to confirm); items the crosswalk drops, or whose new
    item asks for another kind of answer, are not carried (ceds.frameworks.crosswalk.carry_map).
    """
    version = assessment.framework_version
    items = {item.code: item for item in Item.objects.filter(framework_version=version)}
    old = list(Answer.objects.filter(assessment=previous).order_by("item__position").values_list("item__code", "value"))
    carried = version.carried_codes(previous.framework_version, [code for code, _v in old])
    copies = [
        Answer(
            assessment=assessment,
            item=items[carried[code]],
            value=_carried_value(items[carried[code]].data, value),
            carried_forward=True,
            updated_by=actor,
        )
        for code, value in old
        if code in carried
    ]
    Answer.objects.bulk_create(copies)
    sections = {s.code: s for s in Section.objects.filter(framework_version=version, takes_target=True)}
    SectionTarget.objects.bulk_create(
        SectionTarget(assessment=assessment, section=sections[code], level=level)
        for code, level in SectionTarget.objects.filter(assessment=previous).values_list("section__code", "level")
        if code in sections
    )
    return len(copies)


def _carried_value(item_data: dict, value):
    """The answer as the new item takes it: a service whose utilization the new version does not
    ask (`utilization: {not_asked: ...}`) leaves the old figure behind."""
    utilization = item_data.get("utilization")
    if (
        isinstance(value, dict)
        and "utilization" in value
        and isinstance(utilization, dict)
        and "not_asked" in utilization
    ):
        return {k: v for k, v in value.items() if k != "utilization"}
    return value


@transaction.atomic
def assign_section(actor, assessment: Assessment, section: Section, assignee: User | None, due_date: date | None):
    _require(roles.can_manage_assessment(actor, assessment))
    if section.framework_version_id != assessment.framework_version_id:
        raise WorkflowError(_("This section belongs to another framework."))
    if assignee is None:
        Assignment.objects.filter(assessment=assessment, section=section).delete()
        audit.record(actor, "assignment.remove", assessment, {"section": [section.code, None]}, assessment.city)
        return None
    if not CityRole.objects.filter(
        user=assignee, city=assessment.city, role__in=["coordinator", "contributor"]
    ).exists():
        raise WorkflowError(_("Only the city's coordinators and contributors can be assigned a section."))
    assignment, _created = Assignment.objects.update_or_create(
        assessment=assessment,
        section=section,
        defaults={"assignee": assignee, "due_date": due_date, "assigned_by": actor},
    )
    audit.record(
        actor,
        "assignment.set",
        assessment,
        {"section": [None, section.code], "assignee": [None, str(assignee)], "due_date": [None, str(due_date or "")]},
        assessment.city,
    )
    notify("assigned", {"assessment": assessment, "assignment": assignment, "actor": actor}, [assignee])
    return assignment


def due_assignments(within_days: int, now: datetime | None = None) -> list[Assignment]:
    """Open assignments due within `within_days` days, or overdue, each read in its city's time zone.

    A due date is a day in the city: "today" is the city's today at `now`, so at one instant a
    Seoul section due tomorrow and an Asunción one due today are both one calendar step away from
    their own end of day. Overdue means the due day has ended there (ceds.cities.timezones).
    """
    now = now or timezone.now()
    # Every zone's today is within one day of UTC's: a broad bound in SQL, the exact test per city.
    bound = now.astimezone(UTC).date() + timedelta(days=within_days + 1)
    candidates = Assignment.objects.filter(
        assessment__status__in=Assessment.OPEN_STATUSES, due_date__isnull=False, due_date__lte=bound
    ).select_related("assessment", "assessment__city", "section", "assignee")
    return [a for a in candidates if days_left(a.due_date, a.assessment.city.timezone, now) <= within_days]


@transaction.atomic
def send_reminders(actor, assignments, now: datetime | None = None) -> int:
    """Remind each assignee of their unfinished sections; returns how many were reminded.

    The e-mail says whether the section is overdue in its city's time zone at `now`.
    """
    now = now or timezone.now()
    sent = 0
    for assignment in assignments:
        if actor is not None:
            _require(roles.can_send_reminders(actor, assignment.assessment))
        city = assignment.assessment.city
        context = {
            "assignment": assignment,
            "assessment": assignment.assessment,
            "overdue": is_overdue(assignment.due_date, city.timezone, now),
            "timezone": city.timezone,
        }
        notify("reminder", context, [assignment.assignee])
        assignment.last_reminded_at = now
        assignment.save(update_fields=["last_reminded_at"])
        sent += 1
    return sent


# -- answering --------------------------------------------------------------------------------


def _check_can_edit(actor, assessment: Assessment, item: Item) -> None:
    if assessment.status not in Assessment.OPEN_STATUSES:
        raise WorkflowError(
            _("This assessment is %(status)s and can no longer be changed.")
            % {"status": assessment.get_status_display()},
            code="assessment_locked",
        )
    _require(roles.can_edit_section(actor, assessment, item.section))


@transaction.atomic
def save_answer(
    actor, assessment: Assessment, item: Item, value: dict | None, base_version: int, via: list | None = None
) -> Answer | None:
    """Save one answer if nobody changed it since `base_version` (0: there was none).

    Saving also confirms an answer carried forward from the previous cycle. `via` names where
    an answer came from when it is not the person's own (["portal_audit", date]); the history shows it.
    """
    _check_can_edit(actor, assessment, item)
    current = Answer.objects.select_for_update().filter(assessment=assessment, item=item).first()
    if (current.version if current else 0) != base_version:
        raise AnswerConflict(current)
    old = current.value if current else None
    if value is None:
        if current:
            current.delete()
            audit.record(actor, "answer.clear", assessment, {item.code: [old, None]}, assessment.city)
        return None
    if current is None:
        try:
            with transaction.atomic():
                current = Answer.objects.create(assessment=assessment, item=item, value=value, updated_by=actor)
        except IntegrityError:  # created by someone else in the meantime
            raise AnswerConflict(Answer.objects.filter(assessment=assessment, item=item).first()) from None
    else:
        current.value, current.version, current.carried_forward, current.updated_by = (
            value,
            current.version + 1,
            False,
            actor,
        )
        current.save()
    audit.record(
        actor,
        "answer.save",
        assessment,
        # Raw values, described when shown, so each reader sees them in their own language.
        {item.code: [old, value], **({"via": via} if via else {})},
        assessment.city,
    )
    return current


@transaction.atomic
def save_answers(actor, assessment: Assessment, values: dict[Item, dict], via: list | None = None) -> int:
    """Answer many items at once, as one change: the same checks as save_answer for each item,
    every answer written in one statement per kind (new or changed) and one audit event naming
    every item, so the item history shows each. For a whole cycle entered in one go (the demo's
    cycles); an answer the person saw first goes through save_answer and its version check."""
    if not values:
        return 0
    for section in {item.section_id: item.section for item in values}.values():
        _check_can_edit(actor, assessment, Item(section=section))
    current = {
        answer.item_id: answer
        for answer in Answer.objects.select_for_update().filter(assessment=assessment, item__in=list(values))
    }
    changes, created, updated = {}, [], []
    for item, value in values.items():
        answer = current.get(item.pk)
        changes[item.code] = [answer.value if answer else None, value]
        if answer is None:
            created.append(Answer(assessment=assessment, item=item, value=value, updated_by=actor))
        else:
            answer.value, answer.version, answer.carried_forward, answer.updated_by = (
                value,
                answer.version + 1,
                False,
                actor,
            )
            answer.updated_at = timezone.now()  # bulk_update does not apply auto_now
            updated.append(answer)
    Answer.objects.bulk_create(created)
    Answer.objects.bulk_update(updated, ["value", "version", "carried_forward", "updated_by", "updated_at"])
    audit.record(actor, "answer.save", assessment, {**changes, **({"via": via} if via else {})}, assessment.city)
    return len(values)


@transaction.atomic
def set_target(actor, assessment: Assessment, section: Section, level: int | str | None) -> None:
    """A section's target level (None or "": none, or the plan's default), one of the framework's levels.

    The one way to set a target: the to-be level a framework asks on the section page, the
    action plan's target on the plan page. Who may: accounts.roles.can_set_target. A level as
    posted (a string) is read here too, so that every page refuses the same values alike.
    """
    _require(roles.can_set_target(actor, assessment, section))
    level = _target_level(assessment.framework_version.target_levels(), level)
    current = SectionTarget.objects.filter(assessment=assessment, section=section).values_list("level", flat=True)
    old = current.first()
    if level is None:
        SectionTarget.objects.filter(assessment=assessment, section=section).delete()
    else:
        SectionTarget.objects.update_or_create(assessment=assessment, section=section, defaults={"level": level})
    audit.record(actor, "target.set", assessment, {section.code: [old, level]}, assessment.city)


def _target_level(levels: range, level: int | str | None) -> int | None:
    if isinstance(level, str):
        level = level.strip()
        level = None if not level else int(level) if level.isdigit() else -1
    if level is not None and level not in levels:
        raise WorkflowError(
            _("A target is a level from %(lowest)s to %(highest)s.") % {"lowest": levels[0], "highest": levels[-1]},
            code="invalid_target",
        )
    return level


def item_history(assessment: Assessment, item: Item):
    return AuditEvent.objects.filter(
        object_type="assessments.assessment", object_id=str(assessment.pk), changes__has_key=item.code
    ).select_related("actor")


@transaction.atomic
def add_evidence(actor, assessment: Assessment, item: Item, upload=None, url: str = "") -> Evidence:
    _check_can_edit(actor, assessment, item)
    if upload is not None:
        kind = check_upload(upload, settings.EVIDENCE_MAX_BYTES)
        evidence = Evidence(
            assessment=assessment,
            item=item,
            original_name=upload.name[-200:],
            content_type=kind.content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    else:
        evidence = Evidence.objects.create(assessment=assessment, item=item, url=url, uploaded_by=actor)
    audit.record(actor, "evidence.add", assessment, {item.code: [None, str(evidence)]}, assessment.city)
    return evidence


MENTION = re.compile(r"@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


@transaction.atomic
def add_comment(actor, assessment: Assessment, item: Item, body: str, review: bool = False) -> Comment:
    _require(roles.can_comment(actor, assessment))
    body = body.strip()
    if not body:
        raise WorkflowError(_("Write a comment first."))
    comment = Comment.objects.create(assessment=assessment, item=item, author=actor, body=body, review=review)
    mentioned = User.objects.filter(
        email__in=[m.lower() for m in MENTION.findall(body)], city_roles__city=assessment.city
    ).exclude(pk=actor.pk)
    notify("mention", {"assessment": assessment, "item": item, "comment": comment, "actor": actor}, mentioned)
    return comment


# -- workflow ---------------------------------------------------------------------------------


def missing_codes(assessment: Assessment, result=None) -> set[str]:
    """The codes of applicable items with no answer, or carried forward and not yet confirmed."""
    result = result or compute(assessment)
    unanswered = {
        key.removeprefix("item:")
        for key, figure in result.figures.items()
        if key.startswith("item:") and figure.state == UNANSWERED
    }
    hidden = {key.removeprefix("item:") for key, f in result.figures.items() if f.state == HIDDEN}
    # Free-text notes are optional, so an unconfirmed carried note does not block submission.
    carried = Answer.objects.filter(assessment=assessment, carried_forward=True).exclude(item__kind="text")
    unconfirmed = set(carried.values_list("item__code", flat=True)) - hidden
    return unanswered | unconfirmed


def missing_items(assessment: Assessment, result=None) -> list[Item]:
    """The items missing_codes names, in the questionnaire's order."""
    items = version_items(assessment.framework_version)  # the process's copy
    codes = missing_codes(assessment, result)
    return [items[code] for code in items if code in codes]  # builds only those


def _validators(assessment: Assessment):
    regional = User.objects.filter(region_roles__region_id=assessment.city.region_id)
    return list(regional) or list(User.objects.exclude(secretariat_role=""))


def _city_team(assessment: Assessment):
    return User.objects.filter(
        city_roles__city=assessment.city, city_roles__role__in=["coordinator", "contributor"]
    ).distinct()


@transaction.atomic
def submit(actor, assessment: Assessment) -> Assessment:
    _require(roles.can_manage_assessment(actor, assessment))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    missing = missing_items(assessment)
    if missing:
        raise WorkflowError(
            _('%(n)s item(s) still need an answer or an explicit "don\'t know".') % {"n": len(missing)},
            code="incomplete",
        )
    before = _transition(assessment, Assessment.OPEN_STATUSES, Status.SUBMITTED)
    assessment.submitted_at = timezone.now()
    assessment.save()
    audit.record(actor, "assessment.submit", assessment, {"status": [before, assessment.status]}, assessment.city)
    notify("submitted", {"assessment": assessment, "actor": actor}, _validators(assessment))
    return assessment


@transaction.atomic
def return_assessment(actor, assessment: Assessment, comments: dict[Item, str]) -> Assessment:
    _require(roles.can_validate(actor, assessment))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    comments = {item: text.strip() for item, text in comments.items() if text and text.strip()}
    if not comments:
        raise WorkflowError(_("Say what to change: add a comment to at least one item."))
    before = _transition(assessment, (Status.SUBMITTED,), Status.RETURNED)
    assessment.save()
    for item, text in comments.items():
        Comment.objects.create(assessment=assessment, item=item, author=actor, body=text, review=True)
    audit.record(
        actor,
        "assessment.return",
        assessment,
        {"status": [before, assessment.status], "comments": [None, len(comments)]},
        assessment.city,
    )
    notify("returned", {"assessment": assessment, "actor": actor, "comments": comments}, _city_team(assessment))
    return assessment


@transaction.atomic
def validate(actor, assessment: Assessment, issue_now: bool = True):
    """Accept a submission and store the engine's score snapshot.

    Validating a correction (ceds.assessments.services.reopen) records what changed, and a result
    that was published before it was reopened is published again, so benchmarks count it anew.
    `issue_now=False` leaves the report to its first view (reports.issue.report_for issues it
    then): for cycles entered in bulk, most of which nobody opens (the demo's history).
    """
    _require(roles.can_validate(actor, assessment))
    assessment = Assessment.objects.select_for_update().select_related("framework_version").get(pk=assessment.pk)
    before = _transition(assessment, (Status.SUBMITTED,), Status.VALIDATED)
    assessment.validated_at, assessment.validated_by = timezone.now(), actor
    correction = Correction.objects.select_for_update().filter(assessment=assessment, revalidated_at=None).first()
    if correction is not None and correction.previous_status == Status.PUBLISHED:
        assessment.status = Status.PUBLISHED  # published_at and sharing are those it had
    assessment.save()
    snapshot = store_snapshot(assessment)
    if correction is not None:
        _close_correction(correction, actor, snapshot)
        if assessment.status == Status.PUBLISHED:
            benchmarks.results_changed(assessment)
    # Reports issues the report (it works out the default roadmap, which the plan page then reads
    # ready-made): in this request without a task queue, else by a worker once this transaction commits.
    signals.validated.send(sender=Assessment, assessment=assessment, issue_now=issue_now)
    audit.record(
        actor,
        "assessment.validate",
        assessment,
        {
            "status": [before, assessment.status],
            "overall_score": [None, snapshot.overall_score],
            **({"corrected_items": [None, correction.changes["items"]]} if correction is not None else {}),
        },
        assessment.city,
    )
    coordinators = User.objects.filter(city_roles__city=assessment.city, city_roles__role="coordinator")
    notify("validated", {"assessment": assessment, "actor": actor, "snapshot": snapshot}, coordinators)
    return snapshot


def _answer_values(assessment: Assessment) -> dict:
    return dict(Answer.objects.filter(assessment=assessment).values_list("item__code", "value"))


def _close_correction(correction: Correction, actor, snapshot) -> None:
    now = _answer_values(correction.assessment)
    old = correction.previous_answers
    changed = sorted(code for code in old.keys() | now.keys() if old.get(code) != now.get(code))
    correction.revalidated_at, correction.revalidated_by = timezone.now(), actor
    correction.changes = {"items": changed, "overall": [correction.previous_overall_score, snapshot.overall_score]}
    correction.save(update_fields=["revalidated_at", "revalidated_by", "changes"])


@transaction.atomic
def reopen(actor, assessment: Assessment, reason: str) -> Correction:
    """Reopen a validated or published result for a correction (the secretariat, with a reason).

    The city answers again (status "returned"); while reopened the result counts in no benchmark
    and the public map drops it. The issued report is kept as an earlier issue; re-validation
    issues an amended report whose errata note gives the date, the reason and what changed.
    """
    _require(roles.can_reopen(actor, assessment))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(
            _("Give the reason for the correction: it is printed in the amended report."), code="reason"
        )
    assessment = Assessment.objects.select_for_update().select_related("framework_version").get(pk=assessment.pk)
    current = assessment.snapshots.filter(is_current=True).values_list("overall_score", flat=True).first()
    before = _transition(assessment, (Status.VALIDATED, Status.PUBLISHED), Status.RETURNED)
    assessment.save()
    correction = Correction.objects.create(
        assessment=assessment,
        reason=reason,
        reopened_by=actor,
        previous_status=before,
        previous_overall_score=current,
        previous_answers=_answer_values(assessment),
    )
    # Reports keeps the issued report as an earlier issue of the amended one.
    signals.reopened.send(sender=Assessment, assessment=assessment, correction=correction)
    if before == Status.PUBLISHED:
        benchmarks.results_changed(assessment)
    audit.record(
        actor,
        "assessment.reopen",
        assessment,
        {"status": [before, assessment.status], "reason": [None, reason]},
        assessment.city,
    )
    notify("reopened", {"assessment": assessment, "actor": actor, "reason": reason}, _city_team(assessment))
    return correction


@transaction.atomic
def publish(actor, assessment: Assessment, sharing: str) -> Assessment:
    """Publish a validated assessment, or change the sharing level of a published one."""
    _require(roles.can_manage_assessment(actor, assessment))
    if sharing not in Assessment.Sharing.values:
        raise WorkflowError(_("Choose named, anonymous or private."))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    before = {"status": assessment.status, "sharing": assessment.sharing}
    if assessment.status == Status.VALIDATED:
        assessment.status, assessment.published_at = Status.PUBLISHED, timezone.now()
    elif assessment.status != Status.PUBLISHED:
        raise WorkflowError(_("Only a validated assessment can be published."), code="invalid_transition")
    assessment.sharing = sharing
    assessment.save()
    # Benchmarks and the public map change at once when a result is shared or unshared.
    benchmarks.results_changed(assessment)
    audit.record(
        actor,
        "assessment.publish",
        assessment,
        audit.diff(before, {"status": assessment.status, "sharing": assessment.sharing}),
        assessment.city,
    )
    return assessment


@transaction.atomic
def archive(actor, assessment: Assessment) -> Assessment:
    _require(roles.can_manage_assessment(actor, assessment) or roles.is_secretariat_admin(actor))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    before = _transition(assessment, tuple(s for s in Status.values if s != Status.ARCHIVED), Status.ARCHIVED)
    assessment.save()
    if before == Status.PUBLISHED:
        benchmarks.results_changed(assessment)
    audit.record(actor, "assessment.archive", assessment, {"status": [before, assessment.status]}, assessment.city)
    return assessment


def returned_notes(assessment: Assessment) -> list[Comment]:
    """The validator's notes of the latest return, one per returned item (empty unless the
    assessment is returned). A return always follows a submission, so its notes are the review
    comments written since the assessment was last submitted."""
    if assessment.status != Status.RETURNED or assessment.submitted_at is None:
        return []
    return list(
        Comment.objects.filter(assessment=assessment, review=True, created_at__gte=assessment.submitted_at)
        .select_related("item", "item__section", "author")
        .order_by("item__position", "created_at")
    )
