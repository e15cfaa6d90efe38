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
