"""E-government modules and best practices, loaded from content/ by load_content."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceds.core.i18n import localized


class Module(models.Model):
    code = models.SlugField(_("id"), max_length=80, unique=True)
    title = models.JSONField()
    cost_band = models.CharField(max_length=16)
    duration_months = models.PositiveSmallIntegerField()
    data = models.JSONField(help_text=_("The module as written in content/"))
    prerequisites = models.ManyToManyField("self", symmetrical=False, related_name="enables", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return localized(self.title)


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Practice.Status.PUBLISHED)


class Practice(models.Model):
    """A best practice: from the curated library in content/, or shared by a city and reviewed."""

    class Origin(models.TextChoices):
        LIBRARY = "library", _("CeDS library")
        CITY = "city", _("Shared by a city")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")

    code = models.SlugField(_("id"), max_length=80, unique=True)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.LIBRARY)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    title = models.JSONField()
    city_name = models.CharField(max_length=120)
    country = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    # The same shape for both origins: title, summary, categories, sections, source (+ why,
    # results and contact for city submissions).
    data = models.JSONField()
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, null=True, blank=True, related_name="practices")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)
    attachment = models.FileField(upload_to="practices/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    # Decided by content at upload (assessments/uploads.py) and served as is; empty: unknown.
    attachment_type = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")

    def __str__(self) -> str:
        return localized(self.title)


class Action(models.Model):
    """An item of a city's action plan: an adopted module or the city's own action."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="actions")
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="actions")
    module = models.ForeignKey(Module, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    # The module's step this action carries out (1 = the first); empty: the whole module or the city's own.
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    title = models.CharField(_("action"), max_length=200)
    owner = models.CharField(_("owner"), max_length=120, blank=True, help_text=_("Person or unit responsible"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("progress note"), blank=True, max_length=2000)
    linked_items = models.JSONField(_("linked items"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "module"],
                condition=models.Q(module__isnull=False, step__isnull=True),
                name="action_module_adopted_once",
            ),
            models.UniqueConstraint(
                fields=["assessment", "module", "step"],
                condition=models.Q(module__isnull=False, step__isnull=False),
                name="action_module_step_adopted_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoadmapMemo(models.Model):
    """A roadmap the planner already worked out, stored under the digest of everything it read.

    The planner is a pure function of the framework, the answers, the candidate modules, the
    modules' content, the budget and the staff; its search scores hundreds of hypothetical
    deployments. Validation works out the default plan once; a report or plan page then reads
    it here. A changed input is a different digest, so an entry never goes stale.
    """

    digest = models.CharField(max_length=64, unique=True)
    roadmap = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.digest[:12]
