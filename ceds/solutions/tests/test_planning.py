"""Gaps, priorities, recommendations and the roadmap, on small hand-made cases."""

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceds.scoring.engine import Engine
from ceds.solutions import planning
from ceds.solutions.tests.planning_fixture import ANSWERS, DEFINITION, TARGETS, _check_feasible


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
    # GM-01: level 1 -> target 4, gap 3, weight 2; two of the other three modules build on strategy
    # (cio directly, portal through cio): foundation = 1 + ln(1 + 2) / ln(1 + 3) = 1.79,
    # priority = 2 × 3 × 1.79 = 10.75.
    gm01 = by_code["GM-01"]
    assert (gm01.current, gm01.target, gm01.gap, gm01.weight, gm01.dependants) == (1, 4, 3, 2.0, 2)
    assert gm01.foundation == pytest.approx(1 + math.log(3) / math.log(4))
    assert gm01.priority == pytest.approx(10.754888, abs=1e-6)
    # GM-02: level 2 -> 4, gap 2, weight 1, portal builds on cio: 1 × 2 × (1 + ln 2 / ln 4) = 3.
    assert by_code["GM-02"].priority == pytest.approx(3)
    # GM-03 at 3 -> 4, no module closes it: foundation 1, priority 1.
    assert by_code["GM-03"].priority == 1
    assert "PI-02" not in by_code, "already at or above target"
    assert gaps[0].code == "GM-01", "ranked by priority"


@given(
    st.floats(0.5, 3),
    st.integers(0, 500),
    st.integers(1, 500),
)
def test_a_foundation_never_lifts_a_gap_of_one_above_a_gap_of_three(weight, dependants, library):
    foundation = planning.Gap("A", "GM", {}, 1, 2, weight, min(dependants, library), [], library)
    core = planning.Gap("B", "GM", {}, 1, 4, weight, 0, [], library)
    assert 1 <= foundation.foundation <= 2
    assert foundation.priority < core.priority


def test_necessary_and_reasonable_with_reasons_and_prerequisites_first(figures):
    gaps = planning.gaps(DEFINITION, figures, {"GM": 4, "PI": 3, "NW": 4, "ADM": 4}, MODULES)
    recs = planning.recommend(gaps, MODULES, {"population_band": "1m_5m", "budget_band": "small", "ict_staff": 4})
    order = [r.code for r in recs]
    assert order.index("strategy") < order.index("cio") < order.index("portal")
    by_code = {r.code: r for r in recs}
    assert by_code["strategy"].necessary
    assert by_code["strategy"].reasons[0] == "closes key gap GM-01 (level 1, target 4, priority 10.8)"
    assert by_code["cio"].necessary and by_code["portal"].necessary
    assert by_code["network"].reasonable is False and by_code["network"].unsuited == ["4 ICT staff (needs 10)"]
    assert not by_code["network"].necessary, "a module that does not fit the city is never necessary"
    assert by_code["portal"].reasonable


def test_necessary_keeps_to_the_key_gaps_and_at_most_fifteen_modules(figures, monkeypatch):
    gaps = planning.gaps(DEFINITION, figures, {"GM": 4, "PI": 3, "NW": 4, "ADM": 4}, MODULES)
    monkeypatch.setattr(planning, "KEY_GAPS", 1)
    recs = {r.code: r for r in planning.recommend(gaps, MODULES, {"ict_staff": 20})}
    assert [c for c, r in recs.items() if r.necessary] == ["strategy"], "only GM-01, the top gap, is key"
    monkeypatch.setattr(planning, "KEY_GAPS", 10)
    monkeypatch.setattr(planning, "MAX_NECESSARY", 2)
    recs = {r.code: r for r in planning.recommend(gaps, MODULES, {"ict_staff": 20})}
    necessary = [c for c, r in recs.items() if r.necessary]
    assert len(necessary) <= 2 and "strategy" in necessary
    assert {r.code for r in recs.values() if not r.necessary} >= {"portal"}, "the cap leaves the rest for later"


