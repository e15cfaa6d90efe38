"""The planner over the real module library, and its properties on random instances."""

from functools import cache
from pathlib import Path

from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ceds.content.reader import read_content
from ceds.scoring.engine import Engine
from ceds.solutions import planning
from ceds.solutions.tests.planning_fixture import ANSWERS, DEFINITION, TARGETS, _check_feasible


@cache
def library():
    bundle = read_content(Path(settings.CONTENT_DIR))
    assert not bundle.problems
    definition = bundle.framework("ceds", 1).engine_definition()
    modules = {m.id: m.model_dump(mode="json") for m in bundle.modules}
    return definition, modules


def _lowest_answers(definition):
    answers = {}
    for _section, item in planning.item_sections(definition).values():
        answers[item["id"]] = {"value": 1} if item["kind"] == "level" else {"status": "absent"}
    return answers


def _plan(answers, budget, staff, horizon, done=frozenset()):
    definition, modules = library()
    figures = Engine(definition).score(answers).to_dict()
    targets = {s["id"]: 5 for p in definition["parts"] for g in p["groups"] for s in g["sections"]}
    gap_list = planning.gaps(definition, figures, targets, modules)
    return planning.plan(
        definition, answers, sorted(modules), modules, budget, staff, done=done, horizon=horizon, gap_list=gap_list
    )


def test_unlimited_budget_and_ten_years_schedule_every_module_whose_prerequisites_can_be_met():
    definition, modules = library()
    answers = _lowest_answers(definition)
    roadmap = _plan(answers, None, None, 10)
    scheduled = {c for codes in roadmap.phases.values() for c in codes}
    assert scheduled | set(roadmap.done) | set(roadmap.left_out) == set(modules)
    assert not scheduled & set(roadmap.left_out)
    for code, reason in roadmap.left_out.items():
        assert "prerequisite" in reason or "longer than" in reason, (code, reason)
    assert len(scheduled) == len(modules), "every module of today's library fits in ten years"
    assert roadmap.exact  # how long a re-plan takes is measured in make bench (bench/plan_bench.py)


def test_a_module_done_in_the_answers_is_never_scheduled_on_the_real_library():
    definition, modules = library()
    answers = _lowest_answers(definition)
    for item, level in modules["gm-cio-office"]["raises"].items():
        answers[item] = {"value": level}
    done = planning.done_modules(definition, answers, modules)
    assert "gm-cio-office" in done
    roadmap = _plan(answers, 2_000_000, 20, 5, done=done)
    scheduled = {c for codes in roadmap.phases.values() for c in codes}
    assert "gm-cio-office" not in scheduled and "gm-cio-office" in roadmap.done
    dependants = [c for c, m in modules.items() if m["prerequisites"] == ["gm-cio-office"]]
    assert dependants and any(c in scheduled for c in dependants), "a done module satisfies prerequisites"


@st.composite
def instances(draw):
    codes = [f"m{i}" for i in range(draw(st.integers(1, 5)))]
    items = ["GM-01", "GM-02", "PI-01", "NW-01", "NW-02"]
    modules = {}
    for index, code in enumerate(codes):
        modules[code] = {
            "id": code,
            "raises": {draw(st.sampled_from(items)): draw(st.integers(2, 5))},
            "prerequisites": draw(st.lists(st.sampled_from(codes[:index]), unique=True, max_size=2)) if index else [],
            "effort": {
                "cost_band": draw(st.sampled_from(list(planning.COST_OF_BAND))),
                "duration_months": draw(st.integers(1, 30)),
                "staff": draw(st.integers(0, 4)),
            },
            "reasonable_when": {"text": {"en": "x"}},
        }
    done = set(draw(st.lists(st.sampled_from(codes), unique=True, max_size=2)))
    budget = draw(st.one_of(st.none(), st.integers(0, 3_000_000)))
    staff = draw(st.one_of(st.none(), st.integers(0, 8)))
    return modules, done, budget, staff, draw(st.integers(1, 4))


@hypothesis_settings(max_examples=60, deadline=None)
@given(instances())
def test_never_over_budget_prerequisites_earlier_done_never_planned(instance):
    modules, done, budget, staff, horizon = instance
    gap_list = planning.gaps(DEFINITION, Engine(DEFINITION).score(ANSWERS).to_dict(), TARGETS, modules)
    roadmap = planning.plan(
        DEFINITION, ANSWERS, sorted(modules), modules, budget, staff, done=done, horizon=horizon, gap_list=gap_list
    )
    _check_feasible(roadmap, modules, budget, staff, done)
    scheduled = {c for codes in roadmap.phases.values() for c in codes}
    assert scheduled | set(roadmap.done) | set(roadmap.left_out) == set(modules)
    assert set(roadmap.done) == done


SMALL_LOW_INCOME = {
    "population_band": "under_100k",
    "budget_band": "minimal",
    "ict_staff": 3,
    "internet_penetration": 30,
    "income_group": "low",
    "national_platforms": [],
}


def test_unlimited_ten_years_for_a_small_city_accounts_for_every_module_with_its_own_reason():
    definition, modules = library()
    answers = _lowest_answers(definition)
    verdicts = {code: planning.fits(module, SMALL_LOW_INCOME) for code, module in modules.items()}
    excluded = {c: "; ".join(v.against) for c, v in verdicts.items() if not v.ok}
    efforts = {c: planning.effort_for(m, "under_100k", verdicts[c].route) for c, m in modules.items()}
    figures = Engine(definition).score(answers).to_dict()
    targets = {s["id"]: 5 for p in definition["parts"] for g in p["groups"] for s in g["sections"]}
    gap_list = planning.gaps(definition, figures, targets, modules)
    roadmap = planning.plan(
        definition,
        answers,
        sorted(modules),
        modules,
        None,
        None,
        horizon=10,
        gap_list=gap_list,
        efforts=efforts,
        excluded=excluded,
    )
    scheduled = {c for codes in roadmap.phases.values() for c in codes}
    assert scheduled | set(roadmap.done) | set(roadmap.left_out) == set(modules)
    assert not scheduled & set(roadmap.left_out)
    for code, reason in roadmap.left_out.items():
        assert "no room left" not in reason, (code, reason)
        assert code in excluded or "left out" in reason or "prerequisite" in reason, (code, reason)
    assert set(excluded) <= set(roadmap.left_out)
