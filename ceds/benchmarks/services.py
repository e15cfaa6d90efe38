"""Peer statistics: which results count, how groups are formed, and recomputation."""

from collections import defaultdict

from django.db import transaction

from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.benchmarks.models import PeerGroup, PeerStat
from ceds.benchmarks.stats import MIN_PEERS, summarize
from ceds.cities.models import Membership

SHARED = (Assessment.Sharing.NAMED, Assessment.Sharing.ANONYMOUS)


def shared_snapshots(version_id: int, period: str):
    """Current snapshots of published results shared by name or anonymously: the peer pool."""
    return ScoreSnapshot.objects.filter(
        is_current=True,
        assessment__framework_version_id=version_id,
        assessment__period=period,
        assessment__status=Assessment.Status.PUBLISHED,
        assessment__sharing__in=SHARED,
    )


def group_values(city) -> dict[str, str]:
    """The peer groups a city belongs to: kind -> value ('' for all cities)."""
    profile = getattr(city, "profile", None)
    membership = getattr(city, "membership", None)
    groups = {PeerGroup.ALL: "", PeerGroup.REGION: city.region.code}
    if profile is not None:
        groups[PeerGroup.POPULATION] = profile.population_band
        if profile.income_group:
            groups[PeerGroup.INCOME] = profile.income_group
    if membership is not None and membership.kind in (Membership.Kind.MEMBER, Membership.Kind.FRIENDSHIP):
        groups[PeerGroup.MEMBERS] = ""
    return groups


@transaction.atomic
def recompute(version_id: int, period: str) -> int:
    """Rebuild every peer statistic of one framework version and period; returns rows written."""
    snapshots = shared_snapshots(version_id, period).select_related(
        "assessment__city__region", "assessment__city__profile", "assessment__city__membership"
    )
    buckets: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for snapshot in snapshots.iterator():
        groups = group_values(snapshot.assessment.city)
        for key, figure in snapshot.figures.items():
            if key.startswith("item:") or figure.get("score") is None:
                continue
            for kind, value in groups.items():
                buckets[(kind, value, key)].append(figure["score"])
    PeerStat.objects.filter(framework_version_id=version_id, period=period).delete()
    rows = []
    for (kind, value, key), scores in buckets.items():
        summary = summarize(scores)
        rows.append(
            PeerStat(
                framework_version_id=version_id,
                period=period,
                group_kind=kind,
                group_value=value,
                figure_key=key,
                n=len(scores),
                q1=summary.q1 if summary else None,
                median=summary.median if summary else None,
                q3=summary.q3 if summary else None,
                best=summary.best if summary else None,
                values=sorted(scores) if len(scores) >= MIN_PEERS else [],
            )
        )
    PeerStat.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