def test_fits_names_each_condition_and_takes_the_national_route():
    procurement = {
        "reasonable_when": {"text": {"en": "x"}, "unless_national": ["e_procurement"], "income_groups": ["high"]},
        "cheaper_route": {"kind": "national_platform", "national": "e_procurement"},
    }
    own = planning.fits(procurement, {"income_group": "high"})
    assert own.ok and own.route == "own" and own.why == ["high income"]
    national = planning.fits(procurement, {"income_group": "high", "national_platforms": ["e_procurement"]})
    assert national.ok and national.route == "cheaper"
    assert "join it instead of building" in national.why[-1]
    poor = planning.fits(procurement, {"income_group": "low"})
    assert not poor.ok and poor.against == ["low income"]
    no_route = {
        "reasonable_when": {"text": {"en": "x"}, "unless_national": ["e_id"], "requires_national": ["e_payment"]}
    }
    verdict = planning.fits(no_route, {"national_platforms": ["e_id"]})
    assert not verdict.ok and len(verdict.against) == 2
    assert "national payment gateway" in verdict.against[0] and "national digital identity" in verdict.against[1]
    either = {"reasonable_when": {"text": {"en": "x"}, "requires_national": ["e_id", "e_payment"]}}
    assert planning.fits(either, {"national_platforms": ["e_payment"]}).ok, "any one of them is enough"


def test_effort_follows_the_population_band_and_the_route():
    guide = {
        "duration_months": 14,
        "cost": {
            "assumptions": {"en": "x"},
            "bands": {
                band: {"one_off": [10_000 * (i + 1), 30_000 * (i + 1)], "yearly": [1_000, 3_000], "staff": i + 1}
                for i, band in enumerate(["under_100k", "100k_500k", "500k_1m", "1m_5m", "over_5m"])
            },
        },
        "cheaper_route": {
            "kind": "open_source",
            "text": {"en": "x"},
            "one_off": [0, 10_000],
            "yearly": [0, 2_000],
            "staff": 1,
        },
    }
    assert planning.effort_for(guide, "under_100k") == planning.Effort(20_000, 2_000, 1, 2, "own")
    assert planning.effort_for(guide, "over_5m").one_off == 100_000
    assert planning.effort_for(guide, None).one_off == 60_000, "the mid-sized band when the city's is unknown"
    assert planning.effort_for(guide, "1m_5m", "cheaper") == planning.Effort(5_000, 1_000, 1, 2, "cheaper")
    assert planning.effort_for(MODULES["portal"]) == planning.Effort(150_000, 22_500, 2, 1, "own")


def _gaps():
    return planning.gaps(DEFINITION, Engine(DEFINITION).score(ANSWERS).to_dict(), TARGETS, MODULES)


