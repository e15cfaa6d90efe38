"""Reading stored results for pages: snapshots, the previous cycle, peer statistics.

Every function here runs a fixed number of queries whatever the number of cities: pages
read snapshots and precomputed PeerStat rows, never recompute or aggregate on a view.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.assessments.scoring import compute
from ceds.benchmarks.models import PeerGroup, PeerStat
from ceds.benchmarks.services import group_values
from ceds.benchmarks.stats import percentile_rank

OFFICIAL = (Assessment.Status.VALIDATED, Assessment.Status.PUBLISHED)


@dataclass
class Results:
    figures: dict
    provisional: bool
    snapshot: ScoreSnapshot | None = None
    extra: dict = field(default_factory=dict)


def results_for(assessment: Assessment, may_see_provisional: bool) -> Results | None:
    """Stored figures of a validated assessment; a draft's computed figures (provisional) for those allowed."""
    if assessment.status in OFFICIAL or assessment.status == Assessment.Status.ARCHIVED:
        snapshot = ScoreSnapshot.objects.filter(assessment=assessment, is_current=True).first()
        if snapshot is not None:
            return Results(snapshot.figures, provisional=False, snapshot=snapshot)
    if may_see_provisional and assessment.status not in OFFICIAL:
        return Results(compute(assessment).to_dict(), provisional=True)
    return None


def previous_snapshot(assessment: Assessment) -> tuple[Assessment, ScoreSnapshot] | tuple[None, None]:
    """The latest earlier validated cycle of the same framework for the same city."""
    snapshot = (
        ScoreSnapshot.objects.filter(
            is_current=True,
            assessment__city_id=assessment.city_id,
            assessment__framework_version__framework_id=assessment.framework_version.framework_id,
            assessment__status__in=[*OFFICIAL, Assessment.Status.ARCHIVED],
            assessment__period__lt=assessment.period,
        )
        .select_related("assessment", "assessment__framework_version")
        .order_by("-assessment__period")
        .first()
    )
    return (snapshot.assessment, snapshot) if snapshot else (None, None)


@dataclass
class PeerFigure:
    group_kind: str
    group_value: str
    n: int
    shown: bool
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    best: float | None = None
    percentile: float | None = None


def peer_figures(assessment: Assessment, figures: dict) -> dict[str, list[PeerFigure]]:
    """{figure key: [PeerFigure per peer group the city belongs to]} in one query.

    The statistics describe the cities that share their results (the city itself among
    them when it shares); the percentile rank places the city's score among those values.
    """
    groups = group_values(assessment.city)
    condition = Q()
    for kind, value in groups.items():
        condition |= Q(group_kind=kind, group_value=value)
    rows = PeerStat.objects.filter(
        condition, framework_version_id=assessment.framework_version_id, period=assessment.period
    )
    out: dict[str, list[PeerFigure]] = {}
    order = list(PeerGroup.values)
    for row in sorted(rows, key=lambda r: order.index(r.group_kind)):
        own = (figures.get(row.figure_key) or {}).get("score")
        shown = row.median is not None
        peer = PeerFigure(row.group_kind, row.group_value, row.n, shown)
        if shown:
            peer.q1, peer.median, peer.q3, peer.best = row.q1, row.median, row.q3, row.best
            peer.percentile = percentile_rank(row.values, own) if own is not None else None
        out.setdefault(row.figure_key, []).append(peer)
    return out
