"""With a task queue, the report page says the report is being prepared and shows it, without a
reload, once a worker has issued it (htmx polls the page; no script of ours)."""

import io

import pytest
from django.core.management import call_command

from ceds.api.tests.fixtures import fill
from ceds.assessments import services as workflow
from ceds.celery import app
from ceds.content.tests.helpers import FIXTURE
from ceds.frameworks.models import FrameworkVersion
from ceds.reports import tasks as report_tasks
from conftest import PASSWORD

from .conftest import format_violations, run_axe, sign_in


@pytest.fixture
def queued(transactional_db, world, monkeypatch):
    """A validation whose report task was sent to a broker (recorded here) and not yet run."""
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    assessment = workflow.open_assessment(world["a_coordinator"], world.city_a, version, "2025")
    fill(world, assessment)
    workflow.submit(world["a_coordinator"], assessment)
    sent: list = []
    monkeypatch.setattr(report_tasks.issue_report, "apply_async", lambda args=(), kwargs=None: sent.append(args))
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    workflow.validate(world["regional"], assessment)
    yield assessment, sent
    app.conf.task_always_eager = eager


def test_the_report_page_waits_for_the_worker_then_shows_the_report(page, screenshot, world, queued):
    assessment, sent = queued
    assert sent == [(assessment.pk, "en")]
    sign_in(page, world["a_coordinator"].email, PASSWORD)
    page.goto(f"/assessments/{assessment.pk}/report/")
    notice = page.get_by_role("status").filter(has_text="being prepared")
    assert notice.is_visible()
    assert run_axe(page) == [], format_violations(run_axe(page))
    screenshot(page, "preparing")
    report_tasks.issue_report(*sent[0])  # the worker's turn
    page.locator(".report-area.report").wait_for(timeout=12_000)
    assert not page.get_by_text("being prepared").count()
    screenshot(page, "ready")
