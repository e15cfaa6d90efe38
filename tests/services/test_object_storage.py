"""Object storage (django-storages, S3 API) against moto's S3 server on loopback: evidence,
batch PDFs and backups live in the bucket; downloads still stream through our views, behind
the permission check and with the download headers."""

import importlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ceds.assessments.models import Evidence
from ceds.core import backup
from ceds.core.tests.test_backup import full_site  # noqa: F401 — the fixture of a site worth backing up
from tests.services.conftest import s3_options

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _keys(bucket, prefix: str) -> list[str]:
    client, name = bucket
    return [o["Key"] for o in client.list_objects_v2(Bucket=name, Prefix=prefix).get("Contents", [])]


def test_the_storage_url_sets_up_a_private_bucket_and_local_disk_stays_the_default(monkeypatch):
    import ceds.settings as module

    try:
        monkeypatch.setenv("CEDS_STORAGE_URL", "s3://evidence-bucket/site?endpoint_url=http://127.0.0.1:9000")
        storages = importlib.reload(module).STORAGES
        assert storages["default"] == {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**s3_options("evidence-bucket", "media"), "endpoint_url": "http://127.0.0.1:9000"},
        }
        assert storages["backups"]["OPTIONS"]["location"] == "site/backups"
        monkeypatch.setenv("CEDS_STORAGE_URL", "s3://evidence-bucket?acl=public-read")
        with pytest.raises(Exception, match="unknown option"):
            importlib.reload(module)
        monkeypatch.delenv("CEDS_STORAGE_URL")
        storages = importlib.reload(module).STORAGES
        assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_evidence_is_stored_in_the_bucket_and_streamed_behind_the_permission_check(bucket, world, client_for):
    from ceds.assessments import services as workflow
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    assessment = workflow.open_assessment(world["a_coordinator"], world.city_a, version, "2026")
    coordinator = client_for(world["a_coordinator"])
    coordinator.post(
        f"/assessments/{assessment.pk}/items/GV-01/evidence/", {"file": SimpleUploadedFile("decision.pdf", PDF)}
    )
    evidence = Evidence.objects.get()
    assert _keys(bucket, "site/media/evidence/") == [f"site/media/{evidence.file.name}"]

    url = f"/assessments/{assessment.pk}/evidence/{evidence.pk}/"
    response = coordinator.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for(world["b_coordinator"]).get(url).status_code == 404  # another city's file


def test_backups_and_batch_pdfs_go_to_the_bucket_and_restore_from_it(bucket, full_site):  # noqa: F811
    files = backup._media_names()
    assert files and all(key.startswith("site/media/") for key in _keys(bucket, "site/media/"))
    out = io.StringIO()
    call_command("export_all", "nightly.tar.gz", "--to-storage", stdout=out)
    assert _keys(bucket, "site/backups/") == ["site/backups/nightly.tar.gz"]

    call_command("render_reports", "--output", "storage:reports/2025", stdout=io.StringIO())
    pdfs = _keys(bucket, "site/media/reports/2025/")
    assert pdfs == [f"site/media/reports/2025/seoul-kinds-{full_site.period}.pdf"]

    before = backup.counts()
    client, name = bucket
    call_command("flush", interactive=False, verbosity=0)
    for key in _keys(bucket, "site/media/"):
        client.delete_object(Bucket=name, Key=key)
    call_command("import_all", "nightly.tar.gz", "--from-storage", stdout=out)
    assert backup.counts() == before
    assert backup._media_names() == files  # every file back in the bucket, under its own name
