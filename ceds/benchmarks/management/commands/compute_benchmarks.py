from django.core.management.base import BaseCommand

from ceds.assessments.models import Assessment
from ceds.benchmarks.periods import periods_affected
from ceds.benchmarks.services import recompute, refresh_public_results
from ceds.frameworks.models import FrameworkVersion


class Command(BaseCommand):
    help = "Recompute every peer statistic and the public map listing from the published results."

    def handle(self, *args, **options):
        pairs = (
            Assessment.objects.filter(status=Assessment.Status.PUBLISHED)
            .values_list("framework_version_id", "period")
            .distinct()
        )
        # A result is a peer of its own period and the next one (ceds.benchmarks.periods).
        affected = {(version_id, p) for version_id, period in pairs for p in periods_affected(period)}
        total = sum(recompute(version_id, period) for version_id, period in sorted(affected))
        self.stdout.write(f"peer statistics written: {total}")
        frameworks = FrameworkVersion.objects.values_list("framework_id", flat=True).distinct()
        listed = sum(refresh_public_results(framework_id) for framework_id in frameworks)
        self.stdout.write(f"results on the public map: {listed}")
