"""Evidence uploads are checked by content, not by name, and served only as attachments."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ceds.assessments.models import Comment, Evidence

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _docx(macro: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        content_type = (
            "application/vnd.ms-word.document.macroEnabled.main+xml"
            if macro
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        )
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/word/document.xml" ContentType="{content_type}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def _upload(client, assessment, name, content, code="GV-01"):
    return client.post(
        f"/assessments/{assessment.pk}/items/{code}/evidence/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("decision.pdf", PDF, "application/pdf"),
        ("plan.docx", _docx(), "wordprocessingml"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        ("figures.csv", b"year,budget\n2025,100\n", "text/plain"),
    ],
)
def test_documents_are_accepted(world, assessment, client_for, settings, tmp_path, name, content, kind):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(client_for(world["a_coordinator"]), assessment, name, content)
    assert "Evidence attached" in response.content.decode()
    evidence = Evidence.objects.get()
    assert kind in evidence.content_type and evidence.original_name == name
    assert name not in evidence.file.name, "stored under a random name"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, "Windows executable"),
        ("chart.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "web page"),
        ("plan.docx", _docx(macro=True), "contains macros"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_disguised_files_are_refused_with_the_reason(
    world, assessment, client_for, settings, tmp_path, name, content, reason
):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(client_for(world["a_coordinator"]), assessment, name, content)
    assert reason in response.content.decode()
    assert not Evidence.objects.exists()


@override_settings(EVIDENCE_MAX_BYTES=100)
def test_files_over_the_size_limit_are_refused(world, assessment, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(client_for(world["a_coordinator"]), assessment, "big.pdf", PDF + b"0" * 200)
    assert "the limit is" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_is_served_as_an_attachment_to_readers_only(world, assessment, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _upload(client_for(world["a_coordinator"]), assessment, "decision.pdf", PDF)
    evidence = Evidence.objects.get()
    url = f"/assessments/{assessment.pk}/evidence/{evidence.pk}/"
    response = client_for(world["a_viewer"]).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="decision.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert client_for(world["b_coordinator"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_links_are_evidence_too(world, assessment, client_for):
    client_for(world["a_coordinator"]).post(
        f"/assessments/{assessment.pk}/items/GV-01/evidence/", {"url": "https://seoul.go.kr/strategy"}
    )
    assert Evidence.objects.get().url == "https://seoul.go.kr/strategy"


def test_mentions_notify_colleagues_of_the_city_only(world, assessment, client_for, django_capture_on_commit_callbacks):
    from django.core import mail

    body = f"@{world['a_viewer'].email} please check; @{world['b_viewer'].email} should not be told"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world["a_coordinator"]).post(f"/assessments/{assessment.pk}/items/GV-01/comments/", {"body": body})
    assert Comment.objects.get().body == body
    assert [m.to for m in mail.outbox] == [[world["a_viewer"].email]]
