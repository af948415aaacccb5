"""The cleaner's vocabulary: the words and line shapes Vietnamese news sites print around an
article (comment boxes, list headers, share bars, counters, footers, image residue, photo
credits, attribution lines, agency prefixes, caption wording).

Lines are matched on their casefolded, NFC, whitespace-collapsed text (`Unit.key`) unless a
pattern says otherwise. Data only: imports `summarizer.chars` and nothing else.
"""

from __future__ import annotations

import re

from ..chars import alternation

# "Tin, ảnh", "Bài và ảnh", "Tin/ảnh": who wrote the text and took the photos, before the names.
_WORDS_AND_PHOTOS = r"(?:bài|tin)\s*(?:và|,|&|/)?\s*ảnh"
BYLINE_PREFIX_RE = re.compile(
    rf"^(?:{_WORDS_AND_PHOTOS}|bài|tin|tác giả(?: bài viết)?|nhóm phóng viên|nhóm pv"
    r"|phóng viên"
    r"|pv|ctv|thực hiện|nhóm thực hiện)\s*:\s*"
    # a piece's genre before its author: "Tùy bút, Nguyễn Thị Hậu", "Ký sự của Nguyễn Huỳnh Mai"
    r"|^(?:tùy bút|tuỳ bút|ký sự|kí sự|bút ký|bút kí|phóng sự|tản văn|tạp bút|ghi chép)"
    r"\s*(?:[,:]|\s+của)\s*",
    re.IGNORECASE,
)
# A date glued to the letter before it ("Nhân dân05/12/2025"): a template's stamp (`glued_stamp`).
GLUED_DATE_RE = re.compile(r"(?<=[^\W\d_])\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b")
# A paper's name, then a colon: "Nhật Báo Chính Luận: 3-11-1972" (its issue's date).
PAPER_RE = re.compile(r"^(?:nhật báo|tuần báo|báo|tạp chí)\s[^:]{2,40}:\s", re.IGNORECASE)
# A sub-heading numbered on two levels or more: "1.1.Kinh tế hợp tác", "2.3. Giải pháp" (not a
# figure: "2.500 người" goes on in lower case).
OUTLINE_RE = re.compile(r"^\d{1,2}\.\d{1,2}\.?(?:\d{1,2}\.?)*\s*(?P<initial>[^\W\d_])")
# A lone handle in lower case without accents ("chinhtribt", "thanhnien_vn"): eight characters
# or more, so never one Vietnamese syllable ("nghieng" has seven) of a hard-wrapped sentence.
ACCOUNT_RE = re.compile(r"^[a-z][a-z0-9_.]{7,29}$")
# A byline's opening words alone, the page cut right after them: "Tin, ", "Bài và ảnh:".
CUT_BYLINE_RE = re.compile(rf"^(?:{_WORDS_AND_PHOTOS}|bài|tin|ảnh)\s*[,:&/]?$", re.IGNORECASE)
# Who posted it, as blog and portal templates print it: "Bởi: admin", "Đăng bởi: Hải Yến".
POSTED_BY_RE = re.compile(
    r"^(?:bởi|đăng bởi|người đăng|người viết|posted by|by)\s*:?\s*\S.{0,40}$", re.IGNORECASE
)
# Academic titles before an author's name: "ThS. TẠ TƯỜNG VI", "PGS.TS. Nguyễn Văn A".
ACADEMIC_TITLE_RE = re.compile(r"^(?:(?:GS|PGS|TS|ThS|NCS|TSKH|BS|KS|LS)\.\s*)+")
# A byline's trailing role: "Thy Nga, phóng viên đài RFA".
BYLINE_ROLE_RE = re.compile(
    r",\s*(?:phóng viên|biên tập viên|cộng tác viên|thông tín viên|nhà báo|pv|ctv|btv)\b"
    r"[^,;]{0,40}$",
    re.IGNORECASE,
)
# Sub-headings of reports that look like a byline in capitals: "PHẦN MỞ ĐẦU", "KẾT LUẬN".
HEADING_WORD_RE = re.compile(
    r"^(?:phần|chương|mục|điều|kết luận|mở đầu|tóm tắt|giới thiệu|phụ lục|đặt vấn đề)\b"
    # an outline's part in Roman numerals: "I/ QUY CHẾ", "II. LỊCH SỬ – Ý NGHĨA"
    r"|^[IVX]{1,4}\s*[/.)]\s*[^\W\d_]",
    re.IGNORECASE,
)
# Words of an English interface left on a Vietnamese page ("Skip to main content", "Sign In").
_UI_WORDS_TEXT = (
    "skip to main content access keys help index other languages language sign in out log "
    "login logout please wait no media source currently available menu search home share print "
    "send this page back top more read next previous english chinese russian french japanese "
    "korean spanish german subscribe follow us cookie cookies accept close loading video audio "
    "play pause listen download the a of and or"
    # icon ligatures whose names a crawler keeps as text ("create" for the edit pen)
    " create edit bookmark visibility schedule"
    # a blog's image placeholder, an ad slot, a WordPress theme's boxes and icons
    " image billboard banner you might also like leave reply link app get your"
)
UI_WORDS = frozenset(_UI_WORDS_TEXT.split())
NAME_SEP_RE = re.compile(r"\s+[-–—]\s+|\s*[,;/]\s*|\s+và\s+|\s+&\s+")

