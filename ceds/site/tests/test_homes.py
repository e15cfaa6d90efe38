"""The home pages per role: each shows its next task, with a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ceds.accounts.models import CityRole, User
from ceds.assessments import services as workflow
from ceds.assessments.answers import parse_answer
from ceds.assessments.models import Assessment
from ceds.cities.models import City, Membership
from ceds.core.models import Notification
from ceds.frameworks.models import Item, Section

ANSWERS = {
    "GV-01": {"choice": "2"},
    "GV-02": {"choice": "3"},
    "GV-03": {"choice": "yes"},
    "GV-04": {"value": "40"},
    "SV-001": {"status": "operating", "level": "3", "utilization": "40"},
    "SV-002": {"status": "planned"},
}


def _answer(actor, assessment, codes=ANSWERS):
    items = {i.code: i for i in Item.objects.filter(framework_version=assessment.framework_version)}
    workflow.save_answers(actor, assessment, {items[c]: parse_answer(items[c].data, ANSWERS[c]) for c in codes})


def _item(assessment, code):
    return Item.objects.get(framework_version=assessment.framework_version, code=code)


@pytest.fixture
def returned(api_world):
    """City A's draft: GV assigned to the contributor (overdue), answered, submitted, and
    returned by the regional office with notes on two GV items."""
    world, draft = api_world, api_world.extra["draft"]
    section = Section.objects.get(framework_version=draft.framework_version, code="GV")
    yesterday = timezone.localdate() - timedelta(days=1)
    workflow.assign_section(world["a_coordinator"], draft, section, world["a_contributor"], yesterday)
    _answer(world["a_contributor"], draft, ["GV-01", "GV-02", "GV-03", "GV-04"])
    _answer(world["a_coordinator"], draft, ["SV-001", "SV-002"])
    workflow.submit(world["a_coordinator"], draft)
    notes = {_item(draft, "GV-01"): "Which body adopted it?", _item(draft, "GV-03"): "Attach the decree."}
    workflow.return_assessment(world["regional"], draft, notes)
    return draft


def test_the_contributor_sees_their_section_and_the_items_returned(returned, api_world, client_for):
    page = client_for(api_world["a_contributor"]).get("/").content.decode()
    assert f'href="/assessments/{returned.pk}/sections/GV/"' in page
    assert f'href="/assessments/{returned.pk}/sections/GV/#item-GV-01"' in page
    assert f'href="/assessments/{returned.pk}/sections/GV/#item-GV-03"' in page
    assert "Which body adopted it?" in page and "Attach the decree." in page
    assert "2 items returned to you" in page and "Overdue" not in page, "every GV item is answered"
    assert "/sections/SV/" not in page, "only the contributor's own sections"
    # The other city's contributor sees none of it.
    assert "Which body" not in client_for(api_world["b_contributor"]).get("/").content.decode()


def test_notifications_beside_the_emails(returned, api_world, client_for):
    contributor = api_world["a_contributor"]
    kinds = list(Notification.objects.filter(user=contributor).values_list("kind", flat=True))
    assert sorted(kinds) == ["assigned", "returned"]
    client = client_for(contributor)
    assert "2 unread" in client.get("/").content.decode()
    listing = client.get("/notifications/").content.decode()
    assert "returned Seoul's assessment (2026) with comments on 2 items" in listing
    assigned = Notification.objects.get(user=contributor, kind="assigned")
    response = client.post(f"/notifications/{assigned.pk}/")
    assert response.status_code == 302 and response.url == f"/assessments/{returned.pk}/sections/GV/"
    assert "1 unread" in client.get("/").content.decode()
    assert client_for(api_world["b_contributor"]).post(f"/notifications/{assigned.pk}/").status_code == 404
    client.post("/notifications/read/")
    assert not Notification.objects.filter(user=contributor, read_at__isnull=True).exists()
    # The validators were told of the submission; the coordinator of the return.
    assert Notification.objects.filter(user=api_world["regional"], kind="submitted").exists()
    assert Notification.objects.filter(user=api_world["a_coordinator"], kind="returned").exists()


def test_the_coordinator_sees_progress_blockers_and_overdue_sections(api_world, client_for):
    world, draft = api_world, api_world.extra["draft"]
    section = Section.objects.get(framework_version=draft.framework_version, code="GV")
    workflow.assign_section(
        world["a_coordinator"], draft, section, world["a_contributor"], timezone.localdate() - timedelta(days=2)
    )
    _answer(world["a_coordinator"], draft, ["GV-01"])
    page = client_for(world["a_coordinator"]).get("/").content.decode()
    assert "What blocks submission" in page and "5 items still need an answer or a confirmation." in page
    assert "Overdue sections" in page and f'action="/assessments/{draft.pk}/remind/"' in page
    assert f'href="/assessments/{draft.pk}/sections/GV/"' in page and "1 of 6 applicable items answered" in page


def test_the_coordinator_reaches_the_latest_results(api_world, client_for):
    world = api_world
    old = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], "2025")
    _answer(world["a_coordinator"], old)
    workflow.submit(world["a_coordinator"], old)
    workflow.validate(world["regional"], old, issue_now=False)
    page = client_for(world["a_coordinator"]).get("/").content.decode()
    for url in ("dashboard", "report", "plan"):
        assert f'href="/assessments/{old.pk}/{url}/"' in page


def test_validators_see_the_queue_and_the_campaign(returned, api_world, client_for):
    world = api_world
    workflow.submit(world["a_coordinator"], returned)
    Assessment.objects.filter(pk=returned.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    regional = client_for(world["regional"]).get("/").content.decode()
    assert f'href="/assessments/{returned.pk}/review/"' in regional and "3 days" in regional
    assert "Campaign 2026" in regional and "Submitted: 1" in regional
    assert "Barcelona" not in regional, "another region's city"
    analyst = client_for(world["analyst"]).get("/").content.decode()
    assert f'href="/assessments/{returned.pk}/review/"' in analyst
    assert "review/" not in client_for(world["a_coordinator"]).get("/").content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def _more_cities(world, n: int) -> None:
    """n more cities in the regional office's region, each with a cycle answered in full and
    submitted, so the queue and the campaign grow."""
    version = world.extra["version"]
    for i in range(n):
        city = City.objects.create(
            slug=f"peer-{i}",
            name=f"Peer {i}",
            country=world.city_a.country,
            region=world.region_a,
            latitude=0,
            longitude=0,
        )
        Membership.objects.create(city=city, kind="member", since=2020)
        coordinator = User.objects.create_user(f"peer{i}@example.org", "x" * 20)
        CityRole.objects.create(user=coordinator, city=city, role="coordinator")
        assessment = workflow.open_assessment(coordinator, city, version, "2026")
        _answer(coordinator, assessment)
        workflow.submit(coordinator, assessment)


@pytest.mark.parametrize("persona", ["a_contributor", "a_coordinator", "regional", "analyst"])
def test_home_queries_do_not_grow_with_cities_or_answers(returned, api_world, client_for, persona):
    client = client_for(api_world[persona])
    _queries(client)  # a process reads some content once, on first use (framework definitions): not counted
    before = _queries(client)
    _more_cities(api_world, 6)
    _answer(api_world["a_coordinator"], Assessment.objects.get(pk=returned.pk))  # every item answered again
    assert _queries(client) == before <= 30
