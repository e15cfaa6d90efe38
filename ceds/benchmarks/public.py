"""Public pages: what cities chose to publish by name — the map, profiles and rankings.

Only published results shared by name appear here; anonymous and private ones never do.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.charts import Marker, world_map
from ceds.cities.models import City, Membership, Region
from ceds.core.i18n import localized
from ceds.frameworks.models import FrameworkVersion
from ceds.solutions.models import Practice

GEOJSON = Path(settings.CONTENT_DIR) / "geo" / "countries-110m.geojson"


@lru_cache(maxsize=1)
def _world() -> dict:
    import json

    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def named_snapshots():
    return ScoreSnapshot.objects.filter(
        is_current=True, assessment__status=Assessment.Status.PUBLISHED, assessment__sharing=Assessment.Sharing.NAMED
    )


def _frameworks():
    return sorted({v.framework_id: v for v in FrameworkVersion.objects.all()}.values(), key=lambda v: v.framework_id)


def latest_named(framework_id: str, region: str = "", membership: str = ""):
    """The latest named result of each city for one framework (one query)."""
    pool = named_snapshots().filter(assessment__framework_version__framework_id=framework_id)
    latest_period = pool.filter(assessment__city_id=OuterRef("assessment__city_id")).order_by("-assessment__period")
    snapshots = pool.filter(assessment__period=Subquery(latest_period.values("assessment__period")[:1]))
    if region:
        snapshots = snapshots.filter(assessment__city__region__code=region)
    if membership:
        snapshots = snapshots.filter(assessment__city__membership__kind=membership)
    return snapshots.select_related("assessment__city__region", "assessment__city__country").order_by(
        "assessment__city__name"
    )


def map_page(request):
    framework_id = request.GET.get("framework", "ceds")
    region = request.GET.get("region", "")
    membership = request.GET.get("membership", "")
    snapshots = list(latest_named(framework_id, region, membership))
    markers = [
        Marker(
            lat=float(s.assessment.city.latitude),
            lon=float(s.assessment.city.longitude),
            label=f"{s.assessment.city.name}: {s.overall_score:.1f}"
            if s.overall_score is not None
            else s.assessment.city.name,
            level=s.overall_level,
            href=reverse("public_city", args=[s.assessment.city.slug]),
        )
        for s in snapshots
    ]
    svg = world_map(
        "world",
        _("Cities that publish their results"),
        _("%(n)s cities, coloured by maturity level") % {"n": len(markers)},
        _world(),
        markers,
        level_label=lambda n: _("Level %(n)s") % {"n": n},
    )
    return render(
        request,
        "benchmarks/map.html",
        {
            "svg": mark_safe(svg),  # noqa: S308 — escaped by ceds.charts
            "snapshots": snapshots,
            "frameworks": _frameworks(),
            "framework_id": framework_id,
            "regions": Region.objects.all(),
            "region": region,
            "memberships": Membership.Kind.choices,
            "membership": membership,
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
    periods = list(
        named_snapshots()
        .filter(assessment__framework_version__framework_id=framework_id)
        .values_list("assessment__period", flat=True)
        .distinct()
        .order_by("-assessment__period")
    )
    period = request.GET.get("period") or (periods[0] if periods else "")
    rows = list(
        named_snapshots()
        .filter(
            assessment__framework_version__framework_id=framework_id,
            assessment__period=period,
            overall_score__isnull=False,
        )
        .select_related("assessment__city__country")
        .order_by("-overall_score", "assessment__city__name")
    )
    return render(
        request,
        "benchmarks/rankings.html",
        {
            "rows": rows,
            "periods": periods,
            "period": period,
            "frameworks": _frameworks(),
            "framework_id": framework_id,
        },
    )