COMMENT_TERMINAL = frozenset(
    {
        "ý kiến bạn đọc",
        "xem thêm bình luận",
        "xem thêm phản hồi",
        "gửi phản hồi",
        "ý kiến phản hồi",
        "bình luận",
        "gửi bình luận",
        "viết bình luận",
        "ý kiến của bạn",
        "bạn đọc bình luận",
        "bình luận bài viết",
        "ý kiến",
        "gửi ý kiến",
        "ý kiến bạn đọc về bài viết",
        "bình luận của bạn",
        "ý kiến bình luận",
        "leave a reply",  # WordPress
    }
)
COMMENT_LINES = COMMENT_TERMINAL | {
    "thông báo",
    "bạn đã gửi thành công",
    "gửi",
    "hủy",
    "huỷ",
    "đăng nhập",
    "đăng nhập để bình luận",
    "họ tên",
    "họ và tên",
    "email",
    "trả lời",
    "thích",
    "quan tâm",
    "xem thêm ý kiến",
    "bình luận của bạn đang chờ duyệt",
    "bình luận của bạn sẽ được biên tập trước khi đăng",
    "vui lòng nhập nội dung bình luận",
    "gửi bình luận thành công",
    "cảm ơn bạn đã gửi bình luận",
    "bạn đọc gửi bình luận",
    "chưa có bình luận nào",
    "hãy là người đầu tiên bình luận",
    "sắp xếp theo",
    "mới nhất",
    "cũ nhất",
    "hay nhất",
    "your email address will not be published",
}
# A comment form's hints: "Bạn còn 500/500 ký tự", "Bạn vui lòng nhập từ 5 ký tự trở lên !!!",
# WordPress's anti-spam note ("Website này sử dụng Akismet để hạn chế spam...").
COMMENT_FORM_RE = re.compile(
    r"^bạn còn \d+\s*/\s*\d+ ký tự|^(?:bạn )?vui lòng nhập\b.{0,40}\bký tự|\bakismet\b", re.I
)
TERMINAL_HEADERS = frozenset(
    {
        "bài viết cùng chuyên mục",
        "cùng chuyên mục",
        "tin cùng chuyên mục",
        "bài cùng chuyên mục",
        "tin bài cùng chuyên mục",
        "tin mới",
        "tin mới nhất",
        "tin mới cập nhật",
        "tin khác",
        "các tin khác",
        "tin tức khác",
        "tin bài khác",
        "các tin đã đưa",
        "tin đã đưa",
        "tin mới hơn",
        "các tin mới hơn",
        "tin cũ hơn",
        "các tin cũ hơn",
        "tin trước",
        "các tin trước",
        "tin bài đã đưa",
        "bài viết khác",
        "các bài viết khác",
        "đọc nhiều",
        "đọc nhiều nhất",
        "tin đọc nhiều",
        "bài đọc nhiều",
        "xem nhiều",
        "xem nhiều nhất",
        "tin xem nhiều",
        "tin nổi bật",
        "nổi bật",
        "tin nóng",
        "có thể bạn quan tâm",
        "bạn có thể quan tâm",
        "có thể bạn chưa đọc",
        "tin cùng mục",
        "cùng chủ đề",
        "tin cùng chủ đề",
        "bài cùng chủ đề",
        "các tin, bài khác",
        "các tin bài khác",
        "các tin bài đã đưa",
        "tin đã đăng",
        "bài viết mới nhất",
        "mới cập nhật",
        "tin mới nhận",
        "tin tiêu điểm",
        "tiêu điểm",
        "video nổi bật",
        "tin ảnh",
        "xem thêm tin",
        "tin tức mới nhất",
        "tags",
        "tag",
        "từ khóa",
        "từ khoá",
        "chủ đề",
        # English widget labels that Vietnamese sites keep untranslated
        "you may also like",
        "related articles",
        "related news",
        "related posts",
    }
)
BOX_HEADERS = frozenset(
    {
        "tin liên quan",
        "bài liên quan",
        "bài viết liên quan",
        "tin tức liên quan",
        "tin bài liên quan",
        "chủ đề liên quan",
        "video liên quan",
        "đọc thêm",
        "xem thêm",
        "đọc tiếp",
        "xem tiếp",
        "có thể bạn muốn đọc",
        "mời độc giả xem thêm",
        "mời quý độc giả xem thêm",
    }
)
# Sections of Vietnamese news sites: a line that is nothing but one of these is the site's menu
# or the article's section tag, unless it sits between two paragraphs as a sub-heading.
SECTION_NAMES = frozenset(
    {
        "thời sự", "chính trị", "kinh tế", "xã hội", "pháp luật", "văn hóa", "văn hoá",
        "thể thao", "giáo dục", "sức khỏe", "sức khoẻ", "y tế", "quốc tế", "thế giới",
        "đời sống", "giải trí", "du lịch", "công nghệ", "khoa học", "khoa học - công nghệ",
        "an ninh - quốc phòng", "quốc phòng - an ninh", "an ninh quốc phòng", "quốc phòng",
        "an toàn giao thông", "giao thông", "bất động sản", "tài chính", "chứng khoán",
        "nông nghiệp", "môi trường", "bạn đọc", "ý kiến", "đối ngoại", "ngoại giao",
        "tin tức", "tin trong nước", "trong nước", "tin quốc tế", "tin tức - sự kiện",
        "tin hoạt động", "hoạt động đối ngoại", "kinh tế - xã hội", "văn hóa - xã hội",
        "văn hóa - thể thao", "chính trị - xã hội", "xây dựng đảng", "multimedia",
        "emagazine", "e-magazine", "infographic", "infographics", "podcast", "phóng sự ảnh",
        "tin ảnh", "tin nổi bật", "tin mới nhất", "tiêu điểm", "sự kiện", "pháp luật - đời sống",
        "sự kiện nổi bật", "tin tiêu điểm", "tin nổi bật trong ngày",
        "xe", "ô tô - xe máy", "doanh nghiệp", "thị trường", "lao động", "việc làm",
        "gia đình", "giới trẻ", "nhịp sống", "địa phương", "tin địa phương", "biển đảo",
    }
)  # fmt: skip
NAV_LINES = frozenset(
    {
        "chưa có đánh giá về bài viết",  # a rating widget
        "đánh giá bài viết",
        "ý kiến thăm dò",  # a poll box
        "thăm dò ý kiến",
        "chia sẻ",
        "chia sẻ bài viết",
        "chia sẻ bài",
        "share",
        "facebook",
        "zalo",
        "twitter",
        "linkedin",
        "telegram",
        "in",
        "in bài",
        "in bài viết",
        "lưu",
        "lưu bài",
        "lưu bài viết",
        "gửi bài",
        "gửi bài viết",
        "gửi email",
        "copy link",
        "copy",
        "sao chép liên kết",
        "sao chép link",
        "quay lại",
        "trở lại",
        "về đầu trang",
        "lên đầu trang",
        "trang chủ",
        "quảng cáo",
        "advertisement",
        "google news",
        "tải ứng dụng",
        "đăng ký",
        "đăng ký nhận tin",
        "nghe bài viết",
        "tự động phát",  # a video player's autoplay switch
        "nghe đọc bài",
        "cỡ chữ",
        "a a",
        "a- a+",
        "a+ a-",
        "theo dõi chúng tôi",
        "theo dõi",
        "rss",
        "menu",
        "tìm kiếm",
        "đóng",
        "mục lục",
        "liên hệ",
        "liên hệ quảng cáo",
        "đặt báo",
        "tất cả chuyên mục",
        "chuyên mục",
        "trở lại chủ đề",
        "xem tất cả",
        "chi tiết tin",
        "đường dẫn truy cập",
        "album ảnh",
        "bài viết",
        "xem album ảnh",
        "gửi trang này cho bè bạn",
        "gửi cho bạn bè",
        "bản để in ra",
        "bản in",
        "phiên bản in",
    }
)
SHARE_WORDS = alternation(NAV_LINES | {"chia sẻ facebook", "messenger", "pinterest"})
NAV_COMBO_RE = re.compile(rf"^(?:(?:{SHARE_WORDS})(?:\s*[|,·•/-]\s*|\s+|$))+$")
HASHTAGS_RE = re.compile(r"^(?:#[^\s#]+\s*)+$")
# The font-size buttons: "Cỡ chữ A A", "Xem với cỡ chữAA", "CỠ CHỮ - +".
FONT_SIZE_RE = re.compile(
    r"^(?:(?:xem với\s+)?cỡ chữ|font size|mặc định|a-|a\+|a|tăng tương phản|giảm tương phản"
    r"|[\s|:+\-–])+$",
    re.IGNORECASE,
)
# A visitor counter: "Thống kê truy cập", "• Online 10", "• Hôm nay 2321", "• Tổng 1.538.557".
VISITS_RE = re.compile(
    r"^[•*\s]*(?:thống kê truy cập|số lượng và lượt người truy cập"
    r"|(?:đang |lượt |tổng lượt )?truy cập|online|hôm nay|hôm qua|trong tuần|tuần này"
    r"|trong tháng|tháng này|tổng|tất cả)\s*:?\s*[\d.,]*$",
    re.IGNORECASE,
)
COUNTER_RE = re.compile(
    r"^(?:lượt xem|lượt đọc|lượt thích|số lượt xem)\s*:?\s*[\d.,]+$"
    r"|^[\d.,]+\s+(?:lượt xem|lượt đọc|lượt thích|lượt chia sẻ|views?)$"
    # any short "Label: N" counter of the page's widgets ("Post: : 12", "Views: 1.234")
    r"|^[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,2}\s*:[\s:]*[\d.,]+$"
    # an SEO plugin's score or a rating: "86 / 100 SEO Score", "8/10 điểm"
    r"|^[\d.,]+\s*/\s*(?:100|10|5)\s+(?:seo score|điểm)$",
    re.IGNORECASE,
)
CONTACT_RE = re.compile(
    r"^[*•\s]*(?:điện thoại|đt|tel|fax|e-?mail|website|địa chỉ(?: tòa soạn| toà soạn| trụ sở)?"
    r"(?: chính)?)\s*:",
    re.IGNORECASE,
)
MOBILE_LINES = frozenset(
    {
        "phiên bản di động",
        "xem phiên bản di động",
        "phiên bản máy tính",
        "xem phiên bản máy tính",
        "phiên bản đầy đủ",
        "xem phiên bản đầy đủ",
        "phiên bản desktop",
        "xem bản desktop",
        "bản di động",
        "mobile",
        "mobile version",
        "desktop version",
    }
)

