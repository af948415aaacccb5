"""Units of figures in both languages: scale words, currencies, percent, measures and counted
nouns, and `unit_key` / `same_unit` to compare units written in either language.

May import: `summarizer.vietnamese.numbers`.
"""

from __future__ import annotations

import functools
import re

from summarizer.chars import alternation
from summarizer.vietnamese.numbers import _WS

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
_MEASURE_VI = re.compile(_WS + r"*(?P<m>" + alternation(_MEASURES) + r")(?!\w)")
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
_COUNT_VI = re.compile(_WS + r"+(?P<n>" + alternation(_COUNT_NOUNS) + r")(?!\w)")


def _currency_code(m: re.Match[str]) -> str:
    if m.group("usd"):
        return "USD"
    if m.group("vnd"):
        return "VND"
    if m.group("eur"):
        return "EUR"
    return "JPY"


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
_MEASURE_EN = re.compile(_WS + r"*(?P<m>" + alternation(_MEASURES_EN) + r")(?!\w)")
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
_COUNT_EN_RE = re.compile(r"(?P<n>" + alternation(_COUNT_EN) + r")(?!\w)")


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
