"""The anonymity rule (ceds.benchmarks.anonymity), as pure functions: candidates, withheld results,
which statistics may be shown, and how a ranking names its cities."""

import pytest

from ceds.benchmarks.anonymity import (
    Standing,
    aggregate_shown,
    candidates,
    hidden_enough,
    ranking_rows,
    withheld,
)


def _city(pk, region, sharing=None, band=None):
    groups = {"all": "", "region": region}
    if band:
        groups["population"] = band
    return Standing(pk, groups, sharing)


def test_candidates_are_the_cities_of_a_group_without_a_named_result():
    cities = [
        _city(1, "europe", "named"),
        _city(2, "europe", "anonymous", band="1m_5m"),
        _city(3, "europe", "private", band="1m_5m"),
        _city(4, "europe"),
        _city(5, "asia", "named", band="1m_5m"),
    ]
    counted = candidates(cities)
    assert counted[("region", "europe")] == 3, (
        "anonymous, private and silent cities alike: a reader cannot tell them apart"
    )
    assert counted[("region", "asia")] == 0
    assert counted[("all", "")] == 3 and counted[("population", "1m_5m")] == 2


@pytest.mark.parametrize(("silent", "kept"), [(3, False), (4, True)])
def test_an_anonymous_result_is_withheld_unless_five_other_cities_of_its_region_could_be_behind_it(silent, kept):
    # The case: a Europe group of 4 (two named, two anonymous) and one silent city: three
    # candidates for two scores. With `silent` cities without results, candidates = 2 + silent.
    cities = [_city(1, "europe", "named"), _city(2, "europe", "named"), _city(3, "europe", "anonymous")]
    cities += [_city(4, "europe", "anonymous")] + [_city(10 + n, "europe") for n in range(silent)]
    cities += [_city(100 + n, "asia") for n in range(20)]  # a crowded other region changes nothing
    assert withheld(cities) == (set() if kept else {3, 4})
    assert hidden_enough(2 + silent) is kept, "the reader's own city is one candidate less: six needed"


def test_named_and_private_results_are_never_withheld():
    cities = [_city(1, "europe", "named"), _city(2, "europe", "private")]
    assert withheld(cities) == set()


@pytest.mark.parametrize(
    ("n", "anonymous", "group_candidates", "shown"),
    [
        (4, 0, 100, False),  # fewer than five cities: never shown
        (5, 0, 0, True),  # five named results: all public anyway
        (5, 1, 5, False),  # 4 named + 1 anonymous: quartiles minus the named scores give it away
        (5, 1, 6, True),  # ... unless five cities besides the reader's could be behind it
        (40, 3, 5, False),  # a big group does not hide an anonymous score a reader can subtract out
        (40, 3, 6, True),
    ],
)
def test_a_statistic_is_shown_over_five_cities_and_five_candidates_for_its_anonymous_members(
    n, anonymous, group_candidates, shown
):
    assert aggregate_shown(n, anonymous, group_candidates) is shown


def _entry(assessment, sharing, score, city="A city"):
    return {
        "assessment": assessment,
        "city": city,
        "region": 1,
        "region_names": {"en": "Europe"},
        "sharing": sharing,
        "score": score,
        "level": 3,
    }


def test_a_ranking_names_named_cities_and_the_readers_own_and_no_other_anonymous_one():
    entries = [
        _entry(1, "named", 90.0, "Lisbon"),
        _entry(2, "anonymous", 80.0, "Secretville"),
        _entry(3, "private", 75.0, "Hidden"),  # never written by recompute; skipped all the same
        _entry(4, "anonymous", 70.0, "Barcelona"),
    ]
    rows = ranking_rows(entries, own_assessment_id=4)
    assert [(r["rank"], r["label"], r["own"]) for r in rows] == [
        (1, "Lisbon", False),
        (2, "a city in Europe", False),
        (3, "Barcelona", True),
    ], "ranks count the listed rows only: no gap points to a missing one"
    assert "Secretville" not in str(rows) and "Hidden" not in str(rows)
