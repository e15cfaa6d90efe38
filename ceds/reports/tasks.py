"""Report tasks: issuing a validated report, and rendering PDFs in batches (`render_reports`).

Both are idempotent: issuing upserts the one report per assessment and language, and a PDF is
written to a temporary name and renamed (or replaced in the storage), so a task run again after its worker died gives the
same result and never leaves half a file.
"""

import os
import posixpath
from pathlib import Path

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation

from ceds.assessments.models import Assessment
from ceds.benchmarks.results import WITH_RESULTS
from ceds.core import audit
from ceds.reports import issue
from ceds.reports.models import IssuedReport


@shared_task
def issue_report(assessment_pk: int, language: str) -> bool:
    """Issue the report of a validated assessment in `language`, unless it is issued and current.

    Exactly once per validation however often the task is delivered: the assessment row is locked,
    a report already issued from the same revision and format is left as it is, and the audit
    event "report.issue" is written in the same transaction as the report.
    """
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("city", "framework_version")
            .filter(pk=assessment_pk)
            .first()
        )
        if assessment is None or assessment.status not in WITH_RESULTS:
            return False
        with translation.override(language):
            kept = IssuedReport.objects.filter(assessment=assessment, language=language).first()
            current = (assessment.city.report_revision, issue.report_format())
            if kept is not None and kept.html != issue.PREPARING and (kept.revision, kept.format) == current:
                return True
            if issue.issue(assessment, assessment.city.report_revision) is None:
                return False
            audit.record(None, "report.issue", assessment, {"language": [None, language]}, assessment.city)
    return True


def pdf_name(assessment: Assessment) -> str:
    return f"{assessment.city.slug}-{assessment.framework_version.framework_id}-{assessment.period}.pdf"


STORAGE_PREFIX = "storage:"


@shared_task
def render_report_pdf(assessment_pk: int, reader_pk: int, target: str, language: str) -> str:
    """Write one assessment's PDF report (as `reader` sees it); returns where it went.

    `target` is a local folder, or "storage:FOLDER" for a folder of the media storage (the bucket
    when there is one), which every worker can reach wherever it runs.
    """
    from ceds.accounts.models import User
    from ceds.reports.pdf import render_pdf

    assessment = Assessment.objects.select_related("city", "framework_version").get(pk=assessment_pk)
    reader = User.objects.get(pk=reader_pk)
    pdf = render_pdf(reader, assessment, language) or b""
    if target.startswith(STORAGE_PREFIX):
        name = posixpath.join(target.removeprefix(STORAGE_PREFIX).strip("/"), pdf_name(assessment))
        if default_storage.exists(name):  # run again: the same name, the newer rendering
            default_storage.delete(name)
        return default_storage.save(name, ContentFile(pdf))
    path = Path(target) / pdf_name(assessment)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(pdf)
    partial.replace(path)  # atomic on one file system: a reader never sees half a PDF
    return str(path)
