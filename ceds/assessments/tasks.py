"""Assessment tasks: the reminders and due-date e-mails that celery beat sends on a schedule, and
large workbook imports.

Reminders are idempotent per day: an assignee reminded today (`last_reminded_at`) is not reminded
again, and each reminder is committed on its own, so a run that resumes after its worker died sends
only the rest. A workbook import is applied once however often it is delivered (its id is in its
audit event, written in the same transaction as the answers and the importer's notice).
"""

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ceds.accounts.models import User
from ceds.assessments import workbook
from ceds.assessments.models import Assessment
from ceds.assessments.services import AnswerConflict, WorkflowError, due_assignments, send_reminders
from ceds.core.notify import notify


@shared_task
def send_due_reminders(days: int | None = None) -> int:
    """Remind every assignee whose section is due within `days` (REMINDER_DAYS); returns how many."""
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    due = due_assignments(settings.REMINDER_DAYS if days is None else days)  # each city's own day
    pending = [a for a in due if a.last_reminded_at is None or a.last_reminded_at < start_of_today]
    return sum(send_reminders(None, [assignment]) for assignment in sorted(pending, key=lambda a: a.pk))


@shared_task
def apply_workbook(user_pk: int, assessment_pk: int, changes: list[dict], import_id: str) -> int:
    """Apply a confirmed workbook import all or nothing; the importer finds a notice of the outcome."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    assessment = Assessment.objects.select_related("city").filter(pk=assessment_pk).first()
    if user is None or assessment is None:
        return 0
    try:
        with transaction.atomic():
            count = workbook.apply(user, assessment, changes, import_id=import_id)
            if count:
                notify("imported", {"assessment": assessment, "count": count}, [user], email=False)
            return count
    except (AnswerConflict, WorkflowError, PermissionDenied) as error:
        # Answers changed online since the preview, or the cycle is no longer open (submitted) or no
        # longer open to this person (their role ended).
        reason = "conflict" if isinstance(error, AnswerConflict) else "closed"
        notify("import_failed", {"assessment": assessment, "reason": reason}, [user], email=False)
        return 0
