"""Cities publish in the same period at the same instant: every publication counts, none fails.

Each publication rebuilds the period's peer statistics, leaderboard and public listing (delete,
then insert under unique constraints). Under READ COMMITTED two rebuilds at once collide on
peer_stat_unique or drop each other's result, unless they take turns (services.serialised).
Real concurrency needs PostgreSQL and separate connections; SQLite serialises every write.
"""

import pytest
from django.db import connection

from ceds.accounts.models import CityRole, User
from ceds.assessments import services as workflow
from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.benchmarks.models import Leaderboard, PeerGroup, PeerStat, PublicResult
from ceds.cities.models import City, CityProfile, Country, Membership
from ceds.core.tests.races import race
from ceds.scoring.engine import Engine

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and parallel connections")

CITIES = 8


@pytest.fixture
def validated_results(world, kinds, transactional_db):
    """CITIES cities, each with a coordinator and a validated, unpublished result for 2026."""
    engine, korea = Engine(kinds.definition), Country.objects.get(code="KR")
    out = []
    for n in range(CITIES):
        city = City.objects.create(
            slug=f"racer-{n}",
            name=f"Racer {n}",
            country=korea,
            region=korea.region,
            latitude=37,
            longitude=127,
            timezone="Asia/Seoul",
        )
        Membership.objects.create(city=city, kind="member")
        CityProfile.objects.create(city=city, population_band="1m_5m", budget_band="medium", income_group="high")
        coordinator = User.objects.create_user(email=f"coordinator{n}@racer.example", password="x-long-password-1")
        CityRole.objects.create(user=coordinator, city=city, role=CityRole.Role.COORDINATOR)
        assessment = Assessment.objects.create(city=city, framework_version=kinds, period="2026", status="validated")
        result = engine.score({"GV-01": {"value": 1 + n % 5}, "SV-001": {"status": "operating", "level": 3}})
        ScoreSnapshot.objects.create(
            assessment=assessment,
            overall_score=result.overall.score,
            overall_level=result.overall.level,
            figures=result.to_dict(),
        )
        out.append((coordinator, assessment))
    return kinds, out


def test_simultaneous_publications_in_one_period_all_count(validated_results):
    version, results = validated_results

    def publish(index):
        coordinator, assessment = results[index]
        return workflow.publish(coordinator, assessment, "named")

    outcomes = race(publish, CITIES)
    assert all(isinstance(o, Assessment) for o in outcomes), outcomes
    overall = PeerStat.objects.get(
        framework_version=version, period="2026", group_kind=PeerGroup.ALL, group_value="", figure_key="overall"
    )
    assert overall.n == CITIES, "the last rebuild saw every publication"
    board = Leaderboard.objects.get(framework_version=version, period="2026")
    assert sorted(e["city"] for e in board.entries) == sorted(f"Racer {n}" for n in range(CITIES))
    assert PublicResult.objects.filter(framework_id=version.framework_id).count() == CITIES
