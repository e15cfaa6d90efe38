"""k >= 5 for anonymous results (ceds.benchmarks.anonymity): the rule, a property over generated
cities through the real recomputation and readers, and the reproduced case of issue 18 on the
real pages and API (a Europe peer group of four with anonymous members)."""

import io
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceds.api import opendata
from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.benchmarks import anonymity
from ceds.benchmarks.charts import ranking_for
from ceds.benchmarks.models import PeerGroup, PublicResult
from ceds.benchmarks.public import named_snapshots
from ceds.benchmarks.results import ALL_CITIES, current_scores, peer_figures
from ceds.benchmarks.services import recompute, refresh_public_results
from ceds.cities.models import City, CityProfile, Country, Membership, Region
from ceds.content.tests.helpers import FIXTURE
from ceds.frameworks.models import FrameworkVersion
from ceds.solutions.services import plan_targets

# --- the rule ------------------------------------------------------------------------------


def test_only_named_results_and_the_own_city_are_rows():
    assert anonymity.may_list("named")
    assert not anonymity.may_list("anonymous") and not anonymity.may_list("private")
    assert anonymity.may_list("anonymous", own=True)
    entries = [
        {"assessment": 1, "sharing": "named"},
        {"assessment": 2, "sharing": "anonymous"},
        {"assessment": 3, "sharing": "anonymous"},
        {"assessment": 4, "sharing": "private"},
    ]
    assert [e["assessment"] for e in anonymity.listed(entries)] == [1]
    assert [e["assessment"] for e in anonymity.listed(entries, own=3)] == [1, 3]


@pytest.mark.parametrize(
    ("n", "anonymous", "own_anonymous", "shown"),
    [
        (4, 0, False, False),  # fewer than five cities
        (5, 0, False, True),  # five named cities: their scores are public anyway
        (9, 3, False, False),  # three anonymous scores solvable from quartiles and named scores
        (9, 4, False, False),
        (9, 5, False, True),
        (9, 5, True, False),  # the reader is one of the five: four unknown to them
        (10, 6, True, True),
        (6, 1, True, True),  # the only anonymous result is the reader's own
        (5, None, False, False),  # not counted yet (written before the count): fails closed
    ],
)
def test_an_aggregate_needs_five_cities_and_none_or_five_unknown_anonymous_ones(n, anonymous, own_anonymous, shown):
    assert anonymity.may_aggregate(n, anonymous, own_anonymous) is shown


def test_groups_read_together_must_leave_none_or_five_unknown_anonymous_results_in_every_cell():
    sig = anonymity.signature
    reader = {"all": "", "region": "europe", "population": "over_5m"}
    # Six anonymous results in Europe, five of them over 5 million: "Europe" and "over 5 million"
    # together would single out the one Europe city under 5 million ("Europe" is all cities here).
    atoms = {sig("europe", "over_5m", None, False): 5, sig("europe", "1m_5m", None, False): 1}
    assert anonymity.shown_groups(reader, atoms) == {"all", "region"}
    atoms[sig("asia", "over_5m", None, False)] = 1  # now "all" and "Europe" differ by one
    assert anonymity.shown_groups(reader, atoms) == {"all"}
    del atoms[sig("asia", "over_5m", None, False)]
    atoms[sig("europe", "1m_5m", None, False)] = 5
    assert anonymity.shown_groups(reader, atoms) == {"all", "region", "population"}
    # The reader's own anonymous result is known to them: one of five is not enough.
    assert anonymity.shown_groups(reader, atoms, own=sig("europe", "over_5m", None, False)) == {"all", "region"}
    # Ten anonymous results in Asia and five in Europe, none over 5 million.
    atoms = {sig("asia", "1m_5m", None, False): 10, sig("europe", "1m_5m", None, False): 5}
    assert anonymity.shown_groups(reader, atoms) == {"all", "region", "population"}
    assert anonymity.shown_groups({"all": ""}, atoms, own=anonymity.ANY_CELL) == {"all"}
    assert anonymity.shown_groups(reader, None) == set(), "not counted yet: nothing shown"


# --- the property: generated cities through recomputation and every reader ------------------

REGIONS = ("europe", "asia")
BANDS = ("1m_5m", "over_5m")


@dataclass(frozen=True)
class Generated:
    region: str
    band: str
    member: bool
    status: str
    sharing: str


cities_strategy = st.lists(
    st.builds(
        Generated,
        region=st.sampled_from(REGIONS),
        band=st.sampled_from(BANDS),
        member=st.booleans(),
        status=st.sampled_from(["published", "published", "published", "validated"]),
        sharing=st.sampled_from(["named", "anonymous", "anonymous", "anonymous", "private"]),
    ),
    min_size=1,
    max_size=24,
)


