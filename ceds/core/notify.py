"""Notifications: an e-mail (plain text and HTML from templates, sent after the transaction
commits) and an in-app notice (a Notification row, written in the same transaction) per event."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

_quiet: ContextVar[bool] = ContextVar("ceds_notify_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Tell nobody of what happens inside: for back-filling past cycles (the demo's history),
    whose e-mails and notices would announce events that did not happen now."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def notify(template: str, context: dict, users, *, email: bool = True) -> None:
    """Render emails/<template>_subject.txt, .txt and .html in each recipient's language, and
    keep an in-app notice for each recipient (only the notice with `email=False`)."""
    if _quiet.get():
        return
    recipients = {user.email: user for user in users if user and user.email and user.is_active}
    if not recipients:
        return
    _record(template, context, recipients.values())
    if not email:
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


def notice_of(template: str, context: dict) -> tuple[dict, str]:
    """The plain parameters a notice is rendered from, and the page it links to: the section
    for an assignment or a reminder, the item for a mention, the review for a submission, the
    assessment for a return, the dashboard for a validation."""
    assessment = context["assessment"]
    params: dict = {"city": assessment.city.name, "period": assessment.period}
    if context.get("actor") is not None:
        params["actor"] = str(context["actor"])
    url = reverse("assessments:detail", args=[assessment.pk])
    section = context["assignment"].section if context.get("assignment") else None
    item = context.get("item")
    if section is not None:
        params |= {"section": section.code, "title": section.title}
        url = reverse("assessments:section", args=[assessment.pk, section.code])
    elif item is not None:
        params |= {"item": item.code, "title": item.data.get("title") or {}}
        url = reverse("assessments:section", args=[assessment.pk, item.section.code]) + f"#item-{item.code}"
    if template == "returned":
        params["count"] = len(context.get("comments") or ())
    elif template == "imported":
        params["count"] = context["count"]
    elif template == "import_failed":
        params["reason"] = context["reason"]
    elif template == "submitted":
        url = reverse("assessments:review", args=[assessment.pk])
    elif template == "validated":
        url = reverse("dashboard", args=[assessment.pk])
    return params, url


def _record(template: str, context: dict, users) -> None:
    from ceds.core.models import Notification

    if template not in Notification.Kind.values:
        return
    params, url = notice_of(template, context)
    Notification.objects.bulk_create(Notification(user=user, kind=template, params=params, url=url) for user in users)
