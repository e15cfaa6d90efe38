import json

from django.core.management.base import BaseCommand, CommandError

from ceds.audit import services
from ceds.audit.crawler import Limits
from ceds.cities.models import City


class Command(BaseCommand):
    help = (
        "Audit a city's portal now (the same audit as the page's button) and store its proposals on the "
        "city's open website evaluation when there is one. --json prints one JSON object per proposal."
    )

    def add_arguments(self, parser):
        parser.add_argument("city_slug")
        parser.add_argument("--url", default="", help="audit this address instead of the profile's portal")
        parser.add_argument(
            "--allow-loopback", action="store_true", help="allow 127.0.0.0/8 and ::1 (tests and local fixtures only)"
        )
        parser.add_argument("--json", action="store_true", dest="as_json")
        parser.add_argument("--max-pages", type=int, default=Limits.max_pages)
        parser.add_argument("--max-seconds", type=float, default=Limits.max_seconds)
        parser.add_argument("--delay", type=float, default=Limits.delay, help="seconds between pages")

    def handle(self, city_slug, url, allow_loopback, as_json, max_pages, max_seconds, delay, **options):
        city = City.objects.filter(slug=city_slug).first()
        if city is None:
            raise CommandError(f"no city with slug {city_slug!r}")
        limits = Limits(max_pages=max_pages, max_seconds=max_seconds, delay=delay)
        try:
            run = services.run_now(None, city, url=url, allow_loopback=allow_loopback, limits=limits)
        except services.AuditError as exc:
            raise CommandError(str(exc)) from None
        if as_json:
            for p in run.proposals.all():
                line = {
                    "item": p.item_code,
                    "check": p.check_name,
                    "proposed": p.observed
                    if p.check_name in ("languages", "broken_links", "accessibility")
                    else p.present,
                    "answer": p.answer,
                    "evidence_url": p.evidence_url,
                    "found": p.found,
                }
                self.stdout.write(json.dumps(line, ensure_ascii=False))
        else:
            self.stdout.write(f"{run.url}: {run.status} {run.message} ({len(run.pages)} pages, {run.seconds} s)")
            for p in run.proposals.all():
                self.stdout.write(f"  {p.item_code} {p.check_name}: {'yes' if p.present else 'no'}  {p.evidence_url}")
        if run.status not in run.FINISHED:
            raise CommandError(f"audit not run: {run.get_status_display()} {run.message}")
