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
from django.utils import translation

from ceds.assessments.models import Assessment
from ceds.benchmarks.results import WITH_RESULTS
from ceds.core.checkpoints import checkpoint
from ceds.reports import issue


@shared_task
def issue_report(assessment_pk: int, language: str) -> bool:
    """Issue the report of a validated assessment in `language`; False when it has no results now."""
    assessment = Assessment.objects.select_related("city", "framework_version").filter(pk=assessment_pk).first()
    if assessment is None or assessment.status not in WITH_RESULTS:
        return False
    checkpoint("issue_report")  # where the tests kill a worker mid-task
    with translation.override(language):
        return issue.issue(assessment) is not None


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
