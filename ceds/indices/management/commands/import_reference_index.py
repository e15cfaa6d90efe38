from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ceds.indices.importer import import_index


class Command(BaseCommand):
    help = "Import a country-level reference index (e.g. the UN EGDI) from its published CSV; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--code", default="egdi", help="Index code (default: egdi)")
        parser.add_argument("--year", type=int, required=True, help="Edition year, e.g. 2024")
        parser.add_argument("--name", default="UN E-Government Development Index")
        parser.add_argument("--source", default="", help="Publisher and address of the file")

    def handle(self, *args, path, code, year, name, source, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            report = import_index(None, path.read_bytes(), code, year, name, source)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{report.index}: {report.imported} countries imported, {len(report.unmatched)} unmatched")
        for row, written in report.unmatched:
            self.stdout.write(f"  row {row}: no country matches {written!r}")
