"""Huge answers stay cheap: the indexes `verify` and `align` use give exactly what the plain
scans give, and the work they do does not grow with (quotes x captions) or (stated numbers x
source numbers). Work is counted, not timed (`bench/grounding.py` has the timings)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import summarizer.matching as matching
from summarizer.align import align
from summarizer.article import Article, Removed, Segment, SourceMap, Span
from summarizer.folding import fold_source
from summarizer.matching import DateIndex, QuantityIndex, dates_match, quantity_supported
from summarizer.schemas import FactSheet, Person, Summary
from summarizer.verify import verify
from summarizer.vietnamese import DateMention, Quantity, find_numbers

# `summarizer.align` the module (the package exports the function under that name).
align_module = importlib.import_module("summarizer.align")

# --- The indexes answer as the scans do -----------------------------------------------------

_VALUES = [0.0, 1.0, 1.4, 1.45, 1.5, 14.245, 14.2, 14.25, 1e9, 1.0000000001e9, 2e12, -3.0]
_UNITS = [None, "USD", "VND", "%", "dự án", "projects", "đại biểu", "sân bay"]


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    unit = draw(st.sampled_from(_UNITS))
    kind = {"USD": "money", "VND": "money", "%": "percent", None: "number"}.get(unit, "count")
    return Quantity(
        value=draw(st.sampled_from(_VALUES) | st.floats(-1e13, 1e13)),
        unit=unit,
        kind=kind,  # type: ignore[arg-type]
        qualifier=None,
        qualifier_text=None,
        text="",
        span=Span(start=0, end=0),
        resolution=draw(st.sampled_from([0.0, 0.01, 0.1, 1.0, 1e8, 1e9])),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(quantities(), max_size=30), st.lists(quantities(), min_size=1, max_size=10))
def test_quantity_index_is_the_linear_scan(cands: list[Quantity], stated: list[Quantity]) -> None:
    index = QuantityIndex(cands)
    for q in stated:
        assert index.supported(q) is quantity_supported(q, cands)


@st.composite
def date_mentions(draw: st.DrawFn) -> DateMention:
    day, month = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    year = draw(st.none() | st.integers(2020, 2021))
    value = draw(st.none() | st.just(dt.date(year or 2022, month, day)))
    return DateMention(
        value=value,
        day=day,
        month=month,
        year=year,
        year_inferred=False,
        part_of_day=None,
        time=None,
        text="",
        span=Span(start=0, end=0),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(date_mentions(), max_size=20), st.lists(date_mentions(), min_size=1, max_size=5))
def test_date_index_is_the_linear_scan(dates: list[DateMention], stated: list[DateMention]) -> None:
    index = DateIndex(dates)
    for d in stated:
        scan = next((i for i, b in enumerate(dates) if dates_match(d, b)), None)
        assert index.first(d) == scan


# --- align: many captions and removed lines are searched as one -----------------------------

_WORDS = ["Thanh Hóa", "Thanh Hoá", "dự án", "Bộ", "ảnh", "–", "-", "  ", "“a”", '"a"', "x"]


def article_of(body: str, captions: list[str], clutter: list[str]) -> Article:
    """An article whose page is body, captions and clutter lines, one per line."""
    page_lines = [body, *captions, *clutter]
    page = "\n".join(page_lines)
    removed: list[Removed] = []
    at = len(body) + 1
    for i, line in enumerate([*captions, *clutter]):
        reason = "caption" if i < len(captions) else "related"
        removed.append(Removed(span=Span(start=at, end=at + len(line)), reason=reason, text=line))
        at += len(line) + 1
    return Article(
        id="t",
        source_path=None,
        sha256="0" * 64,
        title="",
        published=None,
        byline=None,
        source=None,
        body=body,
        captions=captions,
        page=page,
        body_map=SourceMap(
            segments=[Segment(body_start=0, body_end=len(body), page_start=0, page_end=len(body))]
        ),
        removed=removed,
    )


def scan_align(quote: str, article: Article) -> tuple[str, str, int | None, int, int] | None:
    """What `align` answered before it searched captions and clutter as one string: each
    caption, then each removed span, on its own, exactly then tolerantly."""
    q = quote.strip()
    forms = align_module._quote_forms(q)
    if not forms:
        return None
    if q in article.body:
        at = article.body.index(q)
        return ("exact", "body", None, at, at + len(q))
    for kind in ("exact", "tolerant"):
        if kind == "tolerant":
            found = align_module._find_in(fold_source(article.body), forms)
            if found is not None:
                return (kind, "body", None, *found)
        for i, c in enumerate(article.captions):
            if kind == "exact" and q in c:
                return (kind, "caption", i, c.index(q), c.index(q) + len(q))
            if kind == "tolerant":
                found = align_module._find_in(fold_source(c), forms)
                if found is not None:
                    return (kind, "caption", i, *found)
        fpage = fold_source(article.page)
        for i, r in enumerate(article.removed):
            if kind == "exact":
                at = article.page.find(q, r.span.start, r.span.end)
                if at >= 0:
                    return (kind, "clutter", i, at, at + len(q))
            else:
                lo, hi = fpage.from_original(r.span.start), fpage.from_original(r.span.end)
                found = align_module._find_in(fpage, forms, lo, hi)
                if found is not None:
                    return (kind, "clutter", i, *found)
    return None


_line = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    _line,
    st.lists(_line, max_size=6),
    st.lists(_line, max_size=6),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map(" ".join),
)
def test_align_answers_as_the_per_text_scan_did(
    body: str, captions: list[str], clutter: list[str], quote: str
) -> None:
    article = article_of(body, captions, clutter)
    a = align(quote, article)
    expected = scan_align(quote, article)
    if a is None:
        assert expected is None
        return
    index = None if a.where == "body" else a.index
    assert (a.kind, a.where, index, a.span.start, a.span.end) == expected


def test_many_captions_are_folded_once_not_once_per_quote() -> None:
    captions = [f"Ảnh {i}: đại biểu tham dự hội nghị lần thứ {i}." for i in range(300)]
    article = article_of("Thân bài của bài báo thử nghiệm ở đây.", captions, ["Tin liên quan"])
    align("một câu không có ở đâu cả", article)
    before = fold_source.cache_info().misses
    for i in range(200):
        assert align(f"một câu không có ở đâu cả số {i}", article) is None
    assert fold_source.cache_info().misses - before == 0
    assert align("đại biểu tham dự hội nghị lần thứ 299", article) is not None


# --- verify: stated numbers are looked up, not compared with every source number -------------


def test_summary_numbers_are_looked_up_not_compared_with_every_body_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0
    real = matching.value_supported

    def counted(*args: Any) -> bool:
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(matching, "value_supported", counted)
    body_numbers = " ".join(f"{i},5 tỷ USD," for i in range(1, 401))
    article = article_of(f"Vốn đầu tư: {body_numbers} hết.", [], [])
    stated = " ".join(f"{i},5 tỷ USD và" for i in range(1, 801))
    summary = Summary(
        headline_vi="x",
        headline_en="x",
        summary_vi=stated,
        summary_en="x",
        key_points_vi=[],
        key_points_en=[],
    )
    empty = FactSheet(people=[], organizations=[], places=[], figures=[], events=[], statements=[])
    v = verify(empty, article, summary)
    assert len(find_numbers(stated).quantities) == 800
    assert v.summary_checked == 800 and v.summary_unsupported == 400
    assert calls <= 4 * 800  # a scan would make 400 comparisons for each unsupported number


def test_thousands_of_people_verify() -> None:
    article = article_of("Ông Nguyễn Văn A, Bộ trưởng, phát biểu tại hội nghị.", [], [])
    people = [
        Person(
            name="Nguyễn Văn A" if i % 2 else f"Người {i}",
            role_vi=None,
            role_en=None,
            organization=None,
            evidence="Ông Nguyễn Văn A, Bộ trưởng, phát biểu tại hội nghị.",
        )
        for i in range(3000)
    ]
    sheet = FactSheet(
        people=people, organizations=[], places=[], figures=[], events=[], statements=[]
    )
    v = verify(sheet, article)
    assert v.by_status["verified"] == 1500 and v.by_status["value_mismatch"] == 1500