HOTLINE_RE = re.compile(r"^(?:đường dây nóng|hotline|đường dây nóng phản ánh)\b", re.IGNORECASE)
FOLLOW_RE = re.compile(
    r"^(?:theo dõi|follow|like|kết nối với|tham gia)\b.{0,60}?\b(?:trên|tại|qua|on)\b.{0,30}$"
    r"|^.{0,40}\btrên google (?:news|tin tức)$",
    re.IGNORECASE,
)
# A link to another article in square brackets, as news agencies print them:
# "[Tổng thống Italy gửi thư mừng 50 năm quan hệ Việt Nam-Italy]".
BRACKETED_LINK_RE = re.compile(r"^\[[^\[\]]{10,200}\]$")
INLINE_RELATED_RE = re.compile(
    r"^(?:>>+|»+|\[?(?:đọc thêm|xem thêm|tin liên quan|bài liên quan|xem tiếp|đọc tiếp|đang xem)\]?"
    r"\s*(?::|>>|»|-))\s*\S",
    re.IGNORECASE,
)
TAGS_RE = re.compile(r"^(?:tags?|từ kh(?:óa|oá|oa)|chủ đề|chuyên mục)\s*:", re.IGNORECASE)
FOOTER_RE = re.compile(
    r"©|^copyright\b|^bản quyền\b|ghi rõ nguồn|^giấy phép\b|^(?:phó )?tổng biên tập\s*:"
    r"|^cơ quan chủ quản\s*:|^chịu trách nhiệm (?:xuất bản|nội dung)|^to[àa] soạn\s*:"
)
BREADCRUMB_SEP_RE = re.compile(r"\s*(?:>|»|›|\|)\s*|\s+/\s+")
# A document title's trail: "Chi tiết tin - tin tức sự kiện - Sở Ngoại Vụ".
DASH_SEP_RE = re.compile(r"\s+[-–—]\s+")
# Between a stamp and the names before it: a dash, or a bar ("Kiến Lâm| 21/01/2019 10:08").
STAMP_SEP_RE = re.compile(rf"{DASH_SEP_RE.pattern}|\s*\|\s*")

