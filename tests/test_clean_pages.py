"""Failure classes found on the real-page corpus (tests/pages), each on a small made-up page:
page beginnings cut mid-paragraph, captions without "Ảnh:", stamps and bylines, titles."""

from __future__ import annotations

from summarizer.clean import PageAnalysis, analyse_page

TITLE = "Tỉnh tổ chức hội nghị tổng kết công tác đối ngoại năm 2024"
LEAD = (
    "Sáng 14/9, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác đối ngoại năm 2024, "
    "với sự tham dự của lãnh đạo các sở, ban, ngành và địa phương trong tỉnh."
)
BODY = (
    "Theo báo cáo, trong năm qua tỉnh đã đón tiếp 45 đoàn khách quốc tế, ký kết 12 thỏa thuận "
    "hợp tác với các địa phương nước ngoài và thu hút thêm nhiều dự án đầu tư mới."
)


def _body(a: PageAnalysis, page: str) -> list[str]:
    return [page[p.start : p.end] for p in a.paragraphs]


def _reasons(a: PageAnalysis) -> dict[str, str]:
    return {r.text.strip(): r.reason for r in a.removed}


def test_a_page_cut_in_its_last_paragraph_keeps_that_paragraph() -> None:
    cut = "Kết thúc buổi làm việc, lãnh đạo hai bên thống nhất sẽ tiếp tục duy tr"
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\n{cut}"
    assert _body(analyse_page(page), page)[-1] == cut


def test_a_cut_paragraph_after_a_sub_heading_is_kept() -> None:
    cut = "Tay đua 22 tuổi là trụ cột giúp đội tuyển thống trị môn xe đạp tại khu vự"
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\n3. Indonesia: Sayu Bella\n\n{cut}"
    assert _body(analyse_page(page), page)[-2:] == ["3. Indonesia: Sayu Bella", cut]


def test_headlines_of_a_list_at_the_page_end_stay_cut() -> None:
    page = (
        f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\nPhẫu thuật miễn phí cho 180 trẻ em khuyết tật\n"
        "Khánh thành bệnh viện đa khoa mới tại trung tâm huyện\nPhẫu thu"
    )
    assert _body(analyse_page(page), page) == [LEAD, BODY]


def test_image_alt_text_and_source_url_lines_are_cut() -> None:
    page = (
        f"{TITLE}\n\n{LEAD}\n\nTỉnh tổng kết công tác đối ngoại ảnh 1\n\n{BODY}\n\n"
        "Nguồn GD&TĐ: http://giaoducthoidai.vn/suc-khoe/bai-viet-1483237.html"
    )
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY]
    assert a.source is not None and a.source.startswith("Nguồn GD&TĐ")


def test_captions_by_credit_position_and_table_cell() -> None:
    credited = (
        "Bộ trưởng gặp và làm việc với Tổng giám đốc UNESCO, bà Audrey Azoulay. (Nguồn: UNESCO)"
    )
    illustrated = "Nhiều địa phương đẩy mạnh thu hút dự án FDI - Ảnh minh họa: Internet."
    positioned = "“Nữ hoàng” bắn súng Thu Vinh (giữa) giành 4 HCV SEA Games 33"
    page = (
        f"{TITLE}\n\n{LEAD}\n\n{credited}\n\n{BODY}\n\n{illustrated}\n\n{BODY}\n\n"
        f"{positioned}\n\n{BODY}\n\nChương trình nghệ thuật khai mạc lễ hội |\n\n{BODY}\n"
    )
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY, BODY, BODY, BODY]
    assert a.captions == [
        credited,
        illustrated,
        positioned,
        "Chương trình nghệ thuật khai mạc lễ hội",
    ]


def test_stamps_with_icon_names_and_print_links_are_cut() -> None:
    page = (
        f"ClockThứ Bảy, 07/02/2026 07:08\n{TITLE}\n"
        f"08:38 AM 28/06/2018 | Lượt xem: 4438 | In bài viết |\n{LEAD}\n{BODY}\n"
    )
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY]
    assert _reasons(a)["ClockThứ Bảy, 07/02/2026 07:08"] == "timestamp"


def test_menu_lines_and_a_dashed_trail_are_not_the_title() -> None:
    for nav in ("Tất cả chuyên mục", "Chi tiết tin - tin tức sự kiện - Sở Ngoại Vụ"):
        page = f"{nav}\n\n{TITLE}\n\n{LEAD}\n\n{BODY}\n"
        a = analyse_page(page)
        assert a.title == TITLE
        assert _reasons(a)[nav] == "navigation"