@pytest.fixture
def setting(db):
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    regions = {code: Region.objects.create(code=code, names={"en": code.title()}) for code in REGIONS}
    return version, regions, Country.objects.order_by("code").first()


def _make(version, regions, country, index: int, g: Generated, score: float) -> Assessment:
    city = City.objects.create(
        slug=f"c{index}",
        name=f"City {index}",
        country=country,
        region=regions[g.region],
        latitude=0,
        longitude=0,
        timezone="UTC",
    )
    Membership.objects.create(city=city, kind="member" if g.member else "non_member")
    CityProfile.objects.create(city=city, population_band=g.band, budget_band="medium", income_group="high")
    assessment = Assessment.objects.create(
        city=city, framework_version=version, period="2025", status=g.status, sharing=g.sharing
    )
    figures = {"overall": {"score": score, "level": 3}, "section:GV": {"score": score / 2, "level": 2}}
    ScoreSnapshot.objects.create(assessment=assessment, overall_score=score, overall_level=3, figures=figures)
    return assessment


def _in_group(g: Generated, kind: str, value: str) -> bool:
    return {
        PeerGroup.ALL: True,
        PeerGroup.REGION: g.region == value,
        PeerGroup.POPULATION: g.band == value,
        PeerGroup.INCOME: True,  # every generated city is high income
        PeerGroup.MEMBERS: g.member,
    }[kind]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(generated=cities_strategy, reader_index=st.integers(min_value=0, max_value=23))
def test_no_reader_can_narrow_an_anonymous_result_to_fewer_than_five_cities(setting, generated, reader_index):
    version, regions, country = setting
    reader_index %= len(generated)
    with transaction.atomic():
        # Distinct scores, so that a value seen in an answer identifies the result it came from.
        made = [_make(version, regions, country, i, g, 10 + i * 5.25) for i, g in enumerate(generated)]
        recompute(version.pk, "2025")
        refresh_public_results("kinds")
        pool = {
            a.pk: g for a, g in zip(made, generated, strict=True) if g.status == "published" and g.sharing != "private"
        }
        by_pk = {a.pk: (a, g) for a, g in zip(made, generated, strict=True)}
        named_scores = {
            ScoreSnapshot.objects.get(assessment=pk).overall_score for pk, g in pool.items() if g.sharing == "named"
        }
        reader = Assessment.objects.select_related("city", "framework_version").get(pk=made[reader_index].pk)
        scores = current_scores(reader)
        own_scores = set(scores.values())

        # Aggregates: the API's answer (every group of the reader) and each tab of the benchmark page.
        answers = [peer_figures(reader, scores), peer_figures(reader, groups=ALL_CITIES)]
        answers += [peer_figures(reader, scores, {kind: value}) for kind, value in _groups_of(generated[reader_index])]
        seen = set()  # the groups whose statistics the reader sees, in any answer
        for answer in answers:
            for key, peers in answer.items():
                for peer in peers:
                    members = [pk for pk, g in pool.items() if _in_group(g, peer.group_kind, peer.group_value)]
                    unknown = [pk for pk in members if pool[pk].sharing == "anonymous" and pk != reader.pk]
                    assert peer.n == len(members), (key, peer)
                    if peer.shown:
                        assert len(members) >= 5 and (not unknown or len(unknown) >= 5), (key, peer, len(unknown))
                        seen.add((peer.group_kind, peer.group_value))
                    else:
                        assert (peer.q1, peer.median, peer.q3, peer.best, peer.percentile) == (None,) * 5
        # Read together, the seen groups split the cities into cells; swapping two results within a
        # cell changes nothing the reader sees, so each cell must hold none or >= 5 unknown ones.
        cells: Counter = Counter()
        for pk, g in pool.items():
            if g.sharing == "anonymous" and pk != reader.pk:
                cell = tuple(_in_group(g, kind, value) for kind, value in sorted(seen))
                if any(cell):
                    cells[cell] += 1
        assert all(n >= 5 for n in cells.values()), (sorted(seen), cells)

        # All cities, weighed first, follow the single-group rule (the property is not vacuous);
        # so does the plan's default target drawn from their upper quartile.
        everyone = list(pool)
        unknown_all = [pk for pk in everyone if pool[pk].sharing == "anonymous" and pk != reader.pk]
        may_all = len(everyone) >= 5 and (not unknown_all or len(unknown_all) >= 5)
        overall_all = next((p for p in answers[0].get("overall", []) if p.group_kind == "all"), None)
        assert (overall_all is not None and overall_all.shown) is may_all
        snapshot = ScoreSnapshot.objects.get(assessment=reader, is_current=True)
        targets = plan_targets(reader, version.definition, snapshot.figures)
        assert (targets["GV"]["quartile_level"] is not None) is may_all

        # Rows: the benchmark page's ranking holds named results and the reader's own only.
        for row in ranking_for(reader, scores):
            assert row["score"] in named_scores | own_scores, row
            if not row["own"]:
                assert row["label"] in {by_pk[pk][0].city.name for pk, g in pool.items() if g.sharing == "named"}
        # Public listings: the map, the rankings and open data carry named results only.
        public_pks = set(PublicResult.objects.values_list("assessment_id", flat=True))
        public_pks |= set(named_snapshots().values_list("assessment_id", flat=True))
        assert all(pool.get(pk) and pool[pk].sharing == "named" for pk in public_pks)
        open_cities = {row["city"] for row in opendata.rows("kinds", "2025")}
        assert open_cities == {by_pk[pk][0].city.slug for pk, g in pool.items() if g.sharing == "named"}
        transaction.set_rollback(True)


