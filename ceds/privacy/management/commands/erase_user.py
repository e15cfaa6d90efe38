from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ceds.accounts.models import User
from ceds.privacy import personal_data


class Command(BaseCommand):
    help = (
        "Erase a departed user's personal data on their request (docs/security.md): the account "
        "becomes a pseudonym; the audit log keeps what happened under it."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the user's e-mail address")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email!r}.")
        try:
            counts = personal_data.erase(None, user)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        details = ", ".join(f"{kind} {n}" for kind, n in counts.items())
        self.stdout.write(f"{email}: erased, now {personal_data.pseudonym(user)} ({details})")
