"""A portal audit run and what it proposes for each item."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def screenshot_path(instance, filename):
    return f"audit/{instance.run.city_id}/{instance.run_id}/{filename}"


class AuditRun(models.Model):
    """One crawl of a city's portal: started from a page (in a background thread) or the command."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        PAGE_LIMIT = "page_limit", _("finished at the page limit")
        TIME_LIMIT = "time_limit", _("finished at the time limit")
        ROBOTS = "robots", _("not run: robots.txt disallows the audit")
        REFUSED = "refused", _("not run: the address may not be audited")
        UNREACHABLE = "unreachable", _("not run: the portal could not be reached")
        FAILED = "failed", _("failed")

    FINISHED = (Status.DONE, Status.PAGE_LIMIT, Status.TIME_LIMIT)

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="audit_runs")
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_runs"
    )
    url = models.URLField(max_length=500)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    message = models.CharField(max_length=500, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.JSONField(default=list)  # [{url, status, title, bytes, seconds}]
    refused = models.JSONField(default=list)  # [{url, reason}] requests the audit would not make
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["city", "-created_at"])]

    def __str__(self):
        return f"audit of {self.url} ({self.created_at:%Y-%m-%d})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Proposal(models.Model):
    """What the audit proposes for one item, with its evidence; the city accepts or disputes it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DISPUTED = "disputed", _("disputed")

    run = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="proposals")
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, null=True, blank=True, related_name="audit_proposals"
    )
    item_code = models.CharField(max_length=16)
    section_code = models.CharField(max_length=16)
    check_name = models.CharField(max_length=32)
    present = models.BooleanField()
    answer = models.JSONField()  # the answer it proposes, in the stored shape ({"value": ...})
    observed = models.JSONField(null=True)  # what the check measured (count, broken links, axe counts)
    evidence_url = models.URLField(max_length=500, blank=True)
    found = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=list)  # axe findings, broken links
    screenshot = models.FileField(upload_to=screenshot_path, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "item_code"], name="one_proposal_per_item_per_run")]
        indexes = [models.Index(fields=["assessment", "item_code"])]

    def __str__(self):
        return f"{self.item_code}: {self.check_name}"
