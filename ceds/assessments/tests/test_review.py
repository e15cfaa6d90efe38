"""The validator's review: evidence and comments per item, filters, marking items to return
with a note, and a fixed number of queries."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceds.assessments import services
from ceds.assessments.models import Comment
from ceds.frameworks.models import Item

from .conftest import answer_all


def _submitted(world, assessment, client_for):
    answer_all(client_for(world["a_coordinator"]), assessment)
    services.submit(world["a_coordinator"], assessment)
    return client_for(world["secretariat"])


def _item(assessment, code):
    return Item.objects.get(framework_version=assessment.framework_version, code=code)


def test_the_review_lists_evidence_and_comments_and_filters_them(world, assessment, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    answer_all(client_for(world["a_coordinator"]), assessment)
    pdf = SimpleUploadedFile("decision.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    evidence = services.add_evidence(world["a_coordinator"], assessment, _item(assessment, "GV-01"), pdf)
    services.add_evidence(
        world["a_coordinator"], assessment, _item(assessment, "GV-01"), url="https://example.org/plan"
    )
    services.add_comment(world["a_coordinator"], assessment, _item(assessment, "GV-03"), "Yes since March.")
    services.submit(world["a_coordinator"], assessment)
    validator = client_for(world["secretariat"])

    page = validator.get(f"/assessments/{assessment.pk}/review/").content.decode()
    assert f'href="/assessments/{assessment.pk}/evidence/{evidence.pk}/"' in page and "decision.pdf" in page
    assert 'href="https://example.org/plan"' in page and "Yes since March." in page
    assert (
        client_for(world["b_coordinator"]).get(f"/assessments/{assessment.pk}/evidence/{evidence.pk}/").status_code
        == 404
    )
    assert "There is no previous validated cycle to compare with." in page
    low = validator.get(f"/assessments/{assessment.pk}/review/?show=low_evidence").content.decode()
    assert 'id="review-GV-01"' not in low and 'id="review-GV-02"' in low
    commented = validator.get(f"/assessments/{assessment.pk}/review/?show=comments").content.decode()
    assert 'id="review-GV-03"' in commented and 'id="review-GV-02"' not in commented
    assert "With comments (1)" in commented
    one_section = validator.get(f"/assessments/{assessment.pk}/review/?section=SV").content.decode()
    assert 'id="review-SV-001"' in one_section and 'id="review-GV-01"' not in one_section
    assert 'class="review-actions"' in page, "validate and return stay in reach"


def test_returning_marked_items_stores_a_note_each_and_refuses_a_mark_without_one(world, assessment, client_for):
    validator = _submitted(world, assessment, client_for)
    url = f"/assessments/{assessment.pk}/review/?show=comments"
    refused = validator.post(
        url, {"action": "return", "return": ["GV-01", "GV-02"], "comment-GV-01": "Attach it."}, follow=True
    )
    assert "GV-02 is marked to return: write what the city should change." in refused.content.decode()
    assert not Comment.objects.exists()
    marked = validator.post(
        url, {"action": "validate", "return": ["GV-01"], "comment-GV-01": "Attach it."}, follow=True
    )
    assert "1 item(s) are marked to return" in marked.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    validator.post(
        url,
        {"action": "return", "return": ["GV-01", "GV-02"], "comment-GV-01": "Attach it.", "comment-GV-02": "Level 2?"},
    )
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    notes = services.returned_notes(assessment)
    assert [(n.item.code, n.body) for n in notes] == [("GV-01", "Attach it."), ("GV-02", "Level 2?")]
    detail = client_for(world["a_coordinator"]).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Attach it." in detail and "Level 2?" in detail


def test_the_review_reads_a_fixed_number_of_queries(world, assessment, client_for):
    validator = _submitted(world, assessment, client_for)
    url = f"/assessments/{assessment.pk}/review/"
    validator.get(url)
    with CaptureQueriesContext(connection) as before:
        validator.get(url)
    for code in ("GV-01", "GV-02", "SV-001"):
        services.add_comment(world["secretariat"], assessment, _item(assessment, code), "Seen.")
    with CaptureQueriesContext(connection) as after:
        validator.get(url)
    assert len(before) == len(after) <= 20, [q["sql"][:100] for q in after.captured_queries]
