"""Due dates end at midnight in the city's zone; reminders and the overdue mark follow it.

One fixed instant, two cities far apart: 2026-03-03 16:00 UTC is already 4 March 01:00 in
Seoul (UTC+9) but still 3 March around noon in Asunción (UTC-3 or -4).
"""

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from ceds.assessments import services
from ceds.assessments.models import Assignment
from ceds.cities.models import City
from ceds.cities.timezones import days_left, due_end, is_overdue, today_in
from ceds.frameworks.models import Section

NOW = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


def test_a_due_day_ends_at_midnight_in_the_city():
    due = date(2026, 3, 3)
    assert today_in("Asia/Seoul", NOW) == date(2026, 3, 4)
    assert today_in("America/Asuncion", NOW) == date(2026, 3, 3)
    assert is_overdue(due, "Asia/Seoul", NOW)
    assert not is_overdue(due, "America/Asuncion", NOW)
    assert due_end(due, "Asia/Seoul") == datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    assert days_left(date(2026, 3, 4), "Asia/Seoul", NOW) == 0
    assert days_left(date(2026, 3, 4), "America/Asuncion", NOW) == 1
    assert not is_overdue(None, "Asia/Seoul", NOW)


@pytest.fixture
def two_cities(world, kinds):
    City.objects.filter(pk=world.city_b.pk).update(timezone="America/Asuncion")
    world.city_b.refresh_from_db()
    seoul = services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2026")
    asuncion = services.open_assessment(world["b_coordinator"], world.city_b, kinds, "2026")
    section = Section.objects.get(framework_version=kinds, code="GV")
    for assessment, persona in ((seoul, "a_contributor"), (asuncion, "b_contributor")):
        Assignment.objects.create(
            assessment=assessment, section=section, assignee=world[persona], due_date=date(2026, 3, 3)
        )
    return seoul, asuncion


def test_reminders_follow_each_citys_zone(world, two_cities, django_capture_on_commit_callbacks):
    seoul, asuncion = two_cities
    # Due 3 March: both are at most 0 days away (Seoul's is overdue, Asunción's is due today).
    assert {a.assessment for a in services.due_assignments(0, NOW)} == {seoul, asuncion}
    # Due 4 March: today in Seoul, tomorrow in Asunción.
    Assignment.objects.update(due_date=date(2026, 3, 4))
    assert [a.assessment for a in services.due_assignments(0, NOW)] == [seoul]
    assert {a.assessment for a in services.due_assignments(1, NOW)} == {seoul, asuncion}

    Assignment.objects.update(due_date=date(2026, 3, 3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(None, services.due_assignments(0, NOW), now=NOW) == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[world["a_contributor"].email].startswith("Overdue:")
    assert subjects[world["b_contributor"].email].startswith("Reminder:")
    body = next(m.body for m in mail.outbox if m.to == [world["a_contributor"].email])
    assert "the due day has ended in the city’s time zone (Asia/Seoul)" in body


def test_the_assessment_page_marks_overdue_in_the_citys_zone(world, two_cities, client_for):
    seoul, _asuncion = two_cities
    Assignment.objects.filter(assessment=seoul).update(due_date=date(2020, 1, 1))
    page = client_for(world["a_coordinator"]).get(f"/assessments/{seoul.pk}/").content.decode()
    assert "Overdue" in page and "end of day, Asia/Seoul" in page
