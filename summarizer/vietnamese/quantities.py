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
    _MODIFIERS_VI,
    _NUMBER_SIGN_EN,
    _POSTFIX_EN,
    _POSTFIX_VI,
    _SKIPPABLE_EN,
    _STOP_EN,
    _STOP_VI,
    _STRONG_HEADS_EN,
    _STRONG_HEADS_VI,
    _WEAK_HEADS2_VI,
    _WEAK_HEADS_EN,
    _WEAK_HEADS_VI,
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
    _NEXT_WORD,
    _NUM_TOKEN,
    _SPACES,
    _YEAR_RANGE_AFTER,
    _YEAR_RANGE_BEFORE,
    _digit_windows,
    _interpret_en,
    _interpret_vi,
    _is_year_like,
    _masked_spans,
    _prev_words,
    _Spans,
)
from summarizer.vietnamese.units import (
    _ATTACHED_SCALE_EN,
    _ATTACHED_UNIT,
    _COUNT_EN_RE,
    _COUNT_VI,
    _CURRENCY_VI,
    _MEASURE_EN,
    _MEASURE_VI,
    _MEASURES,
    _MEASURES_EN,
    _NOT_SCALE_AFTER_TY,
    _PERCENT_EN,
    _PERCENT_VI,
    _PREFIX_CUR_EN,
    _SCALES_EN,
    _SCALES_VI,
    _SUFFIX_CUR_EN,
    _currency_code,
)

QuantityKind = Literal["money", "percent", "measure", "count", "number"]


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
    masks = (_DATE_MASK_VI, _TIME_MASK, _PHONE_MASK)
    return _quantities(text, windows, include_bare, masks, _quantity_at_vi)


def _quantities(
    text: str,
    windows: list[tuple[int, int]],
    include_bare: bool,
    mask_patterns: tuple[re.Pattern[str], ...],
    quantity_at: Callable[[str, int, int, _Spans, bool], Quantity | None],
) -> list[Quantity]:
    """Every number token of `text` that `quantity_at` reads as a figure, outside the spans
    (dates, times, phone numbers) that `mask_patterns` match."""
    if not windows:
        return []  # no digit, no number
    masks = _masked_spans(text, *mask_patterns, windows=windows)
    out: list[Quantity] = []
    for m in _NUM_TOKEN.finditer(text):
        q = quantity_at(text, m.start(), m.end(), masks, include_bare)
        if q is not None:
            out.append(q)
    return out


