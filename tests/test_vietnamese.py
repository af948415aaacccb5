"""Vietnamese / English quantity and date parsing (`summarizer.vietnamese`)."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.article import Span
from summarizer.vietnamese import (
    Quantity,
    QuantityKind,
    find_dates,
    find_dates_en,
    find_quantities,
    find_quantities_en,
    find_years,
    format_number_en,
    format_number_vi,
    format_quantity_en,
    format_quantity_vi,
    parse_date,
    parse_full_date,
    parse_quantity,
    parse_quantity_en,
    same_unit,
    unit_key,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- Vietnamese quantities ------------------------------------------------------------------

VI_CASES = [
    # text, value, unit, qualifier, kind
    ("14,245 tỷ USD", 14_245_000_000, "USD", None, "money"),
    ("9,300 tỷ USD", 9_300_000_000, "USD", None, "money"),
    ("2.793 triệu USD", 2_793_000_000, "USD", None, "money"),
    ("1,6 tỷ USD", 1_600_000_000, "USD", None, "money"),
    ("gần 500 triệu USD", 500_000_000, "USD", "approximate", "money"),
    ("trên 62.000 tỷ đồng", 62_000_000_000_000, "VND", "more_than", "money"),
    ("50 nghìn tỷ đồng", 50_000_000_000_000, "VND", None, "money"),
    ("50 ngàn tỷ đồng", 50_000_000_000_000, "VND", None, "money"),
    ("12,51%", 12.51, "%", None, "percent"),
    ("0,7 %", 0.7, "%", None, "percent"),
    ("04 địa phương", 4, "địa phương", None, "count"),
    ("khoảng 650 đại biểu", 650, "đại biểu", "approximate", "count"),
    ("trên 3.761 doanh nghiệp", 3761, "doanh nghiệp", "more_than", "count"),
    ("141 dự án FDI", 141, "dự án", None, "count"),
    ("37 dự án", 37, "dự án", None, "count"),
    ("50 triệu đồng", 50_000_000, "VND", None, "money"),
    ("5,5 tỷ USD", 5_500_000_000, "USD", None, "money"),
    ("gần 9,3 tỷ USD", 9_300_000_000, "USD", "approximate", "money"),
    ("(75,11%)", 75.11, "%", None, "percent"),
    ("ước đạt 1.559 triệu USD", 1_559_000_000, "USD", "approximate", "money"),
    ("lên tới gần 15 tỷ USD", 15_000_000_000, "USD", "approximate", "money"),
    ("hơn 82,5%", 82.5, "%", "more_than", "percent"),
    ("dưới 5%", 5, "%", "less_than", "percent"),
    ("tối thiểu 10 tỷ đồng", 10_000_000_000, "VND", "at_least", "money"),
    ("tối đa 30 triệu đồng", 30_000_000, "VND", "at_most", "money"),
    ("lên tới 2 tỷ USD", 2_000_000_000, "USD", "at_most", "money"),
    ("tới 40%", 40, "%", "at_most", "percent"),
    ("chừng 20 người", 20, "người", "approximate", "count"),
    ("xấp xỉ 3,5 tỷ USD", 3_500_000_000, "USD", "approximate", "money"),
    ("ước 120 tỷ đồng", 120_000_000_000, "VND", "approximate", "money"),
    ("100 tỷ đồng trở lên", 100_000_000_000, "VND", "at_least", "money"),
    ("15 tỉ USD", 15_000_000_000, "USD", None, "money"),
    ("200 VNĐ", 200, "VND", None, "money"),
    ("50.000đ", 50_000, "VND", None, "money"),
    ("3 triệu", 3_000_000, None, None, "number"),
    ("15 chương trình", 15, "chương trình", None, "count"),
    ("73 hợp tác xã", 73, "hợp tác xã", None, "count"),
    ("3 trụ cột", 3, "trụ cột", None, "count"),
    ("5 sân bay", 5, "sân bay", None, "count"),  # fallback: two lowercase syllables
    ("100 ha", 100, "ha", None, "measure"),
    ("1.5 tỷ USD", 1_500_000_000, "USD", None, "money"),  # sloppy decimal point
]


@pytest.mark.parametrize(("text", "value", "unit", "qualifier", "kind"), VI_CASES)
def test_parse_quantity_vi(
    text: str, value: float, unit: str | None, qualifier: str | None, kind: str
) -> None:
    q = parse_quantity(text)
    assert q is not None, text
    assert math.isclose(q.value, value, rel_tol=1e-12)
    assert q.unit == unit
    assert q.qualifier == qualifier
    assert q.kind == kind
    assert text[q.span.start : q.span.end] == q.text
    # Found the same way inside a sentence.
    sentence = f"Theo báo cáo, con số là {text} trong kỳ."
    found = [f for f in find_quantities(sentence, include_bare=True) if f.text == q.text]
    assert found and math.isclose(found[0].value, value, rel_tol=1e-12)


def test_quantity_text_and_span_include_the_qualifier() -> None:
    text = "tổng vốn đăng ký đầu tư gần 500 triệu USD. Đến nay"
    (q,) = find_quantities(text)
    assert q.text == "gần 500 triệu USD"
    assert q.qualifier_text == "gần"
    assert text[q.span.start : q.span.end] == q.text


def test_resolution_is_the_last_written_digit() -> None:
    q = parse_quantity("14,245 tỷ USD")
    assert q is not None and q.resolution == pytest.approx(1e6)
    q = parse_quantity("12,5%")
    assert q is not None and q.resolution == pytest.approx(0.1)


NOT_QUANTITIES = [
    "6/7",
    "Sáng 6/7",
    "21/02/2023",
    "02/03/2023 21:15",
    "19:57 , 01/12/2025",
    "tháng 11/2025",
    "ngày 14 tháng 9 năm 2020",
    "năm 2022",
    "Năm 2022,",
    "2021 - 2030",
    "giai đoạn 2025 -2030",
    "nhiệm kỳ 2020-2025",
    "thời kỳ 2021 - 2030, tầm nhìn đến năm 2045",
    "Nghi Sơn 2",
    "Nhà máy Nhiệt điện Nghi Sơn 2 (",
    "Covid-19",
    "COVID-19",
    "dịch Covid – 19 của tỉnh",
    "Quân khu 4",
    "Lãnh đạo Quân khu 4 chúc mừng",
    "G20",
    "khóa XIV",
    "lần thứ 10",
    "kỳ họp thứ 10",
    "thứ 7",
    "đứng thứ 8 cả nước",
    "0237 3721150",
    "Đường dây nóng: 0237 3721150",
    "0912.345.678",
    "Trung tâm Hội nghị 25B",
    "ASEAN 2020",
    "lúc 8 giờ",
    "bo-ngoai-giao-phoi-hop-5",
    "Ảnh 2.",
    "tỷ lệ giải ngân",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []
    assert [q.text for q in find_quantities(text, include_bare=True)] == []


def test_bare_numbers_only_with_include_bare() -> None:
    text = "Thành Nhà Hồ, 1 trong 6 di sản văn hoá thế giới"
    assert [q.text for q in find_quantities(text)] == ["6 di sản"]
    assert [q.text for q in find_quantities(text, include_bare=True)] == ["1", "6 di sản"]
    q = parse_quantity("650")
    assert q is not None and q.value == 650 and q.unit is None and q.kind == "number"


SEED_FIGURES = {
    "000": ["50 năm", "22 dự án", "hơn 82,5%", "345 đại biểu"],
    "001": [
        "lên tới gần 15 tỷ USD",
        "04 địa phương",
        "37 dự án",
        "khoảng 1,6 tỷ USD",
        "11,4%",
        "23 dự án",
        "gần 500 triệu USD",
        "14 dự án",
        "khoảng 6,55 tỷ USD",
        "48%",
        "9,300 tỷ USD",
        "622 triệu USD",
        "2.793 triệu USD",
        "ước đạt 1.559 triệu USD",
        "39%",
        "ước đạt 2.849 triệu USD",
        "8,3%",
        "132 dự án",
        "14,245 tỷ USD",
        "15 chương trình",
        "0,7 %",
        "6 di sản",
        "trên 62.000 tỷ đồng",
    ],
    "002": ["50 triệu đồng", "200 ủy viên"],
    "003": [
        "12,51%",
        "trên 51.000 tỷ đồng",
        "71%",
        "24,6%",
        "vượt mốc 50 nghìn tỷ đồng",
        "trên 3.761 doanh nghiệp",
        "25,4%",
        "73 hợp tác xã",
        "58,7%",
        "3,65%",
        "16,31%",
        "trên 78%",
        "75,11%",
        "04 tỉnh",
        "08 hội nghị",
        "01 hội nghị",
        "02 hội thảo",
        "khoảng 650 đại biểu",
        "trên 5,5 tỷ USD",
        "gần 9,3 tỷ USD",
        "141 dự án",
        "14,415 tỷ USD",
        "01 địa phương",
        "50 triệu đồng",
    ],
    "004": ["3 nhiệm vụ"],
}

# Things on the seed pages that must never be reported as figures.
_NON_FIGURE = re.compile(
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?"  # dates
    r"|\d{1,2}:\d{2}"  # times
    r"|0237 3721150"  # the hotline
    r"|(?:Covid|COVID)\s?[-–]\s?19|Nghi Sơn 2|Quân khu 4|G20|25B"  # names with numbers
    r"|thứ \d+"  # ordinals
    r"|(?:năm|kỳ|đoạn|Noel|sinh|ASEAN|Awards|Xuân|Nam|mới) (?:19|20)\d\d"  # years
    r"|(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d"  # year ranges
)


@pytest.mark.parametrize("prefix", sorted(SEED_FIGURES))
def test_find_quantities_on_seed_pages(prefix: str) -> None:
    page = seed(prefix)
    found = find_quantities(page)
    texts = [q.text for q in found]
    for expected in SEED_FIGURES[prefix]:
        assert expected in texts, expected
    forbidden = [m.span() for m in _NON_FIGURE.finditer(page)]
    assert forbidden
    for q in found:
        assert page[q.span.start : q.span.end] == q.text
        for s, e in forbidden:
            assert not (q.span.start < e and s < q.span.end), (q.text, page[s:e])
    # Even the bare numbers of the page avoid dates, times, phones, names, ordinals, years.
    for q in find_quantities(page, include_bare=True):
        for s, e in forbidden:
            assert not (q.span.start < e and s < q.span.end), (q.text, page[s:e])


def test_seed_figure_values() -> None:
    by_text = {q.text: q for q in find_quantities(seed("001"))}
    assert by_text["9,300 tỷ USD"].value == 9_300_000_000
    assert by_text["2.793 triệu USD"].value == 2_793_000_000
    assert by_text["14,245 tỷ USD"].value == 14_245_000_000
    assert by_text["trên 62.000 tỷ đồng"].value == 62_000_000_000_000
    by_text = {q.text: q for q in find_quantities(seed("003"))}
    assert by_text["vượt mốc 50 nghìn tỷ đồng"].value == 50_000_000_000_000


# --- English quantities ---------------------------------------------------------------------

EN_CASES = [
    ("US$14.245 billion", 14_245_000_000, "USD", None),
    ("$1.6 billion", 1_600_000_000, "USD", None),
    ("VND 62 trillion", 62_000_000_000_000, "VND", None),
    ("VND62 trillion", 62_000_000_000_000, "VND", None),
    ("62,000 billion dong", 62_000_000_000_000, "VND", None),
    ("VND62,000 billion", 62_000_000_000_000, "VND", None),
    ("12.51%", 12.51, "%", None),
    ("0.7 percent", 0.7, "%", None),
    ("nearly 500 million USD", 500_000_000, "USD", "approximate"),
    ("37 projects", 37, "projects", None),
    ("about 650 delegates", 650, "delegates", "approximate"),
    ("over 3,761 enterprises", 3761, "enterprises", "more_than"),
    ("up to 15 billion USD", 15_000_000_000, "USD", "at_most"),
    ("at least 10%", 10, "%", "at_least"),
    ("less than 5 percent", 5, "%", "less_than"),
    ("1.6bn USD", 1_600_000_000, "USD", None),
    ("US$622 million", 622_000_000, "USD", None),
    ("VND50 million", 50_000_000, "VND", None),
    ("37 Korean FDI projects", 37, "projects", None),
    ("3 key tasks", 3, "tasks", None),
]


@pytest.mark.parametrize(("text", "value", "unit", "qualifier"), EN_CASES)
def test_parse_quantity_en(text: str, value: float, unit: str, qualifier: str | None) -> None:
    q = parse_quantity_en(text)
    assert q is not None, text
    assert math.isclose(q.value, value, rel_tol=1e-12)
    assert q.unit == unit
    assert q.qualifier == qualifier


def test_english_reads_commas_as_thousands() -> None:
    # The ×1000 trap: a Vietnamese decimal comma copied into English means thousands there.
    q = parse_quantity_en("US$14,245 billion")
    assert q is not None and q.value == 14_245_000_000_000
    # A comma that cannot be English is read the Vietnamese way.
    q = parse_quantity_en("US$1,6 billion")
    assert q is not None and q.value == 1_600_000_000


@pytest.mark.parametrize(
    "text",
    [
        "COVID-19",
        "the 7th",
        "the 50th anniversary",
        "Nghi Son 2",
        "Military Zone 4 leaders",
        "July 6, 2020",
        "on 6 July",
        "in 2022",
        "the 2021-2030 period",
        "at 21:15",
        "at 9 a.m.",
        "G20",
        "Resolution 36",
        "Decree No. 15",
        "item #3",
    ],
)
def test_not_quantities_en(text: str) -> None:
    assert find_quantities_en(text, include_bare=True) == []


# --- Formatting and round trips ---------------------------------------------------------------

FORMAT_CASES = [
    ("14,245 tỷ USD", "US$14.245 billion"),
    ("50 nghìn tỷ đồng", "VND50 trillion"),
    ("2.793 triệu USD", "US$2.793 billion"),
    ("12,51%", "12.51%"),
    ("622 triệu USD", "US$622 million"),
    ("9,300 tỷ USD", "US$9.3 billion"),
    ("trên 62.000 tỷ đồng", "over VND62 trillion"),
    ("gần 500 triệu USD", "nearly US$500 million"),
    ("khoảng 650 đại biểu", "about 650 delegates"),
    ("01 địa phương", "1 locality"),
    ("trên 3.761 doanh nghiệp", "over 3,761 enterprises"),
    ("3 trụ cột", "3 pillars"),
    ("5 sân bay", "5 sân bay"),  # unlisted noun: kept in Vietnamese
    ("0,7 %", "0.7%"),
]


@pytest.mark.parametrize(("vi", "en"), FORMAT_CASES)
def test_format_quantity_en(vi: str, en: str) -> None:
    q = parse_quantity(vi)
    assert q is not None
    assert format_quantity_en(q) == en


def test_format_without_qualifier_and_vietnamese() -> None:
    q = parse_quantity("gần 500 triệu USD")
    assert q is not None
    assert format_quantity_en(q, qualifier=False) == "US$500 million"
    assert format_quantity_vi(q) == "gần 500 triệu USD"
    q = parse_quantity("trên 62.000 tỷ đồng")
    assert q is not None
    assert format_quantity_vi(q) == "trên 62.000 tỷ đồng"
    assert format_number_vi(Decimal("3761.5")) == "3.761,5"
    assert format_number_en(Decimal("3761.5")) == "3,761.5"


_SCALE_WORDS = {"": 1, "nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9, "nghìn tỷ": 10**12}
_UNITS_VI = ["USD", "đồng", "%", "dự án", "đại biểu", "địa phương", ""]
_QUALS_VI = {"": None, "gần ": "approximate", "khoảng ": "approximate", "trên ": "more_than"}


@st.composite
def vi_surface(draw: st.DrawFn) -> tuple[str, Decimal, str, str | None]:
    integer = draw(st.integers(min_value=0, max_value=999_999))
    decimals = draw(st.integers(min_value=0, max_value=3))
    frac = draw(st.integers(min_value=0, max_value=10**decimals - 1)) if decimals else 0
    number = Decimal(integer) + (Decimal(frac) / Decimal(10**decimals) if decimals else 0)
    scale = draw(st.sampled_from(sorted(_SCALE_WORDS)))
    unit = draw(st.sampled_from(_UNITS_VI))
    if unit == "" and scale == "":
        unit = "USD"
    qual = draw(st.sampled_from(sorted(_QUALS_VI)))
    digits = format_number_vi(number) if decimals == 0 else f"{integer:,}".replace(",", ".")
    if decimals:
        digits += "," + str(frac).rjust(decimals, "0")
    parts = [digits]
    if scale:
        parts.append(scale)
    text = " ".join(parts) + "%" if unit == "%" else " ".join([*parts, unit]).strip()
    return qual + text, number * _SCALE_WORDS[scale], unit, _QUALS_VI[qual]


@settings(max_examples=300, deadline=None)
@given(vi_surface())
def test_vietnamese_surface_to_value(case: tuple[str, Decimal, str, str | None]) -> None:
    text, value, unit, qualifier = case
    q = parse_quantity(text)
    assert q is not None, text
    assert q.text == text
    assert math.isclose(q.value, float(value), rel_tol=1e-12, abs_tol=1e-12), text
    assert q.qualifier == qualifier
    if unit in ("USD", "%"):
        assert q.unit == unit
    elif unit == "đồng":
        assert q.unit == "VND"
    elif unit:
        assert q.unit == unit
    # value -> Vietnamese surface -> value
    again = parse_quantity(format_quantity_vi(q))
    assert again is not None, format_quantity_vi(q)
    assert math.isclose(again.value, q.value, rel_tol=1e-12, abs_tol=1e-12)
    assert again.unit == q.unit
    assert again.qualifier == q.qualifier


@settings(max_examples=300, deadline=None)
@given(vi_surface())
def test_english_format_parses_back(case: tuple[str, Decimal, str, str | None]) -> None:
    text, _, _, _ = case
    q = parse_quantity(text)
    assert q is not None
    en = format_quantity_en(q)
    back = parse_quantity_en(en)
    assert back is not None, en
    assert math.isclose(back.value, q.value, rel_tol=1e-9, abs_tol=1e-9), en
    assert back.qualifier == q.qualifier, en
    if q.unit is not None:
        assert same_unit(back.unit, q.unit) is True, (en, back.unit, q.unit)


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["USD", "VND", "%"]),
)
def test_english_round_trip(value: Decimal, unit: str) -> None:
    kind: QuantityKind = "percent" if unit == "%" else "money"
    q = Quantity(
        value=float(value),
        unit=unit,
        kind=kind,
        qualifier=None,
        qualifier_text=None,
        text="",
        span=Span(start=0, end=0),
        resolution=0.01,
    )
    en = format_quantity_en(q)
    back = parse_quantity_en(en)
    assert back is not None, en
    assert back.unit == unit
    assert math.isclose(back.value, float(value), rel_tol=1e-9, abs_tol=1e-6), en


def test_units() -> None:
    assert unit_key("đồng") == unit_key("VND") == unit_key("dong") == "VND"
    assert unit_key("US$") == "USD"
    assert same_unit("dự án", "projects") is True
    assert same_unit("nước", "quốc gia") is True
    assert same_unit("dự án", "đại biểu") is False
    assert same_unit("USD", "VND") is False
    assert same_unit("sân bay", "airports") is None
    assert same_unit(None, "USD") is None


# --- Dates ----------------------------------------------------------------------------------

DATE_CASES = [
    ("02/03/2023", None, dt.date(2023, 3, 2)),
    ("02/03/2023 21:15", None, dt.date(2023, 3, 2)),
    ("Sáng 6/7", dt.date(2020, 7, 6), dt.date(2020, 7, 6)),
    ("vào chiều qua 5/7,", dt.date(2020, 7, 6), dt.date(2020, 7, 5)),
    ("Ngày 14/9, đoàn công tác", dt.date(2020, 9, 20), dt.date(2020, 9, 14)),
    ("Chiều ngày 21/02/2023", None, dt.date(2023, 2, 21)),
    ("6/7/2020", None, dt.date(2020, 7, 6)),
    ("Theo Thời sự tối 6/7/2020", dt.date(2020, 7, 6), dt.date(2020, 7, 6)),
    ("28/12", dt.date(2023, 1, 3), dt.date(2022, 12, 28)),  # never in the future
    ("Tối 30/11", dt.date(2025, 12, 1), dt.date(2025, 11, 30)),
    ("ngày 14 tháng 9 năm 2020", None, dt.date(2020, 9, 14)),
    ("29/2", dt.date(2023, 5, 1), dt.date(2020, 2, 29)),  # latest valid year
    ("2023-03-02", None, dt.date(2023, 3, 2)),
    ("6/7", None, None),  # no year, no reference
    ("Sáng 6/7", None, None),
    ("chiếm 1/3 dân số", dt.date(2023, 1, 3), None),  # a fraction, not a date
    ("32/13/2020", None, None),
    ("không có ngày nào", dt.date(2023, 1, 3), None),
]


@pytest.mark.parametrize(("text", "reference", "expected"), DATE_CASES)
def test_parse_date(text: str, reference: dt.date | None, expected: dt.date | None) -> None:
    assert parse_date(text, reference) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19:57 , 01/12/2025", dt.date(2025, 12, 1)),
        ("Thứ hai, 6-1-2025 | 10:00 GMT+7", dt.date(2025, 1, 6)),
        ("Cập nhật ngày 21 tháng 2 năm 2023", dt.date(2023, 2, 21)),
        ("2023-03-02", dt.date(2023, 3, 2)),
        # a year-less date first is skipped, not resolved: the full one after it counts
        ("Sáng 6/7, theo tin ngày 8/7/2020", dt.date(2020, 7, 8)),
        ("Sáng 6/7", None),
        ("31/02/2025", None),
        ("19:57", None),
    ],
)
def test_parse_full_date(text: str, expected: dt.date | None) -> None:
    assert parse_full_date(text) == expected


def test_find_dates_keeps_part_of_day_and_time() -> None:
    text = "Sáng 6/7, đoàn đến. Trước đó, vào chiều qua 5/7, đoàn đã đi thăm. Tối 6/7 về."
    mentions = find_dates(text, dt.date(2020, 7, 6))
    assert [(m.value, m.part_of_day) for m in mentions] == [
        (dt.date(2020, 7, 6), "morning"),
        (dt.date(2020, 7, 5), "afternoon"),
        (dt.date(2020, 7, 6), "evening"),
    ]
    for m in mentions:
        assert text[m.span.start : m.span.end] == m.text
        assert m.year is None and m.year_inferred
    (m,) = find_dates("02/03/2023 21:15", None)
    assert m.time == dt.time(21, 15) and not m.year_inferred
    (m,) = find_dates("Trưa 1/5", None)
    assert m.value is None and (m.day, m.month) == (1, 5) and m.part_of_day == "noon"


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=31),
)
def test_inferred_year_is_never_in_the_future(reference: dt.date, month: int, day: int) -> None:
    got = parse_date(f"ngày {day}/{month}", reference)
    try:
        dt.date(2000, month, day)
    except ValueError:
        assert got is None
        return
    assert got is not None
    assert (got.month, got.day) == (month, day)
    assert got <= reference
    # The latest such date: the same day one year later (if it exists) is after the reference.
    try:
        later = got.replace(year=got.year + 1)
    except ValueError:
        return
    assert later > reference or (month, day) == (2, 29)


def test_english_dates() -> None:
    text = "On the afternoon of July 5, they met; on 6 July 2020 and on March 2, 2023."
    mentions = find_dates_en(text, dt.date(2020, 7, 6))
    assert [(m.value, m.part_of_day) for m in mentions] == [
        (dt.date(2020, 7, 5), "afternoon"),
        (dt.date(2020, 7, 6), None),
        (dt.date(2023, 3, 2), None),
    ]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("năm 2022, nhiệm kỳ 2020-2025, ngày 21/02/2023, in 2019 và 345 đại biểu", None),
        ("Thanh Hoa's 2022 GRDP; the 2021–2030 plan; 6 July 2020", [2022, 2021, 2030, 2020]),
        ("2.000 tỷ đồng, 2020%, US$2021 million, Hội nghị 25B, 0237 3721150", []),
        ("Noel 2025, giai đoạn 2025 -2030", [2025, 2025, 2030]),
    ],
)
def test_find_years(text: str, years: list[int] | None) -> None:
    found = find_years(text)
    expected = years if years is not None else [2022, 2020, 2025, 2023, 2019]
    assert [y for y, _ in found] == expected
    for y, span in found:
        assert text[span.start : span.end] == str(y)
