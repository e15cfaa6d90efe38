"""A two-part framework, its answers and targets, and the roadmap feasibility check shared by the planning tests."""

from ceds.scoring.tests.frameworks import two_part_framework
from ceds.solutions import planning

DEFINITION = two_part_framework()


ANSWERS = {
    "GM-01": {"value": 1},
    "GM-02": {"value": 2},
    "GM-03": {"value": 3},
    "PI-01": {"value": 2},
    "PI-02": {"value": 4},
    "NW-01": {"value": 2},
    "NW-02": {"value": 3},
    "ADM-001": {"status": "planned"},
    "ADM-002": {"status": "operating", "level": 3, "utilization": 50},
    "ADM-003": {"status": "absent"},
    "ADM-004": {"status": "operating", "level": 2},
}


TARGETS = {"GM": 4, "PI": 3, "NW": 4, "ADM": 4}


def _check_feasible(roadmap, modules, budget, staff, done=frozenset()):
    start = {c: year for year, codes in roadmap.phases.items() for c in codes}
    for code, year in start.items():
        assert code not in done
        assert year + planning.effort_for(modules[code]).years - 1 <= roadmap.horizon
        for pre in modules[code]["prerequisites"]:
            assert pre in done or start[pre] + planning.effort_for(modules[pre]).years <= year, f"{pre} before {code}"
    for entry in roadmap.years:
        assert budget is None or entry["cost"] <= budget + 1e-6
        assert staff is None or entry["staff"] <= staff + 1e-6
