from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assessment(models.Model):
    """One city's assessment cycle against one framework version for one period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        VALIDATED = "validated", _("Validated")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Sharing(models.TextChoices):
        PRIVATE = "private", _("Private")
        ANONYMOUS = "anonymous", _("Anonymous")
        NAMED = "named", _("Named")

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="assessments")
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="assessments"
    )
    period = models.CharField(_("period"), max_length=16, help_text=_("e.g. 2026"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    sharing = models.CharField(_("sharing"), max_length=16, choices=Sharing.choices, default=Sharing.PRIVATE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried forward from"),
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    OPEN_STATUSES = (Status.DRAFT, Status.RETURNED)

    class Meta:
        ordering = ["city", "-period"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "framework_version", "period"], name="assessment_one_per_city_framework_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city} — {self.framework_version} — {self.period}"


class Answer(models.Model):
    """One item's answer; `version` rises on every save (optimistic concurrency)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey("frameworks.Item", on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(_("answer"))
    version = models.PositiveIntegerField(default=1)
    carried_forward = models.BooleanField(
        _("carried forward, to confirm"),
        default=False,
        help_text=_("Copied from the previous cycle; not yet confirmed"),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="answer_one_per_item")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.item.code}"


class SectionTarget(models.Model):
    """The to-be level a city sets for a dimension that takes one."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="targets")
    section = models.ForeignKey("frameworks.Section", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "section"], name="target_one_per_section")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.section_id}: {self.level}"


class ScoreSnapshot(models.Model):
    """The engine's result for an assessment, stored so pages never recompute."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    computed_at = models.DateTimeField(auto_now_add=True)
    overall_score = models.FloatField(null=True)
    overall_level = models.PositiveSmallIntegerField(null=True)
    # {figure key: {score, level, answered, applicable, complete, contributions, notes, extra}}
    figures = models.JSONField()
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-computed_at"]
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"], condition=models.Q(is_current=True), name="snapshot_one_current_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} @ {self.computed_at:%Y-%m-%d %H:%M}"


class Assignment(models.Model):
    """A dimension or domain given to a colleague to answer, with a due date."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    section = models.ForeignKey("frameworks.Section", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "section__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "section"], name="assignment_one_per_section")]

    def __str__(self) -> str:
        return f"{self.section.code} -> {self.assignee}"


def evidence_path(instance, filename: str) -> str:
    # The stored name is random: the original name is kept in a field, never trusted as a path.
    import uuid

    return f"evidence/{instance.assessment.city_id}/{instance.assessment_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file or a link attached to one item's answer."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey("frameworks.Item", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_path, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(_("link"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(file="") & models.Q(url="")) | (models.Q(file="") & ~models.Q(url="")),
                name="evidence_is_a_file_or_a_link",
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.url


class Comment(models.Model):
    """A comment on one item; `review` comments are a validator's reasons for returning it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey("frameworks.Item", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"), max_length=4000)
    review = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"
