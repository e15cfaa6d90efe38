"""E-mail notifications: plain text and HTML from templates, sent after the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def notify(template: str, context: dict, users) -> None:
    """Render emails/<template>_subject.txt, .txt and .html in each recipient's language."""
    recipients = {user.email: user for user in users if user and user.email and user.is_active}
    if not recipients:
        return
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}

    def send():
        for email, user in recipients.items():
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
                message = EmailMultiAlternatives(
                    subject, render_to_string(f"emails/{template}.txt", context), to=[email]
                )
                message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
                message.send()

    transaction.on_commit(send)
