"""The issued report: official results' report rendered once, kept, and rendered again when it changes.

A report of validated results is a document the city forwards and quotes, so CeDS issues it: the body
is rendered when results are validated or published (in the language of whoever did it), or on the
first view in another language, and kept in `IssuedReport`. A view then reads one row instead of
assembling the plan and rendering some 1,100 figures (see docs/performance.md).

It is rendered again on its next view when
- something it shows about its city changes: its results, status, targets, actions, budget, profile or
  name, or another cycle of the city (its "progress since"); `signals.py` raises the city's
  `report_revision` in the same transaction as the change;
- the module or practice library changes (every city's revision is raised);
- its format changes: the declared FORMAT_VERSION, a template or a catalogue (report_format()).

Comparisons with other cities (percentile, peer medians, default targets from the peer quartile) are
as of the issue date, and the page says so; the city's coordinator can re-issue it with today's
figures. Provisional results (a draft seen by its coordinator or validator) are never issued: they
change with every answer, so their report is rendered on each view.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import django
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ceds.accounts import roles
from ceds.benchmarks.results import WITH_RESULTS
from ceds.celery import eager, enqueue
from ceds.cities.models import City
from ceds.core import audit
from ceds.reports import assemble
from ceds.reports.models import EarlierIssue, IssuedReport
from ceds.reports.signals import raise_revision

BODY_TEMPLATE = "reports/_body.html"


# With a task queue, validation keeps an empty report (PREPARING) until a worker has issued it; one
# still empty after this long lost its task for good and is rendered on the next view instead.
PREPARING = ""
PREPARING_MINUTES = 15


@dataclass(frozen=True)
class Report:
    html: str  # the body, rendered and escaped by the template engine
    issued_at: datetime | None  # None: rendered for this view
    preparing: bool = False  # issued by a worker shortly: the page says so and checks again

    @property
    def provisional(self) -> bool:
        # Only official results are issued; anything rendered for one view is provisional.
        # A report being prepared is of official results: it is issued by a worker shortly.
        return self.issued_at is None and not self.preparing


# Raise it with any change to the code that shapes an issued report (assemble.py, the charts,
# the template filters): every kept report is then issued again on its next view. Templates
# and catalogues are digested, so a change to them needs no raise.
FORMAT_VERSION = 1


@lru_cache(maxsize=1)
def report_format() -> str:
    """What turns stored results into a report: FORMAT_VERSION, Django's version, templates, catalogues."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256(f"{FORMAT_VERSION} {django.get_version()}".encode())
    for pattern in ("templates/**/*.html", "locale/*/LC_MESSAGES/*.po"):
        for path in sorted(root.glob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def report_for(user, assessment, wait: bool = True) -> Report | None:
    """The report the user may see, in the active language; None when there are no results yet.

    While a worker prepares it, a page gets a Report with `preparing` set (wait=True); a download
    (wait=False) has it issued here instead: the upsert in issue() keeps one report either way.
    """
    if assessment.status in WITH_RESULTS:
        kept = (
            IssuedReport.objects.filter(assessment=assessment, language=translation.get_language())
            .values_list("html", "issued_at", "revision", "format")
            .first()
        )
        # The revision was read with the assessment: a change committed since then is a newer
        # revision, so a report rendered from older inputs is never taken for current.
        if kept is not None and kept[2:] == (assessment.city.report_revision, report_format()):
            if kept[0] != PREPARING:
                return Report(kept[0], kept[1])
            if wait and kept[1] > timezone.now() - timezone.timedelta(minutes=PREPARING_MINUTES):
                return Report("", None, preparing=True)
        report = issue(assessment, assessment.city.report_revision)
        if report is not None:
            return report
    # Provisional results, or an archived cycle that was never validated.
    context = assemble.build(assessment, roles.can_see_provisional(user, assessment))
    if context is None:
        return None
    return Report(render_to_string(BODY_TEMPLATE, context), None)


def issue(assessment, revision: int | None = None) -> Report | None:
    """Render the report of official results in the active language and keep it.

    `revision` is the city's report revision read before the inputs; by default it is read now.
    """
    if revision is None:
        revision = City.objects.values_list("report_revision", flat=True).get(pk=assessment.city_id)
    context = assemble.build(assessment, may_see_provisional=False)
    if context is None:  # an archived cycle that was never validated
        return None
    issued_at = timezone.now()
    html = render_to_string(BODY_TEMPLATE, {**context, "issued_at": issued_at}).strip()
    report = Report(html, issued_at)
    # One statement whatever happens alongside: two first views store the same report twice.
    IssuedReport.objects.bulk_create(
        [
            IssuedReport(
                assessment=assessment,
                language=translation.get_language(),
                html=report.html,
                issued_at=report.issued_at,
                revision=revision,
                format=report_format(),
            )
        ],
        update_conflicts=True,
        unique_fields=["assessment", "language"],
        update_fields=["html", "issued_at", "revision", "format"],
    )
    return report


def on_validation(sender, assessment, issue_now: bool = True, **kwargs) -> None:
    """The official report of validated results (assessments.signals.validated), unless the
    validation leaves it to its first view."""
    if issue_now:
        issue_at_validation(assessment)


def issue_at_validation(assessment) -> None:
    """Issue the report of newly validated results in the active language: now without a task
    queue, else by a worker once the validation commits (the page says "being prepared" until then).
    """
    from ceds.reports import tasks  # imported here: the tasks module imports this one

    language = translation.get_language()
    if eager():
        issue(assessment)
        return
    revision = City.objects.values_list("report_revision", flat=True).get(pk=assessment.city_id)
    IssuedReport.objects.update_or_create(
        assessment=assessment,
        language=language,
        defaults={"html": PREPARING, "issued_at": timezone.now(), "revision": revision, "format": report_format()},
    )
    enqueue(tasks.issue_report, assessment.pk, language)


@transaction.atomic
def reissue(actor, assessment) -> Report | None:
    """Issue the report again with today's comparisons: now in the coordinator's language, in the
    others on their next view. A report without official results is rendered on each view anyway.
    """
    if not roles.can_manage_assessment(actor, assessment):
        raise PermissionDenied
    if assessment.status not in WITH_RESULTS:
        return None
    raise_revision(City.objects.filter(pk=assessment.city_id))
    report = issue(assessment)
    audit.record(actor, "report.reissue", assessment, {"language": [None, translation.get_language()]}, assessment.city)
    return report


def set_aside(assessment, correction) -> int:
    """Results reopened for a correction: keep every language's issued report as an earlier issue.

    The issued rows are removed so nothing serves them as current; the amended report is issued at
    re-validation. Returns how many were kept.
    """
    issued = list(IssuedReport.objects.filter(assessment=assessment))
    EarlierIssue.objects.bulk_create(
        EarlierIssue(
            assessment=assessment, correction=correction, language=r.language, html=r.html, issued_at=r.issued_at
        )
        for r in issued
    )
    IssuedReport.objects.filter(pk__in=[r.pk for r in issued]).delete()
    return len(issued)


def on_reopen(sender, assessment, correction, **kwargs) -> None:
    """Results reopened for a correction (assessments.signals.reopened): their report is set aside."""
    set_aside(assessment, correction)
