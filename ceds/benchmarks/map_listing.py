"""What the public map shows for a choice of filters: the period, the countries' shading, one
page of listed cities and their markers (plain data; the view draws and renders it); and the
public rankings, one page of the same listing by score.

Reads the listing that publication maintains (PublicResult, PublicMapShading): a fixed number
of queries and at most one page of cities, however many cities publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.urls import reverse

from ceds.benchmarks.anonymity import K
from ceds.benchmarks.models import PublicMapShading, PublicResult
from ceds.charts import Marker
from ceds.cities.countries import country_name

MAP_PAGE_SIZE = 50
# What a listed city shows: its name, link, position, country, period, score and level.
LISTED_FIELDS = (
    "name",
    "period",
    "overall_score",
    "overall_level",
    "city__slug",
    "city__latitude",
    "city__longitude",
    "country__code",
    "country__name_en",
)


@dataclass(frozen=True)
class ListedCity:
    """A city in the map's list (and its marker)."""

    name: str
    href: str
    country: str
    period: str
    overall_score: float | None
    overall_level: int | None
    latitude: float
    longitude: float

    @classmethod
    def of(cls, name, period, score, level, slug, latitude, longitude, country_code, country_name_en):
        return cls(
            name,
            reverse("public_city", args=[slug]),
            country_name(country_code, country_name_en),
            period,
            score,
            level,
            float(latitude),
            float(longitude),
        )

    def marker(self) -> Marker:
        label = f"{self.name}: {self.overall_score:.1f}" if self.overall_score is not None else self.name
        return Marker(lat=self.latitude, lon=self.longitude, label=label, level=self.overall_level, href=self.href)


@dataclass(frozen=True)
class MapFilters:
    framework_id: str = "ceds"
    period: str = ""  # '' : the default period (default_period)
    region: str = ""
    membership: str = ""
    country: str = ""
    page: str | int | None = None


@dataclass
class MapListing:
    period: str
    # Every period with a listed city, newest first, and how many cities each lists.
    periods: list[tuple[str, int]]
    countries: dict[str, dict]  # the shading: code -> name, cities, median level, cities per level
    total: int  # the cities listed under the filters (all pages)
    page: Page
    results: list[ListedCity] = field(default_factory=list)

    @property
    def markers(self) -> list[Marker]:
        return [r.marker() for r in self.results]

    @property
    def mapped_cities(self) -> int:
        """The cities of the shading (the country filter aside)."""
        return sum(c["cities"] for c in self.countries.values())


def default_period(periods: list[tuple[str, int]]) -> str:
    """The latest period with at least K cities listed, else the latest one ('' when none): a new
    cycle's first publications do not replace the previous period's full map."""
    for period, cities in periods:
        if cities >= K:
            return period
    return periods[0][0] if periods else ""


def listed_periods(framework_id: str) -> list[tuple[str, int]]:
    """(period, cities listed) for every period of a framework, newest first (one query)."""
    return list(
        PublicMapShading.objects.filter(framework_id=framework_id, region_code="", membership_kind="")
        .order_by("-period")
        .values_list("period", "cities")
    )


class _Counted:
    """A queryset whose length is already known, so the paginator runs no COUNT over all cities."""

    def __init__(self, queryset, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.queryset[index]


def map_listing(filters: MapFilters) -> MapListing:
    """The map for these filters: three queries (periods, shading, one page of cities)."""
    periods = listed_periods(filters.framework_id)
    known = {period for period, _n in periods}
    period = filters.period if filters.period in known else default_period(periods)
    shading = (
        PublicMapShading.objects.filter(
            framework_id=filters.framework_id,
            period=period,
            region_code=filters.region,
            membership_kind=filters.membership,
        )
        .values_list("countries", "cities")
        .first()
    )
    countries, total = shading or ({}, 0)
    listed = PublicResult.objects.filter(framework_id=filters.framework_id, period=period)
    if filters.region:
        listed = listed.filter(region_code=filters.region)
    if filters.membership:
        listed = listed.filter(membership_kind=filters.membership)
    if filters.country:
        listed = listed.filter(country_id=filters.country)
        total = countries[filters.country]["cities"] if filters.country in countries else 0
    ordered = listed.order_by("name", "city_id").values_list(*LISTED_FIELDS)
    page = Paginator(_Counted(ordered, total), MAP_PAGE_SIZE).get_page(filters.page)
    return MapListing(period, periods, countries, total, page, [ListedCity.of(*row) for row in page.object_list])


RANKING_PAGE_SIZE = 100


@dataclass(frozen=True)
class RankedCity:
    name: str
    href: str
    country: str
    overall_score: float
    overall_level: int | None


@dataclass
class Ranking:
    period: str
    periods: list[tuple[str, int]]
    page: Page


def ranking(framework_id: str, period: str = "", page: str | int | None = None) -> Ranking:
    """One page of a period's cities by score, highest first (ties by name): three queries, along
    the listing's ranking index, however many cities publish. `period` '' or unknown: the default."""
    periods = listed_periods(framework_id)
    if period not in {p for p, _n in periods}:
        period = default_period(periods)
    listed = PublicResult.objects.filter(framework_id=framework_id, period=period, overall_score__isnull=False)
    ranked = listed.order_by("-overall_score", "name", "city_id").values_list(
        "name", "city__slug", "country__code", "country__name_en", "overall_score", "overall_level"
    )
    # Counted on the listing alone, along its index (counting `ranked` would join every city).
    paged = Paginator(_Counted(ranked, listed.count()), RANKING_PAGE_SIZE).get_page(page)
    paged.object_list = [
        RankedCity(name, reverse("public_city", args=[slug]), country_name(code, name_en), score, level)
        for name, slug, code, name_en, score, level in paged.object_list
    ]
    return Ranking(period, periods, paged)
