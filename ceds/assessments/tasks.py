"""Assessment tasks: the reminders and due-date e-mails that celery beat sends on a schedule.

Idempotent per day: an assignee reminded today (`last_reminded_at`) is not reminded again, and each
reminder is committed on its own, so a run that resumes after its worker died sends only the rest.
"""

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ceds.assessments.services import due_assignments, send_reminders


@shared_task
def send_due_reminders(days: int | None = None) -> int:
    """Remind every assignee whose section is due within `days` (REMINDER_DAYS); returns how many."""
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    pending = due_assignments(settings.REMINDER_DAYS if days is None else days).filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=start_of_today)
    )
    return sum(send_reminders(None, [assignment]) for assignment in pending.order_by("pk"))
