"""Clutter detection on small synthetic pages shaped like other Vietnamese news sites.

Each test builds a page from an article (title, lead, paragraphs) plus one family of clutter
and checks that the article survives whole and the clutter does not.
"""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.align import align
from summarizer.article import Article
from summarizer.clean import analyse_page, is_name_like, is_timestamp, split_units
from summarizer.errors import NoBodyError
from summarizer.ingest import load_article

TITLE = "Hà Nội đề xuất thu phí xe vào nội đô từ năm 2026"
LEAD = (
    "Thành phố dự kiến thu phí phương tiện vào khu vực nội đô ở 50 điểm, mức phí chưa được"
    " công bố, nhằm giảm ùn tắc và ô nhiễm không khí."
)
P1 = (
    "Theo đề án vừa được UBND thành phố trình HĐND, việc thu phí sẽ bắt đầu từ tháng 6/2026"
    " tại các tuyến đường vành đai 1 và vành đai 2. Sở Giao thông Vận tải cho biết lưu lượng"
    " xe cá nhân tăng 12% mỗi năm."
)
P2 = (
    "Ông Nguyễn Văn Phong, Giám đốc Sở Giao thông Vận tải, nói khoản thu sẽ được dùng để phát"
    " triển giao thông công cộng, trong đó có 10 tuyến xe buýt điện mới."
)
P3 = "Đề án cũng đề xuất miễn phí cho xe cấp cứu, xe cứu hỏa và xe của người khuyết tật."
ARTICLE = [LEAD, P1, P2, P3]


def page(*lines: str, sep: str = "\n") -> str:
    return sep.join(lines) + "\n"


def clean(text: str) -> Article:
    return load_article(text)


def assert_article_whole(a: Article, paragraphs: list[str] = ARTICLE) -> None:
    assert a.body.split("\n\n") == paragraphs


def assert_gone(a: Article, *pieces: str) -> None:
    for piece in pieces:
        assert piece not in a.body, piece


# --- Headers, navigation, share bars ----------------------------------------------------------


def test_hotline_breadcrumbs_and_section_labels_before_the_title() -> None:
    a = clean(
        page(
            "Đường dây nóng: 0237 3721150",
            "Hotline: 0912 345 678",
            "Trang chủ > Thời sự > Giao thông",
            "Thời sự",
            TITLE,
            *ARTICLE,
        )
    )
    assert a.title == TITLE
    assert_article_whole(a)
    reasons = [r.reason for r in a.removed]
    assert reasons[:4] == ["hotline", "hotline", "navigation", "navigation"]


def test_share_bar_tags_follow_and_mobile_links() -> None:
    a = clean(
        page(
            TITLE,
            "Chia sẻ",
            "Facebook",
            "Zalo",
            *ARTICLE,
            "Tags: Hà Nội, thu phí, giao thông",
            "Từ khóa: ùn tắc",
            "Theo dõi VnExpress trên Google News",
            "In bài viết",
            "Phiên bản di động",
            "© Bản quyền thuộc về Báo điện tử",
            "#HaNoi #GiaoThong",
            "Lượt xem: 1.234",
            "Email: toasoan@example.vn",
        )
    )
    assert_article_whole(a)
    assert {r.reason for r in a.removed} >= {"navigation", "follow", "mobile"}


def test_share_bars_on_one_line_and_the_site_name_repeated() -> None:
    a = clean(
        page(
            "Thanh Niên",
            "Thời sự",
            TITLE,
            "Thanh Niên",
            *ARTICLE,
            "Chia sẻ Facebook Zalo",
            "Copy link",
        )
    )
    assert_article_whole(a)
    assert a.byline is None


def test_theo_doi_is_not_an_attribution() -> None:
    a = clean(page(TITLE, *ARTICLE, "Theo dõi Baoquocte.vn trên"))
    assert a.source is None
    assert_article_whole(a)


