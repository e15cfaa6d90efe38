"""Report tasks: issuing a validated report, and rendering PDFs in batches (`render_reports`).

Both are idempotent: issuing upserts the one report per assessment and language, and a PDF is
written to a temporary name and renamed, so a task run again after its worker died gives the
same result and never leaves half a file.
"""

import os
from pathlib import Path

from celery import shared_task
from django.utils import translation

from ceds.assessments.models import Assessment
from ceds.benchmarks.results import WITH_RESULTS
from ceds.reports import issue


@shared_task
def issue_report(assessment_pk: int, language: str) -> bool:
    """Issue the report of a validated assessment in `language`; False when it has no results now."""
    assessment = Assessment.objects.select_related("city", "framework_version").filter(pk=assessment_pk).first()
    if assessment is None or assessment.status not in WITH_RESULTS:
        return False
    with translation.override(language):
        return issue.issue(assessment) is not None


def pdf_name(assessment: Assessment) -> str:
    return f"{assessment.city.slug}-{assessment.framework_version.framework_id}-{assessment.period}.pdf"


@shared_task
def render_report_pdf(assessment_pk: int, reader_pk: int, folder: str, language: str) -> str:
    """Write one assessment's PDF report (as `reader` sees it) into `folder`; returns the file name."""
    from ceds.accounts.models import User
    from ceds.reports.pdf import render_pdf

    assessment = Assessment.objects.select_related("city", "framework_version").get(pk=assessment_pk)
    reader = User.objects.get(pk=reader_pk)
    path = Path(folder) / pdf_name(assessment)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(render_pdf(reader, assessment, language) or b"")
    partial.replace(path)  # atomic on one file system: a reader never sees half a PDF
    return path.name
