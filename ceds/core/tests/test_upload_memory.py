"""The largest hostile upload we allow raises the process's peak memory by less than 100 MB.

The review posted a 1 MB zip whose [Content_Types].xml inflated to 1,000 MB, and a workbook
with 1,000 MB of whitespace in <sheetData>; memory grew by 1.2 GB and 1 GB. Here the
uploads are the same attacks grown as large as every limit allows (file size, members, inflated size per member and in
total, compression ratio) and go through the real request handling: multipart parsing
(spooled to disk past 2.5 MB, as on the server), the view, the inspection, storage.
Python allocations are traced from the moment the request reaches Django.

It runs in the PostgreSQL pass, as the other server-realistic tests do.
"""

import io
import os
import tempfile
import time
import tracemalloc
import zipfile

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files import File
from django.db import connection
from django.test import RequestFactory

from ceds.core.tests import zips

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="server-realistic: the PostgreSQL pass")

BUDGET = 100 * 1024 * 1024
SHARED_STRINGS = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
MB = 1024 * 1024


def _block(ratio_target: int) -> bytes:
    """1 MB that deflates by roughly `ratio_target` to 1 (for markup-free parts: see _whitespace).

    Runs of spaces between random markers; random markers defeat deflate's 32 KB window,
    so a repeated block compresses no better.
    """
    run = b" " * (ratio_target * 4)
    parts, size = [], 0
    while size < MB:
        marker = b"<x>" + os.urandom(3).hex().encode() + b"</x>"
        parts.append(marker + run)
        size += len(marker) + len(run)
    return b"".join(parts)[:MB]


def _whitespace() -> bytes:
    """1 MB of whitespace, mostly spaces with random tabs and newlines: deflates about 10 to 1,
    inside the ratio limit (pure spaces, the review's bomb, is refused by ratio alone)."""
    table = bytes(32 if b < 232 else (9, 10, 13)[b % 3] for b in range(256))
    return os.urandom(MB).translate(table)


def _deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _stream_member(archive: zipfile.ZipFile, name: str, megabytes: int, block: bytes, head: bytes = b"") -> None:
    with archive.open(_deflated(name), "w", force_zip64=True) as member:
        member.write(head)
        for _ in range(megabytes):
            member.write(block)


def _measure(call) -> tuple[int, object]:
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - base, result


def _request(user, path: str, field: str, upload) -> object:
    request = RequestFactory().post(path, {field: upload})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.fixture
def draft(world, settings, tmp_path):
    from django.core.management import call_command

    from ceds.assessments import services
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    return services.open_assessment(world["a_coordinator"], world.city_a, version, "2026")


def test_the_largest_allowed_hostile_evidence_upload_stays_within_100_mb(world, draft, settings):
    from ceds.assessments import views
    from ceds.assessments.models import Evidence

    ratio = settings.ZIP_MAX_RATIO // 2
    block = _block(ratio)
    per_member, total = settings.ZIP_MAX_MEMBER_BYTES // MB - 1, settings.ZIP_MAX_TOTAL_BYTES // MB - 1
    sizes = [per_member] * (total // per_member) + ([total % per_member] if total % per_member else [])
    with tempfile.TemporaryFile() as file:
        with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in (
                ("[Content_Types].xml", zips.content_types()),
                ("_rels/.rels", zips.RELS),
                ("word/document.xml", "<w:document xmlns:w='urn:w'/>"),
            ):
                archive.writestr(name, data)
            # The review's bomb, as big as the limits let it be: the content-types catalogue is
            # read whole, so it is capped at 1 MB; the bulk sits in members that are only streamed.
            for n, megabytes in enumerate(sizes):
                _stream_member(archive, f"word/part{n}.xml", megabytes, block, b"<x>")
        size = file.tell()
        assert size <= settings.EVIDENCE_MAX_BYTES, f"{size / MB:.1f} MB"
        file.seek(0)
        upload = File(file, name="plan.docx")
        request = _request(world["a_coordinator"], f"/assessments/{draft.pk}/items/GV-01/evidence/", "file", upload)
        started = time.monotonic()
        grown, response = _measure(lambda: views.add_evidence(request, pk=draft.pk, code="GV-01"))
        request.close()  # as the WSGI handler does: closes the spooled upload (moved into storage)
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert "wordprocessingml" in evidence.content_type, "inside every limit: accepted"
    print(f"evidence: {size / MB:.1f} MB file, {sum(sizes)} MB inflated, peak +{grown / MB:.1f} MB, {elapsed:.1f} s")
    assert grown < BUDGET, f"peak grew by {grown / MB:.0f} MB for {sum(sizes)} MB inflated"
    assert elapsed < 30


def test_the_largest_allowed_hostile_workbook_stays_within_100_mb(world, draft, settings):
    """Every sheet padded with whitespace inside <sheetData> (the review's bomb) and a shared-strings
    table openpyxl holds whole, each part just under the part limit, all together under the total."""
    from ceds.assessments import views, workbook

    exported = workbook.build(draft)
    part = settings.WORKBOOK_MAX_PART_BYTES - 256 * 1024
    block = _whitespace()
    inflated = 0
    with tempfile.TemporaryFile() as file:
        with zipfile.ZipFile(io.BytesIO(exported)) as source, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "[Content_Types].xml":  # declared, so that openpyxl reads it
                    data = data.replace(b"</Types>", SHARED_STRINGS + b"</Types>")
                if info.filename.startswith("xl/worksheets/sheet"):
                    before, after = data.split(b"<sheetData>", 1)
                    with out.open(_deflated(info.filename), "w") as member:
                        member.write(before + b"<sheetData>")
                        for offset in range(0, part, MB):
                            member.write(block[: min(MB, part - offset)])
                        member.write(after)
                    inflated += part
                else:
                    out.writestr(info.filename, data)
            with out.open(_deflated("xl/sharedStrings.xml"), "w") as member:
                member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                written = 0
                while written < part:
                    chunk = b"".join(b"<si><t>%s</t></si>" % os.urandom(2).hex().encode() for _ in range(5_000))
                    member.write(chunk)
                    written += len(chunk)
                member.write(b"</sst>")
                inflated += written
        size = file.tell()
        assert size <= settings.WORKBOOK_MAX_BYTES, f"{size / MB:.1f} MB"
        assert inflated <= settings.WORKBOOK_MAX_INFLATED_BYTES
        file.seek(0)
        upload = File(file, name="answers.xlsx")
        request = _request(world["a_coordinator"], f"/assessments/{draft.pk}/import/", "workbook", upload)
        started = time.monotonic()
        grown, response = _measure(lambda: views.workbook_import(request, pk=draft.pk))
        request.close()
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert b"Nothing changes" in response.content, "inside every limit: previewed"
    print(
        f"workbook: {size / MB:.1f} MB file, {inflated / MB:.0f} MB inflated, peak +{grown / MB:.1f} MB, {elapsed:.1f} s"
    )
    assert grown < BUDGET, f"peak grew by {grown / MB:.0f} MB for {inflated / MB:.0f} MB inflated"
    assert elapsed < 30