def test_a_long_sentence_under_the_first_photo_is_the_lead_not_the_title() -> None:
    lead = (
        "Cục Đầu tư nước ngoài thuộc Bộ Kế hoạch và Đầu tư vừa công bố số liệu về tình hình "
        "thu hút đầu tư nước ngoài năm 2024."
    )
    page = f"KCN WHA tại huyện Nghi Lộc, Nghệ An. Ảnh: CTV\n\n{lead}\n\n{BODY}\n"
    a = analyse_page(page)
    assert a.title == "" and _body(a, page) == [lead, BODY]
    # above the photo, the same line is the title (some sites end titles with a period)
    page = f"{lead}\n\nKCN WHA tại huyện Nghi Lộc, Nghệ An. Ảnh: CTV\n\n{LEAD}\n\n{BODY}\n"
    assert analyse_page(page).title == lead
    # a short title that ends with a period stays the title
    short = "Kỳ họp thứ 20, HĐND tỉnh khóa X: thông qua 12 Nghị quyết quan trọng."
    page = f"{short}\n\n{LEAD}\n\n{BODY}\n"
    assert analyse_page(page).title == short


def test_a_long_cut_paragraph_after_a_caption_is_kept() -> None:
    cut = (
        "Hai HCV cá nhân 100m và 200m ếch cùng một HCV tiếp sức giúp Phạm Thanh Bảo khép lại "
        "SEA Games 33 với 3 tấm HCV, đứng ngang hàng với đồng đội ở đội tuyển bơi"
    )
    page = (
        f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\nHuy Hoàng, trụ cột của bơi lội Việt Nam (3 HCV)\n\n"
        f"4. Phạm Thanh Bảo\n\n{cut}"
    )
    assert _body(analyse_page(page), page)[-2:] == ["4. Phạm Thanh Bảo", cut]


def test_a_byline_of_initials_after_the_article_is_cut() -> None:
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\nL.NGỮ"
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY]
    assert a.byline == "L.NGỮ"


def test_an_english_related_box_header_ends_the_article() -> None:
    other = "Tỉnh đón đoàn doanh nghiệp Hàn Quốc"
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\nYou may also like...\n\n{other}"
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY]
    assert "You may also like..." in _reasons(a)


def test_a_ticker_of_other_headlines_is_cut_and_the_title_found_below_it() -> None:
    ticker = [
        "Quảng Trị xác định khu vực cung cấp vật liệu xây dựng thi công 2 dự án lớn -",
        "Đà Nẵng phê duyệt Dự án Khu lưu trữ hiện hành Trung tâm Hành chính thành phố -",
        "Lâm Đồng phê duyệt Kế hoạch xúc tiến thương mại năm 2026 -",
        "Bộ Xây dựng đề nghị đẩy nhanh tiến độ giải phóng mặt bằng Sân bay Quảng Trị",
    ]
    # Twelve lines of ticker and menu above the title: the title is still found.
    filler = [f"Tin nhanh số {n} của chuyên mục kinh tế hôm nay -" for n in range(8)]
    page = "\n".join(["-", *filler, *ticker, "Pháp luật", TITLE, LEAD, BODY]) + "\n"
    a = analyse_page(page)
    assert a.title == TITLE and _body(a, page) == [LEAD, BODY]
    assert {_reasons(a)[t] for t in ticker} == {"related"}
    # Two lines ending in " -" are not yet a ticker.
    page = "\n".join([TITLE, "Hai bên trao đổi về hợp tác kinh tế -", LEAD, BODY]) + "\n"
    assert "Hai bên trao đổi về hợp tác kinh tế -" in _body(analyse_page(page), page)


def test_a_caption_ending_on_its_credit_without_a_colon_is_a_caption() -> None:
    for caption in (
        "Đại hội Câu lạc bộ Cựu chiến binh lần thứ II (nhiệm kỳ 2018-2023). Ảnh nguồn GLO.",
        "Thủ tướng làm việc với doanh nghiệp Nhật Bản tại Tokyo, ngày 24-11-2021_Ảnh: TTXVN",
        "Lễ ký kết biên bản ghi nhớ hợp tác. Ảnh trong bài: Trần Thanh Nhã – T.Ngọc.",
    ):
        page = f"{TITLE}\n\n{LEAD}\n\n{caption}\n\n{BODY}\n"
        a = analyse_page(page)
        assert _body(a, page) == [LEAD, BODY] and a.captions == [caption]
    # "Ảnh hưởng ..." is a sentence, not a credit.
    sentence = "Bão số 3 gây mưa lớn ở các tỉnh miền Bắc. Ảnh hưởng của bão còn kéo dài."
    page = f"{TITLE}\n\n{LEAD}\n\n{sentence}\n\n{BODY}\n"
    assert _body(analyse_page(page), page) == [LEAD, sentence, BODY]


