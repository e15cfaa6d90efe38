import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from ceds.core.backup import export_archive, store_archive


class Command(BaseCommand):
    help = (
        "Write every table and every uploaded file to one .tar.gz archive (see docs/security.md); "
        "with --to-storage, into the backups storage (the bucket when CEDS_STORAGE_URL is set)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a file path, or with --to-storage a name in the backups storage")
        parser.add_argument("--to-storage", action="store_true")

    def handle(self, *args, archive, to_storage, **options):
        if to_storage:
            with tempfile.TemporaryDirectory() as folder:
                local = Path(folder) / "backup.tar.gz"
                manifest = export_archive(local)
                where = f"backups storage: {store_archive(local, archive)}"
        else:
            manifest = export_archive(Path(archive))
            where = archive
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"{where}: {rows} rows in {len(manifest['counts'])} tables, {len(manifest['files'])} files")
