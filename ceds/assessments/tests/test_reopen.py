"""A validated result reopened by the secretariat for a correction, re-validated with an amended report."""

import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from ceds.assessments import services
from ceds.assessments.models import Answer, Assessment, Correction
from ceds.assessments.tests.conftest import answer_all
from ceds.benchmarks.models import PublicResult
from ceds.benchmarks.services import shared_snapshots
from ceds.core.models import AuditEvent
from ceds.frameworks.models import Item
from ceds.reports.models import EarlierIssue, IssuedReport

REASON = "GV-01 was entered as level 3; the council decision shows level 4."


@pytest.fixture
def published(world, assessment, client_for):
    answer_all(client_for(world["a_coordinator"]), assessment)
    services.submit(world["a_coordinator"], assessment)
    services.validate(world["secretariat"], assessment)
    services.publish(world["a_coordinator"], assessment, "named")
    assessment.refresh_from_db()
    return assessment


def _peers(assessment) -> int:
    return shared_snapshots([assessment.framework_version_id], [assessment.period]).count()


def test_reopen_correct_and_revalidate_issue_an_amended_report(
    world, published, client_for, tmp_path, django_capture_on_commit_callbacks
):
    assert _peers(published) == 1 and PublicResult.objects.filter(assessment=published).exists()
    first_issue = IssuedReport.objects.get(assessment=published, language="en")

    with pytest.raises(PermissionDenied):
        services.reopen(world["regional"], published, REASON)
    with pytest.raises(services.WorkflowError):
        services.reopen(world["secretariat"], published, "  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world["secretariat"]).post(f"/assessments/{published.pk}/reopen/", {"reason": REASON})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Assessment.Status.RETURNED
    # While reopened: out of the peer tables and the public map; the earlier issue is kept.
    assert _peers(published) == 0 and not PublicResult.objects.filter(assessment=published).exists()
    earlier = EarlierIssue.objects.get(assessment=published, language="en")
    assert earlier.html == first_issue.html and earlier.issued_at == first_issue.issued_at
    assert not IssuedReport.objects.filter(assessment=published).exists()
    assert AuditEvent.objects.get(action="assessment.reopen").changes["reason"] == [None, REASON]
    assert {m.to[0] for m in mail.outbox} == {world["a_coordinator"].email, world["a_contributor"].email}
    page = client_for(world["a_coordinator"]).get(f"/assessments/{published.pk}/").content.decode()
    assert "Reopened for a correction" in page and REASON in page
    with pytest.raises(services.WorkflowError):
        services.reopen(world["secretariat"], published, REASON)  # already reopened

    # The city corrects one answer and submits; the regional office validates.
    item = Item.objects.get(framework_version=published.framework_version, code="GV-01")
    answer = Answer.objects.get(assessment=published, item=item)
    services.save_answer(world["a_coordinator"], published, item, {"value": 4}, answer.version)
    services.submit(world["a_coordinator"], published)
    services.validate(world["regional"], published)
    published.refresh_from_db()
    assert published.status == Assessment.Status.PUBLISHED and published.sharing == "named"
    assert _peers(published) == 1 and PublicResult.objects.filter(assessment=published).exists()
    correction = Correction.objects.get(assessment=published)
    assert correction.changes["items"] == ["GV-01"] and correction.revalidated_by == world["regional"]

    html = client_for(world["a_viewer"]).get(f"/assessments/{published.pk}/report/").content.decode()
    assert "Amended report" in html and "Amended on" in html
    assert "GV-01 was entered as level 3" in html and "Answer changed: GV-01." in html
    assert "This report replaces the one issued on" in html

    from ceds.reports.pdf import render_pdf

    path = tmp_path / "amended.pdf"
    path.write_bytes(render_pdf(world["a_viewer"], published, "en"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Amended on" in text and "council decision shows level 4" in " ".join(text.split())


def test_only_a_validated_or_published_result_is_reopened(world, assessment, client_for):
    response = client_for(world["secretariat"]).post(f"/assessments/{assessment.pk}/reopen/", {"reason": REASON})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT and not Correction.objects.exists()
    assert (
        client_for(world["a_coordinator"]).post(f"/assessments/{assessment.pk}/reopen/", {"reason": "x"}).status_code
        == 403
    )


def test_a_reopened_validated_result_stays_unpublished_after_revalidation(world, assessment, client_for):
    answer_all(client_for(world["a_coordinator"]), assessment)
    services.submit(world["a_coordinator"], assessment)
    services.validate(world["secretariat"], assessment)
    services.reopen(world["analyst"], assessment, REASON)
    services.submit(world["a_coordinator"], assessment)
    services.validate(world["secretariat"], assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VALIDATED
    assert Correction.objects.get().changes["items"] == []
