"""Properties of the engine that must hold for any answers (hypothesis)."""

import math
import random

from hypothesis import given
from hypothesis import strategies as st

from ceds.scoring.engine import Engine

from .frameworks import two_part_framework

DEFINITION = two_part_framework()
ENGINE = Engine(DEFINITION)
LEVEL_IDS = ["GM-01", "GM-02", "GM-03", "PI-01", "PI-02", "NW-01", "NW-02"]
SERVICE_IDS = ["ADM-001", "ADM-002", "ADM-003", "ADM-004"]

level_answer = st.one_of(
    st.builds(lambda v: {"value": v}, st.integers(1, 5)),
    st.just({"na": True}),
    st.just({"dont_know": True}),
    st.none(),
)
service_answer = st.one_of(
    st.builds(
        lambda s, lv, u: {"status": s, "level": lv, "utilization": u},
        st.sampled_from(["absent", "planned", "developing", "operating"]),
        st.integers(1, 5),
        st.integers(0, 100),
    ),
    st.just({"na": True}),
    st.none(),
)


@st.composite
def answer_sets(draw):
    answers = {}
    for item_id in LEVEL_IDS:
        value = draw(level_answer)
        if value is not None:
            answers[item_id] = value
    for item_id in SERVICE_IDS:
        value = draw(service_answer)
        if value is not None:
            answers[item_id] = value
    return answers


def _scores(result):
    return {key: fig.score for key, fig in result.figures.items()}


@given(answer_sets())
def test_scores_stay_within_0_and_100(answers):
    for figure in ENGINE.score(answers).figures.values():
        assert figure.score is None or 0 <= figure.score <= 100
        assert figure.level is None or 1 <= figure.level <= 5


@given(answer_sets())
def test_every_figure_is_the_sum_of_its_contributions(answers):
    for figure in ENGINE.score(answers).figures.values():
        if figure.contributions:
            assert math.isclose(sum(c.points for c in figure.contributions), figure.score, abs_tol=1e-9)
            assert math.isclose(sum(c.share for c in figure.contributions), 1.0, abs_tol=1e-9)


@given(answer_sets(), st.sampled_from(LEVEL_IDS + SERVICE_IDS))
def test_raising_one_answer_never_lowers_any_score(answers, item_id):
    answer = answers.get(item_id)
    if not answer or answer.get("na") or answer.get("dont_know"):
        return
    raised = dict(answers)
    if "value" in answer:
        if answer["value"] == 5:
            return
        raised[item_id] = {"value": answer["value"] + 1}
    else:
        order = ["absent", "planned", "developing", "operating"]
        if answer["level"] < 5:
            raised[item_id] = {**answer, "level": answer["level"] + 1}
        elif answer["status"] != "operating":
            raised[item_id] = {**answer, "status": order[order.index(answer["status"]) + 1]}
        else:
            return
    before, after = _scores(ENGINE.score(answers)), _scores(ENGINE.score(raised))
    for key, value in before.items():
        if value is not None:
            assert after[key] >= value - 1e-9, key


@given(answer_sets(), st.randoms())
def test_answer_order_changes_nothing(answers, rnd: random.Random):
    keys = list(answers)
    rnd.shuffle(keys)
    shuffled = {k: answers[k] for k in keys}
    assert _scores(ENGINE.score(answers)) == _scores(ENGINE.score(shuffled))


@given(answer_sets())
def test_all_na_dimension_has_no_score_not_zero(answers):
    for item_id in ("GM-01", "GM-02", "GM-03"):
        answers[item_id] = {"na": True}
    result = ENGINE.score(answers)
    assert result["section:GM"].score is None
    assert result["section:GM"].level is None
    assert "section:GM" not in {c.key for c in result["group:A/internal"].contributions}


@given(answer_sets(), st.floats(0.1, 50))
def test_weights_are_scale_invariant(answers, factor):
    scaled = two_part_framework()
    for part in scaled["parts"]:
        part["weight"] *= factor
        for group in part["groups"]:
            group["weight"] *= factor
            for section in group["sections"]:
                section["weight"] *= factor
                for item in section["items"]:
                    if "weight" in item:
                        item["weight"] *= factor
    original, rescaled = _scores(ENGINE.score(answers)), _scores(Engine(scaled).score(answers))
    for key, value in original.items():
        if value is None:
            assert rescaled[key] is None
        else:
            assert math.isclose(value, rescaled[key], abs_tol=1e-9)


@given(answer_sets())
def test_missing_answers_are_flagged_never_silently_zero(answers):
    result = ENGINE.score(answers)
    for item_id in LEVEL_IDS + SERVICE_IDS:
        if item_id not in answers:
            figure = result[f"item:{item_id}"]
            assert figure.score is None and figure.state == "unanswered"
    overall = result.overall
    if overall.answered < overall.applicable:
        assert any("provisional" in note for note in overall.notes) or overall.score is None


# Service answers as pages may hold them: odd levels, missing fields, extra keys.
loose_service_answer = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(["absent", "planned", "developing", "operating", "unknown"]),
        "level": st.one_of(st.integers(0, 6), st.none()),
        "utilization": st.integers(0, 100),
        "systems": st.text(max_size=3),
        "na": st.booleans(),
    },
)


@given(answer_sets(), st.dictionaries(st.sampled_from(SERVICE_IDS), loose_service_answer))
def test_score_gives_each_item_the_figure_score_item_gives(answers, services):
    """score() takes shortcuts for common answers; they must change nothing."""
    answers = {**answers, **services}
    result = ENGINE.score(answers)
    for item_id, item in ENGINE.items.items():
        if item["kind"] == "text":
            continue
        key = f"item:{item_id}"
        expected = ENGINE.score_item(item, answers.get(item_id), answers, key)
        assert result.figures[key].to_dict() == expected.to_dict()
