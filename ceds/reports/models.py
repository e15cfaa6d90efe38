from django.db import models


class IssuedReport(models.Model):
    """A report of official results as rendered once, in one language (see ceds/reports/issue.py).

    `revision` is its city's `report_revision` when it was rendered and `format` the digest of the code,
    templates and catalogues that rendered it; a report whose either differs is rendered again.
    """

    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="issued_reports")
    language = models.CharField(max_length=16)
    html = models.TextField()
    issued_at = models.DateTimeField()
    revision = models.PositiveIntegerField()
    format = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "language"], name="issued_report_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.language} · {self.issued_at:%Y-%m-%d %H:%M}"


class EarlierIssue(models.Model):
    """A report issued before its results were reopened for a correction, kept as it was issued.

    The amended report replaces it for readers and says so in its errata note; this copy is what
    the city may already have forwarded or quoted (ceds.reports.issue.set_aside).
    """

    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="earlier_issues")
    correction = models.ForeignKey(
        "assessments.Correction", on_delete=models.SET_NULL, null=True, blank=True, related_name="earlier_issues"
    )
    language = models.CharField(max_length=16)
    html = models.TextField()
    issued_at = models.DateTimeField()
    superseded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_at"]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.language} · {self.issued_at:%Y-%m-%d} (superseded)"