SOURCE_RE = re.compile(
    r"^(?:source|link)\s*:?\s*https?://\S+$|^\(?\s*nguồn\s*:\s*(?!ảnh)\S|^\(?\s*nguồn\s+[^:\s][^:]{0,40}:\s*(?:https?://|www\.)",
    re.IGNORECASE,
)
# An address alone on a line; after the article, the original's ("Link bài gốc", then it).
URL_ONLY_RE = re.compile(r"^https?://\S+$")
# An agency credit alone on a line: "(TTXVN/Vietnam+)", "(VOV)", "(Theo Reuters)".
AGENCY_CREDIT_RE = re.compile(
    r"^\(\s*(?:theo\s+)?[A-ZĐ][\w.+&]*(?:\s*[/,&-]\s*[\w.+&]+){0,3}\s*\)\.?$"
    # or its site: "(nongnghiep.vn)", "(Theo baochinhphu.vn)"
    r"|^\(\s*(?i:theo\s+)?[\w-]+(?:\.[\w-]+)*\.(?i:vn|com|net|org|info)\s*\)\.?$"
)
THEO_RE = re.compile(r"^\(?\s*theo\s+(?!dõi\b)[^,;:!?]{2,80}$", re.IGNORECASE)

# Abbreviations that open a name, not an agency's prefix: "TP. Hồ Chí Minh", "GS. TS. Lê",
# "PGS.TS. Nguyễn", "ThS. BS. ...", "Q. 1", "P. Bến Nghé".
NAME_ABBREVIATIONS = (
    "TP|TX|TT|Q|P|H|GS|PGS|TS|TSKH|ThS|BS|BSCK|KS|KTS|LS|CN|NSND|NSƯT|NGƯT|Th.S|Ths"
)
AGENCY_RE = re.compile(
    rf"^(?!(?:(?:{NAME_ABBREVIATIONS})\.\s*)*(?:{NAME_ABBREVIATIONS})\.\s)"
    r"(?:\([^()\n]{2,30}\)\s*[-–—:]\s*|[A-ZĐ][A-ZĐ0-9]{1,9}(?:\.[A-Za-z]{2,4})?\s*[-–—.:]\s+"
    r"|[A-ZĐ][A-ZĐ0-9]{1,9}(?:\.[A-Za-z]{2,4})?\s+[-–—]\s*)"
)