def test_a_name_abbreviation_does_not_split_a_caption_into_two_sentences() -> None:
    caption = "TS. Phan Chí Hiếu, Chủ tịch Viện Hàn lâm phát biểu khai mạc tại Hội thảo"
    page = f"{TITLE}\n\n{LEAD}\n\n{caption}\n\n{BODY}\n"
    assert analyse_page(page).captions == [caption]


def test_a_long_statement_over_running_text_is_the_lead_unless_a_dateline_follows() -> None:
    lead = (
        "Thu nhập và đời sống của 3.000 hộ dân trên đảo gặp khó khăn khi giá sản phẩm hành, tỏi "
        "mấy tháng gần đây luôn lao dốc."
    )
    page = f"{lead}\n\n{BODY}\n"
    a = analyse_page(page)
    assert a.title == "" and _body(a, page) == [lead, BODY]
    # Over a lead that opens with its dateline, the same line is the title.
    dated = "Chiều ngày 21/02/2023, " + BODY
    page = f"{lead}\n\n{dated}\n"
    assert analyse_page(page).title == lead


def test_a_line_that_points_at_its_photo_is_a_caption_not_the_title() -> None:
    caption = (
        "Phú Quốc là một điểm du lịch nổi tiếng thế giới. Trong ảnh là đám cưới của một tỉ phú "
        "tổ chức tại một khu nghỉ dưỡng"
    )
    page = f"{caption}\n\n{LEAD}\n\n{BODY}\n"
    a = analyse_page(page)
    assert a.title == "" and a.captions == [caption] and _body(a, page) == [LEAD, BODY]
    pointer = "Chú thích của tòa soạn: ngôi chùa ảnh trên đã được sửa chữa theo kiểu mới."
    page = f"{TITLE}\n\n{LEAD}\n\n{pointer}\n\n{BODY}\n"
    assert analyse_page(page).captions == [pointer]


def test_a_page_cut_right_after_a_sub_heading_with_a_colon_keeps_the_cut_words() -> None:
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\n2. Phố đi bộ Nguyễn Huệ ngày nay:\n\nTừ m"
    assert _body(analyse_page(page), page)[-2:] == ["2. Phố đi bộ Nguyễn Huệ ngày nay:", "Từ m"]
    # without the colon, two words under a heading may be anything: not kept
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\n2. Phố đi bộ Nguyễn Huệ ngày nay\n\nTừ m"
    assert _body(analyse_page(page), page)[-1] != "Từ m"


def test_a_copy_of_the_title_with_another_dash_is_cut_as_the_title() -> None:
    title = "Đoàn Chủ tịch HĐND tỉnh Lạng Sơn thăm - làm việc tại Pháp"
    page = f"{title}\n\n{title.replace(' - ', ' – ')}\n\n{LEAD}\n\n{BODY}\n"
    a = analyse_page(page)
    assert a.title == title and _body(a, page) == [LEAD, BODY]


def test_an_empty_date_template_is_no_title_and_a_site_in_brackets_is_a_source() -> None:
    page = f", //, :: GTM+7\n\n{TITLE}\n\n(nongnghiep.vn)\n\n{LEAD}\n\n{BODY}\n"
    a = analyse_page(page)
    assert a.title == TITLE and _body(a, page) == [LEAD, BODY]
    assert _reasons(a)["(nongnghiep.vn)"] == "source"


def test_a_source_line_inside_the_article_stays_but_not_one_above_its_first_paragraph() -> None:
    cited = "Nguồn: Tổng cục Thống kê"
    page = f"{TITLE}\n\n{LEAD}\n\n{cited}\n\n{BODY}\n"
    assert cited in _body(analyse_page(page), page)
    page = f"{TITLE}\n\n{cited}\n\n{LEAD}\n\n{BODY}\n"
    assert cited not in _body(analyse_page(page), page)


