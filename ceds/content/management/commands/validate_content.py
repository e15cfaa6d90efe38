import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ceds.content.reader import read_content, summary
from ceds.content.schema import Framework, Module, Practice, SectionFile


class Command(BaseCommand):
    help = "Check every file under content/ and report what it holds; exit 1 on any problem."

    def add_arguments(self, parser):
        parser.add_argument("--content", default=str(settings.CONTENT_DIR), help="content directory")
        parser.add_argument("--write-json-schema", action="store_true", help="write docs/framework.schema.json")

    def handle(self, *args, content, write_json_schema, **options):
        from pathlib import Path

        if write_json_schema:
            schema = {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": "CeDS content",
                "$defs": {
                    "Framework": Framework.model_json_schema(by_alias=True),
                    "SectionFile": SectionFile.model_json_schema(by_alias=True),
                    "Module": Module.model_json_schema(),
                    "Practice": Practice.model_json_schema(),
                },
            }
            target = settings.BASE_DIR / "docs" / "framework.schema.json"
            target.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            self.stdout.write(f"wrote {target.relative_to(settings.BASE_DIR)}")
        bundle = read_content(Path(content))
        for line in summary(bundle):
            self.stdout.write(line)
        if bundle.problems:
            for problem in bundle.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(bundle.problems)} problem(s) in content")
        self.stdout.write(self.style.SUCCESS("content is valid"))
