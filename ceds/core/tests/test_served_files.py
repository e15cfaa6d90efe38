"""Every file served from our origin carries its stored, checked type, nosniff, attachment and
the sandbox policy (issue 18, finding 8)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from ceds.solutions.models import Practice
from ceds.solutions.tests.helpers import CASE

SANDBOX = "default-src 'none'; sandbox"


def _assert_protected(response, content_type: str):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith(content_type), response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == SANDBOX
    if hasattr(response, "streaming_content"):
        # Read to the end: the test client then closes the file without sending
        # request_finished, which would close the test's database connection (PostgreSQL).
        b"".join(response.streaming_content)


def _publish_case(world, client_for, attachment) -> Practice:
    coordinator, secretariat = client_for(world["a_coordinator"]), client_for(world["analyst"])
    response = coordinator.post("/practices/new/", {**CASE, "attachment": attachment})
    assert response.status_code == 302, response.context["form"].errors
    practice = Practice.objects.get(origin="city")
    secretariat.post("/practices/review/", {"practice": practice.pk, "action": "publish"})
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED
    return practice


@pytest.mark.parametrize(
    ("name", "content", "served_as"),
    [
        ("steps.js", b"fetch('/me/api-tokens/').then(r => r.text()).then(alert)\n", "text/plain"),
        ("case.html", b"Residents queued for hours.\n", "text/plain"),
        ("photo.svg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png"),
    ],
)
def test_practice_attachments_are_served_as_the_type_checked_at_upload(
    world, kinds, client_for, settings, tmp_path, name, content, served_as
):
    """The review's case: a .js attachment was served as text/javascript from our origin."""
    settings.MEDIA_ROOT = tmp_path
    practice = _publish_case(world, client_for, SimpleUploadedFile(name, content))
    assert practice.attachment_type == served_as
    _assert_protected(client_for(None).get(f"/practices/{practice.pk}/attachment/"), served_as)


def test_a_practice_attachment_of_unknown_type_is_served_as_bytes(world, kinds, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    practice = _publish_case(world, client_for, SimpleUploadedFile("c.pdf", b"%PDF-1.4 x"))
    practice.attachment_type = ""  # an attachment stored before types were recorded
    practice.attachment.save("legacy.html", ContentFile(b"<script>alert(1)</script>"), save=False)
    practice.attachment_name = "legacy.html"
    practice.save()
    _assert_protected(client_for(None).get(f"/practices/{practice.pk}/attachment/"), "application/octet-stream")


def test_markup_attachments_are_refused_at_upload(world, kinds, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client_for(world["a_coordinator"]).post(
        "/practices/new/", {**CASE, "attachment": SimpleUploadedFile("c.txt", b"<html><script>alert(1)</script>")}
    )
    assert response.status_code == 200 and "web page" in str(response.context["form"].errors)


def test_every_download_carries_the_protective_headers(api_world, api, client_for, settings, tmp_path):
    from ceds.api.tests.fixtures import validated
    from ceds.assessments.models import Evidence
    from ceds.frameworks.models import Item

    settings.MEDIA_ROOT = tmp_path
    done = validated(api_world, "2025", sharing="named")
    draft = api_world.extra["draft"]
    item = Item.objects.get(framework_version=draft.framework_version, code="GV-01")
    evidence = Evidence(assessment=draft, item=item, original_name="plan.pdf", content_type="application/pdf")
    evidence.file.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=True)
    web = client_for(api_world["a_coordinator"])
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    _assert_protected(web.get(f"/assessments/{draft.pk}/evidence/{evidence.pk}/"), "application/pdf")
    _assert_protected(web.get(f"/assessments/{draft.pk}/workbook.xlsx"), xlsx)
    _assert_protected(web.get(f"/assessments/{done.pk}/report.pdf"), "application/pdf")
    _assert_protected(api("a_coordinator").get(f"/api/v1/assessments/{done.pk}/report.pdf"), "application/pdf")
    for fmt, content_type in (("csv", "text/csv"), ("json", "application/json"), ("xlsx", xlsx)):
        _assert_protected(api(None).get(f"/api/v1/open-data/kinds/2025.{fmt}"), content_type)
