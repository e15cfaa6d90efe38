from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceds.core.backup import RestoreError, import_archive


class Command(BaseCommand):
    help = "Restore an export_all archive into an empty, migrated database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            manifest = import_archive(archive)
        except RestoreError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"restored {rows} rows and {len(manifest['files'])} files; counts match the manifest")
