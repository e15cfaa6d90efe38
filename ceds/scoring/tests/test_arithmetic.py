"""Definitions without weights are refused; "don't know" services count alike in the score and the counts."""

import copy

import pytest

from ceds.scoring.engine import DefinitionError, Engine
from ceds.scoring.tests.frameworks import services_definition, two_part_framework


def test_an_item_without_a_weight_is_refused_by_name():
    definition = two_part_framework()
    del definition["parts"][0]["groups"][0]["sections"][0]["items"][1]["weight"]
    with pytest.raises(DefinitionError, match=r"item GM-02 has no positive weight"):
        Engine(definition)


@pytest.mark.parametrize(
    ("path", "name"),
    [((0,), "part A"), ((0, 0), "group internal"), ((0, 0, 0), "section GM")],
)
def test_a_figure_without_a_weight_is_refused_by_name(path, name):
    definition = two_part_framework()
    node = definition["parts"][path[0]]
    if len(path) > 1:
        node = node["groups"][path[1]]
    if len(path) > 2:
        node = node["sections"][path[2]]
    node["weight"] = 0
    with pytest.raises(DefinitionError, match=name):
        Engine(definition)


def test_text_items_need_no_weight():
    definition = two_part_framework()
    assert any(
        i["kind"] == "text" and "weight" not in i for i in definition["parts"][0]["groups"][0]["sections"][1]["items"]
    )
    Engine(definition)


def test_a_dont_know_service_counts_in_total_services_as_in_the_score():
    engine = Engine(services_definition())
    answers = {
        "ADM-001": {"status": "operating", "level": 4, "utilization": 60},
        "ADM-002": {"status": "developing", "level": 3},
        "ADM-003": {"dont_know": True},
        "ADM-004": {"na": True},
    }
    figure = engine.score(answers)["section:ADM"]
    # The score counts three services (the don't know at 0); so does Total services.
    assert figure.score == pytest.approx((75 + 12.5 + 0) / 3)
    assert figure.extra["total"] == 3 and figure.extra["dont_know"] == 1
    assert figure.extra["operating_pct"] == pytest.approx(100 / 3)
    assert figure.extra["developing_pct"] == pytest.approx(100 / 3)
    assert figure.extra["utilization_pct"] == 60 and figure.extra["utilization_n"] == 1

    excluded = copy.deepcopy(services_definition())
    excluded["scoring"] = {**excluded["scoring"], "dont_know": "exclude"}
    figure = Engine(excluded).score(answers)["section:ADM"]
    assert figure.score == pytest.approx((75 + 12.5) / 2) and figure.extra["total"] == 2