def _quantity_at_vi(
    text: str, s: int, e: int, masks: _Spans, include_bare: bool
) -> Quantity | None:
    tok = text[s:e]
    if masks.overlaps(s, e):
        return None
    before = text[s - 1] if s > 0 else ""
    after = text[e] if e < len(text) else ""
    # Glued to letters or other numbers: "G20", "Covid-19", "bo-ngoai-giao-5", "6/7", "21:15".
    if before and (before.isalnum() or before in "/:_"):
        return None
    if before == "-" and s >= 2 and text[s - 2].isalpha():
        return None
    if after in ("/", ":") and e + 1 < len(text) and text[e + 1].isdigit():
        return None
    attached: re.Match[str] | None = None
    if after and (after.isalpha() or after == "%"):
        attached = _ATTACHED_UNIT.match(text, e)
        if attached is None:
            return None
    parsed = _interpret_vi(tok)
    if parsed is None:
        return None
    value, decimals, plain = parsed

    # Currency sign before the number ("US$5 triệu", rare in Vietnamese text).
    start = s
    prefix_unit: str | None = None
    if text.endswith("US$", 0, s):
        prefix_unit, start = "USD", s - 3
    elif before == "$":
        prefix_unit, start = "USD", s - 1

    # Scale words.
    pos = e
    scale = Decimal(1)
    n_scales = 0
    if attached is None:
        while n_scales < 3:
            w = _NEXT_WORD.match(text, pos)
            if w is None or w.group("w").lower() not in _SCALES_VI:
                break
            word = w.group("w").lower()
            if word in ("tỷ", "tỉ"):
                nxt = _NEXT_WORD.match(text, w.end())
                if nxt is not None and nxt.group("w").lower() in _NOT_SCALE_AFTER_TY:
                    break
            if word == "trăm" and n_scales == 0 and not plain:
                break
            scale *= _SCALES_VI[word]
            n_scales += 1
            pos = w.end()

    # Unit.
    unit: str | None = prefix_unit
    kind: QuantityKind = "money" if prefix_unit else "number"
    strong = prefix_unit is not None
    listed_count = False
    fallback = False
    if attached is not None:
        a = attached.group(0)
        if a == "%":
            unit, kind = "%", "percent"
        elif a in ("đ", "VNĐ"):
            unit, kind = "VND", "money"
        elif a == "USD":
            unit, kind = "USD", "money"
        elif a == "tr":
            scale = Decimal(1_000_000)
            n_scales = 1
            cur = _CURRENCY_VI.match(text, attached.end())
            if cur is not None:
                unit, kind = _currency_code(cur), "money"
                attached = cur
        else:
            unit, kind = _MEASURES[a], "measure"
        pos = attached.end()
        strong = True
    elif unit is None:
        pct = _PERCENT_VI.match(text, pos)
        cur = _CURRENCY_VI.match(text, pos) if pct is None else None
        if pct is not None:
            unit, kind, pos, strong = "%", "percent", pct.end(), True
        elif cur is not None and not (cur.group("vnd") == "đ" and n_scales == 0):
            unit, kind, pos, strong = _currency_code(cur), "money", cur.end(), True
        else:
            meas = _MEASURE_VI.match(text, pos)
            cnt = _COUNT_VI.match(text, pos) if meas is None else None
            if meas is not None:
                unit, kind, pos, strong = _MEASURES[meas.group("m")], "measure", meas.end(), True
            elif cnt is not None:
                unit, kind, pos = cnt.group("n"), "count", cnt.end()
                listed_count = True
            elif n_scales == 0:
                fb = _fallback_noun_vi(text, pos)
                if fb is not None:
                    unit, kind, pos = fb[0], "count", fb[1]
                    fallback = True
    if n_scales:
        strong = True

    # Context: ordinals, dates, years, names.
    qstart, qualifier, qtext = _qualifier_before_vi(text, start)
    w1, w2 = _prev_words(text, start) if qualifier is None else (None, None)
    lw1 = w1.lower() if w1 else None
    pair = f"{w2.lower()} {lw1}" if w2 and lw1 else None
    if lw1 in _STRONG_HEADS_VI:
        return None
    weak_head = lw1 in _WEAK_HEADS_VI or pair in _WEAK_HEADS2_VI
    if weak_head and not (strong or listed_count):
        return None
    if _is_year_like(value, decimals, plain, tok) and not (strong or listed_count):
        return None
    if (
        plain
        and len(tok) == 4
        and (_YEAR_RANGE_AFTER.match(text, e) or _YEAR_RANGE_BEFORE.search(text, max(0, s - 12), s))
    ):
        return None
    if plain and len(tok) >= 5 and not strong:
        return None  # long undotted digit runs are codes, not Vietnamese figures
    dash = _DASH_NAME_BEFORE.search(text, max(0, s - 30), s)
    if (
        dash is not None
        and kind not in ("money", "percent")
        and any(c.isupper() for c in dash.group("w"))
    ):
        return None
    cap_name = bool(w1 and w1[0].isupper() and w1 not in _CAP_FUNCTION_VI)
    if fallback and cap_name:
        fallback, unit, kind = False, None, "number"
        pos = e
    if unit is None and n_scales == 0 and (not include_bare or cap_name):
        return None

    # Postfix qualifier: "100 tỷ đồng trở lên".
    post = _POSTFIX_VI.match(text, pos)
    if post is not None and unit is not None:
        word = post.group("q")
        if qualifier is None:
            qualifier = "at_least" if word.endswith("lên") else "at_most"
            qtext = word
        pos = post.end()

    resolution = scale / (Decimal(10) ** decimals)
    return _make_quantity(
        text, qstart, pos, value * scale, unit, kind, qualifier, qtext, resolution
    )


def _fallback_noun_vi(text: str, pos: int) -> tuple[str, int] | None:
    m1 = _NEXT_WORD.match(text, pos)
    if m1 is None:
        return None
    w1 = m1.group("w")
    if not w1.islower() or w1 in _STOP_VI or w1 in _SCALES_VI:
        return None
    m2 = _NEXT_WORD.match(text, m1.end())
    if m2 is not None:
        w2 = m2.group("w")
        if w2.islower() and w2 not in _STOP_VI and w2 not in _MODIFIERS_VI:
            return f"{w1} {w2}", m2.end()
    return w1, m1.end()


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
    masks = (_DATE_MASK_EN, _TIME_MASK_EN, _PHONE_MASK)
    return _quantities(text, windows, include_bare, masks, _quantity_at_en)


