import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from ceds.accounts.models import User
from ceds.assessments.models import Assessment
from ceds.reports.pdf import render_pdf


class Command(BaseCommand):
    help = "Write the PDF reports of validated assessments to a folder (as the secretariat sees them)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True)
        parser.add_argument("--city", help="city short name (slug)")
        parser.add_argument("--period")
        parser.add_argument("--framework", help="framework id, e.g. ceds")
        parser.add_argument("--language", default="en")

    def handle(self, *args, output, city, period, framework, language, **options):
        reader = User.objects.filter(secretariat_role__in=["admin", "analyst"]).first()
        if reader is None:
            self.stderr.write("no secretariat user to render reports as")
            sys.exit(1)
        assessments = Assessment.objects.filter(status__in=["validated", "published"]).select_related(
            "city", "framework_version"
        )
        if city:
            assessments = assessments.filter(city__slug=city)
        if period:
            assessments = assessments.filter(period=period)
        if framework:
            assessments = assessments.filter(framework_version__framework_id=framework)
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        total = assessments.count()
        for done, assessment in enumerate(assessments.order_by("city__slug", "period"), start=1):
            path = (
                folder / f"{assessment.city.slug}-{assessment.framework_version.framework_id}-{assessment.period}.pdf"
            )
            path.write_bytes(render_pdf(reader, assessment, language) or b"")
            bar = "#" * int(30 * done / total)
            self.stdout.write(f"\r[{bar:<30}] {done}/{total} {path.name}", ending="")
            self.stdout.flush()
        self.stdout.write(f"\nwrote {total} report(s) to {folder}")
