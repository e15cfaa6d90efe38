"""compare_cycles(): two cycles of a city, what changed in the answers and in the figures;
FrameworkVersion.map_code(): how an old item is read in a newer version."""

import copy

from ceds.assessments.models import ScoreSnapshot
from ceds.benchmarks.tests.helpers import ANSWERS, validated_result
from ceds.frameworks.crosswalk import DROPPED
from ceds.frameworks.models import FrameworkVersion
from ceds.results.comparison import compare_cycles, item_points
from ceds.solutions.models import Action


def _figures(assessment):
    return ScoreSnapshot.objects.get(assessment=assessment, is_current=True).figures


def test_changed_answers_their_points_and_every_figure(world, kinds):
    older = validated_result(world, kinds, "2024")
    newer = validated_result(world, kinds, "2025", {**ANSWERS, "GV-01": {"choice": "2"}})
    old, new = _figures(older), _figures(newer)
    result = compare_cycles(older, newer, old, new)
    assert not result.version_changed
    assert [(c["old_code"], c["code"], c["section"]) for c in result.changes] == [("GV-01", "GV-01", "GV")]
    change = result.changes[0]
    assert change["delta"] == item_points(new, "GV", "GV-01") - item_points(old, "GV", "GV-01") < 0
    overall = next(d for d in result.figure_deltas if d["old"] == old["overall"]["score"])
    assert overall["delta"] == new["overall"]["score"] - old["overall"]["score"]
    assert not any(d["name"].startswith("GV-") for d in result.figure_deltas), "items are the changes' part"


def test_actions_of_the_older_cycle_show_their_items_before_and_after(world, kinds):
    older = validated_result(world, kinds, "2024", {**ANSWERS, "GV-01": {"choice": "1"}})
    Action.objects.create(assessment=older, city=world.city_a, title="Adopt a charter", linked_items=["GV-01"])
    newer = validated_result(world, kinds, "2025")
    result = compare_cycles(older, newer, _figures(older), _figures(newer))
    [entry] = result.actions
    assert entry["action"].title == "Adopt a charter"
    assert entry["moves"] == [{"code": "GV-01", "before": 1, "after": 4}]


def _newer_version(kinds, items: dict) -> FrameworkVersion:
    return FrameworkVersion(
        pk=kinds.pk + 1000,
        framework_id="kinds",
        version=2,
        definition=copy.deepcopy(kinds.definition),
        crosswalk={"from_version": 1, "items": items},
    )


def test_map_code_reads_an_old_item_through_the_crosswalk(kinds):
    newer = _newer_version(kinds, {"GV-01": DROPPED, "GV-03": "GV-03"})
    assert newer.map_code(kinds, "GV-01") is None, "dropped: nothing carries it"
    assert newer.map_code(kinds, "GV-02") == "GV-02", "unnamed: keeps its id"
    assert kinds.map_code(kinds, "GV-01") == "GV-01", "the same version reads every item as itself"
    assert newer.carried_codes(kinds, ["GV-04", "GV-01"]) == {"GV-04": "GV-04"}
