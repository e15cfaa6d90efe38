import tempfile
from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from ceds.core.backup import RestoreError, fetch_archive, import_archive


class Command(BaseCommand):
    help = (
        "Restore an export_all archive into an empty, migrated database (all or nothing); "
        "with --from-storage, an archive of the backups storage."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a file path, or with --from-storage a name in the backups storage")
        parser.add_argument("--from-storage", action="store_true")

    def handle(self, *args, archive, from_storage, **options):
        with tempfile.TemporaryDirectory() as folder:
            if from_storage:
                if not storages["backups"].exists(archive):
                    raise CommandError(f"{archive}: no such archive in the backups storage")
                path = Path(folder) / "backup.tar.gz"
                fetch_archive(archive, path)
            else:
                path = Path(archive)
                if not path.is_file():
                    raise CommandError(f"{archive}: no such file")
            try:
                manifest = import_archive(path)
            except RestoreError as error:
                raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"restored {rows} rows and {len(manifest['files'])} files; counts match the manifest")
