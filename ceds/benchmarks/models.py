from django.db import models
from django.utils.translation import gettext_lazy as _


class PeerGroup(models.TextChoices):
    ALL = "all", _("All cities")
    REGION = "region", _("Same region")
    POPULATION = "population", _("Same population band")
    INCOME = "income", _("Same income group")
    MEMBERS = "members", _("Member cities")


class PeerStat(models.Model):
    """Precomputed statistics of one figure over one peer group, for one framework version and period.

    Recomputed when an assessment is published or its sharing changes (and by
    `manage.py compute_benchmarks`), so pages never aggregate over all cities.
    Only results shared by name or anonymously are counted; private ones never are.
    """

    framework_version = models.ForeignKey("frameworks.FrameworkVersion", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    group_kind = models.CharField(max_length=16, choices=PeerGroup.choices)
    group_value = models.CharField(max_length=32, blank=True)
    figure_key = models.CharField(max_length=40)
    n = models.PositiveIntegerField()
    q1 = models.FloatField(null=True)
    median = models.FloatField(null=True)
    q3 = models.FloatField(null=True)
    best = models.FloatField(null=True)
    # Sorted scores, kept only when the group is large enough to show (for percentile ranks).
    values = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework_version", "period", "group_kind", "group_value", "figure_key"],
                name="peer_stat_unique",
            )
        ]
        indexes = [models.Index(fields=["framework_version", "period", "figure_key"], name="peer_stat_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.framework_version_id}/{self.period}/{self.group_kind}:{self.group_value}/{self.figure_key}"