def _groups_of(g: Generated):
    out = [
        (PeerGroup.ALL, ""),
        (PeerGroup.REGION, g.region),
        (PeerGroup.POPULATION, g.band),
        (PeerGroup.INCOME, "high"),
    ]
    if g.member:
        out.append((PeerGroup.MEMBERS, ""))
    return out


# --- the reproduced case: a Europe peer group of four, two of them anonymous ----------------

ANONYMOUS_SCORES = (77.7, 66.6)


@pytest.fixture
def europe_of_four(api_world):
    """Barcelona (named) and three more Europe cities (one named, two anonymous), and six named
    cities elsewhere: the all-cities group holds 10 results, 2 of them anonymous."""
    world = api_world
    version = world.extra["version"]
    europe, asia = world.region_b, world.region_a
    country = Country.objects.get(code="ES")

    def publish(city, score, sharing):
        assessment = Assessment.objects.create(
            city=city, framework_version=version, period="2025", status="published", sharing=sharing
        )
        figures = {"overall": {"score": score, "level": 3}, "section:GV": {"score": score, "level": 3}}
        ScoreSnapshot.objects.create(assessment=assessment, overall_score=score, overall_level=3, figures=figures)
        return assessment

    def city(slug, region):
        made = City.objects.create(
            slug=slug, name=slug.title(), country=country, region=region, latitude=40, longitude=0, timezone="UTC"
        )
        CityProfile.objects.create(city=made, population_band="1m_5m", budget_band="medium")
        return made

    own = publish(world.city_b, 55.5, "named")
    publish(city("lyon", europe), 44.4, "named")
    for slug, score in zip(("porto", "turin"), ANONYMOUS_SCORES, strict=True):
        publish(city(slug, europe), score, "anonymous")
    for n in range(6):
        publish(city(f"asia-{n}", asia), 20.0 + n, "named")
    recompute(version.pk, "2025")
    refresh_public_results("kinds")
    return world, own


def _leaks(text: str) -> list[str]:
    """The anonymous cities' names or scores (as a number of its own, not inside a map coordinate)."""
    found = [s for s in ("Porto", "Turin", "a city in") if s in text]
    # A score as pages print it (a cell, a label "City: 77.7"), as data files write it (a CSV
    # field, a JSON value); the world map's path coordinates (" 277.7", ",77.7 ") are not.
    score = r"(?:>\s*|: |^|\n)(?:77\.7|66\.6)(?=\s*<|\s*\"|,|\n|$)|,(?:77\.7|66\.6)(?=,|\n|$)"
    return found + re.findall(score, text)


def test_the_benchmark_page_hides_the_small_europe_group_and_lists_no_anonymous_city(europe_of_four, client_for):
    world, own = europe_of_four
    client = client_for(world["b_coordinator"])
    for group in ("all", "region", "population", "members"):
        page = client.get(f"/assessments/{own.pk}/benchmark/?group={group}")
        text = page.content.decode()
        assert page.status_code == 200 and not _leaks(text), (group, _leaks(text))
        assert not any(r["peer"].shown for r in page.context["rows"]), group
    ranking = page.context["ranking"]
    assert [r["label"] for r in ranking] == [
        "Barcelona",
        "Lyon",
        "Asia-5",
        "Asia-4",
        "Asia-3",
        "Asia-2",
        "Asia-1",
        "Asia-0",
    ]


def test_the_api_hides_every_group_with_fewer_than_five_unknown_anonymous_results(europe_of_four, api):
    _world, own = europe_of_four
    rows = api("b_coordinator").get(f"/api/v1/assessments/{own.pk}/benchmarks/").json()
    by_group = {(r["group_kind"], r["figure"]): r for r in rows}
    assert by_group[("region", "overall")]["n"] == 4 and not by_group[("region", "overall")]["shown"]
    assert by_group[("all", "overall")]["n"] == 10 and not by_group[("all", "overall")]["shown"]
    assert all(r["median"] is None and r["best"] is None and r["percentile"] is None for r in rows)