# --- Comment boxes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "box",
    [
        ["Ý kiến bạn đọc", "Xem thêm bình luận"],
        ["Bình luận (0)"],
        ["Bình luận", "Thông báo", "Bạn đã gửi thành công."],
        ["Gửi bình luận", "Họ tên", "Email", "Gửi"],
        ["0 bình luận", "Chưa có bình luận nào"],
    ],
)
def test_comment_boxes(box: list[str]) -> None:
    a = clean(page(TITLE, *ARTICLE, *box))
    assert_article_whole(a)
    assert all(r.reason == "comments" for r in a.removed if r.reason != "title")


def test_everything_after_the_comment_box_goes_when_it_is_a_list() -> None:
    a = clean(
        page(
            TITLE,
            *ARTICLE,
            "Ý kiến bạn đọc",
            "Xe buýt điện chạy thử tại Hà Nội",
            "Hà Nội lắp camera phạt nguội trên 200 tuyến phố, người vi phạm sẽ bị xử lý qua ứng"
            " dụng trong vòng 10 ngày.",
            "Ông Trần Văn Bình được bổ nhiệm làm Thứ trưởng",
        )
    )
    assert_article_whole(a)
    assert_gone(a, "Trần Văn Bình", "camera")


# --- Related-article lists ---------------------------------------------------------------------

TEASER = (
    "Chiều 1/12, đồng chí Nguyễn Hoài Anh, Phó Bí thư Tỉnh ủy, chủ trì hội nghị về bảng giá đất"
    " năm 2026 của tỉnh."
)


def test_related_title_printed_twice_with_stamp_and_teaser() -> None:
    related = "UBND tỉnh họp chuyên đề về Bảng giá đất năm 2026"
    a = clean(page(TITLE, *ARTICLE, related, related, "19:52 , 01/12/2025", TEASER, sep="\n\n"))
    assert_article_whole(a)
    assert_gone(a, "Nguyễn Hoài Anh", "Bảng giá đất", "19:52")


def test_related_title_printed_twice_on_one_line_with_teaser() -> None:
    related = "Bước ngoặt trong quan hệ EU-Jordan"
    a = clean(
        page(
            TITLE,
            *ARTICLE,
            f"{related} {related}",
            "TGVN. Là cuộc gặp đầu tiên ở cấp cao nhất, Hội nghị thượng đỉnh EU - Jordan ...",
            "Iran trước ngã rẽ bất ổn",
            "Iran trước ngã rẽ bất ổn",
            "Làn sóng biểu tình lan rộng đang đẩy Iran vào một thời điểm đặc biệt nhạy cảm.",
        )
    )
    assert_article_whole(a)
    assert_gone(a, "Jordan", "Iran", "TGVN")


def test_related_headlines_with_stamps_but_no_header() -> None:
    a = clean(
        page(
            TITLE,
            "06/01/2025 19:52",
            *ARTICLE,
            "Mưa lớn gây ngập nhiều tuyến đường",
            "20:02 , 16/12/2025",
            "Sáng 16/12, mưa lớn kéo dài khiến nhiều tuyến phố bị ngập sâu, giao thông ùn tắc.",
            "Giá xăng giảm lần thứ ba liên tiếp",
            "20:01 , 16/12/2025",
            "Giá xăng RON 95 giảm 300 đồng mỗi lít từ 15h chiều nay.",
        )
    )
    assert a.published == dt.date(2025, 1, 6)
    assert_article_whole(a)
    assert_gone(a, "Mưa lớn", "RON 95")


def test_numbered_related_box_inside_the_article_keeps_the_paragraph_after_it() -> None:
    a = clean(
        page(
            TITLE,
            "06/01/2025 19:52 GMT+7",
            "TTO - " + LEAD,
            "TIN LIÊN QUAN",
            "1. Hà Nội lắp camera phạt nguội trên 200 tuyến phố",
            "2. Xe buýt điện chạy thử tại Hà Nội",
            P1,
            P2,
            P3,
        )
    )
    assert_article_whole(a)
    assert_gone(a, "TIN LIÊN QUAN", "camera", "TTO")


