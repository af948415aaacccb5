"""Figures in Vietnamese and English text: `find_quantities`, `find_quantities_en`, and
`find_numbers` for quantities, dates and years at once.

What `find_quantities` reports (and why), so that callers know what "a figure" means here:

* A number with a unit: a currency ("USD", "đồng"/"VNĐ"/"VND" -> "VND"), a percent sign, a
  measure ("ha", "km", "tấn"...), or a counted noun ("37 dự án", "khoảng 650 đại biểu"); the
  counted noun is the head of the noun phrase, taken from a list of common counted nouns
  (longest match, so "hợp tác xã", "dự án"), else as a fallback the next one or two lowercase
  syllables that are not function words ("3 trụ cột").
* A number with a scale word but no unit ("3 triệu") is reported with unit None, kind "number".
* Bare numbers ("1 trong 6", "Ảnh 2") are NOT reported unless `include_bare=True` (the summary
  and fact checks use that, to check every number they state).
* Never reported, even with `include_bare`: dates ("6/7", "21/02/2023", "tháng 11/2025"), times
  ("21:15"), phone numbers ("0237 3721150"), years (a four-digit 1900-2100 integer without a
  thousands dot, unless a currency, percent, scale word or listed counted noun follows; and
  always after "năm"), year ranges ("2021 - 2030"), ordinals (a number after "thứ", "lần thứ",
  "khóa", "kỳ"...; after name-like heads such as "số", "khu", "giai đoạn" unless a strong unit
  follows), numbers glued to letters ("G20", "25B", "Covid-19") or following a capitalised
  word with a dash ("Covid – 19"), and bare numbers after a capitalised word ("Nghi Sơn 2").
* Written-out numbers ("hai", "hàng trăm") and compound forms ("1 tỷ 200 triệu") are not
  parsed. A range "10-15%" yields only "15%".

May import: the other modules of `summarizer.vietnamese`, `summarizer.article`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from summarizer.article import Span
from summarizer.vietnamese.context import (
    _CAP_FUNCTION_EN,
    _CAP_FUNCTION_VI,
    _POSTFIX_EN,
    _POSTFIX_VI,
    Qualifier,
    _qualifier_before_en,
    _qualifier_before_vi,
)
from summarizer.vietnamese.dates import (
    _DATE_MASK_EN,
    _DATE_MASK_VI,
    _PHONE_MASK,
    _TIME_MASK,
    _TIME_MASK_EN,
    DateMention,
    _dates_and_years,
)
from summarizer.vietnamese.numbers import (
    _DASH_NAME_BEFORE,
    _NUM_TOKEN,
    _YEAR_RANGE_AFTER,
    _YEAR_RANGE_BEFORE,
    QuantityKind,
    _digit_windows,
    _is_year_like,
    _masked_spans,
    _prev_words,
    _Reading,
    _Spans,
)
from summarizer.vietnamese.reading import _head_rejects_en, _head_rejects_vi, _read_en, _read_vi


class Quantity(BaseModel):
    """A number as written in a text, with its unit and qualifier, in base units."""

    model_config = ConfigDict(frozen=True)

    value: float
    """In base units: dollars, đồng, percent points, items."""
    unit: str | None
    """'USD', 'VND', 'EUR', 'JPY', '%', a measure ('ha', 'km'...), a counted noun as written
    ('dự án'; English: 'projects'), or None for a bare or scale-only number."""
    kind: QuantityKind
    qualifier: Qualifier | None
    qualifier_text: str | None
    """The qualifier words as written ('gần', 'lên tới gần', 'nearly')."""
    text: str
    """Exact surface text, qualifier included: 'gần 500 triệu USD'."""
    span: Span
    """Character span of `text` in the input."""
    resolution: float
    """Base units of the last written digit ('14,2 tỷ' -> 1e8): how precisely it was stated."""


def _make_quantity(
    text: str,
    start: int,
    end: int,
    value: Decimal,
    unit: str | None,
    kind: QuantityKind,
    qualifier: Qualifier | None,
    qualifier_text: str | None,
    resolution: Decimal,
) -> Quantity | None:
    number = float(value)
    if not math.isfinite(number):
        return None  # beyond a float: no figure of any text, and it could not be written back
    return Quantity(
        value=number,
        unit=unit,
        kind=kind,
        qualifier=qualifier,
        qualifier_text=qualifier_text,
        text=text[start:end],
        span=Span(start=start, end=end),
        resolution=float(resolution),
    )


def find_quantities(text: str, *, include_bare: bool = False) -> list[Quantity]:
    """All figures in Vietnamese `text`, in order. See the module doc for what counts."""
    return _quantities_vi(text, _digit_windows(text), include_bare)


def _quantities_vi(text: str, windows: list[tuple[int, int]], include_bare: bool) -> list[Quantity]:
    return _quantities(text, windows, include_bare, _VI)


def _quantities(
    text: str, windows: list[tuple[int, int]], include_bare: bool, lang: _Language
) -> list[Quantity]:
    """Every number token of `text` that `lang` reads as a figure, outside the spans (dates,
    times, phone numbers) that its masks match."""
    if not windows:
        return []  # no digit, no number
    masks = _masked_spans(text, *lang.masks, windows=windows)
    out: list[Quantity] = []
    for m in _NUM_TOKEN.finditer(text):
        q = _quantity_at(lang, text, m.start(), m.end(), masks, include_bare)
        if q is not None:
            out.append(q)
    return out


# --------------------------------------------------------------------------------------------
# The steps both languages share. Reading a number token as a figure goes: the token itself
# (glued to letters? well-formed?), what follows it (scale words, a unit), what precedes it
# (a qualifier, a word that makes it an ordinal, a date part or a name part), a postfix
# qualifier. The languages differ in the first two steps and in the words of the third.


class _Language(NamedTuple):
    masks: tuple[re.Pattern[str], ...]
    read: Callable[[str, int, int], _Reading | None]
    """The token and what follows it, or None when it is no figure whatever precedes it."""
    qualifier_before: Callable[[str, int], tuple[int, Qualifier | None, str | None]]
    head_rejects: Callable[[str, _Reading, str | None, str | None], bool]
    """Whether the one or two words before the number make it no figure."""
    cap_function: frozenset[str]
    """Capitalised words that are not names (a sentence may start with them)."""
    postfix: re.Pattern[str]
    postfix_at_least: str
    """The end of the postfix qualifier that means "at least"."""


def _quantity_at(
    lang: _Language, text: str, s: int, e: int, masks: _Spans, include_bare: bool
) -> Quantity | None:
    if masks.overlaps(s, e):
        return None
    r = lang.read(text, s, e)
    if r is None:
        return None
    qstart, qualifier, qtext = lang.qualifier_before(text, r.start)
    w1, w2 = _prev_words(text, r.start) if qualifier is None else (None, None)
    if lang.head_rejects(text, r, w1, w2) or _rejects(text, r, w1, lang, include_bare):
        return None
    post = lang.postfix.match(text, r.pos)
    if post is not None and r.unit is not None:
        word = post.group("q")
        if qualifier is None:
            qualifier = "at_least" if word.endswith(lang.postfix_at_least) else "at_most"
            qtext = word
        r.pos = post.end()
    resolution = r.scale / (Decimal(10) ** r.decimals)
    return _make_quantity(
        text, qstart, r.pos, r.value * r.scale, r.unit, r.kind, qualifier, qtext, resolution
    )


def _rejects(text: str, r: _Reading, w1: str | None, lang: _Language, include_bare: bool) -> bool:
    """Whether the token is a year, a code or a name part rather than a figure (the same rules
    in both languages); a fallback counted noun after a name is dropped on the way."""
    s, e, tok = r.s, r.e, r.tok
    if _is_year_like(r.value, r.decimals, r.plain, tok) and not (r.strong or r.listed_count):
        return True
    if (
        r.plain
        and len(tok) == 4
        and (_YEAR_RANGE_AFTER.match(text, e) or _YEAR_RANGE_BEFORE.search(text, max(0, s - 12), s))
    ):
        return True
    if r.plain and len(tok) >= 5 and not r.strong:
        return True  # long undotted digit runs are codes, not figures
    dash = _DASH_NAME_BEFORE.search(text, max(0, s - 30), s)
    if (
        dash is not None
        and r.kind not in ("money", "percent")
        and any(c.isupper() for c in dash.group("w"))
    ):
        return True
    cap_name = bool(w1 and w1[0].isupper() and w1 not in lang.cap_function)
    if r.fallback and cap_name:
        r.fallback, r.unit, r.kind = False, None, "number"
        r.pos = e
    return r.unit is None and r.n_scales == 0 and (not include_bare or cap_name)


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in Vietnamese `text` (bare numbers allowed: "650" -> 650, unit None),
    or None if it holds none (dates, years, ordinals and names are not quantities)."""
    found = find_quantities(text, include_bare=True)
    return found[0] if found else None


