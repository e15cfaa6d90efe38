from django.conf import settings
from django.core.management.base import BaseCommand

from ceds.cities.models import City
from ceds.demo import seed as demo


class Command(BaseCommand):
    help = "Load the demo cities, profiles, budgets and users (idempotent)."

    def handle(self, *args, **options):
        users = demo.seed()
        created = sum(demo.seed_assessments(framework) for framework in ("ceds", "smart-city", "website"))
        created += demo.seed_drafts()
        self.stdout.write(f"demo data: {City.objects.count()} cities, {created} new demo assessments")
        self.stdout.write("")
        self.stdout.write(
            "Demo logins (password for all: {}){}:".format(
                demo.DEMO_PASSWORD, "" if settings.DEBUG else " — refused while DEBUG is off"
            )
        )
        for spec in users:
            self.stdout.write(f"  {spec['email']:<40} {spec['label']}")
