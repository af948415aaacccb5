"""Evidence alignment (`summarizer.align`)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest

from summarizer.align import MIN_QUOTE_CHARS, align, contains_folded, find_folded, fold
from summarizer.article import Article, RemovalReason, Removed, Segment, SourceMap, Span
from summarizer.schemas import ArticleExtraction

ROOT = Path(__file__).resolve().parent.parent


def make_article(
    page: str,
    keep: Sequence[tuple[int, int]],
    *,
    removed: Sequence[tuple[int, int, RemovalReason]] = (),
    captions: Sequence[str] = (),
    published: dt.date | None = None,
) -> Article:
    """An Article whose body is the `keep` slices of `page`, joined by blank lines, with a
    SourceMap of verbatim segments (so body offsets differ from page offsets)."""
    parts: list[str] = []
    segments: list[Segment] = []
    n = 0
    for s, e in keep:
        if parts:
            parts.append("\n\n")
            n += 2
        segments.append(Segment(body_start=n, body_end=n + e - s, page_start=s, page_end=e))
        parts.append(page[s:e])
        n += e - s
    return Article(
        id="test",
        source_path=None,
        sha256="0" * 64,
        title="t",
        published=published,
        byline=None,
        source=None,
        body="".join(parts),
        captions=list(captions),
        page=page,
        body_map=SourceMap(segments=segments),
        removed=[
            Removed(span=Span(start=s, end=e), reason=r, text=page[s:e]) for s, e, r in removed
        ],
    )


PAGE = (
    "Đường dây nóng: 0237 3721150\n"  # clutter
    "Thứ trưởng Bộ ngoại giao làm việc tại Thanh Hoá\n"  # title
    "Sáng 6/7, Thứ trưởng Bộ ngoại giao Lê Hoài Trung làm việc với tỉnh Thanh Hoá.\n"
    "![]() |\n"
    "Hiện nay, Thanh Hoá có 132 dự án FDI với tổng số vốn là 14,245 tỷ USD.\n"
    "Đồng chí nhấn mạnh: “xây dựng nền ngoại giao kinh tế phục vụ phát triển” – rất quan trọng…\n"
    "Thanh Hoá có 132 dự án FDI.\n"
    "Ảnh: Chủ tịch UBND tỉnh Nguyễn Đình Xứng phát biểu tại buổi làm việc.\n"
    "Đọc thêm\n"
    "Lãnh đạo Quân khu 4 chúc mừng Tòa giám mục Thanh Hóa nhân dịp lễ Noel.\n"
)


def _line(i: int) -> tuple[int, int]:
    lines = PAGE.split("\n")
    start = sum(len(x) + 1 for x in lines[:i])
    return start, start + len(lines[i])


@pytest.fixture
def article() -> Article:
    caption_line = _line(7)
    return make_article(
        PAGE,
        [_line(2), _line(4), _line(5), _line(6)],
        removed=[
            (*_line(0), "hotline"),
            (*_line(1), "title"),
            (*_line(3), "image"),
            (caption_line[0], caption_line[1], "caption"),
            (_line(8)[0], len(PAGE), "related"),
        ],
        captions=[PAGE[caption_line[0] + len("Ảnh: ") : caption_line[1]]],
    )


def _page_text(article: Article, a_span: Span | None) -> str:
    assert a_span is not None
    return article.page[a_span.start : a_span.end]


def test_exact_in_body_maps_to_page(article: Article) -> None:
    quote = "Hiện nay, Thanh Hoá có 132 dự án FDI với tổng số vốn là 14,245 tỷ USD."
    a = align(quote, article)
    assert a is not None
    assert (a.kind, a.where) == ("exact", "body")
    assert a.body_span is not None
    assert article.body[a.body_span.start : a.body_span.end] == quote
    assert a.text == quote
    # Non-identity map: body and page offsets differ, the page text is the quote.
    assert a.page_span is not None and a.page_span.start != a.body_span.start
    assert _page_text(article, a.page_span) == quote
    assert a.span == a.body_span and a.index is None and a.reason is None


def test_first_occurrence_in_body_wins(article: Article) -> None:
    a = align("Thanh Hoá có 132 dự án FDI", article)
    assert a is not None and a.body_span is not None
    assert a.body_span.start == article.body.index("Thanh Hoá có 132 dự án FDI")
    assert article.body.count("Thanh Hoá có 132 dự án FDI") == 2


NFD = unicodedata.normalize("NFD", "Hiện nay, Thanh Hoá có 132 dự án FDI")

TOLERANT = [
    # variant of a body quote, the body text it must match
    ("Hiện  nay,\nThanh Hoá có 132   dự án FDI", "Hiện nay, Thanh Hoá có 132 dự án FDI"),
    (NFD, "Hiện nay, Thanh Hoá có 132 dự án FDI"),
    ("Hiện nay, Thanh Hóa có 132 dự án FDI", "Hiện nay, Thanh Hoá có 132 dự án FDI"),  # oá/óa
    (
        '"xây dựng nền ngoại giao kinh tế phục vụ phát triển" - rất quan trọng...',
        "“xây dựng nền ngoại giao kinh tế phục vụ phát triển” – rất quan trọng…",
    ),
    (
        "phục vụ phát triển” — rất quan trọng",  # em dash for en dash
        "phục vụ phát triển” – rất quan trọng",
    ),
    (
        "phục vụ phát triển”-rất quan trọng",  # no spaces around the dash
        "phục vụ phát triển” – rất quan trọng",
    ),
    (
        "“Sáng 6/7, Thứ trưởng Bộ ngoại giao Lê Hoài Trung làm việc”",  # wrapped in quotes
        "Sáng 6/7, Thứ trưởng Bộ ngoại giao Lê Hoài Trung làm việc",
    ),
    (
        "Thanh Hoá có 132 dự án FDI với tổng số vốn là 14,245 tỷ USD;",  # end punctuation
        "Thanh Hoá có 132 dự án FDI với tổng số vốn là 14,245 tỷ USD",
    ),
    (
        "Thứ trưởng Bộ ngoại giao Lê Hoài Trung\u00a0làm việc",  # no-break space
        "Thứ trưởng Bộ ngoại giao Lê Hoài Trung làm việc",
    ),
    (
        "Thứ trưởng Bộ ngoại\u200b giao Lê Hoài Trung",  # zero-width space
        "Thứ trưởng Bộ ngoại giao Lê Hoài Trung",
    ),
]


@pytest.mark.parametrize(("quote", "expected"), TOLERANT)
def test_tolerant_variants(article: Article, quote: str, expected: str) -> None:
    a = align(quote, article)
    assert a is not None, quote
    assert a.where == "body"
    assert a.kind == "tolerant"
    assert a.text == expected
    assert a.body_span is not None
    assert article.body[a.body_span.start : a.body_span.end] == expected
    assert _page_text(article, a.page_span) == expected


def test_surrounding_whitespace_is_still_exact(article: Article) -> None:
    a = align("  Lê Hoài Trung làm việc với tỉnh Thanh Hoá. \n", article)
    assert a is not None and a.kind == "exact"
    assert a.text == "Lê Hoài Trung làm việc với tỉnh Thanh Hoá."


def test_a_different_word_is_not_a_variant(article: Article) -> None:
    assert align("làm việc với tỉnh Thanh Hòa.", article) is None  # hòa ≠ hoá (tone differs)
    assert align("làm việc với tỉnh Thanh Hoa.", article) is None  # no diacritic folding


@pytest.mark.parametrize(
    ("a", "b"),
    [("hoà", "hòa"), ("Khoá", "Khóa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("Uỷ ban", "Ủy ban")],
)
def test_tone_mark_placement_folds(a: str, b: str) -> None:
    assert fold(a) == fold(b)
    text = f"Đây là câu có chữ {a} ở giữa câu."
    assert align(f"câu có chữ {b} ở giữa", text) is not None


def test_case_is_kept() -> None:
    text = "Thủ tướng Chính phủ Phạm Minh Chính phát biểu chỉ đạo hội nghị."
    assert align("thủ tướng chính phủ phạm minh chính", text) is None
    assert align("Thủ tướng Chính phủ Phạm Minh Chính", text) is not None


def test_not_found_and_too_short(article: Article) -> None:
    assert align("Thanh Hoá có 200 dự án FDI với tổng số vốn là 20 tỷ USD.", article) is None
    assert align("Bộ trưởng Bùi Thanh Sơn phát biểu tại Hà Nội.", article) is None
    assert align("", article) is None
    assert align("   \n ", article) is None
    assert align("132 dự", article) is None  # shorter than MIN_QUOTE_CHARS
    assert len("132 dự") < MIN_QUOTE_CHARS
    assert align("...“”", article) is None


def test_caption(article: Article) -> None:
    quote = "Chủ tịch UBND tỉnh Nguyễn Đình Xứng phát biểu"
    a = align(quote, article)
    assert a is not None
    assert (a.kind, a.where, a.index) == ("exact", "caption", 0)
    assert a.body_span is None
    assert article.captions[0][a.span.start : a.span.end] == quote
    assert _page_text(article, a.page_span) == quote
    t = align("Chủ tịch UBND tỉnh  Nguyễn Đình Xứng phát biểu", article)
    assert t is not None and (t.kind, t.where) == ("tolerant", "caption")
    assert _page_text(article, t.page_span) == quote


def test_clutter(article: Article) -> None:
    quote = "Lãnh đạo Quân khu 4 chúc mừng Tòa giám mục Thanh Hóa"
    a = align(quote, article)
    assert a is not None
    assert (a.kind, a.where, a.reason) == ("exact", "clutter", "related")
    assert a.body_span is None
    assert _page_text(article, a.page_span) == quote
    t = align("Lãnh đạo Quân khu 4 chúc mừng Toà giám mục Thanh Hoá", article)
    assert t is not None and (t.kind, t.where, t.reason) == ("tolerant", "clutter", "related")
    assert _page_text(article, t.page_span) == quote
    title = align("Thứ trưởng Bộ ngoại giao làm việc tại Thanh Hoá", article)
    assert title is not None and (title.where, title.reason) == ("clutter", "title")


def test_body_is_preferred_over_clutter() -> None:
    page = "Tin chính: Thanh Hóa thu hút 37 dự án.\nTin liên quan: Thanh Hóa thu hút 37 dự án."
    art = make_article(page, [(0, 38)], removed=[(39, len(page), "related")])
    a = align("Thanh Hóa thu hút 37 dự án.", art)
    assert a is not None and a.where == "body"


def test_exact_anywhere_beats_tolerant_in_body() -> None:
    page = "Thanh Hoá thu hút 37 dự án.\nThanh Hóa thu hút 37 dự án."
    art = make_article(page, [(0, 27)], removed=[(28, len(page), "related")])
    a = align("Thanh Hóa thu hút 37 dự án.", art)
    assert a is not None and (a.kind, a.where) == ("exact", "clutter")


def test_nfd_page_and_length_changing_segment() -> None:
    """Body is NFC; the page is NFD: the segment's lengths differ and map to its start."""
    nfc_line = "Thanh Hoá có 132 dự án FDI với tổng vốn 14,245 tỷ USD."
    nfd_line = unicodedata.normalize("NFD", nfc_line)
    page = "Đọc thêm\n" + nfd_line + "\n"
    seg = Segment(body_start=0, body_end=len(nfc_line), page_start=9, page_end=9 + len(nfd_line))
    art = Article(
        id="nfd",
        source_path=None,
        sha256="0" * 64,
        title="t",
        published=None,
        byline=None,
        source=None,
        body=nfc_line,
        page=page,
        body_map=SourceMap(segments=[seg]),
        removed=[Removed(span=Span(start=0, end=8), reason="related", text="Đọc thêm")],
    )
    a = align(nfc_line, art)
    assert a is not None and a.kind == "exact"
    assert a.page_span == Span(start=9, end=9 + len(nfd_line))
    # An NFD quote against the NFC body is a tolerant match with body offsets.
    q = unicodedata.normalize("NFD", "có 132 dự án FDI")
    t = align(q, art)
    assert t is not None and t.kind == "tolerant" and t.text == "có 132 dự án FDI"


