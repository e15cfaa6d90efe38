"""The tasks' logic, run in this process: what validation, publication, the reminder schedule
and the re-audit schedule queue when there is a broker, and that each task run twice gives the
same result (a worker killed before acknowledging a task makes the broker deliver it again).

The delivery itself, through a real worker and Redis, is tested in test_worker.py.
"""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ceds.api.tests.fixtures import fill
from ceds.assessments import services as workflow
from ceds.assessments import tasks as assessment_tasks
from ceds.assessments.models import Assignment
from ceds.audit import tasks as audit_tasks
from ceds.audit.models import AuditRun
from ceds.benchmarks import tasks as benchmark_tasks
from ceds.benchmarks.models import PublicResult
from ceds.celery import app
from ceds.content.tests.helpers import FIXTURE
from ceds.core.models import AuditEvent
from ceds.frameworks.models import FrameworkVersion, Section
from ceds.reports import issue
from ceds.reports import tasks as report_tasks
from ceds.reports.models import IssuedReport
from ceds.reports.pdf import render_pdf


@pytest.fixture
def version(world):
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    world.extra = {"version": FrameworkVersion.objects.get(framework_id="kinds")}
    return world.extra["version"]


@pytest.fixture
def broker(monkeypatch):
    """As with CEDS_BROKER_URL set: tasks are sent, not run; `sent` lists (task name, args)."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    sent: list = []
    for task in (
        report_tasks.issue_report,
        report_tasks.render_report_pdf,
        benchmark_tasks.recompute_results,
        audit_tasks.run_audit,
        assessment_tasks.send_due_reminders,
    ):
        monkeypatch.setattr(task, "apply_async", lambda args=(), kwargs=None, _n=task.name: sent.append((_n, args)))
    yield sent
    app.conf.task_always_eager = eager


def _submitted(world, version, period="2025"):
    assessment = workflow.open_assessment(world["a_coordinator"], world.city_a, version, period)
    fill(world, assessment)
    workflow.submit(world["a_coordinator"], assessment)
    return assessment


def test_without_a_broker_validation_issues_the_report_in_its_request(world, version):
    assessment = _submitted(world, version)
    workflow.validate(world["regional"], assessment)
    kept = IssuedReport.objects.get(assessment=assessment)
    assert kept.html and kept.language == "en"


def test_with_a_broker_the_report_is_prepared_by_a_worker_exactly_once(
    world, version, broker, client, django_capture_on_commit_callbacks
):
    assessment = _submitted(world, version)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.validate(world["regional"], assessment)
    assert broker == [("ceds.reports.tasks.issue_report", (assessment.pk, "en"))]
    assert IssuedReport.objects.get(assessment=assessment).html == issue.PREPARING

    client.force_login(world["a_coordinator"])
    page = client.get(reverse("report", args=[assessment.pk])).content.decode()
    assert "being prepared" in page and 'hx-trigger="every 5s"' in page
    assert "Provisional" not in page, "validated results, only not rendered yet"

    assert report_tasks.issue_report(assessment.pk, "en") is True
    kept = IssuedReport.objects.get(assessment=assessment)
    page = client.get(reverse("report", args=[assessment.pk])).content.decode()
    assert kept.html and kept.html[:200] in page and "being prepared" not in page

    # Delivered again (its worker died before acknowledging it): nothing is issued twice.
    assert report_tasks.issue_report(assessment.pk, "en") is True
    assert IssuedReport.objects.get(assessment=assessment).issued_at == kept.issued_at
    assert AuditEvent.objects.filter(action="report.issue", object_id=str(assessment.pk)).count() == 1


def test_a_report_whose_task_was_lost_is_rendered_on_view_and_a_download_never_waits(
    world, version, broker, client, django_capture_on_commit_callbacks
):
    assessment = _submitted(world, version)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.validate(world["regional"], assessment)
    assessment.refresh_from_db()
    assert render_pdf(world["a_coordinator"], assessment, "en").startswith(b"%PDF")
    assert IssuedReport.objects.get(assessment=assessment).html != issue.PREPARING

    IssuedReport.objects.filter(assessment=assessment).update(
        html=issue.PREPARING, issued_at=timezone.now() - timedelta(minutes=issue.PREPARING_MINUTES + 1)
    )
    client.force_login(world["a_coordinator"])
    page = client.get(reverse("report", args=[assessment.pk])).content.decode()
    assert "being prepared" not in page
    assert IssuedReport.objects.get(assessment=assessment).html != issue.PREPARING


def test_publication_queues_the_benchmarks_and_the_task_is_idempotent(
    world, version, broker, django_capture_on_commit_callbacks
):
    assessment = _submitted(world, version)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.validate(world["regional"], assessment)
        workflow.publish(world["a_coordinator"], assessment, "named")
    recompute = [args for name, args in broker if name == "ceds.benchmarks.tasks.recompute_results"]
    # The result is a peer of its own period and of the next one (ceds.benchmarks.periods).
    assert recompute == [(version.pk, period, "kinds", [world.city_a.pk]) for period in ("2025", "2026")]
    assert not PublicResult.objects.exists()  # not yet: the worker has not run it
    for _ in range(2):
        benchmark_tasks.recompute_results(*recompute[0])
        assert list(PublicResult.objects.values_list("city_id", "period")) == [(world.city_a.pk, "2025")]


def test_scheduled_reminders_are_sent_once_a_day(world, version, django_capture_on_commit_callbacks):
    assessment = workflow.open_assessment(world["a_coordinator"], world.city_a, version, "2025")
    section = Section.objects.filter(framework_version=version).first()
    workflow.assign_section(
        world["a_coordinator"], assessment, section, world["a_contributor"], timezone.localdate() + timedelta(days=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert assessment_tasks.send_due_reminders() == 1
        assert assessment_tasks.send_due_reminders() == 0  # run again the same day
    assert [m.to for m in mail.outbox] == [[world["a_contributor"].email]]
    Assignment.objects.update(last_reminded_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert assessment_tasks.send_due_reminders() == 1  # the next day


def test_the_schedule_re_audits_portals_once_they_are_due(world, broker, django_capture_on_commit_callbacks):
    world.city_a.portal_url = "https://seoul.example.org/"
    world.city_b.portal_url = "https://barcelona.example.org/"  # never audited: not on the schedule
    world.city_a.save()
    world.city_b.save()
    first = AuditRun.objects.create(city=world.city_a, url=world.city_a.portal_url, status=AuditRun.Status.DONE)
    assert audit_tasks.reaudit_due_portals() == 0  # audited today
    AuditRun.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_tasks.reaudit_due_portals() == 1
        assert audit_tasks.reaudit_due_portals() == 0  # run twice: queued once
    again = AuditRun.objects.exclude(pk=first.pk).get()
    assert again.city == world.city_a and again.status == AuditRun.Status.QUEUED and again.started_by is None
    assert broker == [("ceds.audit.tasks.run_audit", (again.pk, None))]
    # A run that already ended is not crawled again when its task is delivered twice.
    assert audit_tasks.run_audit(first.pk) == AuditRun.Status.DONE


def test_the_beat_schedule_names_real_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry
