"""Numbers, quantities and dates in Vietnamese news text (and in English summaries of it).

Vietnamese writes "." for thousands and "," for the decimal mark: "14,245 tỷ USD" is
14 245 000 000 USD, "9,300 tỷ USD" is 9.3 billion (a comma is always decimal, even before three
digits), "2.793 triệu USD" is 2 793 000 000 USD. Scale words multiply: nghìn/ngàn 10^3, triệu
10^6, tỷ/tỉ 10^9, "nghìn tỷ" 10^12.

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

`format_quantity_en` renders a quantity the way the English summary should say it:
"US$14.245 billion", "VND50 trillion", "12.51%", "nearly US$500 million". Counted nouns use a
small English map ("650 delegates", "1 locality"); nouns outside the map keep the Vietnamese
noun ("3 trụ cột" -> "3 trụ cột").

`parse_date` / `find_dates` read day-first dates and keep the part of day ("Sáng", "Chiều"...).
A date without a year takes the latest year that does not put it after the reference date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator
from decimal import Context, Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from summarizer.article import Span

Qualifier = Literal["approximate", "at_least", "at_most", "more_than", "less_than"]
QuantityKind = Literal["money", "percent", "measure", "count", "number"]
PartOfDay = Literal["dawn", "morning", "noon", "afternoon", "evening", "night"]

__all__ = [
    "DateMention",
    "Numbers",
    "PartOfDay",
    "Qualifier",
    "Quantity",
    "QuantityKind",
    "find_dates",
    "find_dates_and_years",
    "find_dates_en",
    "find_numbers",
    "find_quantities",
    "find_quantities_en",
    "find_years",
    "format_number_en",
    "format_number_vi",
    "format_quantity_en",
    "format_quantity_vi",
    "format_value_en",
    "parse_date",
    "parse_quantity",
    "parse_quantity_en",
    "same_unit",
    "unit_key",
    "values_equal",
]


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


class DateMention(BaseModel):
    """A calendar date mentioned in a text."""

    model_config = ConfigDict(frozen=True)

    value: dt.date | None
    """The date, or None when no year is written and there is no reference date."""
    day: int
    month: int
    year: int | None
    """The year as written (two-digit years expanded to 20xx), None when not written."""
    year_inferred: bool
    part_of_day: PartOfDay | None
    time: dt.time | None
    text: str
    span: Span


# --------------------------------------------------------------------------------------------
# Shared vocabulary

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


# horizontal whitespace: units and qualifiers never cross a line break

_SCALES_VI: dict[str, int] = {
    "trăm": 100,
    "nghìn": 1_000,
    "ngàn": 1_000,
    "vạn": 10_000,
    "triệu": 1_000_000,
    "tỷ": 1_000_000_000,
    "tỉ": 1_000_000_000,
}
# "tỷ lệ" (rate), "tỷ trọng" (share), "tỷ giá" (exchange rate) are not the scale word.
_NOT_SCALE_AFTER_TY = {"lệ", "trọng", "giá", "suất"}

_CURRENCY_VI = re.compile(
    _WS + r"*(?:(?P<usd>USD|US\$|đô[ -]?la(?:" + _WS + r"Mỹ)?|đôla(?:" + _WS + r"Mỹ)?)"
    r"|(?P<vnd>VNĐ|VND|VNđ|vnđ|đồng(?!" + _WS + r"(?:chí|bào|bằng|nghiệp|minh|hương|đội|lòng|ý"
    r"|thời|hành|tổ|chủ|loạt|bộ|tâm|cảm|phục|nhất|đều|ca|hồ))|đ)"
    r"|(?P<eur>EUR|euro|Euro)|(?P<jpy>JPY|yên(?:" + _WS + r"Nhật)?|Yên(?:" + _WS + r"Nhật)?))"
    r"(?!\w)"
)
_PERCENT_VI = re.compile(_WS + r"*(?:%|phần" + _WS + r"trăm(?!\w))")
_MEASURES = {
    "ha": "ha",
    "héc-ta": "ha",
    "hecta": "ha",
    "km2": "km2",
    "km²": "km2",
    "km": "km",
    "m2": "m2",
    "m²": "m2",
    "m3": "m3",
    "m³": "m3",
    "mét": "m",
    "tấn": "tấn",
    "kg": "kg",
    "lít": "lít",
    "MW": "MW",
    "kW": "kW",
    "GW": "GW",
    "kWh": "kWh",
    "MWh": "MWh",
}
_MEASURE_VI = re.compile(
    _WS
    + r"*(?P<m>"
    + "|".join(re.escape(k) for k in sorted(_MEASURES, key=len, reverse=True))
    + r")(?!\w)"
)
# Units that may be glued to the number ("50.000đ", "100ha", "12%").
_ATTACHED_UNIT = re.compile(r"(?:%|đ|VNĐ|USD|ha|km2|km²|km|m2|m²|m3|kg|MW|kW|GW|kWh|MWh|tr)(?!\w)")

# Counted nouns: Vietnamese head noun -> (English singular, English plural). The English
# singular is also the unit key used to compare units across languages.
_COUNT_NOUNS: dict[str, tuple[str, str]] = {
    "dự án": ("project", "projects"),
    "đại biểu": ("delegate", "delegates"),
    "địa phương": ("locality", "localities"),
    "doanh nghiệp": ("enterprise", "enterprises"),
    "hợp tác xã": ("cooperative", "cooperatives"),
    "hội nghị": ("conference", "conferences"),
    "hội thảo": ("workshop", "workshops"),
    "chương trình": ("programme", "programmes"),
    "người": ("person", "people"),
    "tỉnh": ("province", "provinces"),
    "thành phố": ("city", "cities"),
    "quốc gia": ("country", "countries"),
    "nước": ("country", "countries"),
    "vùng lãnh thổ": ("territory", "territories"),
    "di sản": ("heritage site", "heritage sites"),
    "nhiệm vụ": ("task", "tasks"),
    "trụ cột": ("pillar", "pillars"),
    "năm": ("year", "years"),
    "tháng": ("month", "months"),
    "tuần": ("week", "weeks"),
    "ngày": ("day", "days"),
    "giờ": ("hour", "hours"),
    "lần": ("time", "times"),
    "lượt khách": ("visitor arrival", "visitor arrivals"),
    "lượt": ("turn", "turns"),
    "khách": ("visitor", "visitors"),
    "du khách": ("tourist", "tourists"),
    "đoàn": ("delegation", "delegations"),
    "cơ quan": ("agency", "agencies"),
    "tổ chức": ("organisation", "organisations"),
    "đối tác": ("partner", "partners"),
    "huyện": ("district", "districts"),
    "xã": ("commune", "communes"),
    "phường": ("ward", "wards"),
    "hộ": ("household", "households"),
    "lao động": ("worker", "workers"),
    "việc làm": ("job", "jobs"),
    "học sinh": ("pupil", "pupils"),
    "sinh viên": ("student", "students"),
    "công trình": ("facility", "facilities"),
    "sự kiện": ("event", "events"),
    "thành viên": ("member", "members"),
    "ủy viên": ("member", "members"),
    "uỷ viên": ("member", "members"),
    "bên": ("side", "sides"),
    "cán bộ": ("official", "officials"),
    "hợp đồng": ("contract", "contracts"),
    "thỏa thuận": ("agreement", "agreements"),
    "thoả thuận": ("agreement", "agreements"),
    "văn bản": ("document", "documents"),
    "nhà máy": ("plant", "plants"),
    "khu công nghiệp": ("industrial park", "industrial parks"),
    "nhà đầu tư": ("investor", "investors"),
    "đơn vị": ("unit", "units"),
    "mục tiêu": ("target", "targets"),
    "chỉ tiêu": ("target", "targets"),
    "giải pháp": ("solution", "solutions"),
    "lĩnh vực": ("sector", "sectors"),
    "sản phẩm": ("product", "products"),
    "trường": ("school", "schools"),
    "bệnh viện": ("hospital", "hospitals"),
    "ca": ("case", "cases"),
    "container": ("container", "containers"),
    "tàu": ("vessel", "vessels"),
    "chuyến": ("trip", "trips"),
    "căn": ("unit", "units"),
    "đồng chí": ("comrade", "comrades"),
}
_COUNT_NOUNS_SORTED = sorted(_COUNT_NOUNS, key=len, reverse=True)
_COUNT_VI = re.compile(
    _WS + r"+(?P<n>" + "|".join(re.escape(k) for k in _COUNT_NOUNS_SORTED) + r")(?!\w)"
)

# Words that are never the head of a counted noun phrase (fallback rule).
_STOP_VI = _words(
    "trong và của với là có được đã sẽ đang các những cho tại từ đến tới theo về khi này đó "
    "nên thì mà hay hoặc nhưng như để so bằng trên dưới hơn gần khoảng đạt tăng giảm chiếm "
    "vượt lên xuống ra vào ở do bởi vì nếu rồi cũng đều còn nữa lại không chưa sau trước qua "
    "nay đây kia ấy nào gì mỗi mọi từng cả cùng đầu cuối giữa rằng chỉ mới lớn nhỏ nhất khác "
    "số thứ loại phần hết ngoài bên trên dưới tiếp tục đồng thời thêm riêng chung chính"
)
_MODIFIERS_VI = _words("mới lớn nhỏ khác nữa này đó ấy kia đầu cuối")

# A number right after these is an ordinal, a date part or a name part: never a figure.
_STRONG_HEADS_VI = _words("thứ năm tháng ngày quý tuần lúc khóa khoá kỳ đợt phiên niên")
# After these a number is a name part ("số 5", "Quân khu 4") unless a strong unit follows.
_WEAK_HEADS_VI = _words(
    "khu số phòng tổ đội quận phường lô tầng đường lộ điều khoản chương mục phần trang lớp "
    "hạng cấp vòng bảng tập nhóm bậc ảnh hình mẫu kho lần"
)
_WEAK_HEADS2_VI = frozenset(
    {"giai đoạn", "quân khu", "tổ máy", "quốc lộ", "tỉnh lộ", "sư đoàn", "trung đoàn", "tiểu đoàn"}
)
# Capitalised words that may start a sentence before a count ("Có 3 ..."): not a name.
_CAP_FUNCTION_VI = _words(
    "Có Với Và Các Những Cả Tổng Gồm Đạt Tăng Giảm Chiếm Hơn Gần Khoảng Trên Dưới Hiện Thêm "
    "Chỉ Mất Cùng Trong Sau Trước Từ Đến Tới Khoảng"
)

_QUALIFIERS_VI: dict[str, Qualifier] = {
    "gần": "approximate",
    "khoảng": "approximate",
    "khoảng chừng": "approximate",
    "chừng": "approximate",
    "xấp xỉ": "approximate",
    "ước": "approximate",
    "ước đạt": "approximate",
    "ước tính": "approximate",
    "ước khoảng": "approximate",
    "hơn": "more_than",
    "trên": "more_than",
    "vượt mốc": "more_than",
    "vượt quá": "more_than",
    "dưới": "less_than",
    "chưa đến": "less_than",
    "chưa tới": "less_than",
    "ít hơn": "less_than",
    "không đến": "less_than",
    "tối thiểu": "at_least",
    "ít nhất": "at_least",
    "không dưới": "at_least",
    "không ít hơn": "at_least",
    "tối đa": "at_most",
    "nhiều nhất": "at_most",
    "không quá": "at_most",
    "không vượt quá": "at_most",
    "lên tới": "at_most",
    "lên đến": "at_most",
    "tới": "at_most",
}
_QUAL_VI = re.compile(
    r"(?:(?<=[\s(\[\"“'‘:;,])|^)(?P<q>"
    + "|".join(re.escape(k) for k in sorted(_QUALIFIERS_VI, key=len, reverse=True))
    + r")"
    + _WS
    + r"+$",
    re.IGNORECASE,
)
_POSTFIX_VI = re.compile(_WS + r"+(?P<q>trở" + _WS + r"+lên|trở" + _WS + r"+xuống)(?!\w)")

_WORD = re.compile(r"[^\W\d_]+")
_PREV_WORDS = re.compile(r"(?:(?P<w2>[^\W\d_]+)" + _WS + r"+)?(?P<w1>[^\W\d_]+)" + _WS + r"+$")
_NEXT_WORD = re.compile(_WS + r"+(?P<w>[^\W\d_]+)(?!\w)")

# --------------------------------------------------------------------------------------------
# Masks: spans that look numeric but are dates, times or phone numbers.

_DATE_MASK_VI = _starting_with(
    r"\dn",
    r"(?<![\d/.,])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/])"
    r"|(?<![\d/.,])\d{1,2}/\d{4}(?![\d/])"
    r"|(?<![\d.,-])\d{1,2}-\d{1,2}-\d{4}(?![\d-])"
    r"|(?<![\d.,])\d{1,2}\.\d{1,2}\.\d{4}(?![\d.])"
    r"|(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])"
    r"|(?<!\w)ngày" + _WS + r"+\d{1,2}" + _WS + r"+tháng" + _WS + r"+\d{1,2}"
    r"(?:" + _WS + r"+năm" + _WS + r"+\d{4})?",
    re.IGNORECASE,
    words=r"\d|ngày",
)
_TIME_MASK = _starting_with(
    r"\d", r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])|(?<!\w)\d{1,2}[hg]\d{2}(?!\w)"
)
_PHONE_MASK = _starting_with(
    r"đhstfp+0",
    r"(?:(?:đường dây nóng|hotline|điện thoại|đt|sđt|tel|fax|phone)\.?"
    + _WS
    + r"*:?"
    + _WS
    + r"*(?P<cue>\+?[\d(][\d .()-]{4,}\d))"
    r"|(?<![\d.,])(?:\+84|0)\d{2,3}[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\d,])",
    re.IGNORECASE,
    words=r"đường|hotline|điện|đt|sđt|tel|fax|phone|\+84|0",
)

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


# --------------------------------------------------------------------------------------------
# Number tokens


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


# --------------------------------------------------------------------------------------------
# Vietnamese quantities


def _qualifier_before_vi(text: str, pos: int) -> tuple[int, Qualifier | None, str | None]:
    """Leftmost start of a qualifier chain ending at `pos` ("lên tới gần"), its category (the
    qualifier nearest the number) and its surface text."""
    start = pos
    category: Qualifier | None = None
    for _ in range(2):
        m = _QUAL_VI.search(text, max(0, start - 24), start)
        if m is None:
            break
        if category is None:
            category = _QUALIFIERS_VI[m.group("q").lower()]
        start = m.start("q")
    if category is None:
        return pos, None, None
    return start, category, text[start:pos].strip()


def _prev_words(text: str, pos: int) -> tuple[str | None, str | None]:
    m = _PREV_WORDS.search(text, max(0, pos - 40), pos)
    if m is None:
        return None, None
    return m.group("w1"), m.group("w2")


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


def _currency_code(m: re.Match[str]) -> str:
    if m.group("usd"):
        return "USD"
    if m.group("vnd"):
        return "VND"
    if m.group("eur"):
        return "EUR"
    return "JPY"


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


# --------------------------------------------------------------------------------------------
# English quantities

_SCALES_EN: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "mln": 1_000_000,
    "mn": 1_000_000,
    "billion": 1_000_000_000,
    "bln": 1_000_000_000,
    "bn": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "tn": 1_000_000_000_000,
}
_ATTACHED_SCALE_EN = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000, "tn": 1_000_000_000_000}
_PREFIX_CUR_EN = re.compile(
    r"(?P<usd>US\$"
    + _WS
    + r"?|U\.S\.\$|USD"
    + _WS
    + r"?|\$)$|(?P<vnd>VND|VNĐ|VND"
    + _WS
    + r"|VNĐ"
    + _WS
    + r")$|(?P<eur>€|EUR"
    + _WS
    + r"?)$|(?P<jpy>¥|JPY"
    + _WS
    + r"?)$"
)
_SUFFIX_CUR_EN = re.compile(
    _WS + r"*(?:(?P<usd>USD|US" + _WS + r"dollars?|U\.S\." + _WS + r"dollars?|dollars?)"
    r"|(?P<vnd>VND|VNĐ|dong|đồng|Vietnamese" + _WS + r"dong)"
    r"|(?P<eur>EUR|euros?)|(?P<jpy>JPY|yen))(?!\w)"
)
_PERCENT_EN = re.compile(
    _WS + r"*(?:%|percent(?:age" + _WS + r"points?)?(?!\w)|per" + _WS + r"cent(?!\w))",
    re.IGNORECASE,
)
_MEASURES_EN = {
    "hectares": "ha",
    "hectare": "ha",
    "ha": "ha",
    "square kilometres": "km2",
    "square kilometers": "km2",
    "sq km": "km2",
    "km2": "km2",
    "kilometres": "km",
    "kilometers": "km",
    "km": "km",
    "square metres": "m2",
    "square meters": "m2",
    "m2": "m2",
    "metres": "m",
    "meters": "m",
    "tonnes": "tấn",
    "tonne": "tấn",
    "tons": "tấn",
    "ton": "tấn",
    "kg": "kg",
    "litres": "lít",
    "liters": "lít",
    "MW": "MW",
    "kW": "kW",
    "GW": "GW",
    "kWh": "kWh",
    "MWh": "MWh",
}
_MEASURE_EN = re.compile(
    _WS
    + r"*(?P<m>"
    + "|".join(re.escape(k) for k in sorted(_MEASURES_EN, key=len, reverse=True))
    + r")(?!\w)"
)
# English counted noun -> unit key (the English singular used by `_COUNT_NOUNS`).
_COUNT_EN: dict[str, str] = {}
for _sg, _pl in _COUNT_NOUNS.values():
    _COUNT_EN[_sg] = _sg
    _COUNT_EN[_pl] = _sg
_COUNT_EN.update(
    {
        "businesses": "enterprise",
        "business": "enterprise",
        "companies": "enterprise",
        "company": "enterprise",
        "firms": "enterprise",
        "firm": "enterprise",
        "seminars": "workshop",
        "seminar": "workshop",
        "programs": "programme",
        "program": "programme",
        "persons": "person",
        "nations": "country",
        "nation": "country",
        "co-operatives": "cooperative",
        "localities": "locality",
        "participants": "delegate",
        "representatives": "delegate",
        "deputies": "delegate",
        "organizations": "organisation",
        "organization": "organisation",
        "tourists": "tourist",
        "visitors": "visitor",
        "visitor arrivals": "visitor arrival",
    }
)
_COUNT_EN_SORTED = sorted(_COUNT_EN, key=len, reverse=True)
_COUNT_EN_RE = re.compile(r"(?P<n>" + "|".join(re.escape(k) for k in _COUNT_EN_SORTED) + r")(?!\w)")
_SKIPPABLE_EN = _words(
    "new foreign direct international major key large small registered active more other "
    "domestic local national provincial official total valid operating investment priority "
    "sister friendly partner heritage cultural key strategic"
)
_STOP_EN = _words(
    "the a an and or of in on at to for with by from as is are was were be been its their "
    "this that these those than then per each which who whom whose while when where over "
    "under about around into onto out up down off against between among through during before "
    "after since until within without"
)
_CAP_FUNCTION_EN = _words(
    "The A An Some About Over Nearly Almost Around With In Of Its Their All Only Another And "
    "More Less Up At By For From Under Above Roughly Approximately Exactly Just These Those "
    "Total"
)
_QUALIFIERS_EN: dict[str, Qualifier] = {
    "nearly": "approximate",
    "almost": "approximate",
    "about": "approximate",
    "around": "approximate",
    "approximately": "approximate",
    "approx.": "approximate",
    "roughly": "approximate",
    "some": "approximate",
    "an estimated": "approximate",
    "estimated": "approximate",
    "close to": "approximate",
    "just under": "less_than",
    "just over": "more_than",
    "over": "more_than",
    "more than": "more_than",
    "above": "more_than",
    "exceeding": "more_than",
    "in excess of": "more_than",
    "upwards of": "more_than",
    "under": "less_than",
    "less than": "less_than",
    "below": "less_than",
    "fewer than": "less_than",
    "at least": "at_least",
    "no less than": "at_least",
    "a minimum of": "at_least",
    "at most": "at_most",
    "up to": "at_most",
    "as much as": "at_most",
    "as many as": "at_most",
    "no more than": "at_most",
    "a maximum of": "at_most",
}
_QUAL_EN = re.compile(
    r"(?:(?<=[\s(\[\"“'‘:;,])|^)(?P<q>"
    + "|".join(re.escape(k) for k in sorted(_QUALIFIERS_EN, key=len, reverse=True))
    + r")"
    + _WS
    + r"+$",
    re.IGNORECASE,
)
_POSTFIX_EN = re.compile(_WS + r"+(?P<q>or" + _WS + r"+more|or" + _WS + r"+less)(?!\w)")
_STRONG_HEADS_EN = _words(
    "in since until by during from year years fiscal term session no no. number at"
)
_WEAK_HEADS_EN = _words(
    "zone district unit room route highway decree resolution round grade level page figure "
    "photo phase stage article clause chapter item section point no number group class block "
    "lot"
)

_NUMBER_SIGN_EN = re.compile(r"(?:(?<!\w)(?:No|no|Nr|nr)\.|#)" + _WS + r"*$")

_MONTHS_EN: dict[str, int] = {
    "January": 1,
    "February": 2,
    "March": 3,
    "April": 4,
    "May": 5,
    "June": 6,
    "July": 7,
    "August": 8,
    "September": 9,
    "October": 10,
    "November": 11,
    "December": 12,
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
_DATE_EN_SRC = (
    r"(?:(?:on"
    + _WS
    + r"+)?(?:the"
    + _WS
    + r"+)?(?P<pod>morning|afternoon|evening|night)"
    + _WS
    + r"+of"
    + _WS
    + r"+)?"
    r"(?:(?P<mon>" + _MONTH_ALT + r")\.?" + _WS + r"+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
    r"(?:,?" + _WS + r"+(?P<y>\d{4})(?!\d))?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
    + _WS
    + r"+(?:of"
    + _WS
    + r"+)?(?P<mon2>"
    + _MONTH_ALT
    + r")\.?(?:,?"
    + _WS
    + r"+(?P<y2>\d{4})(?!\d))?"
    r"|(?<![\d-])(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?![\d-]))"
    r"(?!\w)"
)
# A match starts with a digit, "on", "the", a part of day or a month name.
_DATE_EN_FIRST = r"\dotmaenJFMASOND"
_DATE_EN_WORDS = r"\d|on|the|morning|afternoon|evening|night|" + "|".join(
    {m[:3]: None for m in _MONTHS_EN}
)
_DATE_EN = _starting_with(_DATE_EN_FIRST, _DATE_EN_SRC, words=_DATE_EN_WORDS)
_DATE_MASK_EN = _starting_with(
    _DATE_EN_FIRST,
    _DATE_EN_SRC
    + r"|(?:"
    + _MONTH_ALT
    + r")\.?"
    + _WS
    + r"+\d{4}(?!\d)|(?<![\d/.,])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/])",
    words=_DATE_EN_WORDS,
)
_TIME_MASK_EN = _starting_with(
    r"\d",
    r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])(?:" + _WS + r"*[ap]\.?m\.?)?"
    r"|(?<!\w)\d{1,2}" + _WS + r"*(?:a\.m\.|p\.m\.|am|pm)(?!\w)",
    re.IGNORECASE,
)


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


_SPACES = re.compile(_WS + "+")
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


def _qualifier_before_en(text: str, pos: int) -> tuple[int, Qualifier | None, str | None]:
    m = _QUAL_EN.search(text, max(0, pos - 20), pos)
    if m is None:
        return pos, None, None
    return m.start("q"), _QUALIFIERS_EN[m.group("q").lower()], m.group("q")


def parse_quantity_en(text: str) -> Quantity | None:
    """The first quantity in English `text` (bare numbers allowed), or None."""
    found = find_quantities_en(text, include_bare=True)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------
# Units


_CURRENCY_KEYS = {
    "usd": "USD",
    "us$": "USD",
    "$": "USD",
    "đô la": "USD",
    "đô la mỹ": "USD",
    "đôla": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "vnd": "VND",
    "vnđ": "VND",
    "đồng": "VND",
    "dong": "VND",
    "đ": "VND",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "€": "EUR",
    "jpy": "JPY",
    "yên": "JPY",
    "yen": "JPY",
    "%": "%",
    "phần trăm": "%",
    "percent": "%",
    "per cent": "%",
}


@functools.lru_cache(maxsize=1024)
def unit_key(unit: str) -> str:
    """A comparable key for a unit written in either language: 'USD' for 'US$'/'đô la',
    'VND' for 'đồng'/'VNĐ'/'dong', '%' for 'phần trăm'/'percent', the English singular for a
    listed counted noun ('dự án' and 'projects' -> 'project'), else the unit lowercased."""
    u = " ".join(unit.split())
    low = u.lower()
    if low in _CURRENCY_KEYS:
        return _CURRENCY_KEYS[low]
    if u in _MEASURES:
        return _MEASURES[u]
    if u in _MEASURES_EN:
        return _MEASURES_EN[u]
    if low in _COUNT_NOUNS:
        return _COUNT_NOUNS[low][0]
    if low in _COUNT_EN:
        return _COUNT_EN[low]
    if u in _COUNT_EN:
        return _COUNT_EN[u]
    return low


_KNOWN_KEYS = (
    set(_CURRENCY_KEYS.values()) | set(_MEASURES.values()) | {sg for sg, _ in _COUNT_NOUNS.values()}
)


def same_unit(a: str | None, b: str | None) -> bool | None:
    """True/False when both units are known and (do not) denote the same thing; None when it
    cannot be told (a unit missing, or an unlisted counted noun in another language)."""
    if a is None or b is None:
        return None
    ka, kb = unit_key(a), unit_key(b)
    if ka == kb:
        return True
    if ka in _KNOWN_KEYS and kb in _KNOWN_KEYS:
        return False
    money = {"USD", "VND", "EUR", "JPY", "%"}
    if ka in money or kb in money:
        return False
    return None


# --------------------------------------------------------------------------------------------
# Formatting


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


# --------------------------------------------------------------------------------------------
# Dates

_POD_VI: dict[str, PartOfDay] = {
    "rạng sáng": "dawn",
    "sáng sớm": "dawn",
    "sáng": "morning",
    "trưa": "noon",
    "chiều tối": "evening",
    "chiều": "afternoon",
    "tối": "evening",
    "đêm": "night",
    "khuya": "night",
}
_POD_ALT = "|".join(
    re.escape(k).replace(r"\ ", _WS + "+") for k in sorted(_POD_VI, key=len, reverse=True)
)
# A match starts with a digit, "ngày" or a part of day (rạng sáng, sáng, trưa, chiều, tối, đêm,
# khuya).
_DATE_VI = _starting_with(
    r"\dnrstcđk",
    r"(?:(?P<th>\d{1,2})[:h](?P<tm>\d{2})" + _WS + r"*,?" + _WS + r"*)?"
    r"(?:(?<!\w)(?P<pod>"
    + _POD_ALT
    + r")(?:"
    + _WS
    + r"+(?:hôm"
    + _WS
    + r"+)?(?:qua|nay|mai))?"
    + _WS
    + r"+(?:ngày"
    + _WS
    + r"+)?)?"
    r"(?:(?<![\d/.,])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/%])"
    r"|(?<![\d.,-])(?P<d2>\d{1,2})-(?P<m2>\d{1,2})-(?P<y2>\d{4})(?![\d-])"
    r"|(?<![\d.,])(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4})(?![\d.])"
    r"|(?<!\w)ngày" + _WS + r"+(?P<d4>\d{1,2})" + _WS + r"+tháng" + _WS + r"+(?P<m4>\d{1,2})"
    r"(?:" + _WS + r"+năm" + _WS + r"+(?P<y4>\d{4}))?(?!\d)"
    r"|(?<![\d-])(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?![\d-]))"
    r"(?:" + _WS + r"+(?:lúc" + _WS + r"+)?(?P<hh>\d{1,2})[:h](?P<mm>\d{2})(?!\d))?",
    re.IGNORECASE,
    words=r"\d|ngày|rạng|sáng|trưa|chiều|tối|đêm|khuya",
)
# A year-less "d/m" is a date only after one of these words, a part of day, or at the start.
_DATE_CUES_VI = _words("ngày hôm qua nay mai vào từ đến tới trước sau hết cuối đầu lúc và hoặc")


def _resolve(
    day: int, month: int, year: int | None, reference: dt.date | None
) -> tuple[dt.date | None, bool] | None:
    """(date, year_inferred), (None, False) when unresolvable, None when not a valid date."""
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if year is not None:
        try:
            return dt.date(year, month, day), False
        except ValueError:
            return None
    if reference is None:
        # Valid in some year? (29/2 is.)
        try:
            dt.date(2000, month, day)
        except ValueError:
            return None
        return None, False
    for y in range(reference.year, reference.year - 9, -1):
        try:
            d = dt.date(y, month, day)
        except ValueError:
            continue
        if d <= reference:
            return d, True
    return None


def _int_or_none(s: str | None) -> int | None:
    return int(s) if s is not None else None


# A date as written, before its year is resolved: (start, end, day, month, year as written,
# part-of-day word, time of day).
_RawDate = tuple[int, int, int, int, int | None, str | None, dt.time | None]


def _raw_dates_vi(text: str, windows: list[tuple[int, int]]) -> list[_RawDate]:
    """The dates `find_dates` reads in `text`, whatever the reference (it only resolves them)."""
    out: list[_RawDate] = []
    for m in _near_digits(_DATE_VI, text, windows):
        g = m.group
        if g("d") is not None:
            day, month = int(g("d")), int(g("m"))
            ys = g("y")
            year = (2000 + int(ys) if len(ys) == 2 else int(ys)) if ys else None
        elif g("d2") is not None:
            day, month, year = int(g("d2")), int(g("m2")), int(g("y2"))
        elif g("d3") is not None:
            day, month, year = int(g("d3")), int(g("m3")), int(g("y3"))
        elif g("d4") is not None:
            day, month, year = int(g("d4")), int(g("m4")), _int_or_none(g("y4"))
        else:
            day, month, year = int(g("id")), int(g("im")), int(g("iy"))
        pod_word = g("pod")
        if year is None and g("d") is not None and pod_word is None:
            start = m.start("d")
            w1, _ = _prev_words(text, start)
            at_start = not text[:start].strip(" \t\n([\"'“")
            if not at_start and (w1 is None or w1.lower() not in _DATE_CUES_VI):
                continue
        time: dt.time | None = None
        hh, mm = g("hh") or g("th"), g("mm") or g("tm")
        if hh is not None and mm is not None and int(hh) < 24 and int(mm) < 60:
            time = dt.time(int(hh), int(mm))
        out.append((m.start(), m.end(), day, month, year, pod_word, time))
    return out


def _raw_dates_en(text: str, windows: list[tuple[int, int]]) -> list[_RawDate]:
    """The dates `find_dates_en` reads in `text`, whatever the reference."""
    out: list[_RawDate] = []
    for m in _near_digits(_DATE_EN, text, windows):
        g = m.group
        if g("mon") is not None:
            day, month, year = int(g("d")), _MONTHS_EN[g("mon")], _int_or_none(g("y"))
        elif g("mon2") is not None:
            day, month, year = int(g("d2")), _MONTHS_EN[g("mon2")], _int_or_none(g("y2"))
        else:
            day, month, year = int(g("id")), int(g("im")), int(g("iy"))
        out.append((m.start(), m.end(), day, month, year, g("pod"), None))
    return out


def _mentions(
    text: str, raw: list[_RawDate], reference: dt.date | None, lang: Literal["vi", "en"]
) -> list[DateMention]:
    out: list[DateMention] = []
    for start, end, day, month, year, pod_word, time in raw:
        resolved = _resolve(day, month, year, reference)
        if resolved is None:
            continue
        part: PartOfDay | None = None
        if pod_word is not None:
            if lang == "vi":
                part = _POD_VI.get(" ".join(pod_word.lower().split()))
            else:
                part = pod_word.lower()  # type: ignore[assignment]
        out.append(
            DateMention(
                value=resolved[0],
                day=day,
                month=month,
                year=year,
                year_inferred=resolved[1],
                part_of_day=part,
                time=time,
                text=text[start:end],
                span=Span(start=start, end=end),
            )
        )
    return out


def find_dates(text: str, reference: dt.date | None = None) -> list[DateMention]:
    """Calendar dates in Vietnamese `text`, day first: "02/03/2023" is 2 March 2023. A date
    without a year is resolved against `reference` (the article's publication date) to the
    latest year that does not put it after the reference; without a reference its `value` is
    None. A year-less "d/m" counts only after a part of day ("Sáng 6/7"), a cue word ("ngày
    14/9", "vào 8/1") or at the very start of the text, so that fractions are not dates."""
    return _mentions(text, _raw_dates_vi(text, _digit_windows(text)), reference, "vi")


def parse_date(text: str, reference: dt.date | None = None) -> dt.date | None:
    """The first date in Vietnamese `text` ("Chiều ngày 21/02/2023", "Sáng 6/7", "6/7/2020",
    "2023-03-02"), resolved against `reference`; None when there is none or no year can be
    known."""
    for mention in find_dates(text, reference):
        return mention.value
    return None


def find_dates_en(text: str, reference: dt.date | None = None) -> list[DateMention]:
    """Calendar dates in English `text`: "July 6", "6 July 2020", "March 2, 2023", "2023-03-02",
    "the afternoon of July 5". Slash dates are ambiguous in English and are not read."""
    return _mentions(text, _raw_dates_en(text, _digit_windows(text)), reference, "en")


_YEAR_CUES = "năm|niên khóa|nhiệm kỳ|giai đoạn|thời kỳ|mùa|in|since|by|until|from|of|year"
_YEAR_CUED = _starting_with(
    "ngtmisbufoy",
    rf"(?<!\w)(?:{_YEAR_CUES})" + _WS + r"+(?P<y>(?:19|20)\d{2})(?!\d|%|[.,/]\d)",
    re.IGNORECASE,
)
# A `_YEAR_CUED` match starting before a digit window (whose first digit, the year, is _MARGIN
# characters in) has spaces over at least the window's first _MARGIN - (longest cue) characters.
_CUE_REACH = _MARGIN - max(len(c) for c in _YEAR_CUES.split("|"))
_ALL_SPACES = re.compile(_WS + r"*")
_YEAR_BARE = _starting_with("12", r"(?<![\w.,/:$€¥-])(?P<y>(?:19|20)\d{2})(?![\w%/]|[.,:]\d)")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_YEAR_RANGE_END = re.compile(r"\s*[-–—]\s*(?P<y>(?:19|20)\d{2})(?![\w%/]|[.,]\d)")
_NOT_A_YEAR_AFTER = re.compile(
    _WS
    + r"*(?:%|phần"
    + _WS
    + r"trăm|percent|per cent|"
    + "|".join(sorted((*_SCALES_VI, *_SCALES_EN), key=len, reverse=True))
    + r"|USD|VND|VNĐ|đồng|dong|dollars?)(?!\w)",
    re.IGNORECASE,
)


def find_years(text: str) -> list[tuple[int, Span]]:
    """Years stated in `text` (either language): four-digit 1900-2100 integers standing alone
    ("năm 2022", "in 2022", "Hội nghị 2024", both ends of "2021 - 2030") unless a unit, scale
    word or listed counted noun follows (then they are quantities), and the years of full dates
    ("21/02/2023", "6 July 2020")."""
    windows = _digit_windows(text)
    return _years(text, windows, _raw_dates_vi(text, windows), _raw_dates_en(text, windows))


def find_dates_and_years(
    text: str, reference: dt.date | None = None, *, lang: Literal["vi", "en"] = "vi"
) -> tuple[list[DateMention], list[tuple[int, Span]]]:
    """`(find_dates(text, reference), find_years(text))`, or with `find_dates_en` for `lang`
    "en": the same results, reading the dates of `text` once for both."""
    return _dates_and_years(text, _digit_windows(text), reference, lang)


def _dates_and_years(
    text: str,
    windows: list[tuple[int, int]],
    reference: dt.date | None,
    lang: Literal["vi", "en"],
) -> tuple[list[DateMention], list[tuple[int, Span]]]:
    if not windows:
        return [], []  # no digit, no date nor year
    raw_vi, raw_en = _raw_dates_vi(text, windows), _raw_dates_en(text, windows)
    dates = _mentions(text, raw_vi if lang == "vi" else raw_en, reference, lang)
    return dates, _years(text, windows, raw_vi, raw_en)


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


def _years(
    text: str, windows: list[tuple[int, int]], raw_vi: list[_RawDate], raw_en: list[_RawDate]
) -> list[tuple[int, Span]]:
    out: dict[int, tuple[int, Span]] = {}

    def add(m: re.Match[str]) -> None:
        out[m.start("y")] = (int(m.group("y")), Span(start=m.start("y"), end=m.end("y")))

    # Both year patterns need four digits, 19xx or 20xx: skip them when the text has none.
    if any(_YEAR_DIGITS.search(text, lo, hi) for lo, hi in windows):
        # Their matches lie in the digit windows, but for a cue word that many spaces keep
        # from its year: scan the whole text for cued years if some window may start so.
        cued_in_windows = all(
            lo == 0 or _ALL_SPACES.fullmatch(text, lo + _MARGIN - _CUE_REACH, lo + _MARGIN) is None
            for lo, _ in windows
        )
        cued: Iterator[re.Match[str]] = (
            _near_digits(_YEAR_CUED, text, windows)
            if cued_in_windows
            else _YEAR_CUED.finditer(text)
        )
        for m in cued:
            add(m)
        for m in _near_digits(_YEAR_BARE, text, windows):
            end = m.end("y")
            if m.start("y") in out:
                continue
            if _NOT_A_YEAR_AFTER.match(text, end) or _COUNT_VI.match(text, end):
                continue
            nxt = _SPACES.match(text, end)
            if nxt is not None and _COUNT_EN_RE.match(text, nxt.end()):
                continue
            add(m)
    for start in list(out):
        rng = _YEAR_RANGE_END.match(text, out[start][1].end)
        if rng is not None:
            add(rng)
    # The dates `find_dates(text)` and `find_dates_en(text)` report (no reference).
    dates = [
        (start, end, year)
        for start, end, day, month, year, _, _ in (*raw_vi, *raw_en)
        if _resolve(day, month, year, None) is not None
    ]
    in_dates = _Spans([(start, end) for start, end, _ in dates])
    for k in [k for k in out if in_dates.overlaps(k, k + 1)]:
        del out[k]
    for start, end, year in dates:
        if year is not None:
            ym = re.search(rf"(?<!\d){year}(?!\d)|(?<=/){year % 100:02d}(?!\d)", text[start:end])
            if ym is not None:
                ystart = start + ym.start()
                out[ystart] = (year, Span(start=ystart, end=start + ym.end()))
    return [out[k] for k in sorted(out)]


def values_equal(a: float, b: float) -> bool:
    """Equal up to float noise."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