def test_a_lead_opening_on_a_span_of_days_is_not_a_title() -> None:
    lead = (
        "Trong hai ngày 19 và 20-12, tại thành phố Luang Prabang (Lào) diễn ra cuộc họp thường "
        "niên giữa hai đoàn đại biểu biên giới."
    )
    page = f"{lead}\n\nCuộc họp thường niên giữa hai đoàn. Ảnh: TTXVN\n\n{BODY}\n"
    a = analyse_page(page)
    assert a.title == "" and _body(a, page) == [lead, BODY]


def test_a_poll_box_and_a_visitor_counter_are_navigation() -> None:
    widgets = ["Ý kiến thăm dò", "Truy cập", "Hôm nay:", "1", "Tất cả:", "198031"]
    page = "\n".join([*widgets, TITLE, LEAD, BODY]) + "\n"
    a = analyse_page(page)
    assert a.title == TITLE and _body(a, page) == [LEAD, BODY]


def test_a_genre_and_author_line_is_a_byline_not_the_title() -> None:
    for byline, author in (
        ("Tùy bút, Nguyễn Thị Hậu", "Nguyễn Thị Hậu"),
        ("Ký sự của Nguyễn Huỳnh Mai", "Nguyễn Huỳnh Mai"),
    ):
        page = f"{TITLE}\n\n{byline}\n\n{LEAD}\n\n{BODY}\n"
        a = analyse_page(page)
        assert a.title == TITLE and _body(a, page) == [LEAD, BODY] and a.byline == author


def test_a_bulleted_menu_above_the_lead_of_a_page_without_a_title_is_cut() -> None:
    menu = ["- 1. Đi Xem Nghị Sĩ Thề", "- 2. Tâm sự Xì Thẩu"]
    page = "\n".join([*menu, "Ký sự của Nguyễn Huỳnh Mai", LEAD, BODY]) + "\n"
    a = analyse_page(page)
    assert a.title == "" and _body(a, page) == [LEAD, BODY]
    assert {_reasons(a)[m] for m in menu} == {"navigation"}


def test_stamps_glued_to_a_name_or_after_a_paper_name_are_cut() -> None:
    glued = "Báo Đại biểu Nhân dânBáo Đại biểu Nhân dân05/12/2025"
    paper = "Nhật Báo Chính Luận: 3-11-1972"
    page = f"{TITLE}\n\n{paper}\n\n{LEAD}\n\n{glued}\n\n{BODY}\n"
    a = analyse_page(page)
    assert a.title == TITLE and _body(a, page) == [LEAD, BODY]
    assert _reasons(a)[glued] == _reasons(a)[paper] == "timestamp"
    # a sentence's date that lost its space, and an article's own "label: date" line, stay
    kept = ["Thời gian: 12/5/2024", "Căn cứ Nghị định số15/12/2020"]
    page = "\n\n".join([TITLE, LEAD, *kept, BODY]) + "\n"
    assert _body(analyse_page(page), page) == [LEAD, *kept, BODY]


def test_an_account_handle_and_a_byline_cut_by_the_page_end_are_cut() -> None:
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\nchinhtribt\n\nTin, "
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY]
    assert _reasons(a)["chinhtribt"] == "other" and _reasons(a)["Tin,"] == "byline"


def test_a_table_printed_a_cell_a_line_after_the_last_paragraph_stays() -> None:
    cells = ["4. Cơ cấu sử dụng đất", "STT", "Loại đất", "Diện tích (m2)", "1", "Đất ở"]
    cells += ["1.158.211", "30,45", "1.1", "Đất ở liền kề", "LK", "268.781"]
    page = "\n\n".join([TITLE, LEAD, BODY, *cells]) + "\n"
    assert _body(analyse_page(page), page) == [LEAD, BODY, *cells]


def test_an_outline_below_the_last_paragraph_is_the_article_not_other_headlines() -> None:
    outline = ["1. Kinh tế hợp tác và các loại hình hợp tác xã", "1.1.Kinh tế hợp tác", "Là m"]
    page = "\n\n".join([TITLE, LEAD, "Đang xem: Hợp tác xã nông nghiệp là gì", *outline]) + "\n"
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, *outline]


