"""The services grid of a domain: one row per service (status, level, utilization, systems),
with which fields apply (answers.service_field_rules), the last saved state, and the filters
unanswered / carried forward / changed since the previous cycle.

Reads a fixed number of queries whatever the number of services answered (tested)."""

from __future__ import annotations

import json

from ceds.accounts import roles
from ceds.assessments.answers import describe, service_field_rules, service_scale_for, utilization_asked
from ceds.assessments.models import Answer, Assessment
from ceds.assessments.previous import PreviousCycle, previous_cycle, renamed_from
from ceds.frameworks.models import Item

FILTERS = ("unanswered", "carried", "changed")


def is_grid_section(section) -> bool:
    """A domain whose items are all services is entered in the grid."""
    return section.kind == "domain"


def rules_json() -> str:
    """The field rules of the two kinds of service row (utilization asked or not), once per
    page for the grid's script: which fields apply at each status, and why not."""
    return json.dumps(
        {
            "asked": service_field_rules({}),
            "not_asked": service_field_rules({"utilization": {"not_asked": True}}),
        },
        ensure_ascii=False,
    )


def _matches(row: dict, show: str) -> bool:
    if show == "unanswered":
        return row["answer"] is None
    if show == "carried":
        return bool(row["answer"] and row["answer"].carried_forward)
    if show == "changed":
        return row["changed"]
    return True


def row_for(assessment, item, answer, user, previous: PreviousCycle | None = None, editable=None, **extra) -> dict:
    """One service's row. `previous` and `editable` are passed by the page (read once for all
    rows); a single row's save reads them itself."""
    if previous is None:
        previous = previous_cycle(assessment)
    if editable is None:
        editable = assessment.status in Assessment.OPEN_STATUSES and roles.can_edit_section(
            user, assessment, item.section
        )
    value = extra.pop("value", None) or (answer.value if answer else {})
    status = "na" if value.get("na") else value.get("status", "")
    rules = service_field_rules(item.data)
    scale = service_scale_for(assessment.framework_version.definition, item.data) or {}
    return {
        "assessment": assessment,
        "item": item,
        "code": item.code,
        "data": item.data,
        "answer": answer,
        "value": value,
        "status": status,
        "version": answer.version if answer else 0,
        "editable": editable,
        "levels": (scale.get("levels") or {}).items(),
        "rules": rules[status] if status in rules else rules[""],
        "rules_key": "asked" if utilization_asked(item.data) else "not_asked",
        "previous": describe(item.data, previous.values.get(item.code)) if previous else "",
        "changed": previous.changed(item.code, answer.value if answer else None),
        **extra,
    }


def grid_for(assessment, section, user, show: str = "") -> dict:
    """The rows of a domain (those `show` keeps), with the count each filter would show."""
    items = list(Item.objects.filter(section=section).select_related("section"))
    answers = {
        a.item_id: a
        for a in Answer.objects.filter(assessment=assessment, item__section=section).select_related("updated_by")
    }
    previous = previous_cycle(assessment)
    editable = assessment.status in Assessment.OPEN_STATUSES and roles.can_edit_section(user, assessment, section)
    renamed = renamed_from(assessment, answers.values())  # carried answers that changed id
    rows = [
        row_for(
            assessment, item, answers.get(item.pk), user, previous, editable, renamed_from=renamed.get(item.code, "")
        )
        for item in items
    ]
    counts = {name: sum(1 for row in rows if _matches(row, name)) for name in FILTERS}
    show = show if show in FILTERS else ""
    shown = [row for row in rows if _matches(row, show)]
    # The keyboard starts at the first service still to answer: no keystroke to get there.
    first = next((row for row in shown if row["answer"] is None), None)
    if editable and first is not None:
        first["autofocus"] = True
    return {
        "rows": shown,
        "total": len(rows),
        "counts": counts,
        "show": show,
        "previous_period": previous.period,
        "editable": editable,
        "rules_json": rules_json(),
    }
