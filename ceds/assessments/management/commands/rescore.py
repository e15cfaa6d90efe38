from django.core.management import call_command
from django.core.management.base import BaseCommand

from ceds.assessments.models import Assessment
from ceds.assessments.scoring import store_snapshot


class Command(BaseCommand):
    help = "Recompute and store score snapshots of validated and published assessments."

    def add_arguments(self, parser):
        parser.add_argument("--assessment", type=int, action="append", help="only these assessment ids")

    def handle(self, *args, assessment, **options):
        assessments = Assessment.objects.filter(
            status__in=[Assessment.Status.VALIDATED, Assessment.Status.PUBLISHED]
        ).select_related("framework_version")
        if assessment:
            assessments = assessments.filter(pk__in=assessment)
        count = 0
        for item in assessments.iterator():
            store_snapshot(item)
            count += 1
        self.stdout.write(f"rescored {count} assessment(s)")
        # What publication derives from scores (peer statistics, leaderboards, the map) follows.
        call_command("compute_benchmarks", stdout=self.stdout)
