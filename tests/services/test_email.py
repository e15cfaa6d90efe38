"""E-mail through a real SMTP conversation: an aiosmtpd sink on loopback receives what Django's
SMTP backend sends; each message is parsed as a mail client would (recipients, subject, the
plain and HTML parts) and read in its recipient's language."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from ceds.accounts import services as accounts
from ceds.api.tests.fixtures import fill
from ceds.assessments import services as workflow
from ceds.assessments import tasks as assessment_tasks
from ceds.content.tests.helpers import FIXTURE
from ceds.frameworks.models import FrameworkVersion, Section


@pytest.fixture
def version(world):
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    world.extra = {"version": FrameworkVersion.objects.get(framework_id="kinds")}
    return world.extra["version"]


def _subject(message) -> str:
    # Django folds a long encoded subject onto a continuation line; clients drop the fold's space.
    return str(message["Subject"]).strip()


def _parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_an_invitation_arrives_in_the_inviters_language_with_its_link(
    world, smtp_sink, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://ceds.example.org"
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        _invitation, token = accounts.invite(
            world["a_coordinator"], "New.Colleague@example.org", city=world.city_a, city_role="contributor"
        )
    [(recipients, message)] = smtp_sink.wait_for(1)
    assert recipients == ["new.colleague@example.org"] and message["To"] == "new.colleague@example.org"
    assert _subject(message).startswith("Invitación a CeDS:")
    text, html = _parts(message)
    assert f"https://ceds.example.org/invitations/{token}/" in text and token in html
    assert message["From"] == settings.DEFAULT_FROM_EMAIL


def test_scheduled_reminders_arrive_in_each_assignees_language(
    world, version, smtp_sink, django_capture_on_commit_callbacks
):
    world["a_contributor"].language = "ko"
    world["a_contributor"].save()
    assessment = workflow.open_assessment(world["a_coordinator"], world.city_a, version, "2025")
    section = Section.objects.filter(framework_version=version).first()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign_section(
            world["a_coordinator"],
            assessment,
            section,
            world["a_contributor"],
            timezone.localdate() + timedelta(days=2),
        )
    smtp_sink.wait_for(1)  # the assignment's own notice
    with django_capture_on_commit_callbacks(execute=True):
        assert assessment_tasks.send_due_reminders() == 1
    recipients, reminder = smtp_sink.wait_for(2)[-1]
    assert recipients == [world["a_contributor"].email]
    assert _subject(reminder).startswith("알림:") and "Seoul" in _subject(reminder)
    text, _html = _parts(reminder)
    assert f"/assessments/{assessment.pk}/" in text


def test_the_validation_notice_reaches_each_coordinator_in_their_language(
    world, version, smtp_sink, django_capture_on_commit_callbacks
):
    world["a_coordinator"].language = "fr"
    world["a_coordinator"].save()
    assessment = workflow.open_assessment(world["a_coordinator"], world.city_a, version, "2025")
    fill(world, assessment)
    workflow.submit(world["a_coordinator"], assessment)
    smtp_sink.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.validate(world["regional"], assessment)
    delivered = smtp_sink.wait_for(1)
    [message] = [m for rcpt, m in delivered if rcpt == [world["a_coordinator"].email]]
    assert _subject(message) == "Validée\u00a0: Seoul, 2025"  # French typography: no-break space
