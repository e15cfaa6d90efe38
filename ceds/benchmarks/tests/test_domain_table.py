"""The systems table's "Average" row (docs/methodology.md, section 3)."""

import pytest

from ceds.benchmarks.results import domain_table
from ceds.scoring.engine import Engine
from ceds.scoring.tests.frameworks import services_definition


def test_the_average_row_weights_utilization_by_the_services_that_report_one():
    definition = services_definition()
    definition["parts"][1]["groups"][0]["sections"].append(
        {
            "id": "LIF",
            "kind": "domain",
            "weight": 1,
            "title": {"en": "e-Life"},
            "items": [{"id": f"LIF-00{i}", "kind": "service", "weight": 1.0} for i in range(1, 4)],
        }
    )
    definition["parts"][1]["groups"][0]["sections"][0]["title"] = {"en": "e-Admin"}
    definition["parts"][1]["title"] = {"en": "Systems"}
    answers = {
        # e-Admin: three services in operation, one reports 90 %.
        "ADM-001": {"status": "operating", "level": 4, "utilization": 90},
        "ADM-002": {"status": "operating", "level": 4},
        "ADM-003": {"status": "operating", "level": 4},
        "ADM-004": {"status": "planned"},
        # e-Life: one in operation reporting 30 %, two reporting 60 %.
        "LIF-001": {"status": "operating", "level": 3, "utilization": 30},
        "LIF-002": {"status": "operating", "level": 3, "utilization": 60},
        "LIF-003": {"status": "operating", "level": 3, "utilization": 60},
    }
    for part in definition["parts"]:
        part.setdefault("title", {"en": part["id"]})
    definition["levels"] = [{**lv, "name": {"en": str(lv["level"])}} for lv in definition["levels"]]
    figures = Engine(definition).score(answers).to_dict()
    table = domain_table(definition, figures)
    # Methodology, section 3: the mean over the four services that report one, (90 + 30 + 60 + 60) / 4,
    # not weighted by the six services in operation ((90 x 3 + 50 x 3) / 6 = 70).
    assert table["average"]["extra"]["utilization_pct"] == pytest.approx(60)
    assert table["average"]["extra"]["total"] == 7
