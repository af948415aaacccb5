"""Number tokens of Vietnamese and English text, and the scanning machinery the finders share.

Vietnamese writes "." for thousands and "," for the decimal mark: "14,245 tỷ USD" is
14 245 000 000 USD, "9,300 tỷ USD" is 9.3 billion (a comma is always decimal, even before three
digits), "2.793 triệu USD" is 2 793 000 000 USD; English the other way round. `_interpret_vi`
and `_interpret_en` read one token each way. The finders only look near digits
(`_digit_windows`, `_near_digits`) and skip masked spans (`_Spans`).

May import: the standard library and `summarizer.article`. Imported by the rest of
`summarizer.vietnamese`.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

# horizontal whitespace: units and qualifiers never cross a line break
_WS = "[ \t\u00a0]"


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


def _starting_with(first: str, pattern: str, flags: int = 0, *, words: str = "") -> re.Pattern[str]:
    """`pattern` compiled behind a lookahead for `first`, a character class body holding every
    character a match can start with, and, if given, one for `words`, an alternation holding a
    literal start of each alternative of `pattern` (a digit class, the leading word). Matches
    are the same; the regex engine just gives up at once at other positions instead of trying
    every alternative there (several times faster). `flags` apply to the lookaheads too, so a
    letter there stands for the same characters as the letter it copies from `pattern`."""
    ahead = f"(?=[{first}])" + (f"(?={words})" if words else "")
    return re.compile(f"{ahead}(?:{pattern})", flags)


_PREV_WORDS = re.compile(r"(?:(?P<w2>[^\W\d_]+)" + _WS + r"+)?(?P<w1>[^\W\d_]+)" + _WS + r"+$")
_NEXT_WORD = re.compile(_WS + r"+(?P<w>[^\W\d_]+)(?!\w)")

_SPACES = re.compile(_WS + "+")


_NUM_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")


_MARGIN = 48  # longer than any context a date / time / phone pattern reads around its digits


# A digit and the digits after it each no further than 2 * _MARGIN non-digits from the one
# before: the digits whose windows merge into one. (The quantifier is possessive: non-digits
# given back could never be followed by a digit anyway.)
_DIGIT_CLUSTER = re.compile(rf"\d(?:\D{{0,{2 * _MARGIN}}}+\d)*")


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` within `_MARGIN` characters of a digit, merged where they touch
    (two digit runs at most 2 * _MARGIN apart share one)."""
    n = len(text)
    return [
        (max(0, m.start() - _MARGIN), min(n, m.end() + _MARGIN))
        for m in _DIGIT_CLUSTER.finditer(text)
    ]


def _near_digits(
    pat: re.Pattern[str], text: str, windows: list[tuple[int, int]] | None = None
) -> Iterator[re.Match[str]]:
    """`pat.finditer(text)` for patterns whose matches contain a digit, scanning only windows
    around the digits (lookbehinds still see the whole text; no digit lies at a window end).
    `windows` are `_digit_windows(text)`, when the caller already has them."""
    for lo, hi in _digit_windows(text) if windows is None else windows:
        yield from pat.finditer(text, lo, hi)


def _masked_spans(
    text: str, *patterns: re.Pattern[str], windows: list[tuple[int, int]] | None = None
) -> _Spans:
    spans: list[tuple[int, int]] = []
    if windows is None:
        windows = _digit_windows(text)
    for pat in patterns:
        for m in _near_digits(pat, text, windows):
            if m.lastgroup == "cue" and m.group("cue") is not None:
                spans.append(m.span("cue"))
            else:
                spans.append(m.span())
    return _Spans(spans)


