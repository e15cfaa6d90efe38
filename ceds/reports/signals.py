"""What an issued report is made of: a change to any of it raises the city's report revision.

The revision is raised in the same transaction as the change, and a view reads the revision
before the inputs (ceds/reports/issue.py). So a report kept under the city's current revision
was rendered from inputs at least as new as that revision; one rendered from older inputs
carries an older revision, and is rendered again on the next view.

Left out on purpose: answers (those of a result with official figures cannot change; reopening
changes the assessment's status), framework versions (immutable once used), and peer statistics,
which a report quotes as of its issue date.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from ceds.assessments.models import Assessment, ScoreSnapshot, SectionTarget
from ceds.cities.models import BudgetYear, City, CityProfile
from ceds.solutions.models import Action, Module, Practice

# Model -> how to find the city whose reports show it.
OF_A_CITY = {
    City: lambda row: {"pk": row.pk},
    CityProfile: lambda row: {"pk": row.city_id},
    BudgetYear: lambda row: {"pk": row.city_id},
    Action: lambda row: {"pk": row.city_id},
    # An assessment's status, and another cycle of the city in its "progress since".
    Assessment: lambda row: {"pk": row.city_id},
    ScoreSnapshot: lambda row: {"assessments": row.assessment_id},
    SectionTarget: lambda row: {"assessments": row.assessment_id},
}
# Shown in every city's report: recommended modules and their steps, best practices.
LIBRARY = (Module, Practice)
# Inside one_library_change(): the library changed, every city's revision is raised at the end.
_pending_library_change: ContextVar[list | None] = ContextVar("pending_library_change", default=None)


def raise_revision(cities) -> None:
    # update() sends no signal, so raising a City's revision does not raise it again.
    cities.update(report_revision=F("report_revision") + 1)


def _city_input_changed(sender, instance, raw=False, **kwargs):
    if raw:  # a backup being restored brings its own revisions and reports
        return
    raise_revision(City.objects.filter(**OF_A_CITY[sender](instance)))


def _library_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pending = _pending_library_change.get()
    if pending is not None:
        pending.append(sender)
        return
    raise_revision(City.objects.all())


@contextmanager
def one_library_change():
    """Raise every city's revision once for all the library saves inside (call it in their
    transaction): a content load saves some eighty modules and practices, each of which would
    otherwise update every city row.
    """
    pending: list = []
    token = _pending_library_change.set(pending)
    try:
        yield
    finally:
        _pending_library_change.reset(token)
    if pending:
        raise_revision(City.objects.all())


def connect() -> None:
    for model in OF_A_CITY:
        for signal in (post_save, post_delete):
            signal.connect(_city_input_changed, sender=model, dispatch_uid=f"report-input-{model.__name__}")
    for model in LIBRARY:
        for signal in (post_save, post_delete):
            signal.connect(_library_changed, sender=model, dispatch_uid=f"report-library-{model.__name__}")