def find_quantities_en(text: str, *, include_bare: bool = False) -> list[Quantity]:
    """All figures in English `text` ("US$14.245 billion", "VND 62 trillion", "62,000 billion
    dong", "12.51%", "nearly 500 million USD", "37 projects"), with the same exclusions as
    `find_quantities` (dates, years, times, ordinals like "7th", names like "COVID-19")."""
    return _quantities_en(text, _digit_windows(text), include_bare)


def _quantities_en(text: str, windows: list[tuple[int, int]], include_bare: bool) -> list[Quantity]:
    return _quantities(text, windows, include_bare, _EN)


def parse_quantity_en(text: str) -> Quantity | None:
    """The first quantity in English `text` (bare numbers allowed), or None."""
    found = find_quantities_en(text, include_bare=True)
    return found[0] if found else None


_VI = _Language(
    masks=(_DATE_MASK_VI, _TIME_MASK, _PHONE_MASK),
    read=_read_vi,
    qualifier_before=_qualifier_before_vi,
    head_rejects=_head_rejects_vi,
    cap_function=_CAP_FUNCTION_VI,
    postfix=_POSTFIX_VI,
    postfix_at_least="lên",
)
_EN = _Language(
    masks=(_DATE_MASK_EN, _TIME_MASK_EN, _PHONE_MASK),
    read=_read_en,
    qualifier_before=_qualifier_before_en,
    head_rejects=_head_rejects_en,
    cap_function=_CAP_FUNCTION_EN,
    postfix=_POSTFIX_EN,
    postfix_at_least="more",
)


class Numbers(NamedTuple):
    """The quantities, dates and years stated in a text (see `find_numbers`)."""

    quantities: list[Quantity]
    dates: list[DateMention]
    years: list[tuple[int, Span]]


def find_numbers(
    text: str,
    reference: dt.date | None = None,
    *,
    lang: Literal["vi", "en"] = "vi",
    include_bare: bool = False,
) -> Numbers:
    """`find_quantities(text, include_bare=...)`, `find_dates(text, reference)` and
    `find_years(text)` (`find_quantities_en` and `find_dates_en` for `lang` "en") at once: the
    same results, finding the digits of `text` once for all three."""
    windows = _digit_windows(text)
    finder = _quantities_vi if lang == "vi" else _quantities_en
    quantities = finder(text, windows, include_bare)
    return Numbers(quantities, *_dates_and_years(text, windows, reference, lang))
