"""The golden example of docs/methodology.md: every figure there, checked against the engine."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from ceds.content.reader import read_content
from ceds.scoring.engine import Engine

FIXTURE = Path(__file__).parent / "fixtures" / "golden_city.yaml"


@pytest.fixture(scope="module")
def result():
    bundle = read_content(Path(settings.CONTENT_DIR))
    assert not bundle.problems
    answers = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["answers"]
    return Engine(bundle.framework("ceds", 1).engine_definition()).score(answers)


@pytest.mark.parametrize(
    ("key", "score", "level"),
    [
        ("section:GM", 700 / 14, 3),
        ("section:PI", 625 / 15, 3),
        ("section:RC", 150 / 15, 1),
        ("group:A/internal", (50 + 625 / 15 + 10) / 3, 2),
        ("section:NW", 75, 4),
        ("section:CR", 1050 / 15, 4),
        ("section:PS", 50, 3),
        ("group:A/external", 65, 4),
        ("part:A", ((50 + 625 / 15 + 10) / 3 + 65) / 2, 3),
        ("section:ADM", 1425 / 30, 3),
        ("section:LIF", 1343.75 / 30, 3),
        ("section:IND", 281.25 / 20, 1),
        ("section:INF", 80, 5),
        ("part:B", (1425 / 30 + 1343.75 / 30 + 281.25 / 20 + 80) / 4, 3),
    ],
)
def test_figure(result, key, score, level):
    assert result[key].score == pytest.approx(score)
    assert result[key].level == level


def test_overall(result):
    part_a = ((50 + 625 / 15 + 10) / 3 + 65) / 2
    part_b = (1425 / 30 + 1343.75 / 30 + 281.25 / 20 + 80) / 4
    assert result.overall.score == pytest.approx((part_a + part_b) / 2)
    assert round(result.overall.score, 1) == 48.0
    assert result.overall.level == 3
    assert result.overall.answered == result.overall.applicable == 90 - 4 + 110 - 5


@pytest.mark.parametrize(
    ("domain", "total", "operating", "developing", "utilization"),
    [
        ("ADM", 30, 20 / 30 * 100, 4 / 30 * 100, 72.5),
        ("LIF", 30, 20 / 30 * 100, 5 / 30 * 100, 45.0),
        ("IND", 20, 25.0, 25.0, 40.0),
        ("INF", 25, 100.0, 0.0, 86.0),
    ],
)
def test_service_domain_table(result, domain, total, operating, developing, utilization):
    extra = result[f"section:{domain}"].extra
    assert extra["total"] == total
    assert extra["operating_pct"] == pytest.approx(operating)
    assert extra["developing_pct"] == pytest.approx(developing)
    assert extra["utilization_pct"] == pytest.approx(utilization)


def test_dont_know_and_na_in_governance(result):
    assert result["item:GM-15"].state == "dont_know" and result["item:GM-15"].score == 0
    assert result["item:GM-14"].state == "na" and result["section:GM"].applicable == 14
