"""What each role does next: the plain data of the home pages.

Each function reads with a fixed number of queries whatever the number of cities, items or
answers; only the engine's progress runs once per open cycle of the reader's own cities (a
person coordinates or contributes to a few cities, never to all of them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from ceds.accounts import roles
from ceds.accounts.models import CityRole, RegionRole
from ceds.assessments.models import Assessment, Assignment, Comment
from ceds.assessments.scoring import compute
from ceds.assessments.services import missing_codes
from ceds.cities.models import City
from ceds.frameworks.models import Section, framework_version

Status = Assessment.Status
OFFICIAL = (Status.VALIDATED, Status.PUBLISHED)


@dataclass
class SectionRow:
    section: Section
    answered: int
    applicable: int
    assignment: Assignment | None
    overdue: bool
    returned: list[Comment] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.applicable > 0 and self.answered >= self.applicable


@dataclass
class OpenCycle:
    assessment: Assessment
    rows: list[SectionRow]
    missing: int  # items that still block submission
    returned: list[Comment]

    @property
    def overdue(self) -> list[SectionRow]:
        return [row for row in self.rows if row.overdue]

    @property
    def answered(self) -> int:
        return sum(row.answered for row in self.rows)

    @property
    def applicable(self) -> int:
        return sum(row.applicable for row in self.rows)


def _with_versions(assessments: QuerySet) -> list[Assessment]:
    """Assessments with their framework versions from the process's cache (not joined)."""
    found = list(assessments.select_related("city").annotate(version_checksum=F("framework_version__checksum")))
    for assessment in found:
        assessment.framework_version = framework_version(assessment.framework_version_id, assessment.version_checksum)
    return found


def returned_notes(assessments: list[Assessment]) -> dict[int, list[Comment]]:
    """assessment id -> the review comments of its latest return (one query for all): those made
    since its last submission, while it is returned."""
    returned = {a.pk: a for a in assessments if a.status == Status.RETURNED and a.submitted_at}
    notes: dict[int, list[Comment]] = defaultdict(list)
    if not returned:
        return notes
    comments = (
        Comment.objects.filter(assessment_id__in=returned, review=True)
        .select_related("item", "author")
        .order_by("item__position", "created_at")
    )
    for comment in comments:
        if comment.created_at >= returned[comment.assessment_id].submitted_at:
            notes[comment.assessment_id].append(comment)
    return notes


def _cycles(
    assessments: list[Assessment], assignments: list[Assignment], today: date, blockers: bool
) -> list[OpenCycle]:
    sections = defaultdict(list)
    for section in Section.objects.filter(framework_version_id__in={a.framework_version_id for a in assessments}):
        sections[section.framework_version_id].append(section)
    by_section = {(a.assessment_id, a.section_id): a for a in assignments}
    notes = returned_notes(assessments)
    cycles = []
    for assessment in assessments:
        result = compute(assessment)
        rows = []
        for section in sections[assessment.framework_version_id]:
            figure = result.figures.get(f"section:{section.code}")
            answered, applicable = (figure.answered, figure.applicable) if figure else (0, 0)
            assignment = by_section.get((assessment.pk, section.pk))
            overdue = bool(assignment and assignment.due_date and assignment.due_date < today and answered < applicable)
            rows.append(
                SectionRow(
                    section,
                    answered,
                    applicable,
                    assignment,
                    overdue,
                    [c for c in notes[assessment.pk] if c.item.section_id == section.pk],
                )
            )
        missing = (
            len(missing_codes(assessment, result)) if blockers and assessment.status in Assessment.OPEN_STATUSES else 0
        )
        cycles.append(OpenCycle(assessment, rows, missing, notes[assessment.pk]))
    return cycles


def contributor_sections(user, today: date | None = None) -> list[tuple[OpenCycle, list[SectionRow]]]:
    """The open cycles with sections assigned to the user, and those sections (due first)."""
    today = today or timezone.localdate()
    mine = list(
        Assignment.objects.filter(assignee=user, assessment__status__in=Assessment.OPEN_STATUSES).select_related(
            "section"
        )
    )
    if not mine:
        return []
    assessments = _with_versions(Assessment.objects.filter(pk__in={a.assessment_id for a in mine}).order_by("-period"))
    result = []
    for cycle in _cycles(assessments, mine, today, blockers=False):
        rows = [row for row in cycle.rows if row.assignment is not None]
        rows.sort(key=lambda row: (not row.returned, row.assignment.due_date or date.max))
        result.append((cycle, rows))
    return result


@dataclass
class Latest:
    assessment: Assessment
    score: float | None
    level: int | None


