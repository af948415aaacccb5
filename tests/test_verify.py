"""Deterministic verification of fact sheets and summaries (`summarizer.verify`).

Articles are built by hand from the seed pages and the reviewer's layout in
`tests/test_reference.py` (title, end marker, non-body lines, caption lines), so that these
tests do not depend on the cleaner.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from summarizer.article import Article, Removed, Segment, SourceMap, Span
from summarizer.schemas import (
    FACT_KINDS,
    ArticleExtraction,
    Event,
    FactSheet,
    Figure,
    Organization,
    Person,
    Statement,
    Summary,
)
from summarizer.verify import fact_id, verify
from tests.test_reference import SEEDS

ROOT = Path(__file__).resolve().parent.parent
STEMS = sorted(SEEDS)


@functools.cache
def seed_article(stem: str) -> Article:
    """The seed page as an Article: body = the article's body lines (joined by blank lines,
    with a verbatim SourceMap), the title / bylines / captions / page clutter as `removed`,
    caption lines allowed as evidence as `captions`."""
    layout = SEEDS[stem]
    page = (ROOT / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    end = page.index(layout.end)
    body: list[str] = []
    segments: list[Segment] = []
    removed: list[Removed] = []
    captions: list[str] = []
    n = 0
    offset = 0
    for line in page[:end].split("\n"):
        start, offset = offset, offset + len(line) + 1
        text = line.strip()
        if not text:
            continue
        s = start + line.index(text)
        span = Span(start=s, end=s + len(text))
        if text == layout.title and not body:
            removed.append(Removed(span=span, reason="title", text=text))
        elif any(text.startswith(p) for p in layout.caption_evidence):
            captions.append(text)
            removed.append(Removed(span=span, reason="caption", text=text))
        elif any(text.startswith(p) for p in layout.non_body):
            removed.append(Removed(span=span, reason="other", text=text))
        else:
            if body:
                body.append("\n\n")
                n += 2
            segments.append(
                Segment(body_start=n, body_end=n + len(text), page_start=s, page_end=s + len(text))
            )
            body.append(text)
            n += len(text)
    removed.append(Removed(span=Span(start=end, end=len(page)), reason="related", text=page[end:]))
    return Article(
        id=stem,
        source_path=None,
        sha256="0" * 64,
        title=layout.title,
        published=layout.page_date,
        byline=None,
        source=None,
        body="".join(body),
        captions=captions,
        page=page,
        body_map=SourceMap(segments=segments),
        removed=removed,
    )


@functools.cache
def reference(stem: str) -> ArticleExtraction:
    path = ROOT / "tests" / "reference" / f"{stem}.json"
    return ArticleExtraction.model_validate_json(path.read_text(encoding="utf-8"))


def sheet(**kinds: list[object]) -> FactSheet:
    data: dict[str, list[object]] = {
        k: [] for k in ("people", "organizations", "places", "figures", "events", "statements")
    }
    data.update(kinds)
    return FactSheet.model_validate(data)


# --- the reference annotations verify cleanly ---------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_reference_verifies(stem: str) -> None:
    ref = reference(stem)
    article = seed_article(stem)
    v = verify(ref.facts, article, ref.summary)
    bad = [(c.kind, c.index, c.status, c.problems) for c in v.facts if c.status != "verified"]
    assert bad == []
    assert v.total == v.verified == sum(len(getattr(ref.facts, k)) for k in FACT_KINDS)
    assert v.verified_rate == 1.0
    assert [u.quantity.text for u in v.uncovered] == []
    assert v.coverage_rate == 1.0
    assert [(s.field, s.text, s.problem) for s in v.summary if not s.supported] == []
    assert v.summary_checked > 0
    assert v.ok
    for c in v.facts:
        assert c.alignment is not None and c.where in ("body", "caption")
        if c.where == "body":
            assert c.alignment.page_span is not None
            ps = c.alignment.page_span
            assert article.page[ps.start : ps.end] == c.alignment.text


# --- corrupted fact sheets ---------------------------------------------------------------------

ART1 = "001_8949947c50df7356"
GOOD_FIGURE = Figure(
    text="14,245 tỷ USD",
    value=14_245_000_000,
    unit="USD",
    measure_vi="tổng vốn FDI",
    measure_en="total FDI capital",
    period=None,
    evidence="Hiện nay, Thanh Hoá có 132 dự án FDI với tổng số vốn là 14,245 tỷ USD.",
)
GOOD_EVENT = Event(
    what_vi="Đoàn công tác Bộ ngoại giao làm việc với tỉnh Thanh Hoá",
    what_en="The Foreign Ministry delegation works with Thanh Hoa",
    date="2020-07-06",
    where="Thanh Hoá",
    evidence="Sáng 6/7, đoàn công tác của Bộ ngoại giao Việt Nam do Uỷ viên Trung ương Đảng,"
    " Thứ trưởng Bộ ngoại giao Lê Hoài Trung dẫn đầu",
)
GOOD_PERSON = Person(
    name="Lê Hoài Trung",
    role_vi="Thứ trưởng Bộ ngoại giao",
    role_en="Deputy Minister of Foreign Affairs",
    organization="Bộ ngoại giao",
    evidence=GOOD_EVENT.evidence,
)


def _only(v_facts: list[object]) -> object:
    assert len(v_facts) == 1
    return v_facts[0]


def test_correct_facts_verified() -> None:
    v = verify(
        sheet(people=[GOOD_PERSON], figures=[GOOD_FIGURE], events=[GOOD_EVENT]),
        seed_article(ART1),
    )
    assert [c.status for c in v.facts] == ["verified"] * 3
    assert [c.kind for c in v.facts] == ["people", "figures", "events"]
    assert all(c.problems == [] for c in v.facts)
    assert v.ok and v.verified_rate == 1.0


def test_invented_quote() -> None:
    fig = GOOD_FIGURE.model_copy(
        update={
            "evidence": "Hiện nay, Thanh Hoá có 150 dự án FDI với tổng số vốn là 14,245 tỷ USD."
        }
    )
    v = verify(sheet(figures=[fig]), seed_article(ART1))
    (c,) = v.facts
    assert c.status == "evidence_not_found"
    assert c.alignment is None and c.where is None and c.problems
    assert v.by_status["evidence_not_found"] == 1 and not v.ok


def test_scaled_value() -> None:
    fig = GOOD_FIGURE.model_copy(update={"value": 14_245_000_000_000})
    v = verify(sheet(figures=[fig]), seed_article(ART1))
    (c,) = v.facts
    assert c.status == "value_mismatch"
    assert any("×1000" in p for p in c.problems), c.problems
    assert c.alignment is not None and c.where == "body"


def test_figure_text_not_in_evidence_and_wrong_unit() -> None:
    fig = GOOD_FIGURE.model_copy(update={"text": "14,415 tỷ USD", "value": 14_415_000_000})
    (c,) = verify(sheet(figures=[fig]), seed_article(ART1)).facts
    assert c.status == "value_mismatch"
    assert any("not in its evidence" in p for p in c.problems)
    fig = GOOD_FIGURE.model_copy(update={"unit": "VND"})
    (c,) = verify(sheet(figures=[fig]), seed_article(ART1)).facts
    assert c.status == "value_mismatch"
    assert any("unit" in p for p in c.problems)


def test_swapped_date() -> None:
    ev = GOOD_EVENT.model_copy(update={"date": "2020-06-07"})  # day and month swapped
    (c,) = verify(sheet(events=[ev]), seed_article(ART1)).facts
    assert c.status == "value_mismatch"
    assert any("2020-07-06" in p for p in c.problems), c.problems
    ev = GOOD_EVENT.model_copy(update={"date": "2021-07-06"})  # wrong year
    (c,) = verify(sheet(events=[ev]), seed_article(ART1)).facts
    assert c.status == "value_mismatch"
    ev = GOOD_EVENT.model_copy(update={"date": "6/7/2020"})  # not ISO
    (c,) = verify(sheet(events=[ev]), seed_article(ART1)).facts
    assert c.status == "value_mismatch"


def test_event_date_from_elsewhere_in_body() -> None:
    ev = Event(
        what_vi="Đoàn làm việc",
        what_en="The delegation works",
        date="2020-07-06",
        where=None,
        evidence="Chủ tịch UBND tỉnh Nguyễn Đình Xứng tiếp và làm việc với đoàn.",
    )
    (c,) = verify(sheet(events=[ev]), seed_article(ART1)).facts
    assert c.status == "verified" and c.notes
    ev = ev.model_copy(update={"date": "2020-07-01"})
    (c,) = verify(sheet(events=[ev]), seed_article(ART1)).facts
    assert c.status == "value_mismatch"


def test_quoted_from_related_clutter() -> None:
    st = Statement(
        speaker="Nguyễn Hồng Phong",
        kind="informs",
        content_vi="Lưu ý cán bộ",
        content_en="Advises officials",
        addressee=None,
        evidence="Chiều 18/12, Ủy ban Kiểm tra Trung ương phối hợp với Tỉnh ủy Thanh Hóa tổ chức"
        " bế giảng lớp Bồi dưỡng nghiệp vụ chuyên sâu",
    )
    v = verify(sheet(statements=[st]), seed_article(ART1))
    (c,) = v.facts
    assert c.status == "outside_body"
    assert c.where == "clutter" and c.alignment is not None
    assert c.alignment.reason == "related"
    assert v.by_status["outside_body"] == 1 and not v.ok


def test_person_name_must_be_in_evidence() -> None:
    p = GOOD_PERSON.model_copy(update={"name": "Nguyễn Đình Xứng"})
    (c,) = verify(sheet(people=[p]), seed_article(ART1)).facts
    assert c.status == "value_mismatch"
    assert any("Nguyễn Đình Xứng" in x for x in c.problems)
    # Tolerant: tone placement and case.
    p = GOOD_PERSON.model_copy(update={"name": "LÊ HOÀI TRUNG"})
    (c,) = verify(sheet(people=[p]), seed_article(ART1)).facts
    assert c.status == "verified"


def test_organization_name_must_be_in_evidence() -> None:
    org = Organization(
        name="Bộ Ngoại giao",
        name_en="Ministry of Foreign Affairs",
        country=None,
        evidence=GOOD_EVENT.evidence,
    )
    (c,) = verify(sheet(organizations=[org]), seed_article(ART1)).facts
    assert c.status == "verified"  # "Bộ ngoại giao" in the page: case is not a mismatch
    org = org.model_copy(update={"name": "Bộ Công Thương"})
    (c,) = verify(sheet(organizations=[org]), seed_article(ART1)).facts
    assert c.status == "value_mismatch"


def test_numbers_in_descriptions() -> None:
    fig = GOOD_FIGURE.model_copy(
        update={"measure_en": "total capital of 150 FDI projects", "measure_vi": "tổng vốn"}
    )
    (c,) = verify(sheet(figures=[fig]), seed_article(ART1)).facts
    assert c.status == "value_mismatch"
    assert any("150" in p for p in c.problems)
    fig = GOOD_FIGURE.model_copy(update={"measure_en": "total capital of 132 FDI projects"})
    (c,) = verify(sheet(figures=[fig]), seed_article(ART1)).facts
    assert c.status == "verified"
    fig = GOOD_FIGURE.model_copy(update={"measure_en": "about US$14.2 billion in FDI"})
    (c,) = verify(sheet(figures=[fig]), seed_article(ART1)).facts
    assert c.status == "verified"  # correctly rounded


def test_caption_evidence() -> None:
    stem = "002_b3ca734f93e010ae"
    p = Person(
        name="Nguyễn Hoàng Long",
        role_vi="Cục trưởng Cục Ngoại vụ",
        role_en="Director General of the Department of External Relations",
        organization="Bộ Ngoại giao",
        evidence="Ông Nguyễn Hoàng Long, Cục trưởng Cục Ngoại vụ, Bộ Ngoại giao",
    )
    (c,) = verify(sheet(people=[p]), seed_article(stem)).facts
    assert c.status == "verified" and c.where == "caption"
    assert c.alignment is not None and c.alignment.page_span is not None
    ps = c.alignment.page_span
    assert seed_article(stem).page[ps.start : ps.end] == p.evidence


def test_mixed_sheet_counts() -> None:
    bad_fig = GOOD_FIGURE.model_copy(update={"value": 14_245})
    lost = GOOD_FIGURE.model_copy(update={"evidence": "Không có câu này trong bài báo."})
    v = verify(
        sheet(people=[GOOD_PERSON], figures=[GOOD_FIGURE, bad_fig, lost], events=[GOOD_EVENT]),
        seed_article(ART1),
    )
    assert v.total == 5
    assert v.by_status == {
        "verified": 3,
        "evidence_not_found": 1,
        "value_mismatch": 1,
        "implausible_value": 0,
        "outside_body": 0,
    }
    assert v.verified_rate == pytest.approx(0.6)
    assert [c.index for c in v.facts if c.kind == "figures"] == [0, 1, 2]
    assert any("÷1000000" in p for p in v.facts[2].problems), v.facts[2].problems
    assert not v.ok


# --- coverage ----------------------------------------------------------------------------------


def test_uncovered_money_and_percent() -> None:
    ref = reference(ART1)
    figures = [f for f in ref.facts.figures if f.text not in ("622 triệu USD", "48%")]
    facts = ref.facts.model_copy(update={"figures": figures})
    article = seed_article(ART1)
    v = verify(facts, article)
    assert [u.quantity.text for u in v.uncovered] == ["48%", "622 triệu USD"]
    for u in v.uncovered:
        assert article.body[u.quantity.span.start : u.quantity.span.end] == u.quantity.text
        assert article.page[u.page_span.start : u.page_span.end] == u.quantity.text
    assert 0 < v.coverage_rate < 1
    assert v.ok  # coverage is reported, it does not fail verification


def test_coverage_ignores_qualifiers_and_counts() -> None:
    fig = Figure(
        text="gần 500 triệu USD",
        value=500_000_000,
        unit="USD",
        measure_vi="vốn Đài Loan",
        measure_en="Taiwanese capital",
        period=None,
        evidence="23 dự án của Đài Loan với tổng vốn đăng ký đầu tư gần 500 triệu USD",
    )
    v = verify(sheet(figures=[fig]), seed_article(ART1))
    texts = [u.quantity.text for u in v.uncovered]
    assert "gần 500 triệu USD" not in texts
    assert "14,245 tỷ USD" in texts
    assert all(u.quantity.kind in ("money", "percent") for u in v.uncovered)


# --- summary ------------------------------------------------------------------------------------


def test_summary_with_wrong_numbers() -> None:
    ref = reference(ART1)
    s = ref.summary
    wrong = Summary(
        headline_vi=s.headline_vi,
        headline_en=s.headline_en,
        summary_vi=s.summary_vi.replace("14,245 tỷ USD", "14,5 tỷ USD"),
        summary_en=s.summary_en.replace("US$14.245 billion", "US$14,245 billion"),
        key_points_vi=s.key_points_vi,
        key_points_en=[*s.key_points_en[:-1], "Thanh Hoa attracted 150 projects in 2019."],
    )
    v = verify(ref.facts, seed_article(ART1), wrong)
    unsupported = [(c.field, c.kind, c.text) for c in v.summary if not c.supported]
    last = f"key_points_en[{len(s.key_points_en) - 1}]"
    assert ("summary_vi", "quantity", "14,5 tỷ USD") in unsupported
    assert ("summary_en", "quantity", "US$14,245 billion") in unsupported
    assert (last, "quantity", "150 projects") in unsupported
    assert (last, "year", "2019") in unsupported
    assert v.summary_unsupported == len(unsupported) == 4
    assert not v.ok
    for c in v.summary:
        assert c.text == _field(wrong, c.field)[c.span.start : c.span.end]


def test_summary_rounding_and_dates() -> None:
    ref = reference(ART1)
    s = ref.summary.model_copy(
        update={
            "summary_en": "On July 6 the province reported US$14.2 billion of FDI, 132 projects.",
            "summary_vi": "Ngày 5/7, tỉnh báo cáo 14,2 tỷ USD.",
            "key_points_en": ["On July 7 it had about US$14 billion."],
            "key_points_vi": ["Tỉnh có 14,3 tỷ USD."],
        }
    )
    v = verify(ref.facts, seed_article(ART1), s)
    status = {(c.field, c.text): c.supported for c in v.summary}
    assert status[("summary_en", "US$14.2 billion")]
    assert status[("summary_en", "July 6")]
    assert status[("summary_vi", "14,2 tỷ USD")]
    assert status[("summary_vi", "5/7")]  # "chiều qua 5/7" in the body
    assert status[("key_points_en[0]", "about US$14 billion")]
    assert not status[("key_points_en[0]", "July 7")]
    assert not status[("key_points_vi[0]", "14,3 tỷ USD")]  # 14.245 does not round to 14.3


def _field(summary: Summary, name: str) -> str:
    if "[" in name:
        base, idx = name.rstrip("]").split("[")
        return str(getattr(summary, base)[int(idx)])
    return str(getattr(summary, name))


# --- ids ----------------------------------------------------------------------------------------


def test_fact_ids_are_stable() -> None:
    a = fact_id("figures", GOOD_FIGURE)
    assert a == fact_id("figures", GOOD_FIGURE.model_copy())
    assert a.startswith("figures-") and len(a) == len("figures-") + 12
    # Measure wording is not identity; evidence whitespace / tone placement is folded.
    assert a == fact_id("figures", GOOD_FIGURE.model_copy(update={"measure_en": "FDI"}))
    assert a == fact_id(
        "figures",
        GOOD_FIGURE.model_copy(update={"evidence": GOOD_FIGURE.evidence.replace("Hoá", "Hóa")}),
    )
    assert a != fact_id("figures", GOOD_FIGURE.model_copy(update={"text": "132 dự án"}))
    assert fact_id("people", GOOD_PERSON) != fact_id(
        "people", GOOD_PERSON.model_copy(update={"name": "Nguyễn Đình Xứng"})
    )
    v1 = verify(sheet(figures=[GOOD_FIGURE]), seed_article(ART1))
    v2 = verify(sheet(figures=[GOOD_FIGURE]), seed_article(ART1))
    assert v1.facts[0].fact_id == v2.facts[0].fact_id == a


def test_empty_sheet() -> None:
    v = verify(sheet(), seed_article(ART1))
    assert v.total == 0 and v.verified_rate == 1.0 and v.ok
    assert v.uncovered  # the body's money and percent figures are all uncovered
    assert v.coverage_rate == 0.0
