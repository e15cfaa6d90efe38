"""Services are scored on their kind's scale: a kind's own level_scores replace the framework's."""

import pytest

from ceds.scoring.engine import Engine

from .frameworks import LEVELS, SCORING


def _definition():
    return {
        "levels": LEVELS,
        "scoring": SCORING,
        "service_kinds": {
            "transaction": {"levels": {}},
            "information": {"levels": {}, "level_scores": {"1": 10, "2": 30, "3": 50, "4": 75, "5": 100}},
        },
        "parts": [
            {
                "id": "B",
                "weight": 1,
                "groups": [
                    {
                        "id": "domains",
                        "weight": 1,
                        "sections": [
                            {
                                "id": "SV",
                                "kind": "domain",
                                "weight": 1,
                                "items": [
                                    {"id": "SV-001", "kind": "service", "weight": 1, "service_kind": "transaction"},
                                    {"id": "SV-002", "kind": "service", "weight": 1, "service_kind": "information"},
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
    }


def test_an_information_service_published_online_scores_above_zero():
    result = Engine(_definition()).score(
        {"SV-001": {"status": "operating", "level": 1}, "SV-002": {"status": "operating", "level": 1}}
    )
    assert result["item:SV-001"].score == 0  # a transaction service that only informs earns nothing
    assert result["item:SV-002"].score == 10
    assert result["item:SV-002"].level == 1  # still in level 1's band
    assert result["section:SV"].score == pytest.approx(5)


@pytest.mark.parametrize(("level", "score", "band"), [(2, 30, 2), (3, 50, 3), (4, 75, 4), (5, 100, 5)])
def test_information_levels_stay_in_their_own_band(level, score, band):
    figure = Engine(_definition()).score({"SV-002": {"status": "operating", "level": level}})["item:SV-002"]
    assert (figure.score, figure.level) == (score, band)


def test_status_factor_applies_to_the_kind_score():
    figure = Engine(_definition()).score({"SV-002": {"status": "developing", "level": 3}})["item:SV-002"]
    assert figure.score == pytest.approx(50 * 0.25)


def test_a_kind_without_level_scores_uses_the_framework_scores():
    figure = Engine(_definition()).score({"SV-001": {"status": "operating", "level": 4}})["item:SV-001"]
    assert figure.score == 75
