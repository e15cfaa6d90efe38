from django.core.management.base import BaseCommand

from ceds.assessments.models import Assessment
from ceds.benchmarks.services import recompute


class Command(BaseCommand):
    help = "Recompute every peer statistic from the published, shared results."

    def handle(self, *args, **options):
        pairs = (
            Assessment.objects.filter(status=Assessment.Status.PUBLISHED)
            .values_list("framework_version_id", "period")
            .distinct()
        )
        total = sum(recompute(version_id, period) for version_id, period in pairs)
        self.stdout.write(f"peer statistics written: {total}")
