"""The previous cycle's answers as this cycle's items read them: what the services grid and
the review show beside each answer, and what "changed since last cycle" compares with."""

from __future__ import annotations

from dataclasses import dataclass, field

from ceds.assessments.models import Answer, Assessment
from ceds.assessments.services import previous_assessment
from ceds.frameworks.crosswalk import DROPPED, carry_map
from ceds.frameworks.models import version_items


@dataclass
class PreviousCycle:
    period: str = ""
    # {this version's item code: the previous cycle's answer value}
    values: dict[str, dict] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.period)

    def changed(self, code: str, value: dict | None) -> bool:
        """The answer differs from the previous cycle's (only when there was one)."""
        return bool(self.period) and value is not None and self.values.get(code) != value


def previous_cycle(assessment: Assessment) -> PreviousCycle:
    """The cycle the answers were carried from, else the latest validated one before this
    period; its answers mapped through the crosswalk when the framework version changed
    (two queries, whatever the number of answers)."""
    version = assessment.framework_version
    previous = None
    if assessment.carried_from_id:
        previous = Assessment.objects.filter(pk=assessment.carried_from_id).select_related("framework_version").first()
    if previous is None:
        previous = previous_assessment(assessment.city, version.framework_id, assessment.period, assessment.pk)
    if previous is None:
        return PreviousCycle()
    old = list(Answer.objects.filter(assessment=previous).values_list("item__code", "item__kind", "value"))
    new_kinds = {code: item.kind for code, item in version_items(version).items()}
    crosswalk = version.crosswalk if previous.framework_version_id != version.pk else None
    mapped = carry_map({code: kind for code, kind, _v in old}, new_kinds, crosswalk)
    values = {mapped[code]: value for code, _kind, value in old if code in mapped}
    return PreviousCycle(previous.period, values)


def renamed_from(assessment, answers) -> dict[str, str]:
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
