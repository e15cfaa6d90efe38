from pathlib import Path

from django.core.management.base import BaseCommand

from ceds.core.backup import export_archive


class Command(BaseCommand):
    help = "Write every table and every uploaded file to one .tar.gz archive (see docs/security.md)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        manifest = export_archive(archive)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"{archive}: {rows} rows in {len(manifest['counts'])} tables, {len(manifest['files'])} files")
