from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ceds.indices.importer import import_index, preview
from ceds.indices.layouts import LAYOUTS


class Command(BaseCommand):
    help = (
        "Import one edition of a reference index (the UN EGDI and its components for countries, the UN LOSI "
        "for cities) from its published CSV or Excel file; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--code", default="egdi", choices=sorted(LAYOUTS), help="Index (default: egdi)")
        parser.add_argument(
            "--year", type=int, help="Edition year, e.g. 2024 (read from the file's year column if any)"
        )
        parser.add_argument("--name", default="", help="Name shown on dashboards (default: the published name)")
        parser.add_argument("--source", default="", help="Publisher and address of the file")
        parser.add_argument(
            "--preview", action="store_true", dest="dry_run", help="Say what would be imported; write nothing"
        )

    def handle(self, *args, path, code, year, name, source, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        data = path.read_bytes()
        try:
            plan = preview(data, code, year)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        if plan.columns:
            self.stdout.write("Columns:")
            for header, role in plan.columns.roles():
                self.stdout.write(f"  {header!r} -> {role}")
            for header in plan.columns.ignored:
                self.stdout.write(f"  {header!r} not imported")
        for row in plan.unplaced:
            self.stdout.write(f"  row {row.number}: no gazetteer place for {row.city!r} ({row.country})")
        if not plan.ok:
            raise CommandError("nothing imported:\n" + "\n".join(plan.problems))
        if dry_run:
            self.stdout.write(f"{plan.year}: {len(plan.rows)} rows would be imported (preview; nothing written)")
            return
        report = import_index(None, data, code, year, name, source, plan=plan)
        self.stdout.write(f"{report.index}: {report.imported} rows imported")
