"""Turning stored answers into a stored score snapshot (the only place that calls the engine)."""

from django.db import transaction

from ceds.assessments.models import Assessment, ScoreSnapshot, SectionTarget
from ceds.frameworks.models import version_items
from ceds.scoring.engine import Engine


def answers_for(assessment: Assessment, codes=None) -> dict[str, dict]:
    """{item code: answer value}, of every item or of the `codes` given; codes come from the
    version's items the process keeps (no join)."""
    code_of = {
        pk: code
        for pk, code in version_items(assessment.framework_version).codes_by_id().items()
        if codes is None or code in codes
    }
    answers = assessment.answers.all() if codes is None else assessment.answers.filter(item_id__in=code_of)
    return {code_of[item_id]: value for item_id, value in answers.values_list("item_id", "value")}


def section_of(definition: dict, code: str) -> dict:
    """A section of a framework definition, by its code."""
    return next(s for p in definition["parts"] for g in p["groups"] for s in g["sections"] if s["id"] == code)


def stored_targets(assessment: Assessment) -> dict[str, int]:
    """section code -> the target level stored for it (what the engine reads as a to-be level)."""
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


def section_result(assessment: Assessment, section_code: str):
    """The engine's result from one section's answers (and those its items' conditions refer
    to): right for that section's figure and its items' states, which depend on nothing else,
    so an autosave need not read and score the whole assessment to show the section's progress.
    """
    section = section_of(assessment.framework_version.definition, section_code)
    codes = {item["id"] for item in section["items"]}
    codes |= {item["show_if"]["item"] for item in section["items"] if item.get("show_if")}
    return engine_for(assessment.framework_version).score(answers_for(assessment, codes))


def compute(assessment: Assessment):
    """The engine's result for the assessment's current answers (not stored)."""
    return engine_for(assessment.framework_version).score(answers_for(assessment), stored_targets(assessment))


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
