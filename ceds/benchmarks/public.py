"""Public pages: what cities chose to publish by name — the map, profiles and rankings.

Only published results shared by name appear here; anonymous and private ones never do.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.benchmarks import anonymity
from ceds.benchmarks.map_listing import MapFilters, map_listing, ranking
from ceds.charts import CountryShade, CountryShape, project_world, world_map
from ceds.cities.countries import country_name
from ceds.cities.models import City, Membership, Region
from ceds.core.i18n import localized
from ceds.frameworks.models import FrameworkVersion
from ceds.solutions.models import Practice

GEOJSON = Path(settings.CONTENT_DIR) / "geo" / "countries-110m.geojson"


@lru_cache(maxsize=1)
def _world() -> tuple[CountryShape, ...]:
    """The country outlines, projected once per process: they are static content."""
    return project_world(json.loads(GEOJSON.read_text(encoding="utf-8")))


def named_snapshots():
    """Published results shared by name: the only results a public row (ranking, profile, open
    data) may carry (ceds.benchmarks.anonymity.may_list)."""
    return ScoreSnapshot.objects.filter(
        is_current=True, assessment__status=Assessment.Status.PUBLISHED, assessment__sharing=anonymity.NAMED
    )


@dataclass(frozen=True)
class FrameworkChoice:
    framework_id: str
    name: str


def _frameworks() -> list[FrameworkChoice]:
    """Each framework once, named by its latest version's title, for the framework menus."""
    titles = dict(FrameworkVersion.objects.order_by("framework_id", "version").values_list("framework_id", "title"))
    return [FrameworkChoice(framework_id, localized(title)) for framework_id, title in sorted(titles.items())]


def _country_shades(countries: dict[str, dict], country_link: str) -> dict[str, CountryShade]:
    """Each country's fill (its cities' median level), label, and a link to its list of cities."""
    median_label = _("median level %(level)s")
    city_counts: dict[int, str] = {}  # the plural form for each number of cities, asked once
    shades = {}
    for code, country in countries.items():
        n, level = country["cities"], country["median"]
        if n not in city_counts:
            city_counts[n] = ngettext("%(country)s: %(n)s city", "%(country)s: %(n)s cities", n)
        label = city_counts[n] % {"country": country_name(code, country["name"]), "n": n}
        if level:
            label += " · " + median_label % {"level": level}
        shades[code] = CountryShade(level, label, country_link + code)
    return shades


def map_page(request):
    """Countries shaded by the median level of their cities; the cities listed below marked on top."""
    filters = MapFilters(
        framework_id=request.GET.get("framework", "ceds"),
        period=request.GET.get("period", ""),
        region=request.GET.get("region", ""),
        membership=request.GET.get("membership", ""),
        country=request.GET.get("country", "").upper()[:2],
        page=request.GET.get("page"),
    )
    listing = map_listing(filters)
    query = request.GET.copy()
    for key in ("page", "country"):
        query.pop(key, None)
    query["period"] = listing.period
    filter_query = query.urlencode()
    svg = world_map(
        "world",
        _("Cities that publish their results, %(period)s") % {"period": listing.period or "–"},
        _("%(n)s cities in %(countries)s countries; countries shaded by the median maturity level of their cities")
        % {"n": listing.mapped_cities, "countries": len(listing.countries)},
        _world(),
        listing.markers,
        _country_shades(listing.countries, f"?{filter_query}&country="),
        level_label=lambda n: _("Level %(n)s") % {"n": n},
    )
    countries = listing.countries
    return render(
        request,
        "benchmarks/map.html",
        {
            "svg": mark_safe(svg),  # noqa: S308 — escaped by ceds.charts
            "listing": listing,
            "results": listing.results,
            "page": listing.page,
            "total": listing.total,
            "filter_query": filter_query,
            "frameworks": _frameworks(),
            "framework_id": filters.framework_id,
            "regions": [
                (code, localized(names) or code) for code, names in Region.objects.values_list("code", "names")
            ],
            "region": filters.region,
            "memberships": Membership.Kind.choices,
            "membership": filters.membership,
            "country": filters.country,
            "country_name": country_name(filters.country, countries[filters.country]["name"])
            if filters.country in countries
            else filters.country,
            "minimum": anonymity.K,
        },
    )


def public_city(request, slug):
    city = get_object_or_404(City.objects.select_related("country", "region"), slug=slug)
    snapshots = list(
        named_snapshots()
        .filter(assessment__city=city)
        .select_related("assessment__framework_version")
        .order_by("assessment__framework_version__framework_id", "assessment__period")
    )
    practices = list(Practice.objects.published().filter(Q(city=city) | Q(city_name__iexact=city.name)))
    if not snapshots and not practices:
        raise Http404(_("This city has not published results."))
    membership = Membership.objects.filter(city=city).first()
    return render(
        request,
        "benchmarks/public_city.html",
        {
            "city": city,
            "snapshots": snapshots,
            "practices": practices,
            "membership": membership,
            "practice_titles": {p.pk: localized(p.title) for p in practices},
        },
    )


def rankings(request):
    framework_id = request.GET.get("framework", "ceds")
    asked = request.GET.get("period", "")
    listing = ranking(framework_id, asked, request.GET.get("page"))
    return render(
        request,
        "benchmarks/rankings.html",
        {
            "page": listing.page,
            "periods": listing.periods,
            "period": listing.period,
            "asked": asked == listing.period,
            "minimum": anonymity.K,
            "frameworks": _frameworks(),
            "framework_id": framework_id,
        },
    )
