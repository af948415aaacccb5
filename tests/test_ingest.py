"""Reading, decoding and text hygiene of `load_article`, and its typed errors."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import tracemalloc
import unicodedata
from datetime import date
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.article import Article, Segment, SourceMap, Span
from summarizer.errors import (
    ArticleError,
    ArticleTooLargeError,
    BinaryInputError,
    DecodeError,
    EmptyArticleError,
    MissingExtraError,
    NoBodyError,
)
from summarizer.ingest import NotARegularFileError, build_body, decode_page, load_article

TITLE = "Thanh Hóa thu hút 141 dự án FDI với tổng vốn 14,415 tỷ USD"
LEAD = (
    "Chiều ngày 21/02/2023, Đoàn công tác của Bộ Ngoại giao do Bộ trưởng Bùi Thanh Sơn dẫn đầu"
    " đã có buổi làm việc với Ban Thường vụ Tỉnh ủy Thanh Hóa."
)
P1 = (
    "Năm 2022, kim ngạch xuất khẩu của tỉnh đạt trên 5,5 tỷ USD; tổng giá trị nhập khẩu hàng"
    " hóa đạt gần 9,3 tỷ USD. Hàng hóa của tỉnh đã có mặt tại nhiều thị trường khó tính."
)
PAGE = f"{TITLE}\n\n{LEAD}\n\n{P1}\n\nTheo Thanhhoa.gov.vn\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def body_of(text: str) -> str:
    return load_article(text).body


def assert_map_exact(a: Article) -> None:
    for i, ch in enumerate(a.body):
        if a.body_map.is_exact(i):
            assert a.page[a.body_map.to_page(i)] == ch


# --- Input kinds --------------------------------------------------------------------------------


def test_path_text_and_bytes_agree(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", PAGE.encode())
    by_path, by_pathlike = load_article(path), load_article(_PathLike(str(path)))
    by_text, by_bytes = load_article(PAGE), load_article(PAGE.encode())
    assert by_path.body == by_pathlike.body == by_text.body == by_bytes.body == f"{LEAD}\n\n{P1}"
    assert by_path.source_path == str(path) and by_text.source_path is None
    digest = hashlib.sha256(PAGE.encode()).hexdigest()
    for a in (by_path, by_pathlike, by_text, by_bytes):
        assert a.sha256 == digest and a.id == digest[:16]
        assert a.title == TITLE and a.source == "Theo Thanhhoa.gov.vn"


class _PathLike:
    """An os.PathLike that is not a pathlib.Path (files come as any PathLike)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return self.path


def test_a_str_naming_an_existing_file_is_text_not_a_path(tmp_path: Path) -> None:
    """A service passing user text to load_article/summarize must not be made to read (and send
    to the provider) a local file such as /home/app/.env because the text names it."""
    secret = write(tmp_path, ".env", b"OPENAI_API_KEY=sk-live-secret-0000\n")
    article_file = write(tmp_path, "a.txt", PAGE.encode())
    with pytest.raises(NoBodyError) as info:
        load_article(str(secret))
    assert info.value.source == "<text>"
    assert "pathlib.Path" in info.value.problem
    assert "sk-live" not in str(info.value)
    # Even a name of a real article file is only the text of that name.
    with pytest.raises(NoBodyError):
        load_article(str(article_file))


def test_summarize_never_reads_a_file_a_str_names(tmp_path: Path) -> None:
    """The same rule one level up: summarize(str) fails on the text before any request."""
    from summarizer import summarize

    secret = write(tmp_path, "secret.txt", PAGE.encode())
    with pytest.raises(NoBodyError) as info:
        summarize(str(secret), client=_NoClient())  # type: ignore[arg-type]
    assert info.value.source == "<text>"


class _NoClient:
    """A client that fails the test if anything is asked of it."""

    def __getattr__(self, name: str) -> None:
        raise AssertionError(f"the model client was used ({name})")


def test_a_missing_path_object_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_article(tmp_path / "missing.txt")


# --- Decoding -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        PAGE.encode("utf-8"),
        b"\xef\xbb\xbf" + PAGE.encode("utf-8"),
        PAGE.encode("utf-16"),  # with BOM
        b"\xff\xfe" + PAGE.encode("utf-16-le"),
        b"\xfe\xff" + PAGE.encode("utf-16-be"),
        PAGE.encode("utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16le-bom", "utf16be-bom", "utf32"],
)
def test_decodes_utf8_and_utf16_with_bom(data: bytes) -> None:
    a = load_article(data)
    assert a.page == PAGE
    assert a.body == f"{LEAD}\n\n{P1}"


def _cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters with ă â ê ô ơ ư, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        d = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in d if c not in "\u0300\u0301\u0303\u0309\u0323")
        tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", base) + tones)
    return "".join(out).encode("cp1258")


def test_legacy_cp1258_is_decoded_when_it_reads_as_vietnamese() -> None:
    a = load_article(_cp1258(PAGE))
    assert a.body == f"{LEAD}\n\n{P1}"
    assert not unicodedata.is_normalized("NFC", a.page)  # tones stay combining in the page
    assert_map_exact(a)


def test_non_utf8_that_is_not_vietnamese_is_a_decode_error(tmp_path: Path) -> None:
    path = write(
        tmp_path, "latin1.txt", ("Café crème brûlée à la française. " * 5).encode("latin-1")
    )
    with pytest.raises(DecodeError) as info:
        load_article(path)
    assert info.value.source == str(path)


def test_truncated_utf8_is_a_decode_error(tmp_path: Path) -> None:
    path = write(tmp_path, "cut.txt", PAGE.encode()[:-3] + "ệ".encode()[:2])
    with pytest.raises(DecodeError) as info:
        load_article(path)
    assert info.value.source == str(path)
    assert "truncated" in info.value.problem


def test_invalid_utf8_in_the_middle_is_a_decode_error() -> None:
    data = PAGE.encode()
    with pytest.raises(DecodeError):
        load_article(data[:40] + b"\xff\xfe\xfa" + data[40:])


def test_decode_page_direct() -> None:
    assert decode_page("Xin chào".encode()) == "Xin chào"


# --- Rejections ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        PAGE.encode()[:60] + b"\x00" + PAGE.encode()[60:],
        ("Tin tức \x01\x02\x03\x04\x05\x06\x07\x08 " * 20).encode(),
    ],
    ids=["png", "pdf", "zip", "gzip", "nul", "controls"],
)
def test_binary_input(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "page.txt", data)
    with pytest.raises(BinaryInputError) as info:
        load_article(path)
    assert info.value.source == str(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\n\t  \r\n", "\u00a0\u200b\n \ufeff".encode(), b"\xef\xbb\xbf", b"\xff\xfe"],
    ids=["empty", "whitespace", "nbsp-zero-width", "bom-only", "utf16-bom-only"],
)
def test_empty_input(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(EmptyArticleError) as info:
        load_article(path)
    assert info.value.source == str(path)


def test_empty_text_and_bytes() -> None:
    for value in ("", "  \n ", b"", b" \n"):
        with pytest.raises(EmptyArticleError) as info:
            load_article(value)
        assert info.value.source == "<text>"


def test_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", PAGE.encode())
    with pytest.raises(ArticleTooLargeError) as info:
        load_article(path, max_bytes=100)
    assert info.value.source == str(path)
    with pytest.raises(ArticleTooLargeError):
        load_article(PAGE, max_bytes=100)
    with pytest.raises(ArticleTooLargeError):
        load_article(PAGE.encode(), max_bytes=100)
    assert load_article(PAGE, max_bytes=len(PAGE.encode())).body


def test_a_page_of_only_clutter_names_the_file(tmp_path: Path) -> None:
    related = "Đảng bộ xã Quảng Ninh triển khai nhiệm vụ năm 2026"
    text = "\n\n".join(
        [
            "Đường dây nóng: 0237 3721150",
            "Ý kiến bạn đọc",
            "Xem thêm bình luận",
            related,
            related,
            "20:00 , 16/12/2025",
            "Ban Chấp hành Đảng bộ xã Quảng Ninh vừa tổ chức Hội nghị lần thứ 9 đánh giá kết quả.",
            "Phiên bản di động",
        ]
    )
    path = write(tmp_path, "clutter.txt", text.encode())
    with pytest.raises(NoBodyError) as info:
        load_article(path)
    assert info.value.source == str(path)


def test_all_errors_are_article_errors() -> None:
    for cls in (EmptyArticleError, BinaryInputError, DecodeError, ArticleTooLargeError):
        assert issubclass(cls, ArticleError)


# --- Text hygiene -------------------------------------------------------------------------------


def test_nfd_input_is_composed_and_maps_to_whole_clusters() -> None:
    a = load_article(unicodedata.normalize("NFD", PAGE))
    assert a.body == f"{LEAD}\n\n{P1}"
    assert a.page == unicodedata.normalize("NFD", PAGE)
    i = a.body.index("Thường vụ")
    span = a.body_map.span_to_page(Span(start=i, end=i + len("Thường vụ")))
    assert unicodedata.normalize("NFC", a.page[span.start : span.end]) == "Thường vụ"
    j = a.body.index("ư")  # one body char, three page chars (u + horn + grave)
    one = a.body_map.span_to_page(Span(start=j, end=j + 1))
    assert unicodedata.normalize("NFC", a.page[one.start : one.end]) == "ư"
    assert_map_exact(a)


def test_mixed_composed_and_decomposed_input() -> None:
    mixed = TITLE + "\n" + unicodedata.normalize("NFD", LEAD) + "\n" + P1
    assert load_article(mixed).body == f"{LEAD}\n\n{P1}"


def test_whitespace_is_collapsed_and_invisible_chars_dropped() -> None:
    messy = LEAD.replace(" ", "  ", 3).replace("Đoàn", "Đo\u200bàn").replace(", ", ",\u00a0\t", 1)
    a = load_article(f"{TITLE}\r\n\r\n  {messy}  \r\n\r\n{P1}\r\n")
    assert a.body == f"{LEAD}\n\n{P1}"
    assert_map_exact(a)


def test_markdown_images_go_and_links_keep_their_text() -> None:
    para = (
        "![](https://cdn.example.vn/a.jpg) Theo [Bộ Ngoại giao](https://mofa.gov.vn/x), năm 2022"
        " kim ngạch ![](b.jpg) xuất khẩu của tỉnh đạt trên 5,5 tỷ USD; tổng giá trị nhập khẩu"
        " hàng hóa đạt gần 9,3 tỷ USD, tăng mạnh so với năm trước ![](c.jpg)"
    )
    a = load_article(f"{TITLE}\n{LEAD}\n{para}\n")
    assert a.body.split("\n\n")[1] == (
        "Theo Bộ Ngoại giao, năm 2022 kim ngạch xuất khẩu của tỉnh đạt trên 5,5 tỷ USD; tổng giá"
        " trị nhập khẩu hàng hóa đạt gần 9,3 tỷ USD, tăng mạnh so với năm trước"
    )
    assert_map_exact(a)
    images = [r.text for r in a.removed if r.reason == "image"]
    assert images == ["![](https://cdn.example.vn/a.jpg)", "![](b.jpg)", "![](c.jpg)"]


def test_paragraph_structure_is_kept() -> None:
    a = load_article(f"{TITLE}\n{LEAD}\n{P1}\n")
    assert a.body.split("\n\n") == [LEAD, P1]


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        ("Không để xảy ra dịch bệnh trên đàn gia cầm.Sản xuất công nghiệp tăng",
         "Không để xảy ra dịch bệnh trên đàn gia cầm. Sản xuất công nghiệp tăng"),
        ("Kết quả nổi bật là:Tốc độ tăng trưởng", "Kết quả nổi bật là: Tốc độ tăng trưởng"),
        ("Nguồn lực xây dựng đất nước.Thủ tướng", "Nguồn lực xây dựng đất nước. Thủ tướng"),
    ],
)  # fmt: skip
def test_glued_sentences_are_split(glued: str, fixed: str) -> None:
    sentence = " của tỉnh trong năm qua đạt nhiều kết quả quan trọng."
    a = load_article(f"{TITLE}\n{glued}{sentence}\n{P1}\n")
    assert a.body.split("\n\n")[0] == fixed + sentence
    space = next(i for i, (x, y) in enumerate(zip(glued, fixed, strict=False)) if x != y)
    assert a.body[space] == " " and not a.body_map.is_exact(space)
    # The inserted space maps to the capital letter it was inserted before.
    assert a.page[a.body_map.to_page(space)] == fixed[space + 1]
    assert_map_exact(a)


@pytest.mark.parametrize(
    "kept",
    [
        "theo Thanhhoa.gov.vn và Baoquocte.VN cho biết",
        "tại TP.HCM và Tp.HCM, ThS.Nguyễn Văn A, Th.S Lê B",
        "xuất khẩu đạt 1.559 triệu USD, tăng 8,3%",
        "xem https://example.com/Bai.Viet và www.Baoquocte.vn",
        "email lienhe@Baoquocte.vn",
        "các loại v.v.Ông A nói",
    ],
)
def test_no_space_is_inserted_where_a_dot_is_not_a_sentence_end(kept: str) -> None:
    lead = f"Ngày 1/3, {kept} trong buổi làm việc với lãnh đạo tỉnh về hợp tác đầu tư."
    a = load_article(f"{TITLE}\n{lead}\n{P1}\n")
    assert a.body.split("\n\n")[0] == lead


def test_source_map_basics() -> None:
    smap = SourceMap(
        segments=[
            Segment(body_start=0, body_end=3, page_start=10, page_end=13),
            Segment(body_start=3, body_end=4, page_start=13, page_end=16, exact=False),
            Segment(body_start=4, body_end=5, page_start=16, page_end=16, exact=False),
            Segment(body_start=5, body_end=8, page_start=16, page_end=19),
        ]
    )
    assert [smap.to_page(i) for i in range(9)] == [10, 11, 12, 13, 16, 16, 17, 18, 19]
    assert smap.is_exact(0) and not smap.is_exact(3) and not smap.is_exact(4)
    assert smap.span_to_page(Span(start=1, end=4)) == Span(start=11, end=16)
    assert smap.span_to_page(Span(start=3, end=6)) == Span(start=13, end=17)
    assert smap.span_to_page(Span(start=2, end=2)) == Span(start=12, end=12)
    assert SourceMap().to_page(5) == 5


def test_build_body_joins_paragraph_spans() -> None:
    page = "ab  c\n\nx\u0301y\nz"
    body, smap = build_body(
        page, [Span(start=0, end=5), Span(start=7, end=10), Span(start=11, end=12)]
    )
    assert body == "ab c\n\nxý\n\nz".replace("xý", unicodedata.normalize("NFC", "x\u0301y"))
    assert smap.to_page(body.index("z")) == 11


_WORDS = st.sampled_from(
    ["Thanh", "Hóa", "Ngoại", "giao", "đầu", "tư", "Hủa", "Phăn", "14,245", "tỷ", "USD", "năm"]
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    paragraphs=st.lists(st.lists(_WORDS, min_size=8, max_size=30), min_size=1, max_size=5),
    form=st.sampled_from(["NFC", "NFD"]),
    spaces=st.sampled_from([" ", "  ", "\u00a0", " \t"]),
)
def test_every_body_char_maps_back(
    paragraphs: list[list[str]], form: Literal["NFC", "NFD"], spaces: str
) -> None:
    paras = [
        spaces.join(["Theo", "báo", "cáo", "mới", "nhất,", *words]) + "." for words in paragraphs
    ]
    text = unicodedata.normalize(form, "Tiêu đề bài viết về ngoại giao\n\n" + "\n\n".join(paras))
    a = load_article(text)
    assert unicodedata.is_normalized("NFC", a.body)
    expected = [" ".join(unicodedata.normalize("NFC", p).split()) for p in paras]
    assert a.body.split("\n\n") == expected
    for i, ch in enumerate(a.body):
        p = a.body_map.to_page(i)
        if a.body_map.is_exact(i):
            assert a.page[p] == ch
        else:
            span = a.body_map.span_to_page(Span(start=i, end=i + 1))
            assert ch.isspace() or unicodedata.normalize("NFC", a.page[span.start : span.end]) == ch


HTML_PAGE = """<!doctype html><html><head><title>Thứ trưởng làm việc tại Thanh Hóa | Báo X</title>
<meta property="article:published_time" content="2020-07-06T08:00:00+07:00"></head><body>
<nav><a href="/">Trang chủ</a> &gt; <a href="/thoi-su">Thời sự</a></nav>
<article><h1>Thứ trưởng Bộ Ngoại giao làm việc tại Thanh Hóa</h1>
<p>Sáng 6/7, đoàn công tác của Bộ Ngoại giao do Thứ trưởng Lê Hoài Trung dẫn đầu đã có buổi
làm việc với tỉnh Thanh Hóa.</p>
<p>Hiện nay, Thanh Hoá có 132 dự án FDI với tổng số vốn là 14,245 tỷ USD.
<script>alert(1)</script></p>
<p>Chủ tịch UBND tỉnh Nguyễn Đình Xứng đề nghị Bộ Ngoại giao hỗ trợ tỉnh xúc tiến đầu tư.</p>
</article><aside><h3>Tin liên quan</h3><ul><li><a href="/x">Phạm Văn Khác dự hội nghị</a></li></ul>
</aside><footer>© Báo X</footer></body></html>"""


def test_html_goes_through_the_main_content_extractor(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    article = load_article(path)
    assert article.title == "Thứ trưởng Bộ Ngoại giao làm việc tại Thanh Hóa"
    assert article.published == date(2020, 7, 6)
    assert "14,245 tỷ USD" in article.body
    assert "Nguyễn Đình Xứng" in article.body
    for clutter in ("Trang chủ", "Tin liên quan", "Phạm Văn Khác", "alert", "<p>", "©"):
        assert clutter not in article.body
    assert "<" not in article.page  # the page is the extracted text, not the markup


def test_html_without_article_text_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>Trang chủ</nav></body></html>", encoding="utf-8")
    with pytest.raises(NoBodyError, match=r"empty\.html"):
        load_article(path)


def test_html_without_the_html_extra_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if not installed
    with pytest.raises(MissingExtraError, match=r"page\.html: .*summarizer\[html\]"):
        load_article(path)


# --- Hostile and unusual inputs (reliability) ------------------------------------------------


SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"


def _cp1258_as_windows_writes_it(text: str) -> bytes:
    """Windows-1258 the way Windows converts NFC text: a precomposed letter where the code page
    has one (á, ê, ơ, đ), else the base letter followed by combining tone marks (ệ = ê + ̣)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


_VNI_TONE = dict(zip("\u0301\u0300\u0309\u0303\u0323", "ùøûõï", strict=True))
_VNI_CIRCUMFLEX = dict(zip("\u0301\u0300\u0309\u0303\u0323", "áàåãä", strict=True))
_VNI_BREVE = dict(zip("\u0301\u0300\u0309\u0303\u0323", "éèúüë", strict=True))
_VNI_I = dict(zip("\u0301\u0300\u0309\u0303\u0323", "íìæóò", strict=True))


def _vni(text: str) -> bytes:
    """Vietnamese as the VNI fonts store it: base letter + modifier bytes ("Vieät Nam")."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        if not marks or not base.isascii():
            out.append(ch)
            continue
        tone = next((m for m in marks if m in _VNI_TONE), None)
        up = str.upper if base.isupper() else str
        if "\u031b" in marks:  # horn: ơ → ô, ư → ö, then the tone
            out.append(up("ô" if base in "oO" else "ö") + (up(_VNI_TONE[tone]) if tone else ""))
        elif "\u0302" in marks:  # circumflex
            out.append(base + up(_VNI_CIRCUMFLEX[tone] if tone else "â"))
        elif "\u0306" in marks:  # breve
            out.append(base + up(_VNI_BREVE[tone] if tone else "ê"))
        elif base in "iI" and tone:
            out.append(up(_VNI_I[tone]))
        else:
            out.append(base + (up(_VNI_TONE[tone]) if tone else ""))
    return "".join(out).encode("cp1252")


@pytest.mark.parametrize("seed", sorted(SEED_DIR.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_windows_1258_as_windows_writes_it_is_decoded(seed: Path) -> None:
    expected = load_article(seed)
    a = load_article(_cp1258_as_windows_writes_it(seed.read_text(encoding="utf-8")))
    assert a.body == expected.body and a.title == expected.title
    assert_map_exact(a)


def test_vni_is_refused_with_a_hint_not_misread_as_windows_1258(tmp_path: Path) -> None:
    # No i with a tone mark here: read as Windows-1258 this used to pass for Vietnamese
    # ("Ñoaøn coâng taùc ..."), and the model would have been sent mojibake.
    text = (
        "Đoàn công tác làm việc với Thanh Hóa\n\nHai bên thống nhất tăng cường hợp tác trong"
        " thời gian tới, đẩy mạnh xúc tiến đầu tư và thương mại trên cả nước.\n\nTỉnh đề xuất"
        " Bộ hỗ trợ tổ chức các hoạt động đối ngoại trong năm tới.\n"
    )
    assert _vni(text).decode("cp1252").startswith("Ñoaøn coâng taùc")
    for name, data in [("short", _vni(text)), ("seed", _vni(PAGE))]:
        path = write(tmp_path, f"{name}.txt", data)
        with pytest.raises(DecodeError, match="VNI") as info:
            load_article(path)
        assert info.value.source == str(path) and "convert the file to UTF-8" in str(info.value)


def test_other_legacy_bytes_say_how_to_fix_them(tmp_path: Path) -> None:
    # TCVN3-style: each Vietnamese letter one byte of the upper half (ă â ê ô ơ ư đ as TCVN3).
    letters = "ăâêôơưđàảãáạ"
    codes = [*range(0xA8, 0xAF), *range(0xB5, 0xBA)]
    table = {c: bytes([b]) for c, b in zip(letters, codes, strict=True)}
    others = sorted({c for c in unicodedata.normalize("NFC", PAGE) if ord(c) > 127} - set(table))
    table.update({c: bytes([0xBA + i]) for i, c in enumerate(others)})
    data = b"".join(table.get(c, c.encode()) for c in unicodedata.normalize("NFC", PAGE))
    path = write(tmp_path, "tcvn3.txt", data)
    with pytest.raises(DecodeError) as info:
        load_article(path)
    assert info.value.source == str(path)
    assert "convert VNI or TCVN3 files to UTF-8" in info.value.problem


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    hung = threading.Event()

    def unblock() -> None:  # if load_article blocks on the FIFO, free it after 5 s and say so
        hung.set()
        with fifo.open("wb"):
            pass

    watchdog = threading.Timer(5.0, unblock)
    watchdog.start()
    try:
        with pytest.raises(NotARegularFileError, match="FIFO") as info:
            load_article(fifo)
    finally:
        watchdog.cancel()
    assert not hung.is_set()
    assert info.value.source == str(fifo) and isinstance(info.value, OSError)


def test_directories_and_devices_are_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    device = tmp_path / "zero.txt"
    device.symlink_to("/dev/zero")
    for path, kind in [(folder, "directory"), (device, "character device")]:
        with pytest.raises(NotARegularFileError, match=kind) as info:
            load_article(path)
        assert isinstance(info.value, OSError) and isinstance(info.value, ArticleError)
        assert str(path) in str(info.value)


def test_a_symlink_loop_is_an_os_error_naming_the_file(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(OSError, match="symbolic links") as info:
        load_article(a)
    assert str(a) in str(info.value)


def _load_as_nobody(path: Path) -> tuple[str, str]:
    """load_article(path) in a forked child that has given up root (chmod 000 does not stop
    root): returns the error's type and message."""
    read, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        try:
            os.setgid(65534)
            os.setuid(65534)
            load_article(path)
            result = ("no error", "")
        except BaseException as exc:
            result = (type(exc).__name__, str(exc))
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    kind, message = json.loads(data)
    return kind, message


def test_an_unreadable_file_is_an_os_error_naming_the_file() -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)  # the unprivileged child must reach the file, not read it
        path = folder / "secret.txt"
        path.write_text(PAGE, encoding="utf-8")
        path.chmod(0)
        if os.geteuid() == 0:
            if not hasattr(os, "fork"):
                pytest.skip("running as root without fork(): chmod 000 does not stop root")
            kind, message = _load_as_nobody(path)
        else:
            with pytest.raises(OSError) as info:
                load_article(path)
            kind, message = type(info.value).__name__, str(info.value)
        assert kind == "PermissionError" and str(path) in message
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_fifty_megabytes_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: no disk used
    tracemalloc.start()
    try:
        with pytest.raises(ArticleTooLargeError, match="52428800 bytes") as info:
            load_article(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.source == str(path)
    assert peak < 256 * 1024  # nothing of the file was read