def test_unnumbered_related_box_stops_at_running_text() -> None:
    a = clean(
        page(
            TITLE,
            LEAD,
            "Tin liên quan",
            "Hà Nội lắp camera phạt nguội trên 200 tuyến phố",
            "Xe buýt điện chạy thử tại Hà Nội",
            P1,
            P2,
            P3,
        )
    )
    assert_article_whole(a)


def test_inline_read_more_links() -> None:
    a = clean(
        page(
            TITLE,
            LEAD,
            "Đọc thêm: Hà Nội lắp camera phạt nguội trên 200 tuyến phố",
            P1,
            ">> Xem thêm: Xe buýt điện chạy thử tại Hà Nội",
            P2,
            P3,
        )
    )
    assert_article_whole(a)


@pytest.mark.parametrize(
    "header",
    ["Bài viết cùng chuyên mục", "TIN MỚI", "Tin khác", "Xem nhiều", "Có thể bạn quan tâm"],
)
def test_end_of_article_headers_cut_the_tail(header: str) -> None:
    a = clean(
        page(
            TITLE,
            *ARTICLE,
            header,
            "Bế giảng lớp Bồi dưỡng nghiệp vụ chuyên sâu về công tác kiểm tra năm 2025",
            "Chiều 18/12, Ủy ban Kiểm tra Trung ương phối hợp với Tỉnh ủy tổ chức bế giảng lớp bồi"
            " dưỡng; dự lễ có đồng chí Hoàng Văn Trà, Phó Chủ nhiệm Ủy ban Kiểm tra Trung ương.",
            "Họp báo thông báo kết quả công tác công an năm 2025",
            "Chiều 18/12, Công an tỉnh tổ chức họp báo thông báo tình hình, kết quả công tác.",
        )
    )
    assert_article_whole(a)
    assert_gone(a, "Hoàng Văn Trà", "Họp báo", header)


def test_attribution_line_followed_by_a_list_ends_the_article() -> None:
    a = clean(
        page(
            TITLE,
            *ARTICLE,
            "Theo TTXVN",
            "Thủ tướng hội kiến Tổng Bí thư, Chủ tịch nước Lào",
            "Thủ tướng Phạm Minh Chính lên đường thăm chính thức Lào",
        )
    )
    assert a.source == "Theo TTXVN"
    assert_article_whole(a)


def test_headlines_after_the_last_paragraph_are_a_list() -> None:
    a = clean(
        page(
            TITLE,
            *ARTICLE,
            "Minh Anh",
            "Giá vàng tăng mạnh sau tuyên bố của Fed",
            "Mưa lớn gây ngập nhiều tuyến đường ở Hà Nội",
        )
    )
    assert a.byline == "Minh Anh"
    assert_article_whole(a)


def test_a_page_without_a_title_line() -> None:
    a = clean(page(*ARTICLE))
    assert a.title == ""
    assert_article_whole(a)


def test_subheadings_inside_the_article_stay() -> None:
    paras = [LEAD, "Lãi suất cho vay giảm", P1, "Tín dụng tăng trưởng chậm", P2, P3]
    a = clean(page(TITLE, "08/03/2024 10:15", *paras))
    assert_article_whole(a, paras)


def test_a_source_citation_in_the_middle_stays_in_the_body() -> None:
    paras = [LEAD, P1, "Nguồn: Tổng cục Thống kê", P2, P3]
    a = clean(page(TITLE, *paras))
    assert_article_whole(a, paras)
    assert a.source is None


# --- Images and captions -----------------------------------------------------------------------


def test_image_residue() -> None:
    a = clean(
        page(
            TITLE,
            LEAD,
            "![]() |",
            "![anh](https://cdn.example.vn/a.jpg)",
            P1,
            "ha-noi-de-xuat-thu-phi-xe-vao-noi-do-2",
            "ha noi de xuat thu phi xe vao noi do",
            f"{TITLE} - Ảnh 2.",
            "anh-1.jpg",
            P2,
            "Ảnh minh họa",
            P3,
        )
    )
    assert_article_whole(a)
    assert all(r.reason in ("image", "title") for r in a.removed)