def test_nfd_source_offsets_are_original() -> None:
    text = unicodedata.normalize("NFD", "Đầu tiên. Thanh Hoá có 132 dự án FDI. Hết.")
    span = find_folded("Thanh Hoá có 132 dự án FDI", text)
    assert span is not None
    assert unicodedata.normalize("NFC", text[span.start : span.end]) == (
        "Thanh Hoá có 132 dự án FDI"
    )


def test_plain_text_source() -> None:
    text = "Ngày 14/9, đoàn công tác đã có buổi làm việc với Ban Thường vụ Tỉnh ủy Thái Bình."
    a = align("đoàn công tác đã có buổi làm việc", text)
    assert a is not None and (a.kind, a.where) == ("exact", "text")
    assert a.body_span == a.span and a.page_span is None
    t = align("Ban Thường vụ Tỉnh uỷ Thái Bình", text)
    assert t is not None and t.kind == "tolerant" and t.text == "Ban Thường vụ Tỉnh ủy Thái Bình"


def test_contains_folded() -> None:
    assert contains_folded("Bùi Thanh Sơn", "Bộ trưởng BÙI THANH SƠN", ignore_case=True)
    assert not contains_folded("Bùi Thanh Sơn", "Bộ trưởng BÙI THANH SƠN")
    assert contains_folded("Thanh Hóa", "tỉnh Thanh Hoá")
    assert not contains_folded("", "abc")


