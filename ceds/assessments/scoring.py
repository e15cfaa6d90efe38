"""Turning stored answers into a stored score snapshot (the only place that calls the engine)."""

from django.db import transaction

from ceds.assessments.models import Answer, Assessment, ScoreSnapshot, SectionTarget
from ceds.scoring.engine import Engine


def answers_for(assessment: Assessment) -> dict[str, dict]:
    return dict(Answer.objects.filter(assessment=assessment).values_list("item__code", "value"))


def targets_for(assessment: Assessment) -> dict[str, int]:
    return dict(SectionTarget.objects.filter(assessment=assessment).values_list("section__code", "level"))


_engines: dict[tuple[int, str], Engine] = {}


def engine_for(version) -> Engine:
    """The engine compiled for a framework version, kept by the process.

    Safe to keep: a version's definition never changes once an assessment uses it, and the
    checksum in the key tells an edited, unused version apart.
    """
    key = (version.pk, version.checksum)
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = Engine(version.definition)
    return engine


def compute(assessment: Assessment, with_targets: bool = True):
    """The engine's result for the assessment's current answers (not stored).

    Without targets the figures lack only their to-be levels: enough for progress counts.
    """
    targets = targets_for(assessment) if with_targets else None
    return engine_for(assessment.framework_version).score(answers_for(assessment), targets)


@transaction.atomic
def store_snapshot(assessment: Assessment) -> ScoreSnapshot:
    result = compute(assessment)
    ScoreSnapshot.objects.filter(assessment=assessment, is_current=True).update(is_current=False)
    return ScoreSnapshot.objects.create(
        assessment=assessment,
        overall_score=result.overall.score,
        overall_level=result.overall.level,
        figures=result.to_dict(),
    )
