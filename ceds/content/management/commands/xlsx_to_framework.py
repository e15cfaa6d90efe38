import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceds.content.reader import read_content
from ceds.content.spreadsheet import WorkbookError, workbook_to_framework, write_framework


class Command(BaseCommand):
    help = "Turn a framework workbook back into framework.yaml and section files, after validating them."

    def add_arguments(self, parser):
        parser.add_argument("workbook")
        parser.add_argument("output", help="directory to write, e.g. content/frameworks/ceds/2")

    def handle(self, *args, workbook, output, **options):
        try:
            framework, sections = workbook_to_framework(Path(workbook))
        except WorkbookError as exc:
            raise CommandError(str(exc)) from None
        # Validate in a scratch content tree first, so a bad workbook writes nothing.
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) / "content" / "frameworks" / str(framework.get("id")) / str(framework.get("version"))
            write_framework(framework, sections, target)
            bundle = read_content(Path(scratch) / "content")
            problems = [p for p in bundle.problems if "module_coverage" not in p.path]
            if problems:
                for problem in problems:
                    self.stderr.write(str(problem))
                raise CommandError("the workbook has problems; nothing was written")
            destination = Path(output)
            if destination.exists():
                shutil.rmtree(destination / "sections", ignore_errors=True)
            write_framework(framework, sections, destination)
        self.stdout.write(f"wrote {output} ({sum(len(s['items']) for s in sections.values())} items)")
