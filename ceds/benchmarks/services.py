"""Peer statistics: which results count, how groups are formed, and recomputation."""

import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import Count

from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.benchmarks import anonymity
from ceds.benchmarks.models import Leaderboard, PeerGroup, PeerStat, PublicMapShading, PublicResult
from ceds.benchmarks.periods import peer_window, periods_affected
from ceds.benchmarks.stats import MIN_PEERS, pack, sketch, summarize
from ceds.celery import enqueue
from ceds.cities.models import IncomeGroup, Membership, PopulationBand
from ceds.core.i18n import localized
from ceds.frameworks.models import FrameworkVersion

SHARED = anonymity.SHARED
LEADERBOARD_SIZE = 20
LOCK_NAMESPACE = 0x0CED5  # the first key of this module's advisory locks (serialised)
LEARN_FROM = 3  # peer cities named per section on the plan page
# An entry of the leaderboard (only results shared by name are entries: ceds.benchmarks.anonymity).
LEADERBOARD_FIELDS = ("assessment", "city", "region", "region_names", "sharing", "score", "level")


def figure_keys(definition: dict) -> frozenset[str]:
    """The figures above the items of a framework definition: overall, parts, groups, sections."""
    keys = {"overall"}
    for part in definition["parts"]:
        keys.add(f"part:{part['id']}")
        for group in part["groups"]:
            keys.add(f"group:{part['id']}/{group['id']}")
            keys.update(f"section:{section['id']}" for section in group["sections"])
    return frozenset(keys)


def pooled_versions(version_id: int) -> list[int]:
    """The versions whose results are peers of this version's: every version of the same
    framework with the same figures above the items (parts, groups, dimensions and domains).
    A new version that keeps its sections (items change; the crosswalk maps them) compares with
    the older one, so a period in which cities finish cycles on both has one set of peers."""
    framework_id, definition = FrameworkVersion.objects.values_list("framework_id", "definition").get(pk=version_id)
    keys = figure_keys(definition)
    return sorted(
        pk
        for pk, other in FrameworkVersion.objects.filter(framework_id=framework_id).values_list("pk", "definition")
        if pk == version_id or figure_keys(other) == keys
    )


def shared_snapshots(version_ids: list[int], periods: tuple[str, ...] | list[str]):
    """Current snapshots of published results shared by name or anonymously, of some periods."""
    return ScoreSnapshot.objects.filter(
        is_current=True,
        assessment__framework_version_id__in=version_ids,
        assessment__period__in=list(periods),
        assessment__status=Assessment.Status.PUBLISHED,
        assessment__sharing__in=SHARED,
    )


def group_values(city) -> dict[str, str]:
    """The peer groups a city belongs to: kind -> value ('' for all cities); one query."""
    return {kind: value for kind, (value, _label) in labelled_groups(city).items()}


def labelled_groups(city) -> dict[str, tuple[str, str]]:
    """The peer groups a city belongs to, each with what its members share, readable: kind ->
    (value, label); one query."""
    region, region_names, band, income, membership = (
        type(city)
        .objects.filter(pk=city.pk)
        .values_list(
            "region__code", "region__names", "profile__population_band", "profile__income_group", "membership__kind"
        )
        .first()
    )
    labels = {
        PeerGroup.REGION: localized(region_names) or region,
        PeerGroup.POPULATION: dict(PopulationBand.choices).get(band, band or ""),
        PeerGroup.INCOME: dict(IncomeGroup.choices).get(income, income or ""),
    }
    return {kind: (value, labels.get(kind, "")) for kind, value in _groups(region, band, income, membership).items()}


def _groups(region: str, population_band: str | None, income_group: str | None, membership_kind: str | None):
    groups = {PeerGroup.ALL: "", PeerGroup.REGION: region}
    if population_band:
        groups[PeerGroup.POPULATION] = population_band
    if income_group:
        groups[PeerGroup.INCOME] = income_group
    if membership_kind in (Membership.Kind.MEMBER, Membership.Kind.FRIENDSHIP):
        groups[PeerGroup.MEMBERS] = ""
    return groups