def coordinator_desk(user, today: date | None = None) -> dict:
    """For the cities the user coordinates: each open cycle (in progress or submitted) with its
    progress by section and person, its overdue sections and what blocks submission; and each
    city's latest official result."""
    today = today or timezone.localdate()
    city_ids = list(
        CityRole.objects.filter(user=user, role=CityRole.Role.COORDINATOR).values_list("city_id", flat=True)
    )
    if not city_ids:
        return {"cycles": [], "latest": []}
    current = _with_versions(
        Assessment.objects.filter(
            city_id__in=city_ids, status__in=[*Assessment.OPEN_STATUSES, Status.SUBMITTED]
        ).order_by("city__name", "-period")
    )
    assignments = list(Assignment.objects.filter(assessment__in=[a.pk for a in current]).select_related("assignee"))
    latest: dict[tuple[int, str], Latest] = {}
    official = (
        Assessment.objects.filter(city_id__in=city_ids, status__in=OFFICIAL, snapshots__is_current=True)
        .select_related("city", "framework_version")
        .only(
            "pk",
            "period",
            "status",
            "city__name",
            "city__slug",
            "framework_version__framework_id",
            "framework_version__title",
        )
        .annotate(score=F("snapshots__overall_score"), level=F("snapshots__overall_level"))
        .order_by("city__name", "framework_version__framework_id", "-period", "-pk")
    )
    for assessment in official:  # the newest first: one per city and framework, whatever its version
        key = (assessment.city_id, assessment.framework_version.framework_id)
        latest.setdefault(key, Latest(assessment, assessment.score, assessment.level))
    return {"cycles": _cycles(current, assignments, today, blockers=True), "latest": list(latest.values())}


@dataclass
class Waiting:
    assessment: Assessment
    age_days: int


def validation_queue(user, now: datetime | None = None, limit: int = 50) -> tuple[list[Waiting], int]:
    """Submitted assessments the user may validate, the longest waiting first, and their number."""
    now = now or timezone.now()
    submitted = Assessment.objects.filter(status=Status.SUBMITTED)
    if not roles.is_secretariat(user):
        region_ids = list(RegionRole.objects.filter(user=user).values_list("region_id", flat=True))
        submitted = submitted.filter(city__region_id__in=region_ids)
    total = submitted.count()
    rows = (
        submitted.select_related("city", "city__region", "framework_version")
        .only(
            "pk",
            "period",
            "submitted_at",
            "city__name",
            "city__slug",
            "city__region__names",
            "framework_version__title",
        )
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")[:limit]
    )
    return [Waiting(a, (now - a.submitted_at).days if a.submitted_at else 0) for a in rows], total


CAMPAIGN_STATES = ("not_started", "in_progress", "submitted", "validated")


@dataclass
class CampaignRow:
    city: City
    state: str
    assessment: Assessment | None


def campaign_state(assessment: Assessment | None) -> str:
    if assessment is None:
        return "not_started"
    if assessment.status in Assessment.OPEN_STATUSES:
        return "in_progress"
    if assessment.status == Status.SUBMITTED:
        return "submitted"
    return "validated"


def campaign(user) -> dict | None:
    """For a regional office: the cities of its regions and where each stands in the current
    campaign, the framework and period of the region's most recently opened cycle."""
    region_ids = list(RegionRole.objects.filter(user=user).values_list("region_id", flat=True))
    if not region_ids:
        return None
    newest = (
        Assessment.objects.filter(city__region_id__in=region_ids)
        .select_related("framework_version")
        .only("period", "framework_version__framework_id", "framework_version__title")
        .order_by("-period", "-created_at")
        .first()
    )
    cities = list(City.objects.filter(region_id__in=region_ids).select_related("region").order_by("name"))
    if newest is None:
        return {"period": None, "framework": None, "rows": [CampaignRow(c, "not_started", None) for c in cities]}
    framework_id = newest.framework_version.framework_id
    of_period = {
        a.city_id: a
        for a in Assessment.objects.filter(
            city__region_id__in=region_ids, period=newest.period, framework_version__framework_id=framework_id
        )
        .exclude(status=Status.ARCHIVED)
        .only("pk", "city_id", "status", "period")
    }
    rows = [CampaignRow(c, campaign_state(of_period.get(c.pk)), of_period.get(c.pk)) for c in cities]
    counts = {state: sum(1 for r in rows if r.state == state) for state in CAMPAIGN_STATES}
    return {"period": newest.period, "framework": newest.framework_version, "rows": rows, "counts": counts}