@pytest.mark.parametrize(
    "caption",
    [
        "Ùn tắc giờ cao điểm trên đường Nguyễn Trãi. Ảnh: Ngọc Thành",
        "Ùn tắc giờ cao điểm trên đường Nguyễn Trãi (Ảnh: Ngọc Thành)",
        "Phối cảnh dự án - Ảnh: Sở GTVT",
        "Ông Nguyễn Văn Phong phát biểu tại hội nghị.",
        "Quang cảnh buổi làm việc.",
        "Các đại biểu chụp ảnh lưu niệm.",
    ],
)
def test_captions_are_kept_apart(caption: str) -> None:
    a = clean(page(TITLE, LEAD, P1, caption, P2, P3))
    assert_article_whole(a)
    assert a.captions == [caption]


def test_short_line_after_an_image_is_a_caption_when_the_page_captions_its_images() -> None:
    caption = "Xe buýt điện trên phố Tràng Tiền."
    credited = "Ùn tắc giờ cao điểm trên đường Nguyễn Trãi. Ảnh: Ngọc Thành"
    a = clean(page(TITLE, LEAD, P1, "![]() |", caption, P2, "![]() |", credited, P3))
    assert a.captions == [caption, credited]
    assert_article_whole(a)
    # The same line on a page whose images are followed by article text stays body.
    b = clean(page(TITLE, LEAD, "![]() |", P1, "![]() |", caption, P2, P3))
    assert_article_whole(b, [LEAD, P1, caption, P2, P3])


def test_dated_or_connective_sentences_after_an_image_stay_body() -> None:
    last = "Trước đó, chiều 5/1, đoàn công tác đã đi thăm, khảo sát thực tế tại bến xe Giáp Bát."
    paras = [LEAD, P1, P2, last]
    a = clean(page(TITLE, LEAD, P1, "![]() |", P2, "![]() |", last))
    assert_article_whole(a, paras)
    assert a.captions == []


def test_image_and_caption_on_one_line() -> None:
    a = clean(page(TITLE, LEAD, P1, "![](https://cdn.example.vn/a.jpg) | Xe buýt điện mới", P2, P3))
    assert a.captions == ["Xe buýt điện mới"]
    assert_article_whole(a)


def test_caption_with_the_photographer_in_capitals() -> None:
    caption = "Quốc hội biểu quyết thông qua luật. GIA HÂN"
    a = clean(page(TITLE, LEAD, caption, P1, P2, P3))
    assert a.captions == [caption]
    assert_article_whole(a)


@pytest.mark.parametrize(
    "sentence",
    [
        "Dự hội nghị có đại diện lãnh đạo các bộ, ngành và hiệp hội doanh nghiệp.",
        "Phát biểu tại hội nghị, Bộ trưởng nhấn mạnh yêu cầu nâng cao chất lượng.",
        "“Chúng ta phải chuyển từ bán cái mình có sang bán cái thị trường cần”, ông Hoan nói.",
        "Đề án cũng đề xuất miễn phí cho xe cấp cứu.",
    ],
)
def test_short_body_sentences_are_not_captions(sentence: str) -> None:
    paras = [LEAD, P1, sentence, P2]
    a = clean(page(TITLE, *paras))
    assert_article_whole(a, paras)
    assert a.captions == []


def test_the_lead_is_never_a_caption() -> None:
    lead = "Ông Nguyễn Văn Phong phát biểu tại hội nghị tổng kết ngành giao thông."
    a = clean(page(TITLE, lead, P1, P2))
    assert a.body.split("\n\n")[0] == lead


# --- Metadata ----------------------------------------------------------------------------------


