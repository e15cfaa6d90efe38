"""Hand-computed examples: every expected figure is written out with its arithmetic."""

import pytest

from ceds.scoring.engine import Engine, score

from .frameworks import points_framework, two_part_framework

ANSWERS = {
    "GM-01": {"value": 4},  # 75, weight 2
    "GM-02": {"value": 2},  # 25
    "GM-03": {"na": True},  # leaves the denominator
    "PI-01": {"dont_know": True},  # counted as the lowest level: 0
    "PI-02": {"value": 5},  # 100
    "PI-03": {"value": "Staff turnover is our main challenge."},  # text: never scored
    "NW-01": {"value": 3},  # 50
    # NW-02 unanswered: left out, figure flagged as provisional
    "ADM-001": {"status": "operating", "level": 4, "utilization": 80},  # 75 x 1
    "ADM-002": {"status": "developing", "level": 3, "utilization": 10},  # 50 x 0.25 = 12.5
    "ADM-003": {"status": "planned", "level": 5},  # 0
    "ADM-004": {"status": "operating", "level": 2, "utilization": 40},  # 25 x 1
}


@pytest.fixture
def result():
    return score(two_part_framework(), ANSWERS, targets={"NW": 4})


def test_dimension_with_weights_and_na(result):
    # GM = (75*2 + 25*1) / 3 = 175 / 3 = 58.333…  (GM-03 is N/A)
    gm = result["section:GM"]
    assert gm.score == pytest.approx(175 / 3)
    assert gm.level == 3  # 40 <= 58.3 < 60
    assert (gm.answered, gm.applicable) == (2, 2)


def test_dont_know_counts_as_lowest(result):
    # PI = (0 + 100) / 2 = 50; the text item PI-03 is not part of it
    assert result["section:PI"].score == pytest.approx(50)
    assert result["item:PI-01"].state == "dont_know"
    assert "item:PI-03" not in result.figures


def test_unanswered_item_is_left_out_and_flagged(result):
    # NW = 50 (NW-01 only); 1 of 2 answered
    nw = result["section:NW"]
    assert nw.score == pytest.approx(50)
    assert (nw.answered, nw.applicable) == (1, 2)
    assert not nw.complete
    assert any("provisional" in note for note in nw.notes)


def test_target_and_gap(result):
    # NW level 3 (score 50), target 4 -> gap 1
    assert result["section:NW"].extra["target"] == 4
    assert result["section:NW"].extra["gap"] == 1


def test_groups_parts_and_overall(result):
    internal = (175 / 3 + 50) / 2  # = 54.1666…
    external = 50.0
    part_a = (internal + external) / 2  # = 52.0833…
    # ADM = (75 + 12.5 + 0 + 25) / 4 = 28.125
    part_b = 28.125
    overall = (part_a + part_b) / 2  # = 40.1041…
    assert result["group:A/internal"].score == pytest.approx(internal)
    assert result["part:A"].score == pytest.approx(part_a)
    assert result["part:B"].score == pytest.approx(part_b)
    assert result.overall.score == pytest.approx(overall)
    assert result.overall.level == 3


def test_service_domain_figures(result):
    # Base: 4 services with a known status. Operating 2/4 = 50 %, developing 1/4 = 25 %,
    # utilization = mean over operating services = (80 + 40) / 2 = 60 %.
    adm = result["section:ADM"].extra
    assert adm["total"] == 4
    assert adm["operating_pct"] == pytest.approx(50)
    assert adm["developing_pct"] == pytest.approx(25)
    assert adm["utilization_pct"] == pytest.approx(60)


def test_points_framework_counts_points_earned_over_possible():
    answers = {"PRIV-01": {"value": 2}, "PRIV-02": {"value": True}, "USAB-01": {"value": 30}}
    result = score(points_framework(), answers)
    # PRIV = (2 + 1) / (3 + 1) = 75; USAB: 30 -> 2 of 4 points = 50; total = (75 + 50) / 2 = 62.5
    assert result["section:PRIV"].score == pytest.approx(75)
    assert result["section:USAB"].score == pytest.approx(50)
    assert result.overall.score == pytest.approx(62.5)
    assert result.overall.level == 4


def test_show_if_hides_items_when_condition_not_met():
    definition = two_part_framework()
    definition["parts"][0]["groups"][0]["sections"][0]["items"][2]["show_if"] = {"item": "GM-01", "in": [4, 5]}
    engine = Engine(definition)
    hidden = engine.score({"GM-01": {"value": 2}, "GM-02": {"value": 2}})
    assert hidden["item:GM-03"].state == "hidden"
    assert hidden["section:GM"].applicable == 2
    shown = engine.score({"GM-01": {"value": 4}, "GM-02": {"value": 2}})
    assert shown["section:GM"].applicable == 3


def test_explanations_round_trip_to_plain_data(result):
    data = result.to_dict()
    gm = data["section:GM"]
    assert [c["key"] for c in gm["contributions"]] == ["item:GM-01", "item:GM-02"]
    assert sum(c["points"] for c in gm["contributions"]) == pytest.approx(gm["score"])
