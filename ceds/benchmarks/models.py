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
    # Sorted scores (a fixed-size quantile sketch for large groups), kept only when the group is
    # large enough to show: what percentile ranks are read from.
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


class PublicResult(models.Model):
    """A city's latest result published by name, per framework: what the public map lists.

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
            models.UniqueConstraint(fields=["framework_id", "city"], name="public_result_one_per_city"),
        ]
        indexes = [
            models.Index(fields=["framework_id", "name", "city"], name="public_result_name_idx"),
            models.Index(fields=["framework_id", "region_code", "name", "city"], name="public_result_region_idx"),
            models.Index(fields=["framework_id", "country", "name", "city"], name="public_result_country_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.framework_id}: {self.name} {self.period}"


class PublicCountryCount(models.Model):
    """How many cities of a country publish by name at each level: the shading of the map.

    One row per framework, country, region, membership kind and level (0: no level), so
    that any filter of the map sums a few hundred rows however many cities there are.
    """

    framework_id = models.CharField(max_length=40)
    country = models.ForeignKey("cities.Country", on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(max_length=32)
    membership_kind = models.CharField(max_length=24, blank=True)
    level = models.PositiveSmallIntegerField()
    cities = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework_id", "country", "region_code", "membership_kind", "level"],
                name="public_country_count_unique",
            )
        ]
        indexes = [models.Index(fields=["framework_id", "region_code"], name="public_country_count_idx")]

    def __str__(self) -> str:
        return f"{self.framework_id}/{self.country_id}/{self.region_code}/{self.membership_kind}: L{self.level} × {self.cities}"


class Leaderboard(models.Model):
    """The best shared overall results of one framework version and period, in order.

    Written with the peer statistics (on publication), so the benchmark and plan pages read
    one row instead of sorting every city's result. Each entry: assessment, city name, region
    id, sharing, score and level; the page decides how to name each city.
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
