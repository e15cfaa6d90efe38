"""Peer statistics against hand-computed values."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceds.benchmarks.stats import SKETCH_POINTS, pack, percentile_rank, quantile, sketch, summarize, unpack


def test_type7_quartiles_of_five_scores():
    scores = [20.0, 35.0, 50.0, 65.0, 90.0]
    # positions (n-1)q: q1 -> 1 -> 35; median -> 2 -> 50; q3 -> 3 -> 65
    summary = summarize(scores)
    assert (summary.n, summary.q1, summary.median, summary.q3, summary.best) == (5, 35.0, 50.0, 65.0, 90.0)


def test_type7_interpolates_between_order_statistics():
    scores = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
    # q1: (6-1)*0.25 = 1.25 -> 20 + 0.25*(30-20) = 22.5 ; median: 2.5 -> 35 ; q3: 3.75 -> 40 + 0.75*10 = 47.5
    assert quantile(scores, 0.25) == pytest.approx(22.5)
    assert quantile(scores, 0.5) == pytest.approx(35.0)
    assert quantile(scores, 0.75) == pytest.approx(47.5)


def test_percentile_rank_counts_half_of_ties():
    scores = [10.0, 20.0, 20.0, 40.0, 50.0]
    # 20: one lower (10), two equal -> (1 + 0.5*2)/5 = 40 %
    assert percentile_rank(scores, 20.0) == pytest.approx(40.0)
    assert percentile_rank(scores, 50.0) == pytest.approx(90.0)  # (4 + 0.5)/5
    assert percentile_rank(scores, 5.0) == pytest.approx(0.0)


def test_groups_under_five_are_not_shown():
    assert summarize([50.0, 60.0, 70.0, 80.0]) is None
    assert summarize([50.0, 60.0, 70.0, 80.0, 90.0]) is not None


@given(
    st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=3000),
    st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_a_sketch_keeps_percentile_ranks_within_its_resolution(values, own):
    ordered = sorted(values)
    kept = sketch(ordered)
    assert len(kept) <= SKETCH_POINTS
    exact = percentile_rank(ordered, own)
    if len(ordered) <= SKETCH_POINTS:
        assert percentile_rank(kept, own) == exact
        return
    # Within the sketch's resolution, once own is moved by the rounding to hundredths.
    nearby = [percentile_rank(ordered, own + d) for d in (-0.005, 0, 0.005)]
    ranked = percentile_rank(kept, own)
    assert min(nearby) - 100 / (SKETCH_POINTS - 1) - 1e-9 <= ranked <= max(nearby) + 100 / (SKETCH_POINTS - 1) + 1e-9


def test_a_sketch_of_ten_thousand_cities_is_a_fixed_size():
    ordered = [i / 100 for i in range(10_000)]
    kept = sketch(ordered)
    assert len(kept) == SKETCH_POINTS and kept[0] == 0 and kept[-1] == 99.99
    assert percentile_rank(kept, 50.0) == pytest.approx(percentile_rank(ordered, 50.0), abs=0.5)


@given(st.lists(st.floats(min_value=0, max_value=100), max_size=SKETCH_POINTS), st.floats(min_value=0, max_value=100))
def test_packed_values_give_the_same_percentile_ranks(values, own):
    """Stored values are packed; a city's own score must still tie with itself exactly."""
    ordered = sorted([*values, own])
    assert unpack(pack(ordered)).tolist() == ordered
    assert percentile_rank(unpack(pack(ordered)), own) == percentile_rank(ordered, own)
    assert len(unpack(b"")) == 0 and len(unpack(None)) == 0