# A weather widget: "Hà Nội: 27°C Hà Nội", "TP Hồ Chí Minh 29°C".
WEATHER_RE = re.compile(r"^[^\W\d_][^\d:]{0,30}:?\s*-?\d{1,2}\s*°\s*C\b", re.IGNORECASE)
# The site's greeting: "Chào mừng bạn đến với Website Sở Văn hóa và Thể thao Tỉnh Ninh Bình."
WELCOME_RE = re.compile(r"^chào mừng (?:(?:bạn|quý vị|quý khách|quý độc giả) )?đến với\b", re.I)
# A template's placeholder left in the text: "spot_img", "post_thumbnail".
TEMPLATE_TOKEN_RE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")
# The site's name with its domain: "Vietnam.vn - Nền tảng quảng bá Việt Nam", "BAOTAYNINH.VN".
SITE_DOMAIN_RE = re.compile(
    r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|info|asia)(?:\s*[-–—|:]\s*[^.!?]{0,80})?$",
    re.IGNORECASE,
)
# The site's name before its domain: "Vật lý Thiên văn - vatlythienvan.com"; a WordPress theme's
# "Site icon <name>" (the logo's alt text).
SITE_NAMED_DOMAIN_RE = re.compile(
    r"^[^.!?]{2,60}\s[-–—|]\s(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|info|asia)$"
    r"|^site (?:icon|logo)\b",
    re.IGNORECASE,
)
# A reading-time note, the end of an author-and-date line: "... 05/10/2024 20 phút đọc".
READING_TIME_RE = re.compile(r"\b\d{1,3}\s*phút đọc$", re.IGNORECASE)
# The site's own name printed above the article: "Cổng thông tin điện tử tỉnh Quảng Trị".
PORTAL_RE = re.compile(
    r"^(?:cổng thông tin(?: điện tử)?|cổng ttđt|trang thông tin(?: điện tử)?|trang tin(?: điện tử)?"
    r"|báo điện tử|tạp chí điện tử|đài phát thanh(?: và|,)? truyền hình|website)\s+(?P<name>.+)$",
    re.IGNORECASE,
)
_ADMIN_WORDS_TEXT = (
    "tỉnh thành phố huyện quận thị xã phường bộ sở ban ủy uỷ của và hội đồng nhân dân"
)
ADMIN_WORDS = frozenset(_ADMIN_WORDS_TEXT.split())
TAG_HEADERS = frozenset({"tags", "tag", "từ khóa", "từ khoá", "chủ đề"})

