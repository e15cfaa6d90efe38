from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only")

    def delete(self):
        raise PermissionError("The audit log is append-only")


class AuditEvent(models.Model):
    """Who changed what, when. Written through ceds.core.audit.record, never edited."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    city = models.ForeignKey(
        "cities.City", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("city")
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("field: [old, new]"))

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only")


class Notification(models.Model):
    """One in-app notice, written by ceds.core.notify.notify beside the e-mail of the same event.

    The text is rendered when the notice is shown, in the reader's language, from `kind` and the
    plain `params` (names and codes as they were at the time).
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Section assigned")
        REMINDER = "reminder", _("Reminder")
        MENTION = "mention", _("Mentioned")
        SUBMITTED = "submitted", _("Submitted for validation")
        RETURNED = "returned", _("Returned with comments")
        VALIDATED = "validated", _("Validated")
        IMPORTED = "imported", _("Workbook imported")
        IMPORT_FAILED = "import_failed", _("Workbook not imported")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
