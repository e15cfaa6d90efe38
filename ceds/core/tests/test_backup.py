"""export_all / import_all: every table and every file comes back exactly."""

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from ceds.core import backup


def _snapshot():
    """Every row of every backed-up table, and every media file's bytes."""
    from django.conf import settings

    rows = {m._meta.label_lower: list(m._base_manager.order_by("pk").values()) for m in backup._models()}
    media = Path(settings.MEDIA_ROOT)
    files = {str(p.relative_to(media)): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    return rows, files


@pytest.fixture
def full_site(world, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from ceds.api.tests.fixtures import fill, validated
    from ceds.api.tokens import create_token
    from ceds.assessments import services as workflow
    from ceds.assessments.models import Evidence
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion, Item
    from ceds.indices.importer import import_index

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    world.extra = {"version": FrameworkVersion.objects.get(framework_id="kinds")}
    done = validated(world, "2025", sharing="named")
    draft = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], "2026")
    fill(world, draft)
    item = Item.objects.get(framework_version=draft.framework_version, code="GV-01")
    workflow.add_comment(world["a_coordinator"], draft, item, "Attach the council decision.")
    evidence = Evidence(assessment=draft, item=item, original_name="decision.pdf", content_type="application/pdf")
    evidence.file.save("decision.pdf", ContentFile(b"%PDF-1.4 the decision"), save=True)
    create_token(world["a_coordinator"], "sync")
    import_index(world["secretariat"], b"country,rank,egdi\nSpain,18,0.91\n", "egdi", 2024, "UN EGDI")
    return done


def test_everything_round_trips(full_site, tmp_path, settings):
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("export_all", str(archive), stdout=out)
    assert "files" in out.getvalue()
    before = _snapshot()
    assert before[0]["assessments.answer"] and before[0]["core.auditevent"] and before[1], "a site worth restoring"

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert _snapshot() != before

    call_command("import_all", str(archive), stdout=io.StringIO())
    assert _snapshot() == before
    from ceds.core.models import AuditEvent

    event = AuditEvent.objects.order_by("pk").last()
    event.pk = None
    event.save()  # new ids continue after the restored ones (PostgreSQL's sequences were reset)


def test_spaces_around_a_text_survive_and_older_yaml_and_xml_archives_still_restore(full_site, tmp_path, settings):
    from ceds.cities.models import City

    City.objects.filter(pk=full_site.city_id).update(name=" Seoul ")  # as a gazetteer name can be
    archive = tmp_path / "backup.tar.gz"
    call_command("export_all", str(archive), stdout=io.StringIO())
    before = _snapshot()
    # The same backup as older releases wrote it: Django's YAML (data.yaml) and XML (data.xml).
    labels = [m._meta.label_lower for m in backup._models()]
    older = {}
    for form in ("yaml", "xml"):
        data = io.StringIO()
        call_command("dumpdata", *labels, natural_foreign=True, format=form, stdout=data)
        older[form] = tmp_path / f"older-{form}.tar.gz"
        with tarfile.open(archive) as source, tarfile.open(older[form], "w:gz") as target:
            for member in source.getmembers():
                if member.name == "data.json":
                    payload = data.getvalue().encode()
                    info = tarfile.TarInfo(f"data.{form}")
                    info.size = len(payload)
                    target.addfile(info, io.BytesIO(payload))
                else:
                    target.addfile(member, source.extractfile(member) if member.isfile() else None)
    for source in (archive, older["yaml"], older["xml"]):
        call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        call_command("import_all", str(source), stdout=io.StringIO())
        restored = City.objects.get(pk=full_site.city_id).name
        if source == older["xml"]:
            assert restored == "Seoul", "Django's XML strips the spaces: why backups are not XML"
        else:
            assert restored == " Seoul " and _snapshot() == before


