"""Which periods a benchmark compares (pure).

A city that validated last year's cycle is still the best information on where it stands this
year: peers of a period are each city's latest shared result of that period *or the one before*
(its peer window), so that the first cities of a new cycle are compared with everyone else's
last result instead of with nobody. The anonymity rule (ceds.benchmarks.anonymity) applies to
the window as a whole.

Periods are a year (2026), a half (2026-H1) or a quarter (2026-Q3): the period before a year is
the year before, before a half or a quarter the half or quarter before it.
"""

from __future__ import annotations

import re

_PERIOD = re.compile(r"^(\d{4})(?:-([HQ])([1-4]))?$")
_PARTS = {"H": 2, "Q": 4}


def _shift(period: str, step: int) -> str | None:
    match = _PERIOD.match(period)
    if match is None:
        return None
    year, kind, part = int(match[1]), match[2], match[3]
    if kind is None:
        return str(year + step)
    index = year * _PARTS[kind] + int(part) - 1 + step
    return f"{index // _PARTS[kind]}-{kind}{index % _PARTS[kind] + 1}"


def previous_period(period: str) -> str | None:
    """The period before (2026 -> 2025, 2026-H1 -> 2025-H2, 2026-Q1 -> 2025-Q4); None if unreadable."""
    return _shift(period, -1)


def following_period(period: str) -> str | None:
    """The period after (2025 -> 2026, 2025-H2 -> 2026-H1); None if unreadable."""
    return _shift(period, 1)


def peer_window(period: str) -> tuple[str, ...]:
    """The periods whose results are peers of `period`'s, newest first."""
    before = previous_period(period)
    return (period, before) if before else (period,)


def periods_affected(period: str) -> tuple[str, ...]:
    """The periods whose peers change when a result of `period` changes: its own and the next."""
    after = following_period(period)
    return (period, after) if after else (period,)