def _brute_force(modules, candidates, budget, staff, horizon, done=frozenset()):
    """Every start year (or none) for every candidate; the best objective that fits wins."""
    gap_list = planning.gaps(DEFINITION, Engine(DEFINITION).score(ANSWERS).to_dict(), TARGETS, modules)
    closes = planning.levels_closed(gap_list, modules, candidates)
    epsilon = 1e-3 * min((v * n for v, n in closes.values()), default=1.0)
    span = {c: max(1, -(-modules[c]["effort"]["duration_months"] // 12)) for c in candidates}
    one_off = {c: planning.COST_OF_BAND[modules[c]["effort"]["cost_band"]] for c in candidates}
    best = 0.0
    for starts in itertools.product(range(horizon + 1), repeat=len(candidates)):
        start = {c: s for c, s in zip(candidates, starts, strict=True) if s}
        if any(s + span[c] - 1 > horizon for c, s in start.items()):
            continue
        ok = all(
            pre in done or (pre in start and start[pre] + span[pre] <= s)
            for c, s in start.items()
            for pre in modules[c]["prerequisites"]
        )
        for year in range(1, horizon + 1):
            money = people = 0.0
            for c, s in start.items():
                if s <= year < s + span[c]:
                    money += one_off[c] / span[c]
                    people += modules[c]["effort"]["staff"]
                elif year >= s + span[c]:
                    money += round(0.15 * one_off[c])
            if (budget is not None and money > budget + 1e-6) or (staff is not None and people > staff + 1e-6):
                ok = False
        if not ok:
            continue
        value = 0.0
        for year in range(1, horizon + 1):
            complete = [c for c, s in start.items() if s + span[c] - 1 <= year]
            value += epsilon * len(complete)
            for item in {i for i, _c in closes}:
                value += max(
                    (closes[(item, c)][0] * closes[(item, c)][1] for c in complete if (item, c) in closes), default=0
                )
        best = max(best, value)
    return best


SLOW = {
    **MODULES,
    "portal": {**MODULES["portal"], "effort": {"cost_band": "medium", "duration_months": 18, "staff": 2}},
}


@pytest.mark.parametrize(
    ("modules", "budget", "staff", "horizon"),
    [
        (MODULES, 30_000, 1, 3),
        (MODULES, 200_000, 3, 3),
        (MODULES, 700_000, 5, 2),
        (MODULES, None, None, 3),
        (MODULES, 160_000, 2, 4),
        (SLOW, 200_000, 4, 4),
        (SLOW, None, 2, 3),
    ],
)
def test_roadmap_is_optimal_on_small_cases(modules, budget, staff, horizon):
    candidates = sorted(modules)
    gap_list = planning.gaps(DEFINITION, Engine(DEFINITION).score(ANSWERS).to_dict(), TARGETS, modules)
    roadmap = planning.plan(DEFINITION, ANSWERS, candidates, modules, budget, staff, horizon=horizon, gap_list=gap_list)
    assert roadmap.exact
    assert roadmap.objective == pytest.approx(_brute_force(modules, candidates, budget, staff, horizon), rel=1e-6)
    _check_feasible(roadmap, modules, budget, staff)
    placed = {c for codes in roadmap.phases.values() for c in codes}
    for code in candidates:
        assert code in placed or code in roadmap.left_out, "every module is either planned or explained"


def test_roadmap_explains_what_did_not_fit():
    roadmap = planning.plan(DEFINITION, ANSWERS, sorted(MODULES), MODULES, 100_000, 2, gap_list=_gaps())
    assert "USD 500,000 over the yearly budget of USD 100,000 in every year" in roadmap.left_out["network"]
    assert roadmap.phases[1] == ["strategy"]
    assert roadmap.gain > 0
    long = {**MODULES, "cio": {**MODULES["cio"], "effort": {"cost_band": "low", "duration_months": 30, "staff": 1}}}
    short = planning.plan(DEFINITION, ANSWERS, sorted(long), long, None, None, horizon=3, gap_list=_gaps())
    assert (
        short.left_out["cio"] == "its prerequisite strategy cannot finish early enough for it to be done within 3 years"
    )
    assert short.left_out["portal"] == "its prerequisite cio cannot be scheduled within the horizon"
    too_long = planning.plan(DEFINITION, ANSWERS, sorted(long), long, None, None, horizon=2, gap_list=_gaps())
    assert too_long.left_out["cio"] == "takes 3 years to deploy, longer than the 2-year horizon"
    assert too_long.left_out["portal"] == "its prerequisite cio cannot be scheduled within the horizon"
    people = planning.plan(DEFINITION, ANSWERS, sorted(MODULES), MODULES, None, 2, gap_list=_gaps())
    assert people.left_out["network"] == "needs 3 staff while it is built, 1 more than the 2 available"


def test_roadmap_reports_cost_staff_and_score_per_year():
    roadmap = planning.plan(DEFINITION, ANSWERS, sorted(MODULES), MODULES, None, None, horizon=3, gap_list=_gaps())
    first = roadmap.years[0]
    assert set(first["starting"]) == {"strategy", "network"}, "what has no prerequisite starts at once"
    assert first["cost"] == 25_000 + 600_000 and first["staff"] == 1 + 3
    # year 2: cio is built (25,000) while strategy and network run (15 % of their cost)
    assert roadmap.years[1]["cost"] == 25_000 + 3_750 + 90_000
    scores = [y["score"] for y in roadmap.years]
    assert scores == sorted(scores) and scores[-1] == roadmap.planned_score > roadmap.baseline


def test_done_modules_are_never_planned_and_satisfy_prerequisites():
    answers = {**ANSWERS, "GM-01": {"value": 4}}
    done = planning.done_modules(DEFINITION, answers, MODULES)
    assert done == {"strategy"}
    roadmap = planning.plan(DEFINITION, answers, sorted(MODULES), MODULES, 30_000, 1, done=done, gap_list=_gaps())
    assert roadmap.done == ["strategy"]
    assert roadmap.phases[1] == ["cio"], "its prerequisite is done, so cio can start at once"


def test_done_resolves_items_through_the_crosswalk():
    renamed = {"old": module("old", {"GM-01-OLD": 3})}
    crosswalk = {"from_version": 1, "items": {"GM-01-OLD": "GM-01"}}
    assert planning.done_modules(DEFINITION, {"GM-01": {"value": 3}}, renamed, crosswalk) == {"old"}
    assert planning.done_modules(DEFINITION, {"GM-01": {"value": 2}}, renamed, crosswalk) == set()
    assert planning.done_modules(DEFINITION, {"GM-01": {"value": 3}}, renamed) == set(), "unresolved items: not done"


def test_roadmap_is_deterministic():
    first = planning.plan(DEFINITION, ANSWERS, sorted(MODULES), MODULES, 200_000, 3, gap_list=_gaps())
    second = planning.plan(DEFINITION, ANSWERS, sorted(MODULES, reverse=True), MODULES, 200_000, 3, gap_list=_gaps())
    assert first.phases == second.phases and first.left_out == second.left_out
