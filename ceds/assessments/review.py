"""The validator's review of a submission: per section, the answers beside the previous
cycle's, the evidence and comments of each item, filters, and the items marked to return with
a note. Reads a fixed number of queries whatever the number of answers."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from ceds.assessments.answers import describe
from ceds.assessments.models import Answer, Comment, Evidence
from ceds.assessments.previous import previous_cycle
from ceds.frameworks.models import Section, version_items

FILTERS = ("changed", "carried", "comments", "low_evidence")


class ReviewError(ValueError):
    """A return the validator must complete: names the item at fault."""


def _answered(value) -> bool:
    return bool(value) and not value.get("na") and not value.get("dont_know")


def _matches(row: dict, show: str) -> bool:
    if show == "changed":
        return row["changed"]
    if show == "carried":
        return row["carried"]
    if show == "comments":
        return bool(row["comments"])
    if show == "low_evidence":
        return row["low_evidence"]
    return True


def review_rows(assessment, section_code: str = "", show: str = "") -> dict:
    """The rows to review (of one section when `section_code` names one), with each filter's count."""
    items = [i for i in version_items(assessment.framework_version).values() if i.kind != "text"]
    sections = list(Section.objects.filter(framework_version=assessment.framework_version))
    section = next((s for s in sections if s.code == section_code), None)
    if section is not None:
        items = [i for i in items if i.section_id == section.pk]
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    evidence, comments = defaultdict(list), defaultdict(list)
    for e in Evidence.objects.filter(assessment=assessment):
        evidence[e.item_id].append(e)
    for c in Comment.objects.filter(assessment=assessment).select_related("author"):
        comments[c.item_id].append(c)
    previous = previous_cycle(assessment)
    rows = []
    for item in items:
        answer = answers.get(item.pk)
        value = answer.value if answer else None
        rows.append(
            {
                "item": item,
                "answer": describe(item.data, value),
                "previous": describe(item.data, previous.values.get(item.code)) if previous else "",
                "changed": previous.changed(item.code, value),
                "carried": bool(answer and answer.carried_forward),
                "evidence": evidence[item.pk],
                "comments": comments[item.pk],
                "low_evidence": _answered(value) and not evidence[item.pk],
            }
        )
    counts = {name: sum(1 for row in rows if _matches(row, name)) for name in FILTERS}
    show = show if show in FILTERS else ""
    return {
        "rows": [row for row in rows if _matches(row, show)],
        "counts": counts,
        "show": show,
        "sections": sections,
        "section": section,
        "previous_period": previous.period,
    }


def return_notes(data, items) -> dict:
    """{item: note} of the items marked to return: ticked, or with a note written. A tick
    without a note is refused, naming the item, so the city always learns what to change."""
    ticked = set(data.getlist("return"))
    notes = {}
    for item in items:
        note = (data.get(f"comment-{item.code}") or "").strip()
        if item.code in ticked and not note:
            raise ReviewError(
                _("%(code)s is marked to return: write what the city should change.") % {"code": item.code}
            )
        if note:
            notes[item] = note
    return notes