def test_byline_at_the_top_and_at_the_end() -> None:
    top = clean(page(TITLE, "Hồng Ngọc - Xuân Sơn", *ARTICLE))
    assert top.byline == "Hồng Ngọc - Xuân Sơn"
    assert_article_whole(top)
    end = clean(page(TITLE, *ARTICLE, "NGỌC HIỂN", "Chia sẻ"))
    assert end.byline == "NGỌC HIỂN"
    assert_article_whole(end)
    credited = clean(page(TITLE, *ARTICLE, "Tin, ảnh: Minh Anh"))
    assert credited.byline == "Minh Anh"
    assert_article_whole(credited)


def test_name_and_timestamp_shapes() -> None:
    assert is_name_like("Anh Sơn")
    assert is_name_like("Hồng Ngọc - Xuân Sơn")
    assert is_name_like("Bài và ảnh: Minh Anh")
    assert not is_name_like("Video")
    assert not is_name_like("Iran trước ngã rẽ bất ổn")
    assert is_timestamp("19:57 , 01/12/2025")
    assert is_timestamp("02/03/2023 21:15")
    assert is_timestamp("Thứ hai, 6/1/2025, 19:52 (GMT+7)")
    assert not is_timestamp("Chiều 1/12/2025, hội nghị bắt đầu")


@pytest.mark.parametrize(
    ("extra", "lead", "expected"),
    [
        (["Thứ bảy, 14/09/2024 - 08:30"], LEAD, dt.date(2024, 9, 14)),
        ([], "Chiều ngày 21/02/2023, " + LEAD, dt.date(2023, 2, 21)),
        # day/month only: the body names one year ("năm 2020")
        ([], "Ngày 14/9, " + LEAD + " Đây là kế hoạch năm 2020.", dt.date(2020, 9, 14)),
        # day/month only and two years named: no guess
        ([], "Ngày 14/9, " + LEAD + " So với năm 2020 và năm 2021.", None),
        # day/month only, a target year does not count
        ([], "Ngày 14/9, " + LEAD + " Tầm nhìn đến năm 2045.", None),
        ([], LEAD, None),
    ],
)
def test_published(extra: list[str], lead: str, expected: dt.date | None) -> None:
    a = clean(page(TITLE, *extra, lead, P1, P2))
    assert a.published == expected


def test_published_from_a_stamp_under_the_article_but_not_from_related_items() -> None:
    a = clean(page(TITLE, *ARTICLE, "Cập nhật: 07/01/2025 08:00", "Chia sẻ"))
    assert a.published == dt.date(2025, 1, 7)
    related = "UBND tỉnh họp chuyên đề về Bảng giá đất năm 2026"
    b = clean(page(TITLE, *ARTICLE, "Ý kiến bạn đọc", related, related, "19:52 , 01/12/2025"))
    assert b.published is None


def test_published_from_the_attribution_line() -> None:
    a = clean(page(TITLE, *ARTICLE, "Theo Thời sự tối 6/7/2020"))
    assert a.published == dt.date(2020, 7, 6)
    assert a.source == "Theo Thời sự tối 6/7/2020"


@pytest.mark.parametrize("prefix", ["TGVN. ", "(TTV)- ", "TTO - ", "(Chinhphu.vn) - ", "VOV.VN - "])
def test_agency_prefix_is_cut_from_the_lead(prefix: str) -> None:
    a = clean(page(TITLE, prefix + LEAD, P1, P2, P3))
    assert_article_whole(a)
    assert any(r.reason == "source" and r.text == prefix for r in a.removed)


def test_no_body_for_a_page_of_clutter() -> None:
    related = "UBND tỉnh họp chuyên đề về Bảng giá đất năm 2026"
    text = page(
        "Đường dây nóng: 0237 3721150",
        "Ý kiến bạn đọc",
        "Xem thêm bình luận",
        related,
        related,
        "19:52 , 01/12/2025",
        TEASER,
        "Iran trước ngã rẽ bất ổn",
        "Iran trước ngã rẽ bất ổn",
        "20:01 , 29/11/2025",
        "Làn sóng biểu tình lan rộng đang đẩy Iran vào một thời điểm đặc biệt nhạy cảm.",
        "Phiên bản di động",
        sep="\n\n",
    )
    with pytest.raises(NoBodyError) as info:
        load_article(text)
    assert info.value.source == "<text>"


