"""Reading stored results for pages: snapshots, the previous cycle, peer statistics.

Every function here runs a fixed number of queries whatever the number of cities: pages
read snapshots and precomputed PeerStat rows, never recompute or aggregate on a view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BinaryField, Case, F, Q, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceds.assessments.models import Answer, Assessment, ScoreSnapshot
from ceds.assessments.presenters import figure_row
from ceds.assessments.scoring import compute
from ceds.benchmarks import anonymity
from ceds.benchmarks.models import PeerGroup, PeerStat
from ceds.benchmarks.periods import peer_window
from ceds.benchmarks.services import group_values
from ceds.benchmarks.stats import percentile_rank, unpack
from ceds.core.i18n import localized

OFFICIAL = (Assessment.Status.VALIDATED, Assessment.Status.PUBLISHED)
# Statuses whose current snapshot holds validated results (an archived cycle keeps them).
WITH_RESULTS = (*OFFICIAL, Assessment.Status.ARCHIVED)


@dataclass
class Results:
    figures: dict
    provisional: bool
    computed_at: datetime | None = None


def results_for(assessment: Assessment, may_see_provisional: bool, summary: bool = False) -> Results | None:
    """Stored figures of a validated assessment; a draft's computed figures (provisional) for those allowed.

    With `summary`, only the figures above the items and without their contributions (what a
    dashboard shows: 3 kB of a snapshot's ~70 kB).
    """
    if assessment.status in WITH_RESULTS:
        stored = ScoreSnapshot.objects.filter(assessment_id=assessment.pk, is_current=True).values_list(
            "summary" if summary else "figures", "computed_at"
        )[:1]
        for figures, computed_at in stored:
            return Results(figures, provisional=False, computed_at=computed_at)
    if may_see_provisional and assessment.status not in OFFICIAL:
        return Results(compute(assessment).to_dict(), provisional=True)
    return None


@dataclass(frozen=True)
class Cycle:
    """A validated cycle as comparisons read it: its period, compact scores and framework version.

    Cycles on different versions of a framework compare figure by figure: dimensions, domains,
    parts and the overall keep their keys across versions, and items are read through the newer
    version's crosswalk (ceds.frameworks.crosswalk)."""

    assessment_id: int
    period: str
    scores: dict
    version: int = 0


def city_cycles(assessment: Assessment, **conditions):
    """The city's validated cycles of the assessment's framework, as Cycle fields (a query to
    order and slice): the compact scores are all a comparison or a trend needs."""
    return ScoreSnapshot.objects.filter(
        is_current=True,
        assessment__city_id=assessment.city_id,
        assessment__framework_version__framework_id=assessment.framework_version.framework_id,
        assessment__status__in=WITH_RESULTS,
        **conditions,
    ).values_list("assessment_id", "assessment__period", "scores", "assessment__framework_version__version")


def previous_cycle(assessment: Assessment) -> Cycle | None:
    """The latest earlier validated cycle of the same framework for the same city."""
    earlier = city_cycles(assessment, assessment__period__lt=assessment.period).order_by("-assessment__period")
    return next((Cycle(*row) for row in earlier[:1]), None)


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


PEER_FIELDS = ("figure_key", "group_kind", "group_value", "n", "anonymous", "q1", "median", "q3", "best")


def own_is_anonymous_member(assessment: Assessment) -> bool:
    """Is the assessment itself one of the anonymous results its groups count (its score known to its reader)?"""
    return assessment.status == Assessment.Status.PUBLISHED and assessment.sharing == anonymity.ANONYMOUS


ALL_CITIES = {PeerGroup.ALL: ""}


def peer_figures(
    assessment: Assessment,
    scores: dict[str, float] | None = None,
    groups: dict[str, str] | None = None,
    reader_groups: dict[str, str] | None = None,
) -> dict[str, list[PeerFigure]]:
    """{figure key: [PeerFigure per peer group]} in one query: the `groups` given (kind ->
    value, e.g. ALL_CITIES), else every group the city belongs to (one query more).

    The statistics describe the cities that share their results (the city itself among
    them when it shares). Given the city's own `scores`, the percentile rank places each
    among the group's values; values are loaded only for the figures in `scores`.
    """
    if groups is None:
        groups = reader_groups = reader_groups or group_values(assessment.city)
    if reader_groups is None:
        # Which groups may be read together is weighed over all the city's groups (taken in
        # order, so all cities alone needs no more).
        reader_groups = groups if set(groups) == {PeerGroup.ALL} else group_values(assessment.city)
    # The all-cities row of the overall figure carries the anonymous counts per signature.
    condition = Q(group_kind=PeerGroup.ALL, group_value="", figure_key="overall")
    for kind, value in groups.items():
        condition |= Q(group_kind=kind, group_value=value)
    rows = PeerStat.objects.filter(
        condition, framework_version_id=assessment.framework_version_id, period=assessment.period
    )
    if scores is not None:
        # The values behind percentile ranks only for the figures asked about.
        wanted = Case(
            When(figure_key__in=list(scores), then=F("packed_values")), default=None, output_field=BinaryField()
        )
        rows = rows.annotate(wanted_values=wanted).values_list(*PEER_FIELDS, "anonymous_atoms", "wanted_values")
    else:
        rows = rows.values_list(*PEER_FIELDS, "anonymous_atoms")
    rows = list(rows)
    atoms = next((r[9] for r in rows if (r[0], r[1]) == ("overall", PeerGroup.ALL)), None)
    out: dict[str, list[PeerFigure]] = {}
    order = list(PeerGroup.values)
    own_anonymous = own_is_anonymous_member(assessment)
    readable = anonymity.shown_groups(reader_groups, atoms, _own_signature(reader_groups) if own_anonymous else None)
    for row in sorted(rows, key=lambda r: order.index(r[1])):
        key, kind, value, n, anonymous, q1, median, q3, best = row[:9]
        if groups.get(kind) != value:
            continue  # the all-cities row read for its counts only
        # k >= 5: ceds.benchmarks.anonymity decides; the stored quartiles exist only for n >= 5.
        shown = median is not None and kind in readable and anonymity.may_aggregate(n, anonymous, own_anonymous)
        peer = PeerFigure(kind, value, n, shown)
        if shown:
            peer.q1, peer.median, peer.q3, peer.best = q1, median, q3, best
            own = scores.get(key) if scores is not None else None
            if own is not None and row[10]:
                peer.percentile = percentile_rank(unpack(row[10]), own)
        out.setdefault(key, []).append(peer)
    return out


def window_label(period: str) -> str:
    """The periods a benchmark of `period` compares, readable: "2026 or 2025"."""
    window = peer_window(period)
    if len(window) == 1:
        return period
    return _("%(period)s or %(previous)s") % {"period": window[0], "previous": window[1]}


def withheld_reason(peer: PeerFigure | None, provisional: bool, period: str) -> str:
    """Why a figure has no peer comparison, in a sentence (the reason follows anonymity's rule)."""
    if provisional:
        return _("No peer comparison: these results are provisional until the assessment is validated.")
    n = peer.n if peer is not None else 0
    if n < anonymity.K:
        return ngettext(
            "No peer comparison: %(n)s city shares a validated result for %(periods)s; "
            "at least %(k)s are needed so that no city can be singled out.",
            "No peer comparison: %(n)s cities share a validated result for %(periods)s; "
            "at least %(k)s are needed so that no city can be singled out.",
            n,
        ) % {"n": n, "periods": window_label(period), "k": anonymity.K}
    return _(
        "No peer comparison: too few of the results shared anonymously are other cities' than this one, "
        "so the figures could narrow them down to fewer than %(k)s cities."
    ) % {"k": anonymity.K}


def _own_signature(reader_groups: dict[str, str]) -> str:
    if set(reader_groups) == {PeerGroup.ALL}:
        return anonymity.ANY_CELL
    return anonymity.signature(
        reader_groups.get(PeerGroup.REGION, ""),
        reader_groups.get(PeerGroup.POPULATION),
        reader_groups.get(PeerGroup.INCOME),
        PeerGroup.MEMBERS in reader_groups,
    )


def peer_table(assessment: Assessment, scores: dict[str, float]) -> list[tuple[str, PeerFigure]]:
    """Every figure of `scores` in every peer group of the city, in a stable order.

    Peer statistics are stored only for the groups in which some city shares its result, so
    a city validated before any peer published would otherwise read an empty table, and
    read rows only once someone publishes. Here a group nobody shares in yet is there with
    n=0 and shown=False: the table has the same shape from the first read.
    """
    groups = group_values(assessment.city)
    found = peer_figures(assessment, scores, groups, reader_groups=groups)
    order = [kind for kind in PeerGroup.values if kind in groups]
    out = []
    for key in sorted(scores):
        have = {peer.group_kind: peer for peer in found.get(key, [])}
        out += [(key, have.get(kind) or PeerFigure(kind, groups[kind], 0, False)) for kind in order]
    return out


def current_scores(assessment: Assessment) -> dict[str, float] | None:
    """The compact scores of a validated assessment's current snapshot; None before validation."""
    if assessment.status not in WITH_RESULTS:
        return None
    return ScoreSnapshot.objects.filter(assessment=assessment, is_current=True).values_list("scores", flat=True).first()


def domain_table(definition, figures):
    """The classification table of seed 001: per domain and an average row."""
    rows, totals = [], {"total": 0, "operating": 0, "developing": 0, "util_sum": 0.0, "util_n": 0}
    for part in definition["parts"]:
        for group in part["groups"]:
            for section in group["sections"]:
                if section.get("kind") != "domain":
                    continue
                row = figure_row(definition, f"section:{section['id']}", figures, localized(section["title"]))
                row["code"] = section["id"]
                rows.append(row)
                extra = row["extra"]
                totals["total"] += extra.get("total", 0)
                totals["operating"] += extra.get("operating", 0)
                totals["developing"] += extra.get("developing", 0)
                if extra.get("utilization_pct") is not None:
                    # Weighted by the services that report a utilization (docs/methodology.md,
                    # section 3); a snapshot stored before the engine counted them falls back
                    # to the services in operation until `manage.py rescore` runs.
                    reporting = extra.get("utilization_n", extra.get("operating", 0))
                    totals["util_sum"] += extra["utilization_pct"] * reporting
                    totals["util_n"] += reporting
                part_key = f"part:{part['id']}"
    if not rows:
        return None
    average = figure_row(definition, part_key, figures, _("Average"))
    total = totals["total"]
    average["extra"] = {
        "total": total,
        "operating_pct": totals["operating"] / total * 100 if total else None,
        "developing_pct": totals["developing"] / total * 100 if total else None,
        # The mean over every service in operation that reports a utilization, all domains together.
        "utilization_pct": totals["util_sum"] / totals["util_n"] if totals["util_n"] else None,
    }
    return {"rows": rows, "average": average}


@dataclass(frozen=True)
class ServiceItem:
    code: str
    title: str
    section: str


def service_rows(assessment, definition, figures, domain: str, status: str):
    """The services of the assessment with their answers, from the definition already in memory."""
    answers = dict(
        Answer.objects.filter(assessment=assessment, item__kind="service").values_list("item__code", "value")
    )
    rows = []
    for part in definition["parts"]:
        for group in part["groups"]:
            for section in group["sections"]:
                if domain and section["id"] != domain:
                    continue
                for item in section["items"]:
                    if item["kind"] != "service":
                        continue
                    value = answers.get(item["id"]) or {}
                    item_status = "na" if value.get("na") else value.get("status", "")
                    if status and item_status != status:
                        continue
                    rows.append(
                        {
                            "item": ServiceItem(item["id"], localized(item["title"]), section["id"]),
                            "status": item_status,
                            "level": value.get("level"),
                            "utilization": value.get("utilization"),
                            "systems": value.get("systems", ""),
                            "score": (figures.get(f"item:{item['id']}") or {}).get("score"),
                        }
                    )
    return rows
