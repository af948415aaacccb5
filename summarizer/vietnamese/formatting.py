"""Writing figures back: numbers in English and Vietnamese notation, and quantities the way
each summary should say them.

`format_quantity_en` renders a quantity the way the English summary should say it:
"US$14.245 billion", "VND50 trillion", "12.51%", "nearly US$500 million". Counted nouns use a
small English map ("650 delegates", "1 locality"); nouns outside the map keep the Vietnamese
noun ("3 trụ cột" -> "3 trụ cột").

May import: `summarizer.vietnamese.units`, `.context`, `.quantities`, `summarizer.article`.
"""

from __future__ import annotations

from decimal import Context, Decimal

from summarizer.article import Span
from summarizer.vietnamese.context import _QUALIFIERS_EN, Qualifier
from summarizer.vietnamese.numbers import QuantityKind
from summarizer.vietnamese.quantities import Quantity
from summarizer.vietnamese.units import _COUNT_EN, _COUNT_NOUNS, _MEASURES, unit_key

# Plain digits up to here; beyond, a figure is written in scientific notation (and the usual
# 28-digit decimal context could not hold it with its decimals anyway).
_PLAIN_LIMIT = Decimal("1e21")
_WIDE = Context(prec=64)


def _plain_decimal(x: Decimal, max_decimals: int = 6) -> str:
    q = x.quantize(Decimal(1).scaleb(-max_decimals), context=_WIDE)
    s = format(q, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _unplain(x: Decimal) -> str | None:
    """How a number that has no plain notation is written ("inf", "NaN", "1e+22"); None for
    one that has."""
    if x.is_nan():
        return "NaN"
    if x.is_infinite():
        return "-inf" if x < 0 else "inf"
    if abs(x) >= _PLAIN_LIMIT:
        return format(x, ".6g")
    return None


def format_number_en(x: float | Decimal, max_decimals: int = 6) -> str:
    """English notation: "3,761", "14.245"; any float is written, "1e+22", "inf", "NaN"
    included."""
    d = Decimal(repr(x)) if isinstance(x, float) else x
    unplain = _unplain(d)
    if unplain is not None:
        return unplain
    s = _plain_decimal(d, max_decimals)
    ip, _, fp = s.partition(".")
    sign = "-" if ip.startswith("-") else ""
    ip = ip.lstrip("-")
    ip = f"{int(ip):,}"
    return f"{sign}{ip}.{fp}" if fp else f"{sign}{ip}"


_EN_TO_VI = str.maketrans(",.", ".,")


def format_number_vi(x: float | Decimal, max_decimals: int = 6) -> str:
    """Vietnamese notation: "3.761", "14,245"."""
    return format_number_en(x, max_decimals).translate(_EN_TO_VI)


_QUAL_EN_WORDS: dict[str, str] = {
    "gần": "nearly",
    "khoảng": "about",
    "khoảng chừng": "about",
    "chừng": "around",
    "xấp xỉ": "approximately",
    "ước": "an estimated",
    "ước đạt": "an estimated",
    "ước tính": "an estimated",
    "ước khoảng": "an estimated",
    "hơn": "more than",
    "trên": "over",
    "vượt mốc": "over",
    "vượt quá": "over",
    "dưới": "under",
    "chưa đến": "less than",
    "chưa tới": "less than",
    "ít hơn": "less than",
    "không đến": "less than",
    "tối thiểu": "at least",
    "ít nhất": "at least",
    "không dưới": "at least",
    "không ít hơn": "at least",
    "tối đa": "at most",
    "nhiều nhất": "at most",
    "không quá": "no more than",
    "không vượt quá": "no more than",
    "lên tới": "up to",
    "lên đến": "up to",
    "tới": "up to",
}
_QUAL_EN_DEFAULT: dict[Qualifier, str] = {
    "approximate": "about",
    "at_least": "at least",
    "at_most": "up to",
    "more_than": "more than",
    "less_than": "less than",
}
_QUAL_VI_DEFAULT: dict[Qualifier, str] = {
    "approximate": "khoảng",
    "at_least": "tối thiểu",
    "at_most": "tối đa",
    "more_than": "hơn",
    "less_than": "dưới",
}
_CUR_PREFIX_EN = {"USD": "US$", "VND": "VND", "EUR": "€", "JPY": "¥"}
# The measures whose unit key is a Vietnamese word; the others are international symbols.
_MEASURE_NAMES_EN = {"tấn": "tonnes", "lít": "litres", "m": "metres"}


def _scaled_en(value: Decimal) -> str:
    """The largest scale word that keeps the number exact with at most 4 decimals."""
    if _unplain(value) is not None:
        return format_number_en(value)
    for scale, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        scaled = value / scale
        if abs(value) >= scale and scaled == scaled.quantize(Decimal("0.0001")):
            return f"{format_number_en(scaled)} {word}"
    return format_number_en(value)


def _english_qualifier(q: Quantity) -> str | None:
    if q.qualifier is None:
        return None
    if q.qualifier_text:
        words = q.qualifier_text.lower().split()
        # The qualifier nearest the number decides ("lên tới gần" -> "gần").
        for n in (2, 1):
            tail = " ".join(words[-n:])
            if tail in _QUAL_EN_WORDS:
                return _QUAL_EN_WORDS[tail]
        if q.qualifier_text.lower() in _QUALIFIERS_EN:
            return q.qualifier_text.lower()
    return _QUAL_EN_DEFAULT[q.qualifier]


def format_quantity_en(q: Quantity, *, qualifier: bool = True, foreign_nouns: bool = True) -> str:
    """English rendering: "US$14.245 billion", "VND50 trillion", "12.51%", "650 delegates",
    "nearly US$500 million" (the qualifier is kept unless `qualifier=False`). Counted nouns in
    the built-in map are translated and pluralised; others keep the Vietnamese noun, or with
    `foreign_nouns=False` are left out (for a caller that says in English what is counted)."""
    value = Decimal(repr(q.value))
    if q.kind == "money" and q.unit in _CUR_PREFIX_EN:
        body = _CUR_PREFIX_EN[q.unit] + _scaled_en(value)
    elif q.unit == "%":
        body = f"{format_number_en(value)}%"
    elif q.kind == "count" and q.unit is not None:
        key = q.unit.lower()
        if key in _COUNT_NOUNS:
            sg, pl = _COUNT_NOUNS[key]
            body = f"{_scaled_en(value)} {sg if value == 1 else pl}"
        else:
            keep = foreign_nouns or key in _COUNT_EN  # an English noun is kept as written
            body = f"{_scaled_en(value)} {q.unit}" if keep else _scaled_en(value)
    elif q.unit is not None:
        body = f"{_scaled_en(value)} {_MEASURE_NAMES_EN.get(q.unit, q.unit)}"
    else:
        body = _scaled_en(value)
    word = _english_qualifier(q) if qualifier else None
    return f"{word} {body}" if word else body


_MEASURE_KEYS = frozenset(_MEASURES.values())


def format_value_en(
    value: float, unit: str | None, *, like: Quantity | None = None, foreign_nouns: bool = True
) -> str:
    """English for a value in base units and a unit written in either language ("VND",
    "đồng", "%", "ha", "dự án", "projects"), with the qualifier of `like` (the same quantity
    as read from its text, if any): 51e12, "VND", like "trên 51.000 tỷ đồng" -> "over VND51
    trillion". Any float is written ("1e+22 dự án", "inf%")."""
    u = " ".join(unit.split()) if unit else None
    kind: QuantityKind = "number"
    if u:
        key = unit_key(u)
        if key in _CUR_PREFIX_EN:
            kind, u = "money", key
        elif key == "%":
            kind, u = "percent", key
        elif key in _MEASURE_KEYS:
            kind, u = "measure", key
        else:
            kind = "count"
    q = Quantity(
        value=value,
        unit=u or None,
        kind=kind,
        qualifier=like.qualifier if like else None,
        qualifier_text=like.qualifier_text if like else None,
        text="",
        span=Span(start=0, end=0),
        resolution=1.0,
    )
    return format_quantity_en(q, foreign_nouns=foreign_nouns)


def format_quantity_vi(q: Quantity, *, qualifier: bool = True) -> str:
    """Vietnamese rendering: "14,245 tỷ USD", "62.000 tỷ đồng", "12,51%", "650 đại biểu"."""
    value = Decimal(repr(q.value))
    if q.unit == "%":
        body = f"{format_number_vi(value)}%"
    else:
        number = format_number_vi(value)
        for scale, word in ((10**9, "tỷ"), (10**6, "triệu")):
            if _unplain(value) is not None:
                break
            scaled = value / scale
            if abs(value) >= scale and scaled == scaled.quantize(Decimal("0.0001")):
                number = f"{format_number_vi(scaled)} {word}"
                break
        unit = {"VND": "đồng"}.get(q.unit or "", q.unit)
        body = f"{number} {unit}" if unit else number
    if qualifier and q.qualifier is not None:
        word = q.qualifier_text or _QUAL_VI_DEFAULT[q.qualifier]
        if q.qualifier_text and q.qualifier_text.lower() in _QUALIFIERS_EN:
            word = _QUAL_VI_DEFAULT[q.qualifier]
        if q.qualifier_text in ("trở lên", "trở xuống"):
            return f"{body} {q.qualifier_text}"
        return f"{word} {body}"
    return body
