"""Backup and restore of everything CeDS holds: every table's rows and every uploaded file.

`export_archive` writes one .tar.gz with data.xml (Django's serialisation of every model),
the media files and a manifest of row counts and file checksums. `import_archive` restores
it into an empty, migrated database, all or nothing, and checks the result against the
manifest. For very large deployments a nightly `pg_dump` is faster; docs/security.md shows both.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

# Rebuilt by `migrate` (content types, permissions) or worthless after a restore (sessions).
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class RestoreError(Exception):
    pass


def _models():
    return [m for m in apps.get_models() if m._meta.label_lower not in SKIPPED and m._meta.managed]


def counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in _models()}


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_archive(target: Path) -> dict:
    labels = [m._meta.label_lower for m in _models()]
    data = io.StringIO()
    # XML keeps timestamps to the microsecond (the JSON encoder cuts them to milliseconds).
    call_command("dumpdata", *labels, natural_foreign=True, format="xml", stdout=data)
    root = Path(settings.MEDIA_ROOT)
    manifest = {
        "format": 1,
        "counts": counts(),
        "files": {str(p.relative_to(root)): _sha256(p) for p in _media_files()},
    }
    with tarfile.open(target, "w:gz") as archive:
        for name, payload in (("data.xml", data.getvalue()), ("manifest.json", json.dumps(manifest, indent=1))):
            info = tarfile.TarInfo(name)
            raw = payload.encode()
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
        for path in _media_files():
            archive.add(path, arcname=f"media/{path.relative_to(root)}")
    return manifest


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in Path(member.name).parts:
            raise RestoreError(f"unsafe path in the archive: {member.name}")
        yield member


def import_archive(source: Path) -> dict:
    """Restore into an empty database; raise RestoreError (nothing changed) on any problem."""
    held = {label: n for label, n in counts().items() if n}
    if held:
        raise RestoreError(f"restore into an empty, migrated database; this one holds rows in {sorted(held)[:5]}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, members=list(_safe_members(archive)), filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        for name, digest in manifest["files"].items():
            path = work / "media" / name
            if not path.is_file() or _sha256(path) != digest:
                raise RestoreError(f"file missing or damaged in the archive: {name}")
        with transaction.atomic():
            # loaddata defers constraint checks to the end and resets sequences on PostgreSQL.
            call_command("loaddata", str(work / "data.xml"), verbosity=0)
            restored = counts()
            if restored != manifest["counts"]:
                wrong = {k: (restored.get(k), v) for k, v in manifest["counts"].items() if restored.get(k) != v}
                raise RestoreError(f"row counts differ from the manifest: {wrong}")
        media = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            target = media / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / "media" / name, target)
    return manifest