def test_widgets_icons_camera_files_and_a_source_url_are_cut() -> None:
    clutter = {
        "Kiến Lâm| 21/01/2019 10:08": "timestamp",
        "Chưa có đánh giá về bài viết": "navigation",
        "86 / 100 SEO Score": "navigation",
        "IMG 4824": "image",
        "create": "navigation",
        "source https://dautubds.baodautu.vn/dieu-chinh-du-an-2900-ty-dong": "source",
    }
    page = "\n\n".join(["Sự kiện nổi bật", TITLE, *list(clutter)[:3], LEAD, *list(clutter)[3:5]])
    page += f"\n\n{BODY}\n\n{list(clutter)[5]}\n"
    a = analyse_page(page)
    assert a.title == TITLE and _body(a, page) == [LEAD, BODY]
    assert {t: _reasons(a)[t] for t in clutter} == clutter


def test_a_keyword_list_is_not_the_title_but_a_list_of_authors_is_their_byline() -> None:
    keywords = "tham tử hà nội, tham tu ha noi, thuê thám tử, dịch vụ thám tử, công ty thám tử,"
    page = f"{keywords}\n\n{TITLE}\n\n{LEAD}\n\n{BODY}\n"
    a = analyse_page(page)
    assert a.title == TITLE and _reasons(a)[keywords] == "navigation"
    authors = "Hà Quang Thụy1, Nguyễn Thanh Thủy1, Phạm Bảo Sơn1, Phan Xuân Hiếu1, Trần Mai Vũ1"
    page = f"{TITLE}\n\n{authors}\n\n1Đại học Quốc gia Hà Nội\n\n{LEAD}\n\n{BODY}\n"
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY] and _reasons(a)[authors] == "byline"


def test_a_page_cut_after_a_sentence_announcing_a_list_keeps_its_cut_line() -> None:
    announcing = (
        "Về dự với Lễ kỷ niệm có sự hiện diện của các vị đại biểu, khách quý: về phía Đoàn bạn "
        "có Lãnh đạo Thành đoàn, Lãnh đạo nhà trường, Ban Đại diện Cha mẹ học sinh nhà trường:"
    )
    cut = "Mở đầu cho lễ kỷ niệm là một số tiết mục văn nghệ đặc sắc tới từ CLB"
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\n{announcing}\n\n{cut}"
    assert _body(analyse_page(page), page) == [LEAD, BODY, announcing, cut]


BODY2 = (
    "Kết quả, đoàn của tỉnh đạt giải nhì môn đua ghe và giải ba môn cầu lông đôi nam, góp phần "
    "vào thành tích chung của cụm thi đua các tỉnh miền Đông Nam Bộ trong năm nay."
)


def test_wordpress_player_and_comment_form_widgets_are_cut() -> None:
    above = ["Site icon Đầu Tư Định Cư Mỹ, Canada", "main billboard"]
    widgets = [" image", "Tự động phát", "Mặc định Cỡ chữ", "Get the SBS Audio app"]
    below = [
        "Vật lý Thiên văn - vatlythienvan.com",
        "Bạn còn 500/500 ký tự",
        "Bạn vui lòng nhập từ 5 ký tự trở lên !!!",
        "You might also like",
        "Leave A Reply",
        "Your email address will not be published.",
        "Website này sử dụng Akismet để hạn chế spam. Tìm hiểu bình luận của bạn được duyệt.",
        "close-link",
    ]
    page = "\n\n".join([*above, TITLE, *widgets, LEAD, BODY, *below]) + "\n"
    a = analyse_page(page)
    assert a.title == TITLE and _body(a, page) == [LEAD, BODY]


def test_stamps_with_a_section_or_a_reading_time_are_stamps() -> None:
    stamps = [
        "04/10/2016 15:27 PM | Công nghệ",
        "Chính trị xã hội 08:09 | 02/10/2024",
        "catovina Tác giả catovina 05/10/2024 20 phút đọc",
    ]
    for stamp in stamps:
        page = f"{TITLE}\n\n{stamp}\n\n{LEAD}\n\n{BODY}\n"
        a = analyse_page(page)
        assert _body(a, page) == [LEAD, BODY] and _reasons(a)[stamp] == "timestamp", stamp


def test_image_names_with_spaces_storage_ids_and_logo_addresses_are_image_residue() -> None:
    logo = "Hội Nông dân tỉnh Bình Địnhhttps://hoinongdanbinhdinh.org.vn/uploads/chu-hnd.png"
    named = "04 - Chị Nguyễn Bạch Yến (thứ 3 từ trái) và chị Trần Thị Kim Huệ.jpg"
    blob = "AD_4nXdlO3FXdqNwX25BMjfgeCg9r43GBkJhQinW0s-ZTuWe1luLRb8A19AxOCq?key=ofJ2eUf5yY6E"
    page = "\n\n".join([logo, TITLE, named, LEAD, blob, BODY]) + "\n"
    a = analyse_page(page)
    assert a.title == TITLE and _body(a, page) == [LEAD, BODY]
    assert {_reasons(a)[t] for t in (logo, named, blob)} == {"image"}


