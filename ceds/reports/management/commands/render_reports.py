import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from ceds.accounts.models import User
from ceds.assessments.models import Assessment
from ceds.celery import eager
from ceds.reports.tasks import STORAGE_PREFIX, pdf_name, render_report_pdf


class Command(BaseCommand):
    help = (
        "Write the PDF reports of validated assessments to a folder (as the secretariat sees them): "
        "here, or by the workers when there is a task queue (the folder must then be one they share)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help='a folder, or "storage:FOLDER" in the media storage')
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
        if output.startswith(STORAGE_PREFIX):
            folder = output
        else:
            (local := Path(output).resolve()).mkdir(parents=True, exist_ok=True)
            folder = str(local)
        total = assessments.count()
        ordered = assessments.order_by("city__slug", "period")
        if not eager():
            for assessment in ordered:
                render_report_pdf.delay(assessment.pk, reader.pk, folder, language)
            self.stdout.write(f"queued {total} report(s) for {folder}")
            return
        for done, assessment in enumerate(ordered, start=1):
            render_report_pdf(assessment.pk, reader.pk, folder, language)
            bar = "#" * int(30 * done / total)
            self.stdout.write(f"\r[{bar:<30}] {done}/{total} {pdf_name(assessment)}", ending="")
            self.stdout.flush()
        self.stdout.write(f"\nwrote {total} report(s) to {folder}")
