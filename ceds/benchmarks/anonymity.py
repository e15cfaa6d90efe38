"""Who can be seen behind a figure: the one rule (k ≥ 5) every figure of another city passes through.

Stated in docs/methodology.md ("Anonymity") and docs/security.md. For one framework version and
period, a reader knows every result published by name (the public rankings and open data list
them) and the list of cities with their region and other public facts (the cities API); a
city user also knows their own city's result. So the cities that could be behind an anonymous
figure of a group are the group's cities that have no named result, less the reader's own:
its **candidates**. The rule:

1. Public pages (map, rankings, city profiles, open data) show named results only
   (`named_snapshots`, `BY_NAME`).
2. An anonymous result enters the peer pool (statistics, the benchmark ranking) only when its
   region has at least K candidates besides the reader's own city, i.e. K + 1 (`withheld`):
   the ranking names it "a city in <region>", so it must stay among K cities there. A
   withheld result is counted nowhere, so nothing (not even elimination) points to it.
3. A statistic of a peer group is shown only over at least K cities, and, when any of them is
   anonymous, only when the group has at least K + 1 candidates (`aggregate_shown`): knowing
   the named scores, a reader can subtract them from quartiles and the best score, so the
   anonymous members' scores must be hidden among K cities of that group.

Everything here but the two querysets is pure: plain data in, decisions out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ceds.assessments.models import Assessment
from ceds.benchmarks.stats import MIN_PEERS
from ceds.core.i18n import localized

K = MIN_PEERS
# The reader's own city is one candidate fewer for them: every count of candidates keeps one spare.
OWN_CITY = 1
BY_NAME = Assessment.Sharing.NAMED
ANONYMOUS = Assessment.Sharing.ANONYMOUS
POOLED = (BY_NAME, ANONYMOUS)
REGION = "region"  # the group whose name labels an anonymous city in a ranking (PeerGroup.REGION)


@dataclass(frozen=True)
class Standing:
    """One city as the rule sees it: its peer groups (kind -> value, "all" included) and how it
    shares its result in the version and period (None: no published result)."""

    city: int
    groups: Mapping[str, str]
    sharing: str | None = None


def candidates(standings: Iterable[Standing]) -> Counter[tuple[str, str]]:
    """Per peer group (kind, value): the cities that could be behind an anonymous figure of it
    (every city of the group that has no result published by name)."""
    out: Counter[tuple[str, str]] = Counter()
    for standing in standings:
        if standing.sharing != BY_NAME:
            out.update(standing.groups.items())
    return out


def hidden_enough(group_candidates: int) -> bool:
    """Whether K cities besides the reader's own remain that could be behind an anonymous figure."""
    return group_candidates >= K + OWN_CITY


def withheld(standings: Iterable[Standing]) -> set[int]:
    """Cities sharing anonymously whose region has too few candidates: counted in no statistic
    and listed in no ranking (treated as private)."""
    standings = list(standings)
    counts = candidates(standings)
    return {
        s.city
        for s in standings
        if s.sharing == ANONYMOUS and not hidden_enough(counts[(REGION, s.groups.get(REGION, ""))])
    }


def aggregate_shown(n: int, anonymous: int, group_candidates: int) -> bool:
    """Whether a statistic over `n` pooled cities, `anonymous` of them anonymous, may be shown."""
    return n >= K and (anonymous == 0 or hidden_enough(group_candidates))


def ranking_rows(entries: list[dict], own_assessment_id: int) -> list[dict]:
    """The ranking as a city's benchmark page shows it, from the leaderboard's entries: named
    cities and the reader's own by name, anonymous ones as "a city in <region>"."""
    rows = []
    for entry in entries:
        own = entry["assessment"] == own_assessment_id
        if entry["sharing"] == BY_NAME or own:
            label = entry["city"]
        elif entry["sharing"] == ANONYMOUS:
            label = _("a city in %(region)s") % {"region": localized(entry["region_names"])}
        else:  # never written; a private result is never listed
            continue
        rows.append(
            {"rank": len(rows) + 1, "label": label, "score": entry["score"], "level": entry["level"], "own": own}
        )
    return rows


def named_snapshots():
    """Current snapshots of published results shared by name: all that public pages and open data show."""
    from ceds.assessments.models import ScoreSnapshot

    return ScoreSnapshot.objects.filter(
        is_current=True, assessment__status=Assessment.Status.PUBLISHED, assessment__sharing=BY_NAME
    )


def pooled_snapshots(version_id: int, period: str):
    """Current snapshots of published results shared by name or anonymously, before `withheld`."""
    from ceds.assessments.models import ScoreSnapshot

    return ScoreSnapshot.objects.filter(
        is_current=True,
        assessment__framework_version_id=version_id,
        assessment__period=period,
        assessment__status=Assessment.Status.PUBLISHED,
        assessment__sharing__in=POOLED,
    )