def _quantity_at_en(
    text: str, s: int, e: int, masks: _Spans, include_bare: bool
) -> Quantity | None:
    tok = text[s:e]
    if masks.overlaps(s, e):
        return None
    prefix = _PREFIX_CUR_EN.search(text, max(0, s - 6), s)
    before = text[s - 1] if s > 0 else ""
    after = text[e] if e < len(text) else ""
    if prefix is None:
        if before and (before.isalnum() or before in "/:_"):
            return None
        if before == "-" and s >= 2 and text[s - 2].isalpha():
            return None
    if after in ("/", ":") and e + 1 < len(text) and text[e + 1].isdigit():
        return None
    # Not English notation but Vietnamese ("US$1,6 billion" copied from the source): read it
    # the Vietnamese way rather than skip it. Three digits after a comma read as English.
    parsed = _interpret_en(tok) or _interpret_vi(tok)
    if parsed is None:
        return None
    value, decimals, plain = parsed
    start = s
    unit: str | None = None
    kind: QuantityKind = "number"
    if prefix is not None:
        unit, kind, start = _currency_code(prefix), "money", prefix.start()

    pos = e
    scale = Decimal(1)
    n_scales = 0
    if after.isalpha():
        glued = re.match(r"(bn|tn|k|m)(?!\w)", text[e : e + 3])
        if glued is not None:
            scale = Decimal(_ATTACHED_SCALE_EN[glued.group(1)])
            n_scales, pos = 1, e + len(glued.group(1))
        else:
            pct = _PERCENT_EN.match(text, e)
            if pct is None:
                return None  # "7th", "25B"
    while n_scales < 3:
        w = _NEXT_WORD.match(text, pos)
        if w is None or w.group("w").lower() not in _SCALES_EN:
            break
        scale *= _SCALES_EN[w.group("w").lower()]
        n_scales += 1
        pos = w.end()

    strong = unit is not None or n_scales > 0
    listed_count = False
    fallback = False
    if unit is None:
        pct = _PERCENT_EN.match(text, pos)
        cur = _SUFFIX_CUR_EN.match(text, pos) if pct is None else None
        if pct is not None:
            unit, kind, pos, strong = "%", "percent", pct.end(), True
        elif cur is not None:
            unit, kind, pos, strong = _currency_code(cur), "money", cur.end(), True
        else:
            meas = _MEASURE_EN.match(text, pos)
            if meas is not None:
                unit, kind = _MEASURES_EN[meas.group("m")], "measure"
                pos, strong = meas.end(), True
            else:
                cnt = _count_noun_en(text, pos)
                if cnt is not None:
                    unit, kind, pos = cnt[0], "count", cnt[1]
                    listed_count = cnt[2]
                    fallback = not cnt[2]
    elif kind == "money":
        # "VND62,000 billion dong": a redundant currency word after the scale.
        cur = _SUFFIX_CUR_EN.match(text, pos)
        if cur is not None and _currency_code(cur) == unit:
            pos = cur.end()

    qstart, qualifier, qtext = _qualifier_before_en(text, start)
    w1 = _prev_words(text, start)[0] if qualifier is None else None
    lw1 = w1.lower() if w1 else None
    if lw1 in _STRONG_HEADS_EN and _is_year_like(value, decimals, plain, tok):
        return None
    if not strong and (lw1 in ("no", "number") or _NUMBER_SIGN_EN.search(text, max(0, s - 6), s)):
        return None
    if lw1 in _WEAK_HEADS_EN and not (strong or listed_count):
        return None
    if _is_year_like(value, decimals, plain, tok) and not (strong or listed_count):
        return None
    if (
        plain
        and len(tok) == 4
        and (_YEAR_RANGE_AFTER.match(text, e) or _YEAR_RANGE_BEFORE.search(text, max(0, s - 12), s))
    ):
        return None
    if plain and len(tok) >= 5 and not strong:
        return None
    dash = _DASH_NAME_BEFORE.search(text, max(0, s - 30), s)
    if (
        dash is not None
        and kind not in ("money", "percent")
        and any(c.isupper() for c in dash.group("w"))
    ):
        return None
    cap_name = bool(w1 and w1[0].isupper() and w1 not in _CAP_FUNCTION_EN)
    if fallback and cap_name:
        fallback, unit, kind = False, None, "number"
        pos = e
    if unit is None and n_scales == 0 and (not include_bare or cap_name):
        return None
    post = _POSTFIX_EN.match(text, pos)
    if post is not None and unit is not None:
        if qualifier is None:
            qualifier = "at_least" if post.group("q").endswith("more") else "at_most"
            qtext = post.group("q")
        pos = post.end()
    resolution = scale / (Decimal(10) ** decimals)
    return _make_quantity(
        text, qstart, pos, value * scale, unit, kind, qualifier, qtext, resolution
    )


_EN_WORD = re.compile(r"[A-Za-z][\w-]*")


def _count_noun_en(text: str, pos: int) -> tuple[str, int, bool] | None:
    """(noun as written, end, listed) for the counted noun after a number: a listed noun within
    the next three words (skipping adjectives, acronyms and proper adjectives: "37 Korean FDI
    projects"), else a plural lowercase word right after the number."""
    p = pos
    first: re.Match[str] | None = None
    for i in range(3):
        ws = _SPACES.match(text, p)
        if ws is None:
            return None
        q = ws.end()
        cnt = _COUNT_EN_RE.match(text, q)
        if cnt is not None:
            return cnt.group("n"), cnt.end(), True
        w = _EN_WORD.match(text, q)
        if w is None:
            return None
        word = w.group(0)
        if i == 0:
            first = w
        skippable = word[0].isupper() or word.lower() in _SKIPPABLE_EN
        if not skippable or word in _CAP_FUNCTION_EN:
            break
        p = w.end()
    if first is not None:
        word = first.group(0)
        if (
            word.islower()
            and word.endswith("s")
            and len(word) > 3
            and word not in _STOP_EN
            and word.isalpha()
        ):
            return word, first.end(), False
    return None


def parse_quantity_en(text: str) -> Quantity | None:
    """The first quantity in English `text` (bare numbers allowed), or None."""
    found = find_quantities_en(text, include_bare=True)
    return found[0] if found else None


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
