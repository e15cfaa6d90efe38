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

What is counted: results published and shared by name or anonymously (SHARED); private
results never enter any figure. Residual risk, documented: order statistics of two overlapping
groups, read together, can place a value in their intersection (see docs/methodology.md).
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


def listed(entries: Iterable[Mapping], own: object = None, key: str = "assessment") -> list[Mapping]:
    """The entries a list may show: named results, and the one whose `key` equals `own`."""
    return [e for e in entries if may_list(e["sharing"], own is not None and e.get(key) == own)]
