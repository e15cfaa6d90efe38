"""Gaps, priorities, recommendations and the roadmap, on small hand-made cases."""

import itertools

import pytest

from ceds.scoring.engine import Engine
from ceds.scoring.tests.frameworks import two_part_framework
from ceds.solutions import planning

DEFINITION = two_part_framework()


def module(code, raises, prerequisites=(), cost="low", staff=1, **reasonable):
    return {
        "id": code,
        "raises": raises,
        "prerequisites": list(prerequisites),
        "effort": {"cost_band": cost, "duration_months": 6, "staff": staff},
        "reasonable_when": {"text": {"en": "x"}, **reasonable},
    }


MODULES = {
    "strategy": module("strategy", {"GM-01": 4}),
    "cio": module("cio", {"GM-02": 3}, ["strategy"]),
    "portal": module("portal", {"PI-01": 4, "ADM-001": 4}, ["cio"], cost="medium", staff=2),
    "network": module("network", {"NW-01": 4, "NW-02": 4}, cost="high", staff=3, min_ict_staff=10),
}
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


@pytest.fixture
def figures():
    return Engine(DEFINITION).score(ANSWERS).to_dict()


def test_default_target_is_one_up_or_the_upper_quartile_level():
    assert planning.default_target(2, None) == 3
    assert planning.default_target(2, 4) == 4
    assert planning.default_target(5, 3) == 5


def test_gaps_and_priority_arithmetic(figures):
    gaps = planning.gaps(DEFINITION, figures, {"GM": 4, "PI": 3, "NW": 4, "ADM": 4}, MODULES)
    by_code = {g.code: g for g in gaps}
    # GM-01: level 1 -> target 4, gap 3, weight 2; strategy has 2 modules building on it
    # (cio directly, portal through cio), so foundational = 3 and priority = 2 × 3 × 3 = 18.
    gm01 = by_code["GM-01"]
    assert (gm01.current, gm01.target, gm01.gap, gm01.weight, gm01.foundational) == (1, 4, 3, 2.0, 3)
    assert gm01.priority == 18
    # GM-02: level 2 -> 4, gap 2, weight 1, cio has portal on it: 1 × 2 × 2 = 4.
    assert by_code["GM-02"].priority == 4
    # GM-03 at 3 -> 4, no module closes it: foundational 1, priority 1.
    assert by_code["GM-03"].priority == 1
    assert "PI-02" not in by_code, "already at or above target"
    assert gaps[0].code == "GM-01", "ranked by priority"


def test_necessary_and_reasonable_with_reasons_and_prerequisites_first(figures):
    gaps = planning.gaps(DEFINITION, figures, {"GM": 4, "PI": 3, "NW": 4, "ADM": 4}, MODULES)
    recs = planning.recommend(gaps, MODULES, {"population_band": "1m_5m", "budget_band": "small", "ict_staff": 4})
    order = [r.code for r in recs]
    assert order.index("strategy") < order.index("cio") < order.index("portal")
    by_code = {r.code: r for r in recs}
    assert by_code["strategy"].necessary
    assert (
        "GM-01 is at level 1 and 2 other recommended modules build on the module that closes it"
        in by_code["strategy"].reasons[0]
    )
    assert by_code["cio"].necessary  # GM-02 at level 2 and portal builds on cio
    assert not by_code["portal"].necessary
    assert by_code["network"].reasonable is False and by_code["network"].unsuited == ["4 ICT staff (needs 10)"]
    assert by_code["portal"].reasonable


def _brute_force(candidates, budget, staff):
    """Every assignment of every candidate to a phase or to nothing; the best score wins."""
    engine = Engine(DEFINITION)
    cost = {c: planning.COST_OF_BAND[MODULES[c]["effort"]["cost_band"]] for c in candidates}
    best = engine.score(ANSWERS).overall.score
    for assignment in itertools.product(range(planning.PHASES + 1), repeat=len(candidates)):
        phase = dict(zip(candidates, assignment, strict=True))
        ok = True
        for p in range(1, planning.PHASES + 1):
            chosen = [c for c in candidates if phase[c] == p]
            if sum(cost[c] for c in chosen) > budget or sum(MODULES[c]["effort"]["staff"] for c in chosen) > staff:
                ok = False
        for c in candidates:
            for pre in MODULES[c]["prerequisites"]:
                if phase[c] and not (phase.get(pre, 0) and phase[pre] < phase[c]):
                    ok = False
        if ok:
            selected = [c for c in candidates if phase[c]]
            value = engine.score(planning.apply_raises(DEFINITION, ANSWERS, selected, MODULES)).overall.score
            best = max(best, value)
    return best


@pytest.mark.parametrize(("budget", "staff"), [(30_000, 1), (200_000, 3), (700_000, 5), (3_000_000, 10), (160_000, 2)])
def test_roadmap_is_optimal_on_small_cases(budget, staff):
    candidates = sorted(MODULES)
    roadmap = planning.plan(DEFINITION, ANSWERS, candidates, MODULES, budget, staff)
    assert roadmap.exact
    assert roadmap.planned_score == pytest.approx(_brute_force(candidates, budget, staff))
    placed = {c: p for p, codes in roadmap.phases.items() for c in codes}
    for code, phase in placed.items():
        for pre in MODULES[code]["prerequisites"]:
            assert placed[pre] < phase, f"{pre} must come before {code}"
    for codes in roadmap.phases.values():
        assert sum(planning.COST_OF_BAND[MODULES[c]["effort"]["cost_band"]] for c in codes) <= budget
    for code in candidates:
        assert code in placed or code in roadmap.left_out, "every module is either planned or explained"


def test_roadmap_explains_what_did_not_fit():
    roadmap = planning.plan(DEFINITION, ANSWERS, sorted(MODULES), MODULES, 100_000, 2)
    assert "annual budget is USD 100,000" in roadmap.left_out["network"]
    assert roadmap.phases[1] == ["strategy"] or "strategy" in roadmap.phases[1]
    assert roadmap.gain > 0


def test_roadmap_is_deterministic():
    first = planning.plan(DEFINITION, ANSWERS, sorted(MODULES), MODULES, 200_000, 3)
    second = planning.plan(DEFINITION, ANSWERS, sorted(MODULES, reverse=True), MODULES, 200_000, 3)
    assert first.phases == second.phases and first.left_out == second.left_out
