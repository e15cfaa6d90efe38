"""One item's save from a posted answer form (the section page's autosave, the services grid,
a plain form post): parse, save with optimistic locking, and say what happened.

The page answers with the outcome's HTTP status: 200 saved, 422 an answer the rules refuse
(the field at fault named), 409 a conflict (someone saved after the version the form started
from) or an assessment that can no longer change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ceds.assessments import services
from ceds.assessments.answers import AnswerError, describe, parse_answer, posted_fields
from ceds.assessments.models import Answer

SAVED, INVALID, CONFLICT = 200, 422, 409
# Posted fields that are the form's machinery, not the person's answer.
_MACHINERY = ("csrfmiddlewaretoken", "base_version", "view")


@dataclass
class Outcome:
    status: int
    answer: Answer | None
    # What the answer form shows besides the stored answer (saved, error, conflict...).
    context: dict = field(default_factory=dict)


def _base_version(data) -> int:
    try:
        return int(data.get("base_version", "0"))
    except ValueError:
        return -1  # never a stored version: a conflict, shown as one


def _current(assessment, item) -> Answer | None:
    return Answer.objects.filter(assessment=assessment, item=item).select_related("updated_by").first()


def save_posted(user, assessment, item, data) -> Outcome:
    try:
        value = parse_answer(item.data, data)
        answer = services.save_answer(user, assessment, item, value, _base_version(data))
    except AnswerError as exc:
        # Show what the person entered, not the stored answer, so nothing they typed is lost.
        context = {"error": str(exc), "error_field": exc.field, "value": posted_fields(data)}
        return Outcome(INVALID, _current(assessment, item), context)
    except services.AnswerConflict as conflict:
        return Outcome(CONFLICT, conflict.current, _conflict_context(item, conflict.current, data))
    except services.WorkflowError as exc:
        return Outcome(CONFLICT, _current(assessment, item), {"error": exc.messages[0]})
    return Outcome(SAVED, answer, {"saved": True})


def _conflict_context(item, theirs: Answer | None, data) -> dict:
    try:
        mine = parse_answer(item.data, data)
    except AnswerError:
        mine = None
    return {
        "conflict": True,
        "theirs": describe(item.data, theirs.value if theirs else None),
        "theirs_by": theirs.updated_by if theirs else None,
        "mine": describe(item.data, mine),
        # Posted again by "Use my answer", on top of the version now stored.
        "mine_post": {k: v for k, v in data.items() if k not in _MACHINERY},
    }
