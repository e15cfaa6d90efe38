"""Backup and restore of everything CeDS holds: every table's rows and every uploaded file.

`export_archive` writes one .tar.gz with data.json (`serialise`: Django's JSON serialisation of every
model, with every microsecond of a time), the media files and a manifest of row counts and file
checksums. `import_archive` restores it into an empty, migrated database, all or nothing, and checks
the result against the manifest; archives written before, with data.yaml or data.xml, still restore.
For very large deployments a nightly `pg_dump` is faster; docs/security.md shows both.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import posixpath
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.core.management.color import no_style
from django.core.serializers import json as json_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

# Rebuilt by `migrate` (content types, permissions) or worthless after a restore (sessions).
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class RestoreError(Exception):
    pass


def _models():
    return [m for m in apps.get_models() if m._meta.label_lower not in SKIPPED and m._meta.managed]


def counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in _models()}


def _media_names(storage=None, folder: str = "") -> list[str]:
    """Every file of the media storage (the local disk or a bucket), through the storage API."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local media folder that was never created
        return []
    names = [posixpath.join(folder, name) if folder else name for name in files]
    for sub in folders:
        names += _media_names(storage, posixpath.join(folder, sub) if folder else sub)
    return sorted(names)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds, as ECMA-262 does; a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(json_serializer.Serializer):
    """Natural keys only for references to the rows `migrate` recreates, perhaps under other ids
    (content types, permissions); any other reference stays an id, read without a query."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = _recreated(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = _recreated(field)
        super().handle_m2m_field(obj, field)


def _recreated(field) -> bool:
    return field.remote_field.model._meta.label_lower in SKIPPED


def serialise(stream) -> None:
    """Every row of every model CeDS keeps, in primary-key order, as JSON into `stream`."""

    def rows():
        for model in _models():
            rows = model._base_manager.order_by(model._meta.pk.name)
            natural = [f.name for f in model._meta.concrete_fields if f.is_relation and _recreated(f)]
            if natural:  # select_related() without names would follow every relation
                rows = rows.select_related(*natural)
            yield from rows.iterator()

    _Serializer().serialize(rows(), stream=stream, cls=_ExactEncoder)


def export_archive(target: Path) -> dict:
    data = io.StringIO()
    serialise(data)
    with tempfile.TemporaryDirectory() as folder:
        # Each file is copied once from the storage, hashed and archived from the copy.
        files: dict[str, str] = {}
        work = Path(folder)
        for number, name in enumerate(_media_names()):
            copy = work / str(number)
            with default_storage.open(name, "rb") as source, copy.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            files[name] = _sha256(copy)
        manifest = {"format": 1, "counts": counts(), "files": files}
        with tarfile.open(target, "w:gz") as archive:
            for name, payload in (("data.json", data.getvalue()), ("manifest.json", json.dumps(manifest, indent=1))):
                info = tarfile.TarInfo(name)
                raw = payload.encode()
                info.size = len(raw)
                archive.addfile(info, io.BytesIO(raw))
            for number, name in enumerate(files):
                archive.add(work / str(number), arcname=f"media/{name}")
    return manifest


def store_archive(path: Path, name: str) -> str:
    """Copy a written archive into the backups storage (a folder or the bucket); returns its name."""
    backups = storages["backups"]
    if backups.exists(name):
        backups.delete(name)
    with path.open("rb") as handle:
        return backups.save(name, File(handle))


def fetch_archive(name: str, target: Path) -> None:
    """Copy an archive from the backups storage to a local file, for import_archive."""
    with storages["backups"].open(name, "rb") as source, target.open("wb") as sink:
        shutil.copyfileobj(source, sink)


# A restore reads at most this many archive members (each header is held in memory).
MAX_MEMBERS = 200_000
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
DATA_FILES = ("data.json", "data.yaml", "data.xml")  # the first is written; all are read (older archives)
TARGETS = (*DATA_FILES, "manifest.json")


def _safe_name(name: str) -> bool:
    return bool(name) and (
        not name.startswith("/")
        and "\\" not in name
        and "\x00" not in name
        and ".." not in name.split("/")
        and posixpath.normpath(name) == name
        and name != "."
    )


def _inspect(archive: tarfile.TarFile, room: int) -> dict[str, tarfile.TarInfo]:
    """{name: member}, read header by header; refuse anything a backup does not hold."""
    members: dict[str, tarfile.TarInfo] = {}
    total = 0
    for count, member in enumerate(archive, start=1):
        if count > MAX_MEMBERS:
            raise RestoreError(f"the archive holds more than {MAX_MEMBERS} members")
        name = member.name
        if not (member.isfile() or member.isdir()) or not _safe_name(name):
            raise RestoreError(f"unsafe path in the archive: {name}")
        if member.isfile():
            if name not in TARGETS and not name.startswith("media/"):
                raise RestoreError(f"the archive holds {name}, which is not part of a backup")
            if name in members:
                raise RestoreError(f"the archive holds {name} twice")
            members[name] = member
            total += member.size
            if total > room:
                raise RestoreError(f"the archive unpacks to more than the {room // 1_048_576} MB free for it")
    if "manifest.json" not in members:
        raise RestoreError("the archive has no manifest.json: not an export_all archive")
    if sum(name in members for name in DATA_FILES) != 1:
        raise RestoreError("the archive has no data.json: not an export_all archive")
    if members["manifest.json"].size > MANIFEST_MAX_BYTES:
        raise RestoreError("the manifest is too large")
    return members


def _read_manifest(archive: tarfile.TarFile, member: tarfile.TarInfo, media: set[str]) -> dict:
    handle = archive.extractfile(member)
    try:
        manifest = json.loads(handle.read() if handle else b"")
    except ValueError:
        raise RestoreError("the manifest is not valid JSON") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != 1
        or not isinstance(manifest.get("files"), dict)
        or not isinstance(manifest.get("counts"), dict)
    ):
        raise RestoreError("the manifest is not one export_all writes")
    for name in manifest["files"]:
        if not isinstance(name, str) or not _safe_name(name):
            raise RestoreError(f"unsafe path in the manifest: {name}")
    listed = set(manifest["files"])
    if listed != media:
        missing, extra = sorted(listed - media)[:5], sorted(media - listed)[:5]
        raise RestoreError(f"the manifest and the archive disagree: missing {missing}, not in the manifest {extra}")
    return manifest


def import_archive(source: Path) -> dict:
    """Restore into an empty database; raise RestoreError (nothing changed) on any problem.

    Every check (names, manifest against contents, checksums) passes before anything is
    written; files are written through the default storage, inside the database transaction.
    """
    held = {label: n for label, n in counts().items() if n}
    if held:
        raise RestoreError(f"restore into an empty, migrated database; this one holds rows in {sorted(held)[:5]}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        try:
            with tarfile.open(source, "r:gz") as archive:
                members = _inspect(archive, shutil.disk_usage(folder).free)
                media = {name.removeprefix("media/") for name in members if name.startswith("media/")}
                manifest = _read_manifest(archive, members["manifest.json"], media)
                archive.extractall(work, members=list(members.values()), filter="data")
        except (tarfile.TarError, EOFError, OSError) as error:
            raise RestoreError(f"the archive cannot be read: {error}") from None
        for name, digest in manifest["files"].items():
            path = work / "media" / name
            if not path.is_file() or _sha256(path) != digest:
                raise RestoreError(f"file missing or damaged in the archive: {name}")
        with transaction.atomic():
            _load_rows(work / next(name for name in DATA_FILES if name in members))
            restored = counts()
            if restored != manifest["counts"]:
                wrong = {k: (restored.get(k), v) for k, v in manifest["counts"].items() if restored.get(k) != v}
                raise RestoreError(f"row counts differ from the manifest: {wrong}")
            _write_files(work / "media", sorted(manifest["files"]))
    return manifest


def _load_rows(path: Path) -> None:
    """Every row of a data file, as loaddata writes them but inserted at once: loaddata tries an
    UPDATE before each INSERT, which doubles the time of a restore into an empty database."""
    written: set = set()
    try:
        with path.open(encoding="utf-8") as stream, connection.constraint_checks_disabled():
            for row in serializers.deserialize(path.suffix.removeprefix("."), stream):
                row.save(force_insert=True)
                written.add(type(row.object))
    except serializers.base.DeserializationError as error:
        raise RestoreError(f"the archive's {path.name} cannot be read: {error}") from None
    connection.check_constraints(table_names=[model._meta.db_table for model in written])
    # Rows came with their ids: each table's id sequence continues after the highest (PostgreSQL).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(written)):
            cursor.execute(sql)


def _write_files(folder: Path, names: list[str]) -> None:
    """Each file under its own name in the default storage; on any failure, none of them."""
    written: list[str] = []
    try:
        for name in names:
            if default_storage.exists(name):
                default_storage.delete(name)
            with (folder / name).open("rb") as handle:
                saved = default_storage.save(name, File(handle))
            written.append(saved)
            if saved != name:
                raise RestoreError(f"the storage refused the name {name} (it chose {saved})")
    except SuspiciousFileOperation:
        for name in written:
            default_storage.delete(name)
        raise RestoreError("unsafe path in the manifest") from None
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
