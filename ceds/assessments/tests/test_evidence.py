"""Evidence uploads are checked by content, not by name, and served only as attachments."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ceds.assessments.models import Comment, Evidence
from ceds.core.tests import zips

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
    assert reason in response.content.decode(), response.content.decode().split("<main", 1)[-1][:1500]
    assert not Evidence.objects.exists()


def test_files_over_the_size_limit_are_refused(world, assessment, client_for, settings, tmp_path):
    # The settings fixture, not @override_settings: that decorator on a pytest function leaks past it.
    settings.MEDIA_ROOT, settings.EVIDENCE_MAX_BYTES = tmp_path, 100
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


# -- zips: bounded inspection and the document allow-list (issue 18, findings 1 and 7) ----------


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "budget"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


VBA = "application/vnd.ms-office.vbaProject"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("book.xlsx", zips.with_members(_xlsx(), {"payload.exe": b"MZ\x90\x00" + b"\x00" * 64}), "payload.exe"),
        (
            "book.xlsx",
            zips.with_members(_xlsx(), {"xl/macros.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}, (("xl/macros.bin", VBA),)),
            "contains macros",
        ),
        ("plan.docx", zips.docx({"index.html": "<html><script>alert(document.cookie)</script></html>"}), "index.html"),
        ("plan.docx", zips.docx({"word/media/image1.png": b"MZ\x90\x00" + b"\x00" * 64}), "image1.png"),
        ("plan.docx", zips.docx({"word/page.xml": "<html><body><script>alert(1)</script>"}), "page.xml"),
        (
            "plan.docx",
            zips.docx(types=zips.content_types(("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"))),
            "contains macros",
        ),
        (
            "plan.docx",
            zips.docx({"word/activeX/activeX1.xml": "<ax/>"}, types=zips.content_types(("word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"))),
            "activeX1.xml",
        ),
        ("plan.docx", zips.docx({"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}), "oleObject1.bin"),
        ("plan.docx", zips.docx({"word/x.xml": '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}), "x.xml"),
        ("plan.docx", zips.docx({"../../evil.xml": "<x/>"}), "unsafe name"),
        ("notes.odt", zips.odt({"Basic/Standard/Module1.xml": "<script:module/>"}), "contains macros"),
        ("notes.odt", zips.odt({"Scripts/python/run.py": "import os"}), "contains macros"),
        ("notes.odt", zips.odt({"run.sh": "#!/bin/sh\nrm -rf /"}), "run.sh"),
    ],
    ids=[
        "exe-in-xlsx", "vba-declared", "html-in-docx", "exe-as-image", "html-as-xml", "macro-enabled-type",
        "activex", "ole-object", "xml-entities", "unsafe-name", "odf-basic", "odf-scripts", "odf-shell",
    ],
)  # fmt: skip
def test_documents_with_hostile_members_are_refused(
    world, assessment, client_for, settings, tmp_path, name, content, reason
):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(client_for(world["a_coordinator"]), assessment, name, content)
    assert reason in response.content.decode(), response.content.decode().split("<main", 1)[-1][:1500]
    assert not Evidence.objects.exists()


def test_real_office_and_opendocument_files_still_pass(world, assessment, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world["a_coordinator"])
    images = zips.docx(
        {"word/media/image1.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "docProps/core.xml": "<cp:coreProperties/>"},
        types=zips.content_types(defaults=(("png", "image/png"),)),
    )
    rich = zips.docx(
        {
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": _xlsx(),
            "word/fonts/font1.odttf": b"\x00\x01\x00\x00" + b"\x00" * 64,
            "word/printerSettings/printerSettings1.bin": b"\x00" * 64,
            "word/media/media1.mp4": b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64,
            "customXml/item1.xml": '<?xml version="1.0"?><?mso-contentType?><FormTemplates/>',
            "word/charts/colors1.xml": "<cs:colorStyle/>",
        },
        types=zips.content_types(
            ("word/charts/colors1.xml", "application/vnd.ms-office.chartcolorstyle+xml"),
            defaults=(
                ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("odttf", "application/vnd.openxmlformats-officedocument.obfuscatedFont"),
                ("bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"),
                ("mp4", "video/mp4"),
            ),
        ),
    )
    documents = (("book.xlsx", _xlsx()), ("notes.odt", zips.odt()), ("pictures.docx", images), ("rich.docx", rich))
    for name, content in documents:
        assert "Evidence attached" in _upload(client, assessment, name, content).content.decode(), name
    assert Evidence.objects.count() == 4


def test_a_content_types_bomb_is_refused_without_inflating_it(world, assessment, client_for, settings, tmp_path):
    """The review's bomb, scaled down: a [Content_Types].xml padded with spaces to 40 MB (40 KB zipped)."""
    settings.MEDIA_ROOT = tmp_path
    bomb = zips.docx(types=zips.content_types().replace("<Types", "<Types" + " " * 40_000_000, 1))
    assert len(bomb) < 200_000
    response = _upload(client_for(world["a_coordinator"]), assessment, "plan.docx", bomb)
    assert "compressed" in response.content.decode() and "[Content_Types].xml" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("limits", "extra", "reason"),
    [
        ({"ZIP_MAX_MEMBERS": 20}, {f"word/part{n}.xml": "<p/>" for n in range(30)}, "too many files"),
        ({"ZIP_MAX_MEMBER_BYTES": 1_000_000}, {"word/big.xml": "<p>" + "x" * 1_200_000 + "</p>"}, "would inflate"),
        (
            {"ZIP_MAX_TOTAL_BYTES": 2_000_000},
            {f"word/media/image{n}.png": b"\x89PNG\r\n\x1a\n" + __import__("os").urandom(700_000) for n in range(3)},
            "more than",
        ),
        ({"ZIP_MAX_RATIO": 50}, {"word/flat.xml": "<p>" + " " * 3_000_000 + "</p>"}, "compressed"),
    ],
    ids=["members", "member-size", "total-size", "ratio"],
)
def test_each_zip_limit_is_a_setting_and_refuses_with_a_reason(
    world, assessment, client_for, settings, tmp_path, limits, extra, reason
):
    settings.MEDIA_ROOT = tmp_path
    for key, value in limits.items():
        setattr(settings, key, value)
    response = _upload(client_for(world["a_coordinator"]), assessment, "plan.docx", zips.docx(extra))
    assert reason in response.content.decode(), response.content.decode().split("<main", 1)[-1][:1500]
    assert not Evidence.objects.exists()