def test_analysis_keeps_page_offsets() -> None:
    text = page("  Thời sự ", TITLE, "\u00a0" + LEAD + "  ", P1)
    analysis = analyse_page(text)
    units = split_units(text)
    assert text[units[0].start : units[0].end] == "Thời sự"
    for span in analysis.paragraphs:
        assert text[span.start : span.end].strip() == text[span.start : span.end]
    assert analysis.clutter_ratio > 0


# --- Name abbreviations opening the lead; caption wording on pages without images -------------


@pytest.mark.parametrize(
    "lead",
    [
        "TP. Hồ Chí Minh đã đề xuất thu phí phương tiện vào khu vực trung tâm từ năm 2026.",
        "GS. Nguyễn Văn Phong cho biết khoản thu sẽ dùng để phát triển giao thông công cộng.",
        "TS. Lê Thị Hoa, Viện Chiến lược giao thông, cho rằng mức phí cần được công bố sớm.",
        "PGS.TS. Trần Văn Minh nói việc thu phí phải đi kèm mở rộng mạng lưới xe buýt.",
        "GS. TS. Phạm Hùng đánh giá đề án là bước đi cần thiết để giảm ùn tắc đô thị.",
        "ThS. Nguyễn Hải cho biết lưu lượng xe cá nhân tăng 12% mỗi năm tại nội đô.",
        "BS. Trần Lan cảnh báo ô nhiễm không khí ảnh hưởng tới sức khỏe người dân.",
        "Q. 1 sẽ là khu vực đầu tiên áp dụng thu phí phương tiện vào nội đô từ năm 2026.",
        "P. Bến Nghé đề xuất miễn phí cho xe cấp cứu và xe của người khuyết tật.",
    ],
)
def test_a_name_abbreviation_opening_the_lead_is_not_an_agency_prefix(lead: str) -> None:
    a = clean(page(TITLE, lead, P1, P2, P3))
    assert_article_whole(a, [lead, P1, P2, P3])
    assert not any(r.reason == "source" for r in a.removed)
    found = align(lead[:40], a)
    assert found is not None and found.where == "body" and found.kind == "exact"


def test_an_agency_prefix_before_a_name_abbreviation_is_still_cut() -> None:
    lead = "TP. Hồ Chí Minh đã đề xuất thu phí phương tiện vào khu vực trung tâm từ năm 2026."
    a = clean(page(TITLE, "(TTXVN) - " + lead, P1, P2, P3))
    assert_article_whole(a, [lead, P1, P2, P3])
    a = clean(page(TITLE, "TP.HCM - " + LEAD, P1, P2, P3))  # a dateline, as before
    assert_article_whole(a)


@pytest.mark.parametrize(
    "sentence",
    [
        "Bộ trưởng đã trao tặng 200 suất học bổng cho học sinh nghèo vượt khó của tỉnh.",
        "Đồng chí Nguyễn Văn Thi cùng 120 đại biểu dự hội nghị tại điểm cầu Thanh Hóa.",
    ],
)
def test_caption_wording_without_images_keeps_a_figure_in_the_body(sentence: str) -> None:
    paras = [LEAD, P1, sentence, P2, P3]
    a = clean(page(TITLE, *paras))
    assert_article_whole(a, paras)
    assert a.captions == []
    # The same line stated again in the next paragraph (a caption restating a fact, as on
    # text-only pages): a caption, the figure stays in the body.
    again = P2 + " " + sentence
    b = clean(page(TITLE, LEAD, P1, sentence, again, P3))
    assert_article_whole(b, [LEAD, P1, again, P3])
    assert b.captions == [sentence]
    # A page with images: after an image, it is that image's caption.
    c = clean(page(TITLE, LEAD, P1, "![]() |", sentence, P2, P3))
    assert c.captions == [sentence]
