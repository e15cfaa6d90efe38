"""The restore drill's comparison (deploy/prod-check.sh): an export_all archive against a database.

Run against the database the archive was restored into. Compares the manifest's row counts with the
tables, the archive's data.json with a fresh serialisation of the restored rows (backup.serialise,
so equal bytes mean equal rows), and the manifest's file checksums with the files in the
default storage (local disk or the object storage bucket). Prints the figures; exits 1 on a difference.

    python deploy/check/fingerprint.py ARCHIVE
"""

import hashlib
import io
import json
import os
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(archive: Path) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceds.settings")
    import django

    django.setup()
    from django.core.files.storage import default_storage

    from ceds.core import backup

    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        exported = hashlib.sha256(tar.extractfile("data.json").read()).hexdigest()
    counts = backup.counts()
    rows_match = counts == manifest["counts"]
    out = io.StringIO()
    backup.serialise(out)
    restored = hashlib.sha256(out.getvalue().encode()).hexdigest()
    bad_files = []
    for name, digest in manifest["files"].items():
        with default_storage.open(name, "rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() != digest:
                bad_files.append(name)
    print(
        f"backup: {sum(manifest['counts'].values())} rows in {len(manifest['counts'])} tables, "
        f"{len(manifest['files'])} files, {archive.stat().st_size // 1024} KiB"
    )
    print(f"restore: row counts match: {'yes' if rows_match else 'no'}")
    print(f"restore: data checksum matches: {'yes' if restored == exported else 'no'} (sha256 {restored[:16]}…)")
    print(f"restore: file checksums match: {'yes' if not bad_files else 'no ' + str(bad_files[:5])}")
    return 0 if rows_match and restored == exported and not bad_files else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
