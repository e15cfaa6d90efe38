"""Many people save the same answer at the same instant: exactly one wins, nobody is lost.

Real concurrency needs a database with row locks and separate connections, so this runs on
PostgreSQL (the CI's second pass); SQLite serialises every write and proves nothing here.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from ceds.assessments import services
from ceds.assessments.models import Answer, ScoreSnapshot
from ceds.core.tests.races import race

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")

WRITERS = 12


@pytest.fixture
def shared_draft(world, transactional_db):
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion, Item

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    draft = services.open_assessment(world["a_coordinator"], world.city_a, version, "2026")
    item = Item.objects.get(framework_version=version, code="GV-01")
    services.save_answer(world["a_coordinator"], draft, item, {"value": 1}, 0)
    return world, draft, item


def test_one_of_many_simultaneous_saves_wins_and_the_rest_conflict(shared_draft):
    world, draft, item = shared_draft

    def save(index):
        value = {"value": 2 + index % 4}
        return services.save_answer(world["a_coordinator"], draft, item, value, base_version=1)

    results = race(save, WRITERS)
    winners = [r for r in results if isinstance(r, Answer)]
    conflicts = [r for r in results if isinstance(r, services.AnswerConflict)]
    assert len(winners) == 1 and len(conflicts) == WRITERS - 1, results
    stored = Answer.objects.get(assessment=draft, item=item)
    assert stored.version == 2 and stored.value == winners[0].value
    assert all(c.current is not None and c.current.version == 2 for c in conflicts), "each loser sees the winner"


def test_first_answers_created_at_once_keep_one_row(shared_draft):
    world, draft, _item = shared_draft
    from ceds.frameworks.models import Item

    fresh = Item.objects.get(framework_version=draft.framework_version, code="GV-02")
    results = race(lambda i: services.save_answer(world["a_coordinator"], draft, fresh, {"value": i % 4}, 0), WRITERS)
    assert sum(isinstance(r, Answer) for r in results) == 1
    assert all(isinstance(r, Answer | services.AnswerConflict) for r in results), results
    assert Answer.objects.filter(assessment=draft, item=fresh).count() == 1


def test_simultaneous_validations_store_one_current_snapshot(shared_draft):
    world, draft, _item = shared_draft
    from ceds.api.tests.fixtures import FULL
    from ceds.assessments.answers import parse_answer
    from ceds.frameworks.models import Item

    for code, data in FULL.items():
        item = Item.objects.get(framework_version=draft.framework_version, code=code)
        current = Answer.objects.filter(assessment=draft, item=item).first()
        services.save_answer(
            world["a_coordinator"], draft, item, parse_answer(item.data, data), current.version if current else 0
        )
    services.submit(world["a_coordinator"], draft)
    results = race(lambda i: services.validate(world["regional"] if i % 2 else world["secretariat"], draft), 6)
    assert sum(isinstance(r, ScoreSnapshot) for r in results) == 1
    assert all(isinstance(r, ScoreSnapshot | services.WorkflowError) for r in results), results
    assert ScoreSnapshot.objects.filter(assessment=draft, is_current=True).count() == 1
    snapshot = ScoreSnapshot.objects.get(assessment=draft)
    assert snapshot.figures["overall"]["score"] == snapshot.overall_score
