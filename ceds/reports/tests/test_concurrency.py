"""Many first views of one report at once, and a change while a report renders (PostgreSQL only).

SQLite serialises every write and proves nothing here; the CI's second pass runs these.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from ceds.assessments.models import Assessment
from ceds.cities import services as city_services
from ceds.cities.models import City
from ceds.content.tests.helpers import FIXTURE
from ceds.core.tests.races import race
from ceds.frameworks.models import FrameworkVersion
from ceds.reports import assemble, issue
from ceds.reports.models import IssuedReport
from ceds.solutions.tests.helpers import LOW, validated_cycle

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and real concurrency")

READERS = 8


@pytest.fixture
def validated(world, transactional_db):
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    assessment = validated_cycle(world, version, "2025", LOW)
    IssuedReport.objects.all().delete()  # as if never viewed: every reader issues it
    return Assessment.objects.select_related("city").get(pk=assessment.pk)


def test_simultaneous_first_views_keep_one_report(world, validated):
    def view(index):
        assessment = Assessment.objects.select_related("city").get(pk=validated.pk)
        return issue.report_for(world["a_viewer"], assessment)

    results = race(view, READERS)
    assert all(isinstance(r, issue.Report) for r in results), results
    assert IssuedReport.objects.filter(assessment=validated).count() == 1


def test_a_change_while_a_report_renders_is_never_hidden(world, validated, monkeypatch):
    """The reader read the revision, then the city's budget changed before the report was kept."""
    build = assemble.build

    def build_then_change(assessment, may_see_provisional):
        context = build(assessment, may_see_provisional)
        race(
            lambda i: city_services.save_budget_year(
                world["a_coordinator"], world.city_a, 2024, {"currency": "USD", "planned": 777777}
            ),
            1,
        )
        return context

    monkeypatch.setattr(assemble, "build", build_then_change)
    reader = Assessment.objects.select_related("city").get(pk=validated.pk)
    stale = issue.report_for(world["a_viewer"], reader)
    assert "777,777" not in stale.html
    monkeypatch.setattr(assemble, "build", build)
    fresh_reader = Assessment.objects.select_related("city").get(pk=validated.pk)
    assert fresh_reader.city.report_revision > IssuedReport.objects.get(assessment=validated).revision
    assert "777,777" in issue.report_for(world["a_viewer"], fresh_reader).html
    assert City.objects.get(pk=world.city_a.pk).report_revision == IssuedReport.objects.get().revision
