"""Which number or date of a source supports one stated elsewhere: the rules `verify` applies,
and indexes that apply them in about logarithmic time per lookup.

A model's answer can state thousands of numbers (a summary of 20,000 words, a fact sheet of
3,000 figures) against an article holding thousands more; comparing each with each would
take minutes. The indexes return exactly what the plain scans (`quantity_supported`, a scan
with `dates_match`) return, the first supporting item in the source's order.

May import: `summarizer.vietnamese`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from summarizer.vietnamese import DateMention, Quantity, same_unit, values_equal

__all__ = [
    "DateIndex",
    "QuantityIndex",
    "ValueIndex",
    "dates_match",
    "inside_any",
    "quantity_supported",
    "unit_compatible",
    "value_supported",
]

# |a - b| <= max(1e-9 * max(|a|, |b|), 1e-12) (`values_equal`) implies |a - b| <= this.
_REL = 2e-9
_ABS = 1e-12


def value_supported(stated: Quantity, source: Quantity) -> bool:
    if values_equal(stated.value, source.value):
        return True
    # The stated number is the source rounded to the stated precision ("14.2" for 14.245).
    half = stated.resolution / 2
    return abs(stated.value - source.value) <= half * (1 + 1e-9) + 1e-12


def unit_compatible(stated: Quantity, source: Quantity) -> bool:
    su = same_unit(stated.unit, source.unit)
    if stated.kind in ("money", "percent"):
        return su is True
    return su is not False


def quantity_supported(stated: Quantity, candidates: Sequence[Quantity]) -> Quantity | None:
    """The first candidate that supports `stated`: same value, or its value rounded to the
    precision `stated` is written with; and a compatible unit (money and percent need the same
    currency / percent; counted nouns must not be known to differ; a bare stated number may
    match any unit)."""
    for c in candidates:
        if unit_compatible(stated, c) and value_supported(stated, c):
            return c
    return None


def _reach(value: float, resolution: float = 0.0) -> float:
    """How far from `value` a supporting value can be (a little more, never less)."""
    return abs(value) * _REL + resolution * (1 + 1e-9) / 2 + 2 * _ABS


class _Sorted:
    """Positions of finite values, sorted by value: the positions within a value range."""

    def __init__(self, values: Sequence[float]) -> None:
        order = sorted((v, i) for i, v in enumerate(values) if v == v and abs(v) != float("inf"))
        self._values = [v for v, _ in order]
        self._positions = [i for _, i in order]

    def between(self, lo: float, hi: float) -> list[int]:
        """Positions (in the original order) of the values in [lo, hi]."""
        a = bisect.bisect_left(self._values, lo)
        b = bisect.bisect_right(self._values, hi)
        return sorted(self._positions[a:b])


class QuantityIndex:
    """`quantity_supported` over fixed candidates, by position; the same stated quantity
    (value, precision, unit) is looked up once."""

    def __init__(self, candidates: Sequence[Quantity]) -> None:
        self._candidates = candidates
        self._sorted = _Sorted([c.value for c in candidates])
        self._memo: dict[tuple[float, float, str | None, str], int | None] = {}

    def first(self, stated: Quantity) -> int | None:
        """Position of the first candidate that supports `stated`, or None."""
        key = (stated.value, stated.resolution, stated.unit, stated.kind)
        if key in self._memo:
            return self._memo[key]
        found: int | None = None
        reach = _reach(stated.value, stated.resolution)
        if reach == reach:  # NaN reaches nothing
            for i in self._sorted.between(stated.value - reach, stated.value + reach):
                c = self._candidates[i]
                if unit_compatible(stated, c) and value_supported(stated, c):
                    found = i
                    break
        self._memo[key] = found
        return found

    def supported(self, stated: Quantity) -> Quantity | None:
        i = self.first(stated)
        return None if i is None else self._candidates[i]


class ValueIndex:
    """Whether some (value, unit) of a list equals a quantity's value, with a unit that is the
    same or not given (the coverage rule of `verify`)."""

    def __init__(self, stated: Sequence[tuple[float, str | None]]) -> None:
        self._stated = stated
        self._sorted = _Sorted([v for v, _ in stated])

    def covers(self, q: Quantity) -> bool:
        reach = _reach(q.value)
        for i in self._sorted.between(q.value - reach, q.value + reach):
            v, u = self._stated[i]
            if values_equal(v, q.value) and (u is None or same_unit(u, q.unit) is True):
                return True
        return False


def dates_match(a: DateMention, b: DateMention) -> bool:
    if a.value is not None and b.value is not None:
        return a.value == b.value
    if (a.day, a.month) != (b.day, b.month):
        return False
    return a.year is None or b.year is None or a.year == b.year


class DateIndex:
    """The first date of a list that `dates_match` a stated one, by position: only dates of
    the same day and month can match."""

    def __init__(self, dates: Sequence[DateMention]) -> None:
        self._dates = dates
        self._by_day: dict[tuple[int, int], list[int]] = {}
        for i, d in enumerate(dates):
            self._by_day.setdefault((d.day, d.month), []).append(i)

    def first(self, stated: DateMention) -> int | None:
        for i in self._by_day.get((stated.day, stated.month), ()):
            if dates_match(stated, self._dates[i]):
                return i
        return None


def inside_any(starts: Sequence[int], ends: Sequence[int], pos: int) -> bool:
    """Whether `pos` lies in one of the spans [starts[k], ends[k]) (sorted, not overlapping)."""
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]
