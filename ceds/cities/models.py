"""Cities, the countries and regions they belong to, their membership and circumstances."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceds.cities.countries import country_name
from ceds.cities.timezones import validate_timezone
from ceds.core.i18n import localized


class Region(models.Model):
    """A WeGO-style world region, followed by a regional office."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    names = models.JSONField(_("names"), default=dict, help_text=_("Name per language code"))
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.code


class Country(models.Model):
    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3, unique=True)
    name_en = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries", null=True, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return country_name(self.code, self.name_en)


class City(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        ADMINISTRATIVE_AREA = "administrative_area", _("Administrative area")

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    local_names = models.JSONField(_("local names"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.CITY)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cities", verbose_name=_("region"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=7, decimal_places=4, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=7, decimal_places=4, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("IANA name such as Asia/Seoul: due dates end at midnight in this zone."),
    )
    portal_url = models.URLField(_("official portal"), blank=True)
    geonameid = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised whenever something an issued report of this city shows changes (ceds/reports/signals.py):
    # a report kept under an older revision is rendered again on its next view.
    report_revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        indexes = [models.Index(fields=["region", "name"], name="city_region_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        return localized(self.local_names, fallback=False)


class Membership(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Member city")
        FRIENDSHIP = "friendship_member", _("Friendship member")
        PARTNER = "partner", _("Partner")
        NON_MEMBER = "non_member", _("Non-member")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="membership")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.MEMBER)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    since = models.PositiveSmallIntegerField(
        _("member since"), null=True, blank=True, validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    partner_assessments_enabled = models.BooleanField(
        _("partner may run assessments"),
        default=False,
        help_text=_("Partners open assessments only when the secretariat enables it."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.city}: {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def may_open_assessments(self) -> bool:
        if self.status != self.Status.ACTIVE:
            return False
        if self.kind in (self.Kind.MEMBER, self.Kind.FRIENDSHIP):
            return True
        return self.kind == self.Kind.PARTNER and self.partner_assessments_enabled


class PopulationBand(models.TextChoices):
    UNDER_100K = "under_100k", _("Under 100,000")
    FROM_100K = "100k_500k", _("100,000 – 500,000")
    FROM_500K = "500k_1m", _("500,000 – 1 million")
    FROM_1M = "1m_5m", _("1 – 5 million")
    OVER_5M = "over_5m", _("Over 5 million")

    @classmethod
    def for_population(cls, population: int) -> "PopulationBand":
        for limit, band in (
            (100_000, cls.UNDER_100K),
            (500_000, cls.FROM_100K),
            (1_000_000, cls.FROM_500K),
            (5_000_000, cls.FROM_1M),
        ):
            if population < limit:
                return band
        return cls.OVER_5M


class BudgetBand(models.TextChoices):
    MINIMAL = "minimal", _("Minimal (under USD 100,000 a year)")
    SMALL = "small", _("Small (USD 100,000 – 1 million)")
    MEDIUM = "medium", _("Medium (USD 1 – 10 million)")
    LARGE = "large", _("Large (over USD 10 million)")


class IncomeGroup(models.TextChoices):
    LOW = "low", _("Low income")
    LOWER_MIDDLE = "lower_middle", _("Lower-middle income")
    UPPER_MIDDLE = "upper_middle", _("Upper-middle income")
    HIGH = "high", _("High income")


class NationalPlatform(models.TextChoices):
    """National shared systems a city may join (the module content's `national` vocabulary)."""

    E_ID = "e_id", _("National digital identity")
    E_PAYMENT = "e_payment", _("National payment gateway")
    E_PROCUREMENT = "e_procurement", _("National e-procurement system")
    INTEROPERABILITY = "interoperability", _("National interoperability platform")
    GOVERNMENT_CLOUD = "government_cloud", _("National government cloud")
    DOCUMENT_EXCHANGE = "document_exchange", _("National document exchange")
    OPEN_DATA = "open_data", _("National open data portal")


DEFAULT_NEW_PROJECTS_SHARE = 30  # % of budget and ICT staff the roadmap assumes free for new projects


class CityProfile(models.Model):
    """The circumstances that decide which modules are reasonable for a city."""

    # What the coordinator edits (page, API, audit log: one list).
    EDITABLE_FIELDS = (
        "population_band",
        "budget_band",
        "ict_staff",
        "internet_penetration",
        "income_group",
        "national_platforms",
        "new_projects_share",
    )

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="profile")
    population_band = models.CharField(_("population band"), max_length=16, choices=PopulationBand.choices)
    budget_band = models.CharField(_("annual e-government budget"), max_length=16, choices=BudgetBand.choices)
    ict_staff = models.PositiveIntegerField(_("ICT staff (full-time equivalents)"), default=0)
    internet_penetration = models.PositiveSmallIntegerField(
        _("residents using the internet (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Best available estimate, e.g. from the national statistics office or ITU."),
    )
    income_group = models.CharField(_("income group"), max_length=16, choices=IncomeGroup.choices, blank=True)
    national_platforms = models.JSONField(
        _("national platforms serving the city"),
        default=list,
        blank=True,
        help_text=_("Shared systems the national government runs and the city may use instead of building its own."),
    )
    new_projects_share = models.PositiveSmallIntegerField(
        _("share of the e-government budget and ICT staff available for new projects (%)"),
        default=DEFAULT_NEW_PROJECTS_SHARE,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "The roadmap's default budget and staff: this share of the latest planned budget and of the ICT staff."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("city profile")
        verbose_name_plural = _("city profiles")

    def __str__(self) -> str:
        return str(self.city)


SERVICE_DOMAINS = (
    ("admin", _("e-Admin")),
    ("life", _("e-Life")),
    ("industry", _("e-Industry")),
    ("infra", _("e-Infra")),
)


def _money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))], **kwargs
    )


class BudgetYear(models.Model):
    """Planned e-government budget against actual spending for one year."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="budget_years")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    currency = models.CharField(_("currency (ISO 4217)"), max_length=3, default="USD")
    planned = _money(_("planned budget"))
    actual = _money(_("actual spending"), null=True, blank=True)
    # Optional split by service domain; when given, the parts may not exceed the total.
    planned_admin = _money(_("planned: e-Admin"), null=True, blank=True)
    actual_admin = _money(_("actual: e-Admin"), null=True, blank=True)
    planned_life = _money(_("planned: e-Life"), null=True, blank=True)
    actual_life = _money(_("actual: e-Life"), null=True, blank=True)
    planned_industry = _money(_("planned: e-Industry"), null=True, blank=True)
    actual_industry = _money(_("actual: e-Industry"), null=True, blank=True)
    planned_infra = _money(_("planned: e-Infra"), null=True, blank=True)
    actual_infra = _money(_("actual: e-Infra"), null=True, blank=True)

    class Meta:
        ordering = ["city", "-year"]
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="budget_year_unique_per_city")]

    def __str__(self) -> str:
        return f"{self.city} {self.year}"

    @property
    def execution_rate(self) -> Decimal | None:
        """Actual spending as a share of the plan, in percent."""
        if self.actual is None or not self.planned:
            return None
        return (self.actual / self.planned * 100).quantize(Decimal("0.1"))

    def domain_rows(self) -> list[dict]:
        rows = []
        for code, label in SERVICE_DOMAINS:
            planned, actual = getattr(self, f"planned_{code}"), getattr(self, f"actual_{code}")
            if planned is None and actual is None:
                continue
            rate = (actual / planned * 100).quantize(Decimal("0.1")) if planned and actual is not None else None
            rows.append({"code": code, "label": label, "planned": planned, "actual": actual, "rate": rate})
        return rows


class Place(models.Model):
    """A GeoNames place from the committed gazetteer, for the city search box."""

    geonameid = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    asciiname = models.CharField(max_length=200, db_index=True)
    country = models.CharField(max_length=2)
    admin1 = models.CharField(max_length=20, blank=True)
    latitude = models.DecimalField(max_digits=7, decimal_places=4)
    longitude = models.DecimalField(max_digits=7, decimal_places=4)
    population = models.PositiveBigIntegerField()
    timezone = models.CharField(max_length=64)

    class Meta:
        ordering = ["-population"]
        verbose_name = _("gazetteer place")
        verbose_name_plural = _("gazetteer places")

    def __str__(self) -> str:
        return f"{self.name}, {self.country}"