# While batched() runs: what results_changed() was asked to refresh, done once on leaving.
_batch: ContextVar[dict | None] = ContextVar("ceds_benchmarks_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Publications inside recompute each version and period, and refresh each framework's public
    listing, once on leaving instead of once each: for publishing many results together (the
    demo's past cycles), whose tables are then the same as after one publication at a time."""
    if _batch.get() is not None:  # already inside a batch: the outer one refreshes
        yield
        return
    pending: dict = {"periods": set(), "cities": defaultdict(set)}
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    with transaction.atomic():
        done: set[tuple[int, str]] = set()
        for version_id, period in sorted(pending["periods"]):
            if (version_id, period) not in done:  # recompute() writes for every pooled version
                recompute(version_id, period)
                done.update((pooled, period) for pooled in pooled_versions(version_id))
        for framework_id, city_ids in sorted(pending["cities"].items()):
            refresh_public_results(framework_id, sorted(city_ids))


@transaction.atomic
def cities_changed(city_ids) -> None:
    """Rebuild what copies these cities (cities.signals.city_changed): the peer statistics and
    leaderboard of every period in which one of them shares a published result (their groups,
    names and region names), and their entries in the public listing."""
    city_ids = list(city_ids)
    periods = (
        ScoreSnapshot.objects.filter(
            is_current=True,
            assessment__city_id__in=city_ids,
            assessment__status=Assessment.Status.PUBLISHED,
            assessment__sharing__in=SHARED,
        )
        .values_list("assessment__framework_version_id", "assessment__period")
        .distinct()
    )
    # A result is a peer of its own period and of the next one (ceds.benchmarks.periods).
    affected = {(version_id, later) for version_id, period in periods for later in periods_affected(period)}
    done: set[tuple[int, str]] = set()
    for version_id, period in sorted(affected):  # one order, so two refreshes never deadlock
        if (version_id, period) not in done:
            recompute(version_id, period)
            done.update((pooled, period) for pooled in pooled_versions(version_id))
    listed = PublicResult.objects.filter(city_id__in=city_ids).values_list("framework_id", flat=True)
    for framework_id in sorted(set(listed)):
        refresh_public_results(framework_id, city_ids)


@transaction.atomic
def results_changed(assessment: Assessment) -> None:
    """After a publication, a change of sharing or an archive: peer statistics and the map follow,
    at once without a task queue, else on the benchmarks queue once the change commits.

    The result is a peer of its own period and of the next one (ceds.benchmarks.periods)."""
    pending = _batch.get()
    if pending is not None:
        for period in periods_affected(assessment.period):
            pending["periods"].add((assessment.framework_version_id, period))
        pending["cities"][assessment.framework_version.framework_id].add(assessment.city_id)
        return
    from ceds.benchmarks import tasks  # imported here: the tasks module imports this one

    for period in periods_affected(assessment.period):
        enqueue(
            tasks.recompute_results,
            assessment.framework_version_id,
            period,
            assessment.framework_version.framework_id,
            [assessment.city_id],
        )


def serialised(*key: str) -> None:
    """Wait until no other transaction rebuilds the same cross-city rows, and hold them until commit.

    Rebuilding deletes and re-inserts rows under unique constraints; two publications at once
    would, under READ COMMITTED, both delete the old rows and then collide inserting the new
    ones (or the later writer would drop the earlier one's result). A PostgreSQL advisory lock,
    released with the transaction, makes them take turns: the second reads what the first
    committed. SQLite serialises every write transaction anyway.
    """
    if connection.vendor != "postgresql":
        return
    # Two 32-bit keys: this module's namespace and a stable digest of what is rebuilt.
    digest = int.from_bytes(hashlib.blake2b("/".join(key).encode(), digest_size=4).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, digest])


def window_rows(pool: list[int], period: str):
    """Each city's latest shared result within the peer window of `period`: the compact scores,
    what decides its groups, its sharing, city, name and overall figures (one query, streamed)."""
    rows = (
        shared_snapshots(pool, peer_window(period))
        .order_by("assessment__city_id", "-assessment__period")
        .values_list(
            "scores",
            "assessment__city__region__code",
            "assessment__city__profile__population_band",
            "assessment__city__profile__income_group",
            "assessment__city__membership__kind",
            "assessment__sharing",
            "assessment__city_id",
            "assessment__city__name",
            "assessment_id",
            "overall_score",
            "overall_level",
        )
    )
    last_city = None
    for row in rows.iterator(chunk_size=2000):
        if row[6] != last_city:  # the first row of a city is its latest period
            last_city = row[6]
            yield row


@transaction.atomic
def recompute(version_id: int, period: str) -> int:
    """Rebuild every peer statistic of one framework version and period, pooled with the versions
    that carry the same figures (pooled_versions) and written for each of them; returns rows written.

    The peers are each city's latest shared result of the period's peer window (this period and
    the one before: ceds.benchmarks.periods); the leaderboard ranks the same results. One rebuild
    of a framework's period at a time (serialised): the pool spans its versions."""
    framework_id = FrameworkVersion.objects.values_list("framework_id", flat=True).get(pk=version_id)
    serialised("peer-stats", framework_id, period)
    pool = pooled_versions(version_id)
    buckets: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    anonymous: Counter[tuple[str, str, str]] = Counter()
    atoms: Counter[str] = Counter()
    # Per section, the best cities sharing by name: whom a city can learn from.
    leaders: dict[str, list[tuple[float, str, int]]] = defaultdict(list)
    best: list[tuple[float, str, int, int | None]] = []  # (score, name, assessment, level) shared by name
    for row in window_rows(pool, period):
        scores, region, band, income, membership, sharing, city_id, name, assessment_id, overall, level = row
        groups = _groups(region, band, income, membership)
        if sharing != anonymity.NAMED:
            atoms[anonymity.signature(region, band, income, PeerGroup.MEMBERS in groups)] += 1
        elif overall is not None:
            best.append((overall, name, assessment_id, level))
        for key, score in scores.items():
            for kind, value in groups.items():
                buckets[(kind, value, key)].append(score)
                if sharing != anonymity.NAMED:
                    anonymous[(kind, value, key)] += 1
            if anonymity.may_list(sharing) and key.startswith("section:"):
                leaders[key].append((score, name, city_id))
    PeerStat.objects.filter(framework_version_id__in=pool, period=period).delete()
    stats = []
    for (kind, value, key), scores in buckets.items():
        summary = summarize(scores)
        stats.extend(
            PeerStat(
                framework_version_id=pooled_id,
                period=period,
                group_kind=kind,
                group_value=value,
                figure_key=key,
                n=len(scores),
                anonymous=anonymous[(kind, value, key)],
                anonymous_atoms=dict(atoms) if (kind, value, key) == (PeerGroup.ALL, "", "overall") else None,
                q1=summary.q1 if summary else None,
                median=summary.median if summary else None,
                q3=summary.q3 if summary else None,
                best=summary.best if summary else None,
                packed_values=pack(sketch(sorted(scores))) if len(scores) >= MIN_PEERS else b"",
            )
            for pooled_id in pool
        )
    PeerStat.objects.bulk_create(stats, batch_size=1000)
    # One more than a page shows, so that leaving out the reader's own city still leaves enough.
    section_leaders = {
        key: [
            {"score": score, "city": name, "city_id": city_id, "sharing": anonymity.NAMED}
            for score, name, city_id in heapq.nsmallest(LEARN_FROM + 1, found, key=lambda e: (-e[0], e[1]))
        ]
        for key, found in leaders.items()
    }
    entries = _leaderboard_entries(heapq.nsmallest(LEADERBOARD_SIZE, best, key=lambda e: (-e[0], e[1])))
    for pooled_id in pool:
        Leaderboard.objects.update_or_create(
            framework_version_id=pooled_id,
            period=period,
            defaults={"entries": entries, "section_leaders": section_leaders},
        )
    return len(stats)


def _leaderboard_entries(best: list[tuple[float, str, int, int | None]]) -> list[dict]:
    """The leaderboard's entries, in order, with each city's region (one query for the few listed)."""
    regions = {
        pk: (region_id, names)
        for pk, region_id, names in Assessment.objects.filter(pk__in=[e[2] for e in best]).values_list(
            "pk", "city__region_id", "city__region__names"
        )
    }
    return [
        dict(
            zip(
                LEADERBOARD_FIELDS,
                (assessment_id, name, *regions[assessment_id], anonymity.NAMED, score, level),
                strict=True,
            )
        )
        for score, name, assessment_id, level in best
    ]


@transaction.atomic
def refresh_public_results(framework_id: str, city_ids=None) -> int:
    """Rebuild the public listing of one framework for some cities (all when None).

    Each city is listed once per period it published by name, and the map's shading of the
    framework is rebuilt. Returns the number of listed results written. One rebuild of a
    framework's listing at a time (serialised), since the shading is rebuilt whole.
    """
    serialised("public-results", framework_id)
    listed = PublicResult.objects.filter(framework_id=framework_id)
    snapshots = ScoreSnapshot.objects.filter(
        is_current=True,
        assessment__framework_version__framework_id=framework_id,
        assessment__status=Assessment.Status.PUBLISHED,
        assessment__sharing=anonymity.NAMED,  # the map lists only rows anonymity.may_list allows
    )
    if city_ids is not None:
        city_ids = list(city_ids)
        listed = listed.filter(city_id__in=city_ids)
        snapshots = snapshots.filter(assessment__city_id__in=city_ids)
    listed.delete()
    latest: dict[tuple[int, str], dict] = {}
    rows = snapshots.order_by("assessment__city_id", "-assessment__period").values(
        "assessment_id",
        "assessment__period",
        "overall_score",
        "overall_level",
        "assessment__city_id",
        "assessment__city__name",
        "assessment__city__country_id",
        "assessment__city__region__code",
        "assessment__city__membership__kind",
    )
    for row in rows.iterator(chunk_size=2000):
        latest.setdefault((row["assessment__city_id"], row["assessment__period"]), row)
    PublicResult.objects.bulk_create(
        (
            PublicResult(
                framework_id=framework_id,
                city_id=city_id,
                assessment_id=row["assessment_id"],
                period=period,
                overall_score=row["overall_score"],
                overall_level=row["overall_level"],
                name=row["assessment__city__name"],
                country_id=row["assessment__city__country_id"],
                region_code=row["assessment__city__region__code"],
                membership_kind=row["assessment__city__membership__kind"] or "",
            )
            for (city_id, period), row in latest.items()
        ),
        batch_size=1000,
    )
    refresh_map_shading(framework_id)
    return len(latest)


def map_shadings(counts) -> dict[tuple[str, str, str], tuple[dict, int]]:
    """The map's shading for every period and choice of its filters, from the listing's counts.

    `counts`: (period, country code, English name, region code, membership kind, level, cities)
    rows. Returns {(period, region filter, membership filter): (countries, cities)}, '' meaning
    any; each country has its name, cities, median level and cities per level.
    """
    out: dict[tuple[str, str, str], tuple[dict, int]] = {}
    for period, country, name, region, membership, level, n in counts:
        for key in {(period, "", ""), (period, region, ""), (period, "", membership), (period, region, membership)}:
            countries, total = out.get(key, ({}, 0))
            levels = countries.setdefault(country, {"name": name, "levels": {}})["levels"]
            levels[str(level or 0)] = levels.get(str(level or 0), 0) + n
            out[key] = (countries, total + n)
    for countries, _total in out.values():
        for country in countries.values():
            levels = Counter({int(level): n for level, n in country["levels"].items()})
            country["cities"], country["median"] = sum(levels.values()), median_level(levels)
    return out


def median_level(levels: Counter) -> int | None:
    """The median level of a country's cities (the lower one of two middle cities); None without levels."""
    ordered = sorted((level, n) for level, n in levels.items() if level)
    middle, seen = (sum(n for _level, n in ordered) - 1) // 2, 0
    for level, n in ordered:
        seen += n
        if seen > middle:
            return level
    return None


@transaction.atomic
def refresh_map_shading(framework_id: str) -> None:
    """Rebuild the map's shading of one framework from its listing (a few hundred grouped rows)."""
    counts = (
        PublicResult.objects.filter(framework_id=framework_id)
        .values_list("period", "country_id", "country__name_en", "region_code", "membership_kind", "overall_level")
        .annotate(n=Count("id"))
        .order_by()
    )
    PublicMapShading.objects.filter(framework_id=framework_id).delete()
    PublicMapShading.objects.bulk_create(
        PublicMapShading(
            framework_id=framework_id,
            period=period,
            region_code=region,
            membership_kind=membership,
            countries=countries,
            cities=n,
        )
        for (period, region, membership), (countries, n) in map_shadings(counts).items()
    )