def test_bare_figures_between_the_title_and_the_lead_are_widgets() -> None:
    page = f"{TITLE}\n\n0 106\n\n100%\n\n{LEAD}\n\n{BODY}\n"
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY] and _reasons(a)["100%"] == "navigation"


def test_a_breadcrumb_echoed_by_the_next_line_gives_the_title_below_the_menus() -> None:
    menu = ["Trang chủ", "Giới thiệu Sapa", "Khách sạn Sapa", "Nhà hàng & Bar", "Tour Sapa"]
    menu += ["Thuê xe du lịch Sapa", "Vé tàu Sapa", "Bản đồ du lịch Sapa", "Chợ vùng cao Sapa"]
    menu += ["Thông tin cần biết", "Tin tức & Sự kiện", "Đối tác"]
    title = "Chợ Sa Pa tại Praha"
    page = "\n\n".join([*menu, f"Tin tức & Sự kiện >> {title}", title, LEAD, BODY]) + "\n"
    a = analyse_page(page)
    assert a.title == title and _body(a, page) == [LEAD, BODY]


def test_a_lone_source_word_takes_the_name_on_the_next_line() -> None:
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\nNguồn\n\nTruyền hình Cần Thơ\n"
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY] and a.source == "Nguồn: Truyền hình Cần Thơ"


def test_a_roman_numbered_heading_in_capitals_is_not_a_byline() -> None:
    page = f"{TITLE}\n\n{LEAD}\n\nI/ QUY CHẾ\n\n{BODY}\n\nII/ LỊCH SỬ – Ý NGHĨA\n\n{BODY2}\n"
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, "I/ QUY CHẾ", BODY, "II/ LỊCH SỬ – Ý NGHĨA", BODY2]


def test_a_caption_broken_over_two_lines_between_an_image_and_its_credit() -> None:
    caption = ["Đoàn cán bộ, công chức, viên chức", "ngành văn hóa tỉnh tham gia Hội thao"]
    page = "\n\n".join([TITLE, LEAD, BODY, "hinh1.png", *caption, "Ảnh: Phạm Thị Hòa", BODY2])
    a = analyse_page(page + "\n")
    assert _body(a, page) == [LEAD, BODY, BODY2] and a.captions == caption


def test_a_cut_paragraph_under_one_more_sub_heading_of_a_sectioned_article_is_kept() -> None:
    article = [
        LEAD,
        "Xói lở đất và biến đổi dòng chảy",
        BODY,
        "Suy thoái môi trường và mất cân bằng sinh thái",
        BODY2,
        "Gây mất an ninh trật tự và nguy cơ hình thành tội phạm có tổ chức",
        "Các nhóm cát tặc thường hoạt động theo h",
    ]
    page = "\n\n".join([TITLE, *article])
    assert _body(analyse_page(page), page) == article


def test_a_lead_pointing_at_its_photo_is_not_a_caption() -> None:
    lead = (
        "Liên quan đến hoạt động chuyển đổi số trong lĩnh vực này, phóng viên Báo Hậu Giang có "
        "cuộc phỏng vấn ông Ngô Minh Long (ảnh), Chủ tịch Liên minh Hợp tác xã tỉnh."
    )
    page = f"{TITLE}\n\n{lead}\n\n{BODY}\n"
    a = analyse_page(page)
    assert _body(a, page) == [lead, BODY] and a.captions == []


def test_a_caption_credited_with_hinh_is_a_caption() -> None:
    caption = "Các khách đến chơi hội chợ đa số là người gốc Việt. (Hình: Thiện Lê/Người Việt)"
    page = f"{TITLE}\n\n{LEAD}\n\n{caption}\n\n{BODY}\n"
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY] and a.captions == [caption]


def test_the_original_articles_address_after_the_article_is_its_source() -> None:
    url = "https://phapluatxahoi.kinhtedothi.vn/them-8-di-tich-duoc-xep-hang-271122.html"
    page = f"{TITLE}\n\n{LEAD}\n\n{BODY}\n\nT.Quang\n\nLink bài gốc\n\n{url}\n"
    a = analyse_page(page)
    assert _body(a, page) == [LEAD, BODY] and _reasons(a)[url] == "source"
