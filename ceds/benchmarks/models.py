from django.db import models
from django.utils.translation import gettext_lazy as _

from ceds.benchmarks import stats


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
    Only results shared by name or anonymously are counted; private ones never are. Whether a
    row may be shown to a reader is decided by ceds.benchmarks.anonymity.may_aggregate.
    """

    framework_version = models.ForeignKey("frameworks.FrameworkVersion", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    group_kind = models.CharField(max_length=16, choices=PeerGroup.choices)
    group_value = models.CharField(max_length=32, blank=True)
    figure_key = models.CharField(max_length=40)
    n = models.PositiveIntegerField()
    # How many of the n results are shared anonymously: what ceds.benchmarks.anonymity weighs
    # before a statistic is shown. Null (written before it was counted) means not shown.
    anonymous = models.PositiveIntegerField(null=True)
    # On the all-cities row of the overall figure only: the anonymous results per signature
    # (anonymity.signature: region, band, income, membership), what anonymity.shown_groups weighs.
    anonymous_atoms = models.JSONField(null=True)
    q1 = models.FloatField(null=True)
    median = models.FloatField(null=True)
    q3 = models.FloatField(null=True)
    best = models.FloatField(null=True)
    # Sorted scores (a fixed-size quantile sketch for large groups), kept only when the group is
    # large enough to show: what percentile ranks are read from. Packed 8-byte floats
    # (stats.pack): a page reads up to 80 of them, and decoding JSON lists cost milliseconds.
    packed_values = models.BinaryField(default=bytes)
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

    @property
    def values(self) -> list[float]:
        return stats.unpack(self.packed_values).tolist()


class PublicResult(models.Model):
    """A city's result published by name, per framework and period: what the public map lists.

    Rebuilt for a city whenever one of its results is published, unshared or archived, or its
    membership changes (ceds.benchmarks.services.refresh_public_results). The city's name,
    region and membership are copied here so that the map can filter and page through
    thousands of cities along one index, without sorting a join.
    """

    framework_id = models.CharField(max_length=40)
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    overall_score = models.FloatField(null=True)
    overall_level = models.PositiveSmallIntegerField(null=True)
    name = models.CharField(max_length=120)
    country = models.ForeignKey("cities.Country", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=32)
    membership_kind = models.CharField(max_length=24, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework_id", "city", "period"], name="public_result_one_per_period"),
        ]
        indexes = [
            models.Index(fields=["framework_id", "period", "name", "city"], name="public_result_p_name_idx"),
            models.Index(
                fields=["framework_id", "period", "region_code", "name", "city"], name="public_result_p_region_idx"
            ),
            models.Index(
                fields=["framework_id", "period", "country", "name", "city"], name="public_result_p_country_idx"
            ),
            # The rankings: a period's cities by score, highest first, paged along the index.
            models.Index(
                fields=["framework_id", "period", "-overall_score", "name", "city"],
                name="public_result_p_rank_idx",
                condition=models.Q(overall_score__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework_id}: {self.name} {self.period}"


class PublicMapShading(models.Model):
    """The public map's country shading for one framework, period and choice of its filters.

    One row per framework, period, region filter and membership filter ('' for all), rebuilt from
    PublicResult whenever that listing changes: {country code: {"name": English name,
    "levels": {level: cities}}} (level 0: no level), so that a view of the map reads one row
    however many cities publish.
    """

    framework_id = models.CharField(max_length=40)
    period = models.CharField(max_length=16, default="")
    region_code = models.CharField(max_length=32, blank=True)
    membership_kind = models.CharField(max_length=24, blank=True)
    countries = models.JSONField(default=dict)
    cities = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework_id", "period", "region_code", "membership_kind"],
                name="public_map_shading_period_unique",
            )
        ]

    def __str__(self) -> str:
        where = f"{self.framework_id}/{self.period}/{self.region_code or '*'}/{self.membership_kind or '*'}"
        return f"{where}: {self.cities} cities"


class Leaderboard(models.Model):
    """The best shared overall results of one framework version and period, in order.

    Written with the peer statistics (on publication), so the benchmark and plan pages read
    one row instead of sorting every city's result. Each entry: assessment, city name, region
    id and names, sharing, score and level. Only results shared by name are written
    (ceds.benchmarks.anonymity: an anonymous result is never a row); the reader's own city is
    placed by the page.
    """

    framework_version = models.ForeignKey("frameworks.FrameworkVersion", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    entries = models.JSONField(default=list)
    # {section figure key: [{score, city, city_id}]}: the best cities sharing by name, per section.
    section_leaders = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "period"], name="leaderboard_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.framework_version_id}/{self.period}"
