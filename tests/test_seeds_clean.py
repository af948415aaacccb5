"""The five seed pages: what must stay in the body, what must go, and the metadata found."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from summarizer.article import Article, Span
from summarizer.ingest import load_article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def paragraphs(article: Article) -> list[str]:
    return article.body.split("\n\n")


def assert_map_exact(article: Article) -> None:
    """Every body char maps into the page: copies land on the same char, NFC clusters on theirs."""
    body, page, smap = article.body, article.page, article.body_map
    assert smap.to_page(len(body)) <= len(page)
    for i, ch in enumerate(body):
        p = smap.to_page(i)
        assert 0 <= p <= len(page)
        if smap.is_exact(i):
            assert page[p] == ch, (i, ch, page[p])
        else:
            span = smap.span_to_page(Span(start=i, end=i + 1))
            source = page[span.start : span.end]
            assert ch.isspace() or unicodedata.normalize("NFC", source) == ch, (i, ch, source)


ALL = ["000", "001", "002", "003", "004"]


@pytest.fixture(scope="module", params=ALL)
def any_seed(request: pytest.FixtureRequest) -> Article:
    return load_article(seed(request.param))


# --- Properties every seed shares ------------------------------------------------------------


def test_body_is_nfc_clean_and_maps_back(any_seed: Article) -> None:
    a = any_seed
    assert unicodedata.is_normalized("NFC", a.body)
    assert "  " not in a.body
    assert "\n\n\n" not in a.body
    assert all(p == p.strip() and p for p in paragraphs(a))
    assert a.title and a.title not in a.body
    assert_map_exact(a)


def test_removed_spans_point_at_the_page(any_seed: Article) -> None:
    a = any_seed
    for r in a.removed:
        assert a.page[r.span.start : r.span.end] == r.text
    for caption in a.captions:
        assert caption not in paragraphs(a)


@pytest.mark.parametrize("name", ALL)
def test_nfd_input_gives_the_same_body_and_maps_to_clusters(name: str) -> None:
    nfc = load_article(seed(name))
    text = seed(name).read_text(encoding="utf-8")
    nfd = load_article(unicodedata.normalize("NFD", text).encode("utf-8"))
    assert nfd.body == nfc.body
    assert nfd.title == nfc.title and nfd.captions == nfc.captions
    assert nfd.published == nfc.published
    assert_map_exact(nfd)
    # A composed char maps to its whole decomposed cluster in the page.
    i = nfd.body.index("Ngoại")
    span = nfd.body_map.span_to_page(Span(start=i, end=i + len("Ngoại")))
    assert unicodedata.normalize("NFC", nfd.page[span.start : span.end]) == "Ngoại"


def test_id_is_stable_and_content_derived() -> None:
    a, b = load_article(seed("000")), load_article(seed("000").read_bytes())
    assert a.id == b.id and len(a.id) == 16 and a.sha256.startswith(a.id)
    assert a.id != load_article(seed("001")).id
    assert a.source_path == str(seed("000")) and b.source_path is None


# --- 000: three quarters of the page is related-article teasers --------------------------------


def test_seed_000() -> None:
    a = load_article(seed("000"))
    assert a.title == "Đoàn công tác của Bộ Ngoại giao làm việc với tỉnh Thanh Hóa"
    assert a.published == dt.date(2023, 3, 2)
    assert a.source == "Nguồn: Chuyên mục Thông tin đối ngoại ngày 02/03/2023"
    assert a.byline is None
    assert a.captions == []
    ps = paragraphs(a)
    assert len(ps) == 4
    assert ps[0].startswith("Dưới sự chủ trì của đồng chí Bùi Thanh Sơn")  # the sapo is body
    assert "kỷ niệm 50 năm thiết lập quan hệ ngoại giao Việt Nam – Nhật Bản" in a.body
    assert ps[-1].endswith(
        "chương trình phối hợp công tác năm 2023 giữa hai bên để triển khai thực hiện."
    )
    for gone in [
        "Đường dây nóng",
        "0237 3721150",
        "02/03/2023 21:15",
        "Ảnh 2",
        "Nguồn:",
        "Ý kiến bạn đọc",
        "Xem thêm bình luận",
        "19:57",
        "Bảng giá đất",
        # names and places that only the related teasers mention
        "Nguyễn Hoài Anh",
        "Lê Quang Hùng",
        "Nguyễn Hồng Phong",
        "Hủa Phăn",
        "Viêng Chăn",
    ]:
        assert gone not in a.body, gone
    reasons = {r.reason for r in a.removed}
    assert {"hotline", "timestamp", "image", "source", "comments", "related", "title"} <= reasons
    related = sum(len(r.text) for r in a.removed if r.reason == "related")
    assert related > 0.6 * len(a.page)


# --- 001: image stubs, "Theo ..." attribution, "Bài viết cùng chuyên mục" ------------------------


def test_seed_001() -> None:
    a = load_article(seed("001"))
    assert a.title == "Thứ trưởng Bộ ngoại giao làm việc tại Thanh Hoá"
    assert a.published == dt.date(2020, 7, 6)
    assert a.source == "Theo Thời sự tối 6/7/2020"
    assert a.byline is None
    ps = paragraphs(a)
    assert ps[0].startswith("Sáng 6/7, đoàn công tác của Bộ ngoại giao Việt Nam")
    assert ps[-1] == (
        "Trước đó, vào chiều qua 5/7, Thứ trưởng Bộ ngoại giao Lê Hoài Trung và đoàn công tác đã"
        " đi thăm, khảo sát thực tế tại Đàn tế Nam Giao và phòng trưng bày hiện vật Thành Nhà Hồ."
    )
    for figure in [
        "gần 15 tỷ USD",
        "Tỉnh Hủa Phăn (CHDCND Lào)",
        "1,6 tỷ USD",
        "11,4% tổng vốn đầu tư FDI",
        "gần 500 triệu USD",
        "6,55 tỷ USD",
        "(9,300 tỷ USD)",
        "(2.793 triệu USD)",
        "1.559 triệu USD",
        "2.849 triệu USD",
        "132 dự án FDI với tổng số vốn là 14,245 tỷ USD",
        "0,7 % tổng lượt khách",
        "trên 62.000 tỷ đồng",
        "1 trong 6 di sản văn hoá thế giới",
    ]:
        assert figure in a.body, figure
    for gone in [
        "![]()",
        "(TTV)",
        "Theo Thời sự",
        "Bài viết cùng chuyên mục",
        "Đọc thêm",
        "Bế giảng lớp",
        "Hoàng Văn Trà",
        "Nguyễn Hoài Anh",
        "Phạm Thế Tùng",
        "Bình luận",
        "Thông báo",
        "Bạn đã gửi thành công",
    ]:
        assert gone not in a.body, gone


# --- 002: byline, "TIN LIÊN QUAN" box, slugs, captions with a fact, doubled related titles -------


def test_seed_002() -> None:
    a = load_article(seed("002"))
    assert a.title == (
        "Bộ Ngoại giao phối hợp với tỉnh Thái Bình tích cực triển khai công tác đối ngoại"
    )
    assert a.byline == "Anh Sơn"
    # Only "Ngày 14/9" is given; the body names one year ("năm 2020"), so the year is inferred.
    assert a.published == dt.date(2020, 9, 14)
    assert a.source is None
    ps = paragraphs(a)
    assert ps[0].startswith("Ngày 14/9, đoàn công tác của Đảng ủy Bộ Ngoại giao")
    assert ps[-1].startswith(
        "Trong chương trình thăm làm việc tại Tỉnh, Đoàn công tác đã đến viếng"
    )
    assert "Nghệ thuật chèo" in a.body
    assert len(a.captions) == 4
    assert all(c.endswith("(Ảnh: Tuấn Anh)") for c in a.captions)
    assert any("50 triệu đồng" in c for c in a.captions)  # a caption holds a real fact
    assert "50 triệu đồng" not in a.body
    for gone in [
        "TGVN",
        "Anh Sơn\n",
        "Theo dõi Baoquocte.vn",
        "TIN LIÊN QUAN",
        "Trao Quyết định chuẩn y",
        "Địa chỉ đầu tư tin cậy",
        "bo ngoai giao",
        "bo-ngoai-giao",
        "(Ảnh: Tuấn Anh)",
        "Các Bộ trưởng Ngoại giao ASEAN",
        "Hoàng Bình Quân",
        "Bình Dương",
        "EVFTA",
        "VCB Tablet",
        "Giá vàng",
        "Tô Lâm",
        "Đọc thêm",
        "Phiên bản di động",
    ]:
        assert gone not in a.body, gone
    assert "Anh Sơn" not in ps


# --- 003: caption lines between paragraphs, glued sentences ------------------------------------


def test_seed_003() -> None:
    a = load_article(seed("003"))
    assert a.title.startswith("Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn cùng Đoàn công tác")
    assert a.published == dt.date(2023, 2, 21)
    assert a.source == "Theo Thanhhoa.gov.vn"
    assert a.byline is None
    ps = paragraphs(a)
    assert ps[0].startswith("Chiều ngày 21/02/2023, Đoàn công tác của Bộ Ngoại giao")
    assert ps[-1].startswith("Nhân dịp này, trước sự chứng kiến của Bộ trưởng")
    assert "trên đàn gia súc, gia cầm. Sản xuất công nghiệp" in a.body
    assert "nổi bật là: Tốc độ tăng trưởng" in a.body
    assert "các đối tác mới. Năm 2022" in a.body  # double space collapsed
    for figure in ["12,51%", "51.000 tỷ đồng", "3.761 doanh nghiệp", "(75,11%)", "Hủa Phăn",
                   "14,415 tỷ USD", "5,5 tỷ USD", "9,3 tỷ USD", "Hang Con Moong"]:  # fmt: skip
        assert figure in a.body, figure
    expected_captions = [
        "Lãnh đạo tỉnh Thanh Hóa tặng quà lưu niệm cho Đoàn công tác do Bộ trưởng Bộ Ngoại giao"
        " Bùi Thanh Sơn đến thăm và làm việc với tỉnh.",
        "Đồng chí Nguyễn Văn Thi – Phó Chủ tịch Thường trực UBND tỉnh trình bày báo cáo tại buổi"
        " làm việc.",
        "Các đại biểu tại buổi làm việc.",
        "Quang cảnh buổi làm việc.",
        "Đồng chí Bùi Thanh Sơn – Bộ trưởng Bộ Ngoại giao phát biểu tại buổi làm việc.",
        "Đồng chí Đỗ Trọng Hưng – Bí thư Tỉnh ủy phát biểu tại buổi làm việc.",
        "Bộ Ngoại giao đã trao tặng 50 triệu đồng cho Trung tâm bảo trợ xã hội tỉnh Thanh Hóa.",
    ]
    assert a.captions == expected_captions
    for caption in expected_captions:
        assert caption not in ps
    assert "Theo Thanhhoa.gov.vn" not in a.body
    assert "\xa0" not in a.body


# --- 004: hotline, byline, "- Ảnh N." markers, captions, related list with stamps --------------


def test_seed_004() -> None:
    a = load_article(seed("004"))
    assert a.title == "Nâng tầm hoạt động đối ngoại, tạo đà bứt phá trong năm 2025"
    assert a.published == dt.date(2025, 1, 6)
    assert a.byline == "Hồng Ngọc - Xuân Sơn"
    assert a.source == "Nguồn: Bản tin Thời sự tối 6/1"
    ps = paragraphs(a)
    assert len(ps) == 5
    assert ps[0].startswith("Sáng ngày 6/1 tại Hà Nội, Thủ tướng Chính phủ Phạm Minh Chính")
    assert "biến các mối quan hệ ngoại giao thành nguồn lực xây dựng đất nước. Thủ tướng" in a.body
    assert ps[-1].startswith("Ngay sau hội nghị trực tuyến, Phó Chủ tịch Thường trực UBND tỉnh")
    assert len(a.captions) == 4
    assert a.captions[0].endswith("Ảnh: Báo Nhân Dân.")
    assert a.captions[2].endswith("(Ảnh chụp màn hình).")
    for gone in [
        "Đường dây nóng",
        "Hồng Ngọc",
        "06/01/2025 19:52",
        "Ảnh 1",
        "Báo Nhân Dân",
        "Ý kiến bạn đọc",
        "Nguồn:",
        # only in the related list
        "Nguyễn Hoài Anh",
        "Lê Quang Hùng",
        "Đào Ngọc Dung",
        "Doseba Sinay",
        "Giám mục",
    ]:
        assert gone not in a.body, gone
