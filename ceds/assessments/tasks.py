"""Assessment tasks: the reminders and due-date e-mails that celery beat sends on a schedule.

Idempotent per day: an assignee reminded today (`last_reminded_at`) is not reminded again, and each
reminder is committed on its own, so a run that resumes after its worker died sends only the rest.
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from ceds.assessments.services import due_assignments, send_reminders


@shared_task
def send_due_reminders(days: int | None = None) -> int:
    """Remind every assignee whose section is due within `days` (REMINDER_DAYS); returns how many."""
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    due = due_assignments(settings.REMINDER_DAYS if days is None else days)  # each city's own day
    pending = [a for a in due if a.last_reminded_at is None or a.last_reminded_at < start_of_today]
    return sum(send_reminders(None, [assignment]) for assignment in sorted(pending, key=lambda a: a.pk))
