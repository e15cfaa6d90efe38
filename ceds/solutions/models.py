"""E-government modules and best practices, loaded from content/ by load_content."""

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


class Practice(models.Model):
    code = models.SlugField(_("id"), max_length=80, unique=True)
    title = models.JSONField()
    city_name = models.CharField(max_length=120)
    country = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    data = models.JSONField()

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
                condition=models.Q(module__isnull=False),
                name="action_module_adopted_once",
            )
        ]

    def __str__(self) -> str:
        return self.title
