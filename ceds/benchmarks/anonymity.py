"""k-anonymity of shared results (k = 5): the one rule every figure of another city passes through.

The rule (docs/methodology.md, "Who is behind a figure"; docs/security.md):

1. **Rows.** A row that carries one other city's exact figure (a ranking, the leaderboard, the
   map, open data, "learn from" leaders) is shown only for a result published *by name*. An
   anonymous result is never a row, not even labelled "a city in <region>": a row's label
   narrows its candidates to the cities of that label, and the public city list per region
   then names them. The reader's own city is always a row for the reader.
2. **Aggregates.** A statistic over a peer group (n aside: quartiles, median, best,
   percentile rank, a default target drawn from a quartile) is shown only when the group holds
   at least K results *and* the anonymous results in it that the reader does not already know
   (every anonymous result but the reader's own city's) number either none or at least K.
   A reader knows every named score (they are public) and their own; with fewer than K unknown
   anonymous scores, quartiles and best of a small group solve for them (a group of five is
   its own order statistics) and narrow each to fewer than K cities.

3. **Groups read together** (shown_groups). Statistics of overlapping groups, read side by
   side, locate a value in their intersection (the same best in "Europe" and "over 5 million").
   The groups a reader sees split the cities into cells; each cell must hold none or at least K
   anonymous results the reader does not know, so swapping two cities' results within a cell
   changes nothing the reader can see.

What is counted: results published and shared by name or anonymously (SHARED); private
results never enter any figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

K = 5

NAMED = "named"
ANONYMOUS = "anonymous"
PRIVATE = "private"
# Sharing levels whose results count in peer statistics; only NAMED ones are ever rows.
SHARED = (NAMED, ANONYMOUS)


def may_list(sharing: str, own: bool = False) -> bool:
    """May a row carry this result's own exact figure? Named results, and the reader's own city."""
    return own or sharing == NAMED


def unknown_anonymous(anonymous: int | None, own_is_anonymous_member: bool) -> int | None:
    """Anonymous results in a group the reader cannot already know (None: not counted yet)."""
    if anonymous is None:
        return None
    return max(anonymous - (1 if own_is_anonymous_member else 0), 0)


def may_aggregate(n: int, anonymous: int | None, own_is_anonymous_member: bool = False) -> bool:
    """May a statistic over a group of `n` shared results, `anonymous` of them anonymous, be shown?

    `own_is_anonymous_member`: the reader's own city counts among the group's anonymous results
    (its score is known to the reader). An uncounted group (`anonymous` None, statistics written
    before the count existed) is not shown: the rule fails closed until `compute_benchmarks` runs.
    """
    unknown = unknown_anonymous(anonymous, own_is_anonymous_member)
    if unknown is None or n < K:
        return False
    return unknown == 0 or unknown >= K


# Peer group kinds (the values of ceds.benchmarks.models.PeerGroup), in the order groups are weighed.
GROUP_ORDER = ("all", "region", "population", "income", "members")


def signature(region: str, band: str | None, income: str | None, member: bool) -> str:
    """What decides which peer groups a result falls in: its city's region, population band,
    income group and membership, as one key of the anonymous counts written by recompute()."""
    return f"{region}|{band or ''}|{income or ''}|{int(bool(member))}"


def _in_group(sig: str, kind: str, value: str) -> bool:
    region, band, income, member = sig.split("|")
    return {
        "all": True,
        "region": region == value,
        "population": band == value,
        "income": income == value,
        "members": member == "1",
    }[kind]


# The reader's own result is anonymous but its signature is not at hand: enough to weigh all cities alone.
ANY_CELL = "*"


def shown_groups(groups: Mapping[str, str], atoms: Mapping[str, int] | None, own: str | None = None) -> set[str]:
    """The peer groups (kind -> value: all of the reader's city's groups) whose statistics its
    reader may see together.

    `atoms`: the anonymous results per signature; `own`: the reader's own signature when the
    reader's result is one of them. The groups a reader can see, read together, split the cities
    into cells (in this group and that one, not the other...). Every cell must hold none or at
    least K anonymous results the reader does not know: swapping the results of two cities of one
    cell changes no figure of any shown group (and anonymous results are never rows), so every
    anonymous value is as likely to be any of at least K cities. Groups are taken greedily in
    GROUP_ORDER; the choice does not depend on the page asking, so no page shows more than another.
    """
    if atoms is None:
        return set()
    chosen: list[tuple[str, str]] = []
    for kind in GROUP_ORDER:
        if kind not in groups:
            continue
        trial = [*chosen, (kind, groups[kind])]
        cells: dict[tuple[bool, ...], int] = {}
        for sig, count in atoms.items():
            cell = tuple(_in_group(sig, k, v) for k, v in trial)
            if any(cell):
                cells[cell] = cells.get(cell, 0) + count
        if own is not None:
            if own == ANY_CELL and len(trial) > 1:
                raise ValueError("the reader's signature is needed to weigh more than all cities")
            own_cell = (True,) if own == ANY_CELL else tuple(_in_group(own, k, v) for k, v in trial)
            if own_cell in cells:
                cells[own_cell] -= 1
        if all(n == 0 or n >= K for n in cells.values()):
            chosen = trial
    return {kind for kind, _value in chosen}


def listed(entries: Iterable[Mapping], own: object = None, key: str = "assessment") -> list[Mapping]:
    """The entries a list may show: named results, and the one whose `key` equals `own`."""
    return [e for e in entries if may_list(e["sharing"], own is not None and e.get(key) == own)]
