from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ceds.content.loader import ContentError, load_bundle
from ceds.content.reader import read_content


class Command(BaseCommand):
    help = "Load frameworks, modules, practices and the gazetteer from content/ (idempotent, all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--content", default=str(settings.CONTENT_DIR))

    def handle(self, *args, content, **options):
        bundle = read_content(Path(content))
        try:
            report = load_bundle(bundle)
        except ContentError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError("nothing was loaded") from None
        for line in report:
            self.stdout.write(line)