# Sentences opening like these report events or list attendees: body, not captions.
CONNECTIVE_RE = re.compile(
    r"^(?:trước đó|sau đó|tiếp đó|ngoài ra|tuy nhiên|đồng thời|nhân dịp|bên cạnh đó|cũng|theo|"
    r"trong khi|vì vậy|do đó|do vậy|như vậy|hiện nay|từ|với|để|nhưng|và|còn|song|mặt khác|"
    r"trước|sau|tại|ngày|sáng|chiều|tối|trưa|dự|tham dự|cùng dự|có mặt|phát biểu|về|đây|"
    r"điều này|năm|tháng|hôm)\b",
    re.IGNORECASE,
)
# An author's affiliation under the byline: "Vụ Ngoại giao Văn hóa và UNESCO, Bộ Ngoại giao".
AFFILIATION_RE = re.compile(
    r"^(?:vụ|bộ|viện|học viện|trường|đại học|sở|ban|cục|tổng cục|trung tâm|khoa|đại sứ quán|"
    r"tổng lãnh sự quán|ủy ban|uỷ ban|hội|tạp chí|báo|công ty|văn phòng|phòng|liên hiệp|quỹ|"
    r"tổ chức|nguyên|phó|giám đốc|trưởng|chủ tịch|ts\.?|ths\.?|pgs\.?|gs\.?|nhà báo|"
    r"chuyên gia|giảng viên|nghiên cứu viên)\b",
    re.IGNORECASE,
)
# A sentence opening on a discourse connective and its comma ("Khi đó, ...", "Theo đó, ..."):
# running text going on, never a headline.
DISCOURSE_OPENER_RE = re.compile(
    r"^(?:khi đó|theo đó|trong khi đó|lúc đó|từ đó|sau đó|trước đó|tiếp đó|tuy nhiên|ngoài ra|"
    r"bên cạnh đó|đồng thời|vì vậy|vì thế|do đó|do vậy|như vậy|cụ thể|đặc biệt|mặt khác|"
    r"thêm vào đó|hơn nữa|trong đó|qua đó|nhờ đó|dù vậy|tuy vậy|nhìn chung|nói chung),",
    re.IGNORECASE,
)
