"""Peer statistics from published results: hand-computed figures, privacy rules, sharing changes."""

import io

import pytest
from django.core.management import call_command

from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.benchmarks.models import PeerStat
from ceds.benchmarks.results import peer_figures
from ceds.benchmarks.services import recompute
from ceds.cities.models import City, CityProfile, Country, Membership, Region
from ceds.content.tests.helpers import FIXTURE
from ceds.frameworks.models import FrameworkVersion

# Overall scores of six cities, all in one region.
SCORES = {"a": 20.0, "b": 35.0, "c": 50.0, "d": 65.0, "e": 90.0, "f": 70.0}


@pytest.fixture
def cities(db):
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    region = Region.objects.create(code="africa", names={"en": "Africa"})
    country = Country.objects.get(code="KE")
    made = {}
    for slug, score in SCORES.items():
        city = City.objects.create(
            slug=slug,
            name=f"City {slug.upper()}",
            country=country,
            region=region,
            latitude=0,
            longitude=36,
            timezone="Africa/Nairobi",
        )
        Membership.objects.create(city=city, kind="member")
        CityProfile.objects.create(city=city, population_band="1m_5m", budget_band="small", income_group="lower_middle")
        assessment = Assessment.objects.create(
            city=city, framework_version=version, period="2025", status="published", sharing="named"
        )
        ScoreSnapshot.objects.create(
            assessment=assessment,
            overall_score=score,
            overall_level=3,
            figures={"overall": {"score": score, "level": 3}, "item:GV-01": {"score": 50}},
        )
        made[slug] = assessment
    return version, made


def _stat(version, kind="all", value="", key="overall"):
    return PeerStat.objects.get(
        framework_version=version, period="2025", group_kind=kind, group_value=value, figure_key=key
    )


def test_median_quartiles_best_and_percentile(cities):
    version, made = cities
    recompute(version.pk, "2025")
    stat = _stat(version)
    # sorted: 20, 35, 50, 65, 70, 90 (n=6); type 7: q1 at 1.25 -> 35 + .25*15 = 38.75;
    # median at 2.5 -> 57.5; q3 at 3.75 -> 65 + .75*5 = 68.75; best 90
    assert (stat.n, stat.q1, stat.median, stat.q3, stat.best) == (6, 38.75, 57.5, 68.75, 90.0)
    assert not PeerStat.objects.filter(figure_key__startswith="item:").exists()
    # City D (65): 3 lower, 1 equal (itself) -> (3 + 0.5) / 6 = 58.33 %
    figures = peer_figures(made["d"], made["d"].snapshots.get().scores)
    overall_all = next(p for p in figures["overall"] if p.group_kind == "all")
    assert overall_all.percentile == pytest.approx(3.5 / 6 * 100)
    assert {p.group_kind for p in figures["overall"]} == {"all", "region", "population", "income", "members"}


def test_private_results_are_never_counted_and_small_groups_are_hidden(cities):
    version, made = cities
    Assessment.objects.filter(pk=made["e"].pk).update(sharing="private")
    recompute(version.pk, "2025")
    stat = _stat(version)
    assert stat.n == 5 and stat.best == 70.0, "the private 90 is not among the peers"
    Assessment.objects.filter(pk=made["f"].pk).update(sharing="private")
    recompute(version.pk, "2025")
    stat = _stat(version)
    assert stat.n == 4 and stat.median is None and stat.values == [], "fewer than 5: nothing shown or kept"
    figures = peer_figures(made["a"], made["a"].snapshots.get().scores)
    assert not any(p.shown for p in figures["overall"])


def test_anonymous_results_count_in_statistics(cities):
    version, made = cities
    Assessment.objects.filter(pk=made["e"].pk).update(sharing="anonymous")
    recompute(version.pk, "2025")
    assert _stat(version).n == 6


def test_changing_the_sharing_level_after_publishing_takes_effect_at_once(cities):
    from ceds.accounts.models import CityRole, User
    from ceds.assessments import services

    version, made = cities
    coordinator = User.objects.create_user("coordinator@example.org", "a-long-test-password-1")
    CityRole.objects.create(user=coordinator, city=made["e"].city, role="coordinator")
    services.publish(coordinator, made["e"], "named")
    assert _stat(version).best == 90.0
    services.publish(coordinator, made["e"], "private")
    assert _stat(version).best == 70.0 and _stat(version).n == 5


def test_compute_benchmarks_command_rebuilds_everything(cities):
    version, _made = cities
    call_command("compute_benchmarks", stdout=io.StringIO())
    assert _stat(version).n == 6