class _Spans:
    """Spans (possibly overlapping) that answer "does [start, end) meet one of you?" by
    bisection: a text of thousands of dates has thousands of masks and as many numbers."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._max_end = list(itertools.accumulate((e for _, e in spans), max))

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._starts, end)  # the spans that start before `end`
        return k > 0 and self._max_end[k - 1] > start


def _interpret_vi(tok: str) -> tuple[Decimal, int, bool] | None:
    """Value, number of decimals and whether it is a plain (undotted) integer of a number token
    written the Vietnamese way, or None if it is not a well-formed Vietnamese number."""
    if tok.count(",") > 1:
        return None
    ip, _, fp = tok.partition(",")
    if "." in fp:
        return None
    plain = False
    if "." in ip:
        groups = ip.split(".")
        if (
            groups[0]
            and len(groups[0]) <= 3
            and groups[0] != "0"
            and not (len(groups[0]) > 1 and groups[0][0] == "0")
            and all(len(g) == 3 for g in groups[1:])
        ):
            ip = "".join(groups)
        elif len(groups) == 2 and not fp and 1 <= len(groups[1]) <= 2:
            ip, fp = groups  # sloppy English decimal point: "1.5 tỷ"
        elif len(groups) == 2 and not fp and groups[0] == "0":
            ip, fp = groups
        else:
            return None
    else:
        plain = not fp
    if len(ip) > 2 and ip[0] == "0":
        return None  # "0237": a code or phone number, not a figure
    value = Decimal(f"{ip}.{fp}") if fp else Decimal(ip)
    return value, len(fp), plain


def _interpret_en(tok: str) -> tuple[Decimal, int, bool] | None:
    """Same as `_interpret_vi` for English notation ("62,000", "14.245")."""
    if tok.count(".") > 1:
        return None
    ip, _, fp = tok.partition(".")
    if "," in fp:
        return None
    plain = not fp and "," not in ip
    if "," in ip:
        groups = ip.split(",")
        if not (
            groups[0]
            and len(groups[0]) <= 3
            and groups[0][0] != "0"
            and all(len(g) == 3 for g in groups[1:])
        ):
            return None
        ip = "".join(groups)
    if len(ip) > 2 and ip[0] == "0":
        return None
    value = Decimal(f"{ip}.{fp}") if fp else Decimal(ip)
    return value, len(fp), plain


def _is_year_like(value: Decimal, decimals: int, plain: bool, tok: str) -> bool:
    return plain and decimals == 0 and len(tok) == 4 and 1900 <= value <= 2100


_YEAR_RANGE_AFTER = re.compile(r"\s*[-–—]\s*\d{4}(?!\d)")
_YEAR_RANGE_BEFORE = re.compile(r"(?<!\d)\d{4}\s*[-–—]\s*$")
_DASH_NAME_BEFORE = re.compile(r"(?P<w>[^\W\d_]+)" + _WS + r"?[-–—]" + _WS + r"?$")


def _prev_words(text: str, pos: int) -> tuple[str | None, str | None]:
    m = _PREV_WORDS.search(text, max(0, pos - 40), pos)
    if m is None:
        return None, None
    return m.group("w1"), m.group("w2")


def values_equal(a: float, b: float) -> bool:
    """Equal up to float noise."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


QuantityKind = Literal["money", "percent", "measure", "count", "number"]


@dataclass
class _Reading:
    """A number token being read as a figure: what the steps have found so far."""

    tok: str
    s: int
    e: int
    value: Decimal
    decimals: int
    plain: bool
    """A plain (undotted) integer: may be a year or a code."""
    start: int
    """Start of the figure's text: a currency sign may precede the number."""
    pos: int
    """End of the figure's text so far."""
    unit: str | None = None
    kind: QuantityKind = "number"
    scale: Decimal = Decimal(1)
    n_scales: int = 0
    strong: bool = False
    """A currency, percent, measure or scale word follows: a figure whatever precedes it."""
    listed_count: bool = False
    fallback: bool = False
    """The counted noun is the fallback guess, not a listed noun."""


def _glued(text: str, s: int, e: int, *, before: bool = True) -> bool:
    """Glued to letters or other numbers: "G20", "Covid-19", "bo-ngoai-giao-5", "6/7",
    "21:15" (with `before=False`, only the number after it is looked at)."""
    prev = text[s - 1] if s > 0 else ""
    if before and prev and (prev.isalnum() or prev in "/:_"):
        return True
    if before and prev == "-" and s >= 2 and text[s - 2].isalpha():
        return True
    after = text[e] if e < len(text) else ""
    return after in ("/", ":") and e + 1 < len(text) and text[e + 1].isdigit()