def test_public_pages_and_open_data_carry_no_anonymous_result(europe_of_four, client_for):
    client = client_for(None)
    for url in ("/rankings/?framework=kinds", "/map/?framework=kinds", "/map/?framework=kinds&region=europe"):
        page = client.get(url)
        assert page.status_code == 200 and not _leaks(page.content.decode()), url
    for fmt in ("csv", "json"):
        data = client.get(f"/api/v1/open-data/kinds/2025.{fmt}")
        assert data.status_code == 200 and not _leaks(data.content.decode()), fmt
        assert "Lyon" in data.content.decode()


def test_five_anonymous_peers_unknown_to_the_reader_make_the_group_shown(europe_of_four, client_for):
    world, own = europe_of_four
    version = world.extra["version"]
    for n in range(3):
        city = City.objects.create(
            slug=f"hidden-{n}",
            name=f"Hidden {n}",
            country=world.city_a.country,
            region=world.region_a,
            latitude=0,
            longitude=0,
            timezone="UTC",
        )
        assessment = Assessment.objects.create(
            city=city, framework_version=version, period="2025", status="published", sharing="anonymous"
        )
        ScoreSnapshot.objects.create(
            assessment=assessment, overall_score=30.0 + n, overall_level=3, figures={"overall": {"score": 30.0 + n}}
        )
    recompute(version.pk, "2025")
    page = client_for(world["b_coordinator"]).get(f"/assessments/{own.pk}/benchmark/")
    overall = next(r for r in page.context["rows"] if r["key"] == "overall")
    assert overall["peer"].n == 13 and overall["peer"].shown and overall["peer"].best == 77.7
    region = client_for(world["b_coordinator"]).get(f"/assessments/{own.pk}/benchmark/?group=region")
    assert not any(r["peer"].shown for r in region.context["rows"]), "Europe still holds four cities"
    assert not _leaks(region.content.decode())


def test_the_migration_counts_the_anonymous_results_of_statistics_written_before(europe_of_four):
    import importlib

    from django.apps import apps

    from ceds.benchmarks.models import Leaderboard, PeerStat

    migration = importlib.import_module("ceds.benchmarks.migrations.0007_peer_stat_anonymous_count")
    counted = {pk: (n, atoms) for pk, n, atoms in PeerStat.objects.values_list("pk", "anonymous", "anonymous_atoms")}
    assert counted and any(n for n, _atoms in counted.values()), "the fixture has anonymous results"
    assert any(atoms for _n, atoms in counted.values())
    PeerStat.objects.update(anonymous=None, anonymous_atoms=None)
    board = Leaderboard.objects.get()
    board.entries = [*board.entries, {**board.entries[0], "assessment": 0, "sharing": "anonymous"}]
    board.save()
    migration.count_anonymous(apps, None)
    after = {pk: (n, atoms) for pk, n, atoms in PeerStat.objects.values_list("pk", "anonymous", "anonymous_atoms")}
    assert after == counted
    assert {e["sharing"] for e in Leaderboard.objects.get().entries} == {"named"}


def test_an_anonymous_city_sees_itself_in_the_ranking_at_its_place_and_no_other_anonymous_city(
    europe_of_four, client_for
):
    world, own = europe_of_four
    own.sharing = "anonymous"
    own.save()
    recompute(own.framework_version_id, "2025")
    page = client_for(world["b_coordinator"]).get(f"/assessments/{own.pk}/benchmark/")
    ranking = page.context["ranking"]
    assert [(r["label"], r["own"]) for r in ranking[:2]] == [("Barcelona", True), ("Lyon", False)]
    assert len(ranking) == 8 and not _leaks(page.content.decode())


def test_weighing_the_groups_adds_no_query(europe_of_four):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ceds.benchmarks.services import group_values

    _world, own = europe_of_four
    own = Assessment.objects.select_related("city", "framework_version").get(pk=own.pk)
    scores = current_scores(own)
    groups = group_values(own.city)
    for call, expected in (
        (lambda: peer_figures(own, scores), 2),  # the API: the city's groups, then the statistics
        (lambda: peer_figures(own, scores, {"region": groups["region"]}, reader_groups=groups), 1),  # a tab
        (lambda: peer_figures(own, groups=ALL_CITIES), 1),  # the dashboard and the report
    ):
        with CaptureQueriesContext(connection) as captured:
            call()
        assert len(captured) == expected
