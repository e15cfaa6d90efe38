"""Two cycles of one city side by side: what changed in the answers and what it did to the figures.

`compare_cycles` reads the stored answers of both cycles (two queries), the newer version's items
(one) and the older cycle's actions (one); the figures come from the results the caller already
loaded. Old answers are read through the newer version's crosswalk exactly as carrying forward
reads them (FrameworkVersion.carried_codes), so an item the crosswalk drops is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ceds.assessments.answers import describe
from ceds.assessments.models import Answer, Assessment
from ceds.assessments.presenters import figure_names
from ceds.frameworks.models import Item
from ceds.solutions.models import Action


@dataclass(frozen=True)
class Comparison:
    changes: list[dict]  # per changed answer: codes, title, old and new answer described, section, points delta
    figure_deltas: list[dict]  # per figure above the items: name, old and new score, delta
    actions: list[dict]  # per action of the older cycle: the levels of its linked items before and after
    version_changed: bool


def compare_cycles(older: Assessment, newer: Assessment, old_figures: dict, new_figures: dict) -> Comparison:
    """What changed from `older` to `newer` (two cycles of one framework), with their result figures."""
    old_version, new_version = older.framework_version, newer.framework_version
    carried = new_version.carried_codes(old_version)
    return Comparison(
        changes=_answer_changes(older, newer, carried, old_figures, new_figures),
        figure_deltas=_figure_deltas(new_version.definition, old_figures, new_figures),
        actions=_action_moves(older, carried, old_figures, new_figures),
        version_changed=old_version.pk != new_version.pk,
    )


def item_points(figures: dict, section_code: str, item_code: str) -> float:
    """The points an item adds to its section's score (0 when it adds none)."""
    for contribution in (figures.get(f"section:{section_code}") or {}).get("contributions", []):
        if contribution["key"] == f"item:{item_code}":
            return contribution["points"]
    return 0.0


def _answer_changes(older, newer, carried: dict[str, str], old_figures: dict, new_figures: dict) -> list[dict]:
    old_answers = dict(Answer.objects.filter(assessment=older).values_list("item__code", "value"))
    new_answers = dict(Answer.objects.filter(assessment=newer).values_list("item__code", "value"))
    new_items = {
        i.code: i for i in Item.objects.filter(framework_version=newer.framework_version).select_related("section")
    }
    changes = []
    for old_code, old_value in sorted(old_answers.items()):
        item = new_items.get(carried.get(old_code, ""))
        if item is None or new_answers.get(item.code) == old_value:
            continue
        new_value = new_answers.get(item.code)
        section = item.section.code
        changes.append(
            {
                "code": item.code,
                "old_code": old_code,
                "title": item.title,
                "old": describe(item.data, old_value),
                "new": describe(item.data, new_value),
                "section": section,
                "delta": item_points(new_figures, section, item.code) - item_points(old_figures, section, old_code),
            }
        )
    return changes


def _figure_deltas(definition: dict, old_figures: dict, new_figures: dict) -> list[dict]:
    deltas = []
    for key, name in figure_names(definition).items():
        if key.startswith("item:"):
            continue
        old_score = (old_figures.get(key) or {}).get("score")
        new_score = (new_figures.get(key) or {}).get("score")
        deltas.append(
            {
                "name": name,
                "old": old_score,
                "new": new_score,
                "delta": None if old_score is None or new_score is None else new_score - old_score,
            }
        )
    return deltas


def _action_moves(older, carried: dict[str, str], old_figures: dict, new_figures: dict) -> list[dict]:
    actions = []
    for action in Action.objects.filter(assessment=older).order_by("pk"):
        moves = []
        for code in action.linked_items:
            before = (old_figures.get(f"item:{code}") or {}).get("level")
            new_code = carried.get(code)
            after = (new_figures.get(f"item:{new_code}") or {}).get("level") if new_code else None
            moves.append({"code": code, "before": before, "after": after})
        actions.append({"action": action, "moves": moves})
    return actions
