"""The cleaner's passes run one at a time on a `PageState`, and its date policy over the
project's date grammar."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.clean import PASSES, PageState, analyse_page, split_units
from summarizer.clean.dates import dateline, is_timestamp, named_years, parse_full_date
from summarizer.clean.lists import mark_boxed_lists
from summarizer.clean.metadata import find_published
from summarizer.clean.passes import label_lines
from summarizer.clean.title import find_title

LEAD = (
    "Ngày 14/9, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm 2024, "
    "với sự tham dự của lãnh đạo các sở, ban, ngành và địa phương trong tỉnh."
)


def _state(page: str) -> PageState:
    return PageState(page=page, units=split_units(page))


def test_passes_run_alone_and_in_order() -> None:
    page = (
        "Trang chủ › Thời sự\n\nHội nghị tổng kết công tác năm của tỉnh\n\n"
        f"{LEAD}\n\nTin liên quan\n\nTỉnh tổ chức hội nghị sơ kết quý ba\n"
    )
    state = _state(page)
    label_lines(state)
    assert [u.label for u in state.units][3] == "related"  # the box header, on its own line
    find_title(state)
    assert state.title == "Hội nghị tổng kết công tác năm của tỉnh"
    assert state.units[0].label == "navigation" and state.first == 2
    mark_boxed_lists(state)
    assert state.units[4].label == "related"
    assert state.body() == [2]
    find_published(state)
    assert state.published == dt.date(2024, 9, 14)
    # The passes in PASSES are what analyse_page runs.
    full = _state(page)
    for run_pass in PASSES:
        run_pass(full)
    assert full.published == state.published and full.body() == state.body()
    assert analyse_page(page).published == dt.date(2024, 9, 14)


def test_stamp_dates_from_the_grammar() -> None:
    assert parse_full_date("Thứ hai, 6/1/2025, 19:52 (GMT+7)") == dt.date(2025, 1, 6)
    assert parse_full_date("date 2025-12-11") == dt.date(2025, 12, 11)
    # Some sites space the slashes out; the stamp still dates the page.
    assert is_timestamp("Cập nhật: 01 / 12 / 2025")
    assert parse_full_date("Cập nhật: 01 / 12 / 2025") == dt.date(2025, 12, 1)
    assert parse_full_date("32/13/2025") is None
    assert parse_full_date("1/1/1850") is None


def test_dateline_and_named_years() -> None:
    m = dateline("Chiều ngày 21/02, hội nghị bắt đầu")
    assert m is not None and (m.day, m.month, m.year) == (21, 2, None)
    assert dateline("Từ 8/1 đến 15/1, tỉnh tổ chức hội chợ") is None
    assert named_years("năm 2023 và đến năm 2030, giai đoạn năm 2021-2025") == [2023]


def test_hard_wrapped_lines_join_into_one_unit() -> None:
    page = (
        "Đoàn công tác thăm và làm việc tại tỉnh bạn\n"
        "Sáng\nngày 01/3/2024, đoàn cán bộ của Sở do đồng chí Phó Giám đốc Sở làm trưởng\n"
        "đoàn đến thăm và làm việc tại Sở Ngoại vụ tỉnh\nThanh Hóa.\n"
        "TIN LIÊN QUAN\nhoi nghi thuong dinh tai ha noi Lễ tân ngoại giao\n"
        "ha tinh luon chu trong phat trien\n"
    )
    texts = [u.text for u in split_units(page)]
    assert texts == [
        "Đoàn công tác thăm và làm việc tại tỉnh bạn",
        # a lowercase accented line right below an unfinished line continues it
        "Sáng ngày 01/3/2024, đoàn cán bộ của Sở do đồng chí Phó Giám đốc Sở làm trưởng"
        " đoàn đến thăm và làm việc tại Sở Ngoại vụ tỉnh",
        "Thanh Hóa.",  # capitalised: a line of its own, but not taken as a byline below
        "TIN LIÊN QUAN",  # a header in capitals is never continued
        "hoi nghi thuong dinh tai ha noi Lễ tân ngoại giao",  # nor by a slug
        "ha tinh luon chu trong phat trien",
    ]
    analysis = analyse_page(page)
    assert analysis.byline is None
    kept = [page[p.start : p.end] for p in analysis.paragraphs]
    assert kept[-1] == "Thanh Hóa."
    # A blank line in between: two paragraphs, whatever the case of the second.
    assert len(split_units("Một dòng chưa hết\n\nngày hôm sau mới tiếp")) == 2


def test_section_tag_affiliation_and_text_after_a_related_box() -> None:
    page = (
        "Ngoại giao văn hóa phục vụ phát triển bền vững\n\nHoàng Hữu Anh\n"
        "Vụ Ngoại giao Văn hóa và UNESCO, Bộ Ngoại giao\n"
        f"{LEAD}\n\nTin liên quan\n"
        "Bộ Ngoại giao thông tin về công dân Bộ Ngoại giao thông tin về công dân\n\n"
        "Khi đó, các cơ sở sòng bạc, trò chơi trực tuyến ở khu vực này bị tru\n"
    )
    analysis = analyse_page(page)
    labels = {u.text[:20]: u.label for u in analysis.units}
    assert labels["Hoàng Hữu Anh"] == "byline"
    assert labels["Vụ Ngoại giao Văn hó"] == "byline"  # the author's workplace
    assert labels["Bộ Ngoại giao thông "] == "related"
    assert labels["Khi đó, các cơ sở sò"] is None  # the article going on, not a teaser
    # A section name after the article is its tag; between two paragraphs, a sub-heading.
    tagged = analyse_page(f"Tiêu đề của bài báo hôm nay\n\n{LEAD}\n\nAn toàn giao thông\n")
    assert [u.label for u in tagged.units][-1] == "navigation"
    heading = analyse_page(f"Tiêu đề của bài báo hôm nay\n\n{LEAD}\n\nKinh tế\n\n{LEAD}\n")
    assert [u.label for u in heading.units][2] is None


def test_glued_headlines_are_a_list_of_other_articles() -> None:
    from summarizer.clean.shapes import glued_headlines

    line = (
        "Hợp tác kênh Đảng luôn là kim chỉ nam của quan hệ Việt Nam-Campuchia"
        "Trường Đại học Sư phạm hỗ trợ 120 sinh viên về quê đón Tết"
        "Góp phần mở rộng quan hệ Đối tác toàn diện Việt Nam-Chile"
    )
    assert len(glued_headlines(line)) == 3
    assert analyse_page(f"Tiêu đề của bài báo hôm nay\n\n{LEAD}\n\n{line}\n").paragraphs[-1].end < (
        len(f"Tiêu đề của bài báo hôm nay\n\n{LEAD}") + 1
    )
    # One glued brand name, or glued sentences, are not a list.
    assert glued_headlines("Ứng dụng TikTok được nhiều bạn trẻ trong tỉnh sử dụng hằng ngày") == []
    assert glued_headlines("Hội nghị kết thúc tốt đẹp.Đoàn công tác trở về tỉnh nhà") == []


TITLE = "Hội nghị tổng kết công tác năm 2024 của tỉnh"
PARA = (
    "Phát biểu tại hội nghị, Chủ tịch UBND tỉnh đánh giá cao những kết quả đạt được trong năm"
    " qua và đề nghị các sở, ngành tiếp tục nỗ lực hơn nữa trong thời gian tới."
)


@pytest.mark.parametrize(
    ("middle", "reasons"),
    [
        # agency credit alone on a line: the article's source
        (f"{PARA}\n(TTXVN/Vietnam+)", ["source"]),
        # image residue: file names, a three-word slug, a slug in capitals
        (
            f"IMG_7035.JPG\nimg-1879.jpg\nanh tin bai\nKON TUM CO 15 DU AN DUOC CAP PHEP\n{PARA}",
            ["image", "image", "image", "image"],
        ),
        # "Tin mới hơn:" ends the article with its list
        (
            f"{PARA}\nTin mới hơn:\nTỉnh tổ chức lễ kỷ niệm ngày thành lập\n"
            "Hội nghị sơ kết 6 tháng đầu năm",
            ["related", "related", "related"],
        ),
        # an alt text's "- ảnh 1" glued to the next caption: two units
        (f"{TITLE} - ảnh 1Quang cảnh hội nghị.\n{PARA}", ["image", "caption"]),
        # a caption whose capitals credit lost its space
        (f"Đồng chí Bí thư Tỉnh ủy phát biểu tại hội nghịẢNH: NGUYỄN VĂN A\n{PARA}", ["caption"]),
    ],
)
def test_lines_recognised_on_real_page_shapes(middle: str, reasons: list[str]) -> None:
    analysis = analyse_page(f"{TITLE}\n{LEAD}\n{middle}\n")
    got = [u.label for u in analysis.units[2:] if u.label is not None]
    assert got == reasons
    kept = [analysis.units[i].text for i, u in enumerate(analysis.units) if u.label is None]
    assert kept[0] == LEAD and PARA in kept


def test_portal_name_and_headlines_between_stamp_and_lead() -> None:
    portal = analyse_page(f"Cổng thông tin điện tử tỉnh Quảng Trị\n{TITLE}\n{LEAD}\n")
    assert portal.title == TITLE
    about_portal = "Cổng thông tin điện tử tỉnh ra mắt giao diện mới"
    assert analyse_page(f"{about_portal}\n{LEAD}\n").title == about_portal
    boxed = analyse_page(
        f"{TITLE}\n10:20, 14/09/2024\nTỉnh tổ chức lễ kỷ niệm ngày thành lập\n"
        f"Đoàn công tác thăm và làm việc tại Lào\n{LEAD}\n"
    )
    assert [u.label for u in boxed.units] == ["title", "timestamp", "related", "related", None]
    # One line between the stamp and the lead may be the article's subtitle: kept.
    subtitle = analyse_page(
        f"{TITLE}\n10:20, 14/09/2024\nNhiều kết quả nổi bật trong năm\n{LEAD}\n"
    )
    assert [u.label for u in subtitle.units][2] is None


def test_title_is_the_headline_with_the_stamp_under_it() -> None:
    page = (
        "Báo Dân tộc và Phát triển\nChuyên trang\n"
        "Dân tộc - Tôn giáo với sự phát triển của đất nước\nTin tức\n"
        "Bí thư Tỉnh ủy tiếp nguyên Chủ tịch Quốc hội Hàn Quốc\n"
        "Mỹ Dung - 18:17, 25/07/2023\n"
        f"{LEAD}\n"
    )
    analysis = analyse_page(page)
    assert analysis.title == "Bí thư Tỉnh ủy tiếp nguyên Chủ tịch Quốc hội Hàn Quốc"
    assert [u.label for u in analysis.units] == ["navigation"] * 4 + ["title", "timestamp", None]
    # Without a stamp: the line a breadcrumb only echoed, else the first headline.
    echoed = analyse_page(
        f"Xuất bản thông tin\nnull {TITLE}\nChi tiết bài viết Tin tức\n{TITLE}\n{LEAD}\n"
    )
    assert echoed.title == TITLE and echoed.units[3].label == "title"
    assert analyse_page(f"{TITLE}\nNhiều kết quả nổi bật trong năm qua\n{LEAD}\n").title == TITLE


def test_a_gallery_is_captioned_and_a_table_stays() -> None:
    gallery = "".join(
        f"CN{k}.jpg\nChiến sĩ Đồn Biên phòng số {k} tuần tra trên sông\n" for k in range(3)
    )
    analysis = analyse_page(f"{TITLE}\n{LEAD}\n{gallery}CN9.jpg\n{LEAD}\n")
    assert analysis.captions == [
        f"Chiến sĩ Đồn Biên phòng số {k} tuần tra trên sông" for k in range(3)
    ]
    table = "Vị trí |\nTỉnh |\nHuy chương Vàng |\n1 |\nBắc Giang |\n6 |\n"
    tabled = analyse_page(f"{TITLE}\n{LEAD}\n{table}")
    assert tabled.captions == []
    assert [u.label for u in tabled.units[2:]] == [None] * 6


@pytest.mark.parametrize(
    ("lines", "labels"),
    [
        # the site's name with its domain, a publication stamp in words
        (
            ["Vietnam.vn - Nền tảng quảng bá Việt Nam", TITLE, "Ngày xuất bản: 06-02-2023", LEAD],
            ["navigation", "title", "timestamp", None],
        ),
        # a paper's authors with footnotes to their workplaces
        (
            [
                TITLE,
                "Hà Quang Thụy1, Nguyễn Thanh Thủy1, Phạm Bảo Sơn1, Phan Xuân Hiếu1,"
                " Lý Hoàng Tùng2",
                "1Đại học Quốc gia Hà Nội",
                "2Bộ Khoa học và Công nghệ",
                LEAD,
            ],
            ["title", "byline", "byline", "byline", None],
        ),
        # an explicit "Tác giả:" with the author's workplace after the name
        ([TITLE, LEAD, PARA, "Tác giả: Thúy Hà - Trung tâm TTGDSK"],
         ["title", None, None, "byline"]),
        # a name right under a photo is the photo's caption, not the byline
        ([TITLE, LEAD, "hlv-mai-duc-chung-nguoi-tham-lang", "HLV Mai Đức Chung.", PARA],
         ["title", None, "image", None, None]),
    ],
)  # fmt: skip
def test_metadata_lines_of_other_templates(lines: list[str], labels: list[str | None]) -> None:
    assert [u.label for u in analyse_page("\n\n".join(lines) + "\n").units] == labels


def test_stamps_in_words_and_leads_that_open_the_page() -> None:
    assert is_timestamp("Thứ Sáu, ngày 29 tháng 03 năm 2024")
    assert is_timestamp("Ngày phát hành: 06/12/2020 Lượt xem 3048")
    assert not is_timestamp("Tháng 3 năm 2024 tỉnh đón 2 triệu lượt khách")
    for stamp in (
        "Thứ sáu, Tháng mười hai 27, 2024",
        "Thứ Ba, 26 tháng 11, 2019",
        "10:33 SA,23/11/2015",
    ):
        assert is_timestamp(stamp), stamp
    assert not is_timestamp("Sa Pa đón 2 triệu khách năm 2024")
    # A page opening on its lead has no title line, whatever the lead's length.
    dated = "Sáng nay, ngày 01/08/2022, Thượng tọa trụ trì tịnh xá Quang Minh chủ trì lễ Vu lan"
    analysis = analyse_page(f"{dated}\n\n{PARA}\n")
    assert analysis.title == "" and [u.label for u in analysis.units] == [None, None]


def test_widget_counters_are_not_text() -> None:
    analysis = analyse_page(f"Post: : 12\n\n{TITLE}\n\nViews: 1.234\n\n{LEAD}\n")
    assert [u.label for u in analysis.units] == ["navigation", "title", "navigation", None]


def test_office_portals_font_buttons_and_author_lists_over_lines() -> None:
    page = (
        "Cổng thông tin điện tử Sở Ngoại vụ tỉnh Kiên Giang\n\n"
        f"{TITLE}\n\nXem với cỡ chữAA\n\nCỠ CHỮ - +\n\n{LEAD}\n"
    )
    analysis = analyse_page(page)
    assert analysis.title == TITLE
    assert [u.label for u in analysis.units] == [
        "navigation",
        "title",
        "navigation",
        "navigation",
        None,
    ]
    authors = analyse_page(
        f"{TITLE}\n\nĐỗ Đình Sâm,\n\nPhạm Đình Tam, Nguyễn Trọng Khôi\n\n"
        f"Viện Khoa học Lâm nghiệp Việt Nam\n\n{LEAD}\n"
    )
    assert [u.label for u in authors.units] == ["title", "byline", "byline", "byline", None]


def test_banners_placeholders_and_footers() -> None:
    page = (
        "Chào mừng bạn đến với Website Sở Văn hóa và Thể thao Tỉnh Ninh Bình.\n\nspot_img\n\n"
        f"{TITLE}\n\n- Giáo dục nghề nghiệp\n- 20:24 - 29/09/2019\n\n{LEAD}\n\n{PARA}\n\n"
        "Nguồn: most.gov.vn\n\nĐịa chỉ trụ sở chính: 24 Lý Thường Kiệt - Quận Hoàn Kiếm - Hà Nội.\n"
        "Tel: (84-04) 38249874 | Email: techmart@vista.gov.vn\n"
    )
    analysis = analyse_page(page)
    assert analysis.title == TITLE
    assert analysis.source == "Nguồn: most.gov.vn"
    kept = [u.text for u in analysis.units if u.label is None]
    assert kept == [LEAD, PARA]


def test_bracketed_links_album_labels_and_initialled_bylines() -> None:
    page = (
        f"{TITLE}\n\n{LEAD}\n\n[Tổng thống Italy gửi thư mừng 50 năm quan hệ Việt Nam-Italy]\n\n"
        f"{PARA}\n\nAlbum ảnh:\n\nH.Minh\n"
    )
    analysis = analyse_page(page)
    assert [u.label for u in analysis.units] == [
        "title",
        None,
        "related",
        None,
        "navigation",
        "byline",
    ]
    assert analysis.byline == "H.Minh"
    end = analyse_page(f"{TITLE}\n\n{LEAD}\n\nTác giả bài viết: Minh Hiển\n")
    assert end.byline == "Minh Hiển"


def test_bulleted_trail_and_a_truncated_copy_of_the_lead() -> None:
    page = f"{TITLE}\n\n  • Bài viết\n  • {TITLE}\nNgày đăng: 24/07/2018, 10:57 am\n\n{LEAD}\n"
    assert [u.label for u in analyse_page(page).units] == [
        "title",
        "navigation",
        "title",
        "timestamp",
        None,
    ]
    teaser = analyse_page(f"{TITLE}\n{LEAD[:30]} ...\n{LEAD}\n")
    assert [u.label for u in teaser.units] == ["title", "related", None]


def test_a_menu_above_the_article_is_navigation() -> None:
    menu = "Hồ chí minh\nBến Tre\nBạc liêu\ndong nai\nCần Thơ\nSóc trăng\n"
    analysis = analyse_page(f"{menu}{TITLE}\n\n{LEAD}\n\nBến Tre\n")
    assert [u.label for u in analysis.units][:6] == ["navigation"] * 6
    assert analysis.title == TITLE
    # Four short lines are not a menu (they may be the kicker, title and stamps).
    few = analyse_page(f"Bến Tre\nCần Thơ\nSóc trăng\n{TITLE}\n\n{LEAD}\n")
    assert few.title == TITLE


def test_portal_widgets_and_letter_dates() -> None:
    page = (
        "Chào mừng đến với Trang Thông tin điện tử thành phố Châu Đốc !\n\n"
        "A- A A+ | Tăng tương phản Giảm tương phản\n\nThống kê truy cập\n\n  • Online 10\n\n"
        f"  • Hôm nay 2321\n\n  • Tổng 1.538.557\n\n{TITLE}\n\nPost date: 27/08/2022\n\n{LEAD}\n"
    )
    analysis = analyse_page(page)
    assert analysis.title == TITLE
    assert [u.label for u in analysis.units][-2:] == ["timestamp", None]
    assert is_timestamp("Hải Phòng, ngày 21 tháng 01 năm 2020")


def test_posted_by_academic_authors_and_lists_begun_above() -> None:
    page = (
        f"{TITLE}\n\nThS. TẠ TƯỜNG VI (Trường Đại học Văn Lang)\n\n{LEAD}\n\n"
        "- 14h: Tổ chức Khai mạc Triển lãm Thư pháp.\n\n"
        "- 17h đến 19h00: UBND tỉnh chiêu đãi\n\nBởi: admin\n"
    )
    analysis = analyse_page(page)
    labels = [u.label for u in analysis.units]
    assert labels == ["title", "byline", None, None, None, "byline"]
