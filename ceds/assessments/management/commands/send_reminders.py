from django.conf import settings
from django.core.management.base import BaseCommand

from ceds.assessments.services import due_assignments, send_reminders


class Command(BaseCommand):
    help = "E-mail every assignee whose section is due within N days (run daily from a scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.REMINDER_DAYS)

    def handle(self, *args, days, **options):
        count = send_reminders(None, due_assignments(days))
        self.stdout.write(f"reminders sent: {count}")