def test_export_reads_each_table_in_a_few_queries_however_many_rows(full_site):
    """References are ids (natural keys only for content types and permissions): no query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ceds.core.models import AuditEvent

    def export_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            backup.serialise(io.StringIO())
        return len(queries)

    first = export_queries()
    event = AuditEvent.objects.filter(actor__isnull=False).first()
    assert event is not None, "audit events that reference a user"
    for _ in range(20):
        event.pk = None
        event.save()
    assert export_queries() == first


def test_restore_refuses_a_database_in_use_and_changes_nothing(full_site, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("export_all", str(archive), stdout=io.StringIO())
    before = _snapshot()
    with pytest.raises(CommandError, match="empty, migrated database"):
        call_command("import_all", str(archive), stdout=io.StringIO())
    assert _snapshot() == before


def test_a_damaged_archive_is_refused_before_anything_is_written(full_site, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("export_all", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else b""
            if member.name.startswith("media/"):
                data = b"tampered"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="missing or damaged"):
        call_command("import_all", str(damaged), stdout=io.StringIO())
    assert not any(backup.counts().values())


def _rewrite(archive: Path, target: Path, manifest_edit=None, extra: dict[str, bytes] | None = None) -> Path:
    """A copy of `archive` with its manifest edited and `extra` members added (as an attacker would)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else b""
            if member.name == "manifest.json" and manifest_edit:
                manifest = json.loads(data)
                manifest_edit(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def _escape(name: str, payload: bytes):
    digest = hashlib.sha256(payload).hexdigest()
    return lambda manifest: manifest["files"].__setitem__(name, digest)


@pytest.mark.parametrize(
    ("name", "member", "reason"),
    [
        # The review's archive: a manifest name climbing out of the media folder, its bytes beside media/.
        ("../escaped/PWNED.txt", "escaped/PWNED.txt", "not part of a backup"),
        ("../escaped/PWNED.txt", None, "unsafe path in the manifest"),
        ("../ceds/urls.py", "ceds/urls.py", "not part of a backup"),
        ("/etc/PWNED.txt", None, "unsafe path in the manifest"),
        ("evidence/listed-but-absent.pdf", None, "disagree"),
        (None, "media/evidence/unlisted.pdf", "disagree"),
    ],
)
def test_restore_refuses_paths_outside_its_targets_and_disagreeing_manifests_before_writing(
    full_site, tmp_path, settings, name, member, reason
):
    archive = tmp_path / "backup.tar.gz"
    call_command("export_all", str(archive), stdout=io.StringIO())
    payload = b"print('owned')"
    crafted = _rewrite(
        archive,
        tmp_path / "crafted.tar.gz",
        manifest_edit=_escape(name, payload) if name else None,
        extra={member: payload} if member else None,
    )
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    with pytest.raises(CommandError, match=reason):
        call_command("import_all", str(crafted), stdout=io.StringIO())
    assert not any(backup.counts().values()), "no row written"
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.read_bytes() == payload]
    assert written == [], "no file written, inside the media folder or out of it"
    assert not (tmp_path / "site").exists()


def test_restore_writes_files_through_the_storage_api(full_site, tmp_path, settings, monkeypatch):
    """So that it holds when files move to object storage: nothing is written to MEDIA_ROOT directly."""
    from django.core.files.storage import InMemoryStorage

    archive = tmp_path / "backup.tar.gz"
    manifest = backup.export_archive(archive)
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    storage = InMemoryStorage()
    monkeypatch.setattr(backup, "default_storage", storage)
    call_command("import_all", str(archive), stdout=io.StringIO())
    assert manifest["files"] and all(storage.exists(name) for name in manifest["files"])
    assert not Path(settings.MEDIA_ROOT).exists()


def test_restore_is_bounded_by_member_count_and_free_space(full_site, tmp_path, monkeypatch):
    """A gzip bomb of a backup is refused from its tar headers, before it is unpacked."""
    from collections import namedtuple

    archive = tmp_path / "backup.tar.gz"
    call_command("export_all", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    monkeypatch.setattr(backup, "MAX_MEMBERS", 2)
    with pytest.raises(CommandError, match="more than 2 members"):
        call_command("import_all", str(archive), stdout=io.StringIO())
    monkeypatch.setattr(backup, "MAX_MEMBERS", 1000)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(backup.shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(CommandError, match="unpacks to more than"):
        call_command("import_all", str(archive), stdout=io.StringIO())
    assert not any(backup.counts().values())
