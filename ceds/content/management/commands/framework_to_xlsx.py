from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ceds.content.spreadsheet import framework_to_workbook
from ceds.core.xlsx import save_as_text


class Command(BaseCommand):
    help = "Write a framework version from content/ as an Excel workbook (one sheet per part)."

    def add_arguments(self, parser):
        parser.add_argument("framework")
        parser.add_argument("version", type=int)
        parser.add_argument("output")
        parser.add_argument("--content", default=str(settings.CONTENT_DIR))

    def handle(self, *args, framework, version, output, content, **options):
        directory = Path(content) / "frameworks" / framework / str(version)
        if not (directory / "framework.yaml").is_file():
            raise CommandError(f"no framework at {directory}")
        Path(output).write_bytes(save_as_text(framework_to_workbook(directory)))
        self.stdout.write(f"wrote {output}")
