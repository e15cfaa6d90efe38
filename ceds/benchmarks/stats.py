"""Peer statistics, as documented in docs/methodology.md (pure functions, no Django).

- Quartiles by linear interpolation between order statistics (the "type 7" definition,
  the default of R, NumPy and spreadsheet QUARTILE.INC).
- Percentile rank = share of peers scoring lower + half the share scoring equal, in percent.
- An aggregate over fewer than MIN_PEERS cities is not stored; whether a stored one is shown to a
  reader is ceds.benchmarks.anonymity's rule (k >= 5, counting anonymous results).
- Large groups keep a sketch of SKETCH_POINTS quantiles for percentile ranks, not every score.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ceds.benchmarks.anonymity import K as MIN_PEERS  # the one k, decided in ceds.benchmarks.anonymity

# Percentile ranks are read from at most this many evenly spaced quantiles of a group: a
# fixed size whatever the number of cities, within 100 / (SKETCH_POINTS - 1) percentile points.
SKETCH_POINTS = 201


def quantile(sorted_values: list[float], q: float) -> float:
    """Type-7 quantile of already sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def percentile_rank(sorted_values: Sequence[float], value: float) -> float:
    n = len(sorted_values)
    if not n:
        raise ValueError("no values")
    lower = bisect_left(sorted_values, value)
    equal = bisect_right(sorted_values, value) - lower
    return (lower + 0.5 * equal) / n * 100


def sketch(sorted_values: list[float], points: int = SKETCH_POINTS) -> list[float]:
    """The values themselves when few, else `points` evenly spaced type-7 quantiles of them."""
    if len(sorted_values) <= points:
        return list(sorted_values)
    # Hundredths of a point: finer than any score is shown, and a third of the bytes to read.
    return [round(quantile(sorted_values, i / (points - 1)), 2) for i in range(points)]


def pack(values: Sequence[float]) -> bytes:
    """Sorted values as stored: 8-byte floats, exact, and read back in microseconds (JSON took milliseconds)."""
    return array("d", values).tobytes()


def unpack(data: bytes | memoryview | None) -> array:
    values = array("d")
    if data:
        values.frombytes(data)
    return values


@dataclass(frozen=True)
class Summary:
    n: int
    q1: float
    median: float
    q3: float
    best: float


def summarize(values: list[float]) -> Summary | None:
    """Quartiles and best of a peer group, or None when the group is too small to show."""
    ordered = sorted(values)
    if len(ordered) < MIN_PEERS:
        return None
    return Summary(len(ordered), quantile(ordered, 0.25), quantile(ordered, 0.5), quantile(ordered, 0.75), ordered[-1])