def _seed_articles() -> dict[str, tuple[Article, ArticleExtraction]]:
    from tests.test_verify import seed_article

    out = {}
    for path in sorted((ROOT / "tests" / "reference").glob("*.json")):
        ref = ArticleExtraction.model_validate_json(path.read_text(encoding="utf-8"))
        out[path.stem] = (seed_article(path.stem), ref)
    return out


def test_reference_quotes_align_on_every_seed() -> None:
    """Every reference quote, a tolerant variant of it and an invented one, on all seeds."""
    seeds = _seed_articles()
    jobs: list[tuple[Article, str, str]] = []
    for art, ref in seeds.values():
        facts = ref.facts
        for kind in ("people", "organizations", "places", "figures", "events", "statements"):
            for fact in getattr(facts, kind):
                q = fact.evidence
                jobs.append((art, q, "exact"))
                variant = q.replace(" ", "  ").replace("Thanh Hoá", "Thanh Hóa")
                jobs.append((art, unicodedata.normalize("NFD", variant), "tolerant"))
                jobs.append((art, "Theo tin mới nhất, " + q[len(q) // 2 :] + " (bịa)", "none"))
    assert len(jobs) >= 5 * 3 * 40
    results = [align(q, art) for art, q, _ in jobs]
    for (art, q, expected), a in zip(jobs, results, strict=True):
        if expected == "none":
            assert a is None, q
            continue
        assert a is not None, q
        assert a.kind == expected
        assert a.where in ("body", "caption")
        if a.where == "body":
            assert a.page_span is not None
            page_text = art.page[a.page_span.start : a.page_span.end]
            assert fold(page_text) == fold(a.text)
