"""Clutter detection: tell a scraped news page's article apart from everything around it.

`analyse_page(page)` splits the decoded page into line units, labels the clutter among them and
returns what is left as page spans, together with the metadata found on the way (title, date,
byline, attribution, captions). It never rewrites text: `summarizer.ingest` turns the kept spans
into the NFC body and its map back to the page.

The signals are structural first, so that pages from sites other than the seeds clean too:

* whole-line boilerplate: hotline, breadcrumbs and section labels above the title, share/print
  bars, tags, hashtags, view counters, comment boxes, "follow us on", mobile-version links,
  copyright and contact footers;
* image residue: markdown images, bare file names, unaccented URL slugs on an accented page,
  "<title> - Ảnh 2." alt texts, lines holding nothing alphanumeric;
* related-article lists: a headline printed twice (on two lines, or twice on one line), a
  headline followed by a "HH:MM , DD/MM/YYYY" stamp well inside the page, the teaser after such a
  headline, the headlines under a box header ("Tin liên quan", "Đọc thêm"; a numbered box takes
  numbered items only), everything after an end header ("Ý kiến bạn đọc", "Bài viết cùng chuyên
  mục", "Tin mới", "Tags", ...) when it is list-shaped or shorter than the article, everything
  after an attribution line when it is list-shaped (headline, teaser, headline, teaser), and
  headline-shaped lines after the article's last paragraph of running text;
* captions: a line with a photo credit ("(Ảnh: ...)", "Ảnh: Báo Nhân Dân.", "... GIA HÂN"), the
  text next to an image on the same line, or a short one-sentence line that reads like a
  caption ("Quang cảnh buổi làm việc.", "... phát biểu tại buổi làm việc.") or follows an image
  on a page whose images are captioned. The lead is never a caption; sentences that are dated,
  quoted, or open with a connective or a reporting phrase ("Trước đó, ...", "Dự hội nghị có
  ...") stay in the body; on a page that shows no image, so does a line with caption wording
  that states a number no other paragraph states.

Decisions where the input is ambiguous: the title is the first headline-sized line (4+ words,
not a name) before the first paragraph of running text, or "" if the page opens with its lead;
the byline holds the names only ("Tin, ảnh: Minh Anh" -> "Minh Anh"); `source` is the whole
attribution line at the end ("Nguồn: ...", "Theo ..."), while a "Nguồn:" line followed by more
article text is a citation and stays in the body; an agency prefix on the lead ("TGVN. ",
"(TTV)- ", "TTO - ") is cut and recorded as a "source" removal, while a title or place
abbreviation opening a name ("TP. Hồ Chí Minh", "GS. TS. ...") is not one; repeated captions
are listed once. For the date rules see `_find_published`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from summarizer.article import RemovalReason, Removed, Span

__all__ = [
    "PageAnalysis",
    "Unit",
    "analyse_page",
    "byline_names",
    "is_name_like",
    "is_timestamp",
    "normalize_text",
    "parse_full_date",
    "split_units",
]

# ---------------------------------------------------------------------------------------------
# Text helpers

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_STRIP = " \t\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_STRIP += "\u202f\u205f\u3000" + _ZERO_WIDTH
_LINE_RE = re.compile(r"[^\r\n]+")
_MD_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")

_CLOSERS = "\"”’'»)]"
_SENT_END_CHARS = ".!?…"


def _ends_sentence(text: str) -> bool:
    """Ends with . ! ? or … (possibly followed by closing quotes or brackets)."""
    t = text.rstrip(_CLOSERS)
    return bool(t) and t[-1] in _SENT_END_CHARS


def _ends_clause(text: str) -> bool:
    t = text.rstrip(_CLOSERS)
    return bool(t) and t[-1] in ".!?…:;,"


def _ends_ellipsis(text: str) -> bool:
    t = text.rstrip(_CLOSERS)
    return t.endswith(("...", "…"))


_SENT_SPLIT_RE = re.compile(r"[.!?…][\"”’)]?\s+(?=[\"“]?[^\W\d_])")
_BULLET_RE = re.compile(r"^(?:\d{1,2}[.)]|[-•*+–»›>]+)\s+\S")
_TAIL_PUNCT = " :.-–—»>|•*#/"


_ZW_TABLE = dict.fromkeys(map(ord, _ZERO_WIDTH))


def normalize_text(text: str) -> str:
    """NFC, zero-width characters dropped, whitespace runs collapsed to one space, trimmed."""
    text = text.translate(_ZW_TABLE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def _is_name_word(word: str) -> bool:
    w = word.strip(".,")
    if not w:
        return False
    # "Sơn", or all capitals as some sites print bylines: "NGỌC HIỂN", "PV", "TTXVN".
    return w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower() or w.isupper())


_BYLINE_PREFIX_RE = re.compile(
    r"^(?:(?:bài|tin)\s*(?:và|,|&|/)?\s*ảnh|bài|tin|tác giả|nhóm phóng viên|nhóm pv|phóng viên"
    r"|pv|ctv|thực hiện|nhóm thực hiện)\s*:\s*",
    re.IGNORECASE,
)
_NAME_SEP_RE = re.compile(r"\s+[-–—]\s+|\s*[,;/]\s*|\s+và\s+|\s+&\s+")


def byline_names(text: str) -> str:
    """The names of a byline line: "Tin, ảnh: Minh Anh" -> "Minh Anh"."""
    t = text.strip().strip("()").strip()
    return _BYLINE_PREFIX_RE.sub("", t).rstrip(".").strip()


def is_name_like(text: str) -> bool:
    """A byline: one to four personal names ("Anh Sơn", "Hồng Ngọc - Xuân Sơn")."""
    t = text.strip().strip("()").strip()
    t = _BYLINE_PREFIX_RE.sub("", t)
    if not t or len(t) > 70 or (_ends_sentence(t) and not t.endswith(".")):
        return False
    t = t.rstrip(".")
    parts = [p for p in _NAME_SEP_RE.split(t) if p]
    if not 1 <= len(parts) <= 4:
        return False
    for part in parts:
        ws = part.split()
        if not 1 <= len(ws) <= 5 or not all(_is_name_word(w) for w in ws):
            return False
    # A single one-word part is too weak (a section label such as "Video").
    return not (len(parts) == 1 and len(parts[0].split()) == 1 and not parts[0].isupper())


def _n_sentences(text: str) -> int:
    return len(_SENT_SPLIT_RE.findall(text)) + 1


# ---------------------------------------------------------------------------------------------
# Line families (matched on the casefolded, NFC, whitespace-collapsed line)


def _head_key(key: str) -> str:
    """A header line's key without counts and decoration: "Bình luận (0)" -> "bình luận"."""
    if len(key) > 60:
        return ""
    k = re.sub(r"\(\s*\d+\s*\)|^\d+\s+|\s+\d+$", "", key)
    return k.strip(_TAIL_PUNCT)


_COMMENT_TERMINAL = frozenset(
    {
        "ý kiến bạn đọc",
        "xem thêm bình luận",
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
    }
)
_COMMENT_LINES = _COMMENT_TERMINAL | {
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
}
_TERMINAL_HEADERS = frozenset(
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
    }
)
_BOX_HEADERS = frozenset(
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
_NAV_LINES = frozenset(
    {
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
    }
)
_SHARE_WORDS = "|".join(
    sorted(
        (re.escape(w) for w in _NAV_LINES | {"chia sẻ facebook", "messenger", "pinterest"}),
        key=len,
        reverse=True,
    )
)
_NAV_COMBO_RE = re.compile(rf"^(?:(?:{_SHARE_WORDS})(?:\s*[|,·•/-]\s*|\s+|$))+$")
_HASHTAGS_RE = re.compile(r"^(?:#[^\s#]+\s*)+$")
_COUNTER_RE = re.compile(
    r"^(?:lượt xem|lượt đọc|lượt thích|số lượt xem)\s*:?\s*[\d.,]+$"
    r"|^[\d.,]+\s+(?:lượt xem|lượt đọc|lượt thích|lượt chia sẻ|views?)$",
    re.IGNORECASE,
)
_CONTACT_RE = re.compile(
    r"^(?:điện thoại|đt|fax|e-?mail|website|địa chỉ tòa soạn|địa chỉ toà soạn)\s*:", re.IGNORECASE
)
_MOBILE_LINES = frozenset(
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

_HOTLINE_RE = re.compile(r"^(?:đường dây nóng|hotline|đường dây nóng phản ánh)\b", re.IGNORECASE)
_FOLLOW_RE = re.compile(
    r"^(?:theo dõi|follow|like|kết nối với|tham gia)\b.{0,60}?\b(?:trên|tại|qua|on)\b.{0,30}$",
    re.IGNORECASE,
)
_INLINE_RELATED_RE = re.compile(
    r"^(?:>>+|»+|\[?(?:đọc thêm|xem thêm|tin liên quan|bài liên quan|xem tiếp|đọc tiếp)\]?"
    r"\s*(?::|>>|»|-))\s*\S",
    re.IGNORECASE,
)
_TAGS_RE = re.compile(r"^(?:tags?|từ kh(?:óa|oá|oa)|chủ đề|chuyên mục)\s*:", re.IGNORECASE)
_FOOTER_RE = re.compile(
    r"©|^copyright\b|^bản quyền\b|ghi rõ nguồn|^giấy phép\b|^(?:phó )?tổng biên tập\s*:"
    r"|^cơ quan chủ quản\s*:|^chịu trách nhiệm (?:xuất bản|nội dung)|^to[àa] soạn\s*:"
)
_BREADCRUMB_SEP_RE = re.compile(r"\s*(?:>|»|›|\|)\s*")

_IMG_STUB_RE = re.compile(
    r"^(?:!\[[^\]]*\]\([^)]*\)[\s|]*)+$|^[|\s]+$|^\[(?:ảnh|image|hình)\]$", re.I
)
_IMG_FILE_RE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp|svg|avif)(?:\?\S*)?$", re.IGNORECASE)
_IMG_SLUG_RE = re.compile(r"^[a-z0-9]+(?:[\s_-]+[a-z0-9]+){3,}$")
_IMG_MARKER_RE = re.compile(
    r"[-–—]\s*(?:ảnh|hình|hình ảnh|photo|video|clip)\s*\d+\s*\.?$", re.IGNORECASE
)
_CREDIT_ONLY_RE = re.compile(
    r"^\(?\s*(?:ảnh|nguồn ảnh|ảnh minh h[ọo]a|ảnh chụp màn hình|ảnh tư liệu|photo|video)"
    r"(?:\s*:\s*[^.()]{1,60})?\s*\)?\.?$",
    re.IGNORECASE,
)
_CREDIT_RE = re.compile(
    r"\(\s*(?:ảnh|nguồn ảnh|ảnh minh h[ọo]a|ảnh chụp màn hình|ảnh tư liệu|ảnh\s*/\s*video"
    r"|photo)\b[^()]*\)"
    r"|(?:^|[.!?]\s|\s[-–—]\s)(?:ảnh|nguồn ảnh|photo)\s*:\s*[^.]{2,80}\.?$"
    r"|^(?:ảnh|nguồn ảnh)\s*:"
)

_SOURCE_RE = re.compile(r"^\(?\s*nguồn\s*:\s*(?!ảnh)\S", re.IGNORECASE)
_THEO_RE = re.compile(r"^\(?\s*theo\s+(?!dõi\b)[^,;:!?]{2,80}$", re.IGNORECASE)

# Abbreviations that open a name, not an agency's prefix: "TP. Hồ Chí Minh", "GS. TS. Lê",
# "PGS.TS. Nguyễn", "ThS. BS. ...", "Q. 1", "P. Bến Nghé".
_NAME_ABBREVIATIONS = (
    "TP|TX|TT|Q|P|H|GS|PGS|TS|TSKH|ThS|BS|BSCK|KS|KTS|LS|CN|NSND|NSƯT|NGƯT|Th.S|Ths"
)
_AGENCY_RE = re.compile(
    rf"^(?!(?:(?:{_NAME_ABBREVIATIONS})\.\s*)*(?:{_NAME_ABBREVIATIONS})\.\s)"
    r"(?:\([^()\n]{2,30}\)\s*[-–—:]\s*|[A-ZĐ][A-ZĐ0-9]{1,9}(?:\.[A-Za-z]{2,4})?\s*[-–—.:]\s+"
    r"|[A-ZĐ][A-ZĐ0-9]{1,9}(?:\.[A-Za-z]{2,4})?\s+[-–—]\s*)"
)

# Dates ---------------------------------------------------------------------------------------

_DATE_FULL_RE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])")
_DATE_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_TIME_RE = re.compile(
    r"(?<!\d)\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?(?:\s*(?:am|pm|sa|ch))?(?!\d)", re.I
)
_STAMP_NOISE_RE = re.compile(
    r"thứ\s*(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s*nhật|\bcn\b|gmt\s*[+-]\s*\d+|utc|"
    r"cập nhật|đăng|ngày|lúc|giờ|phút|trước|lượt xem|\bvào\b|[\W\d_]",
    re.IGNORECASE,
)
_DAY_MONTH_RE = re.compile(
    r"(?:^|\b)(?:sáng|chiều|tối|trưa|đêm|ngày|hôm|rạng sáng)\s+(?:ngày\s+|qua\s+|nay\s+)?"
    r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?<!đến )(?<!tới )(?<!nhìn )\bnăm\s+((?:19|20)\d{2})(?!\s*[-–/]\s*\d)")
_RELATIVE_DATE_RE = re.compile(
    r"(?<![\d/])\d{1,2}/\d{1,2}(?![\d/])|hôm (?:nay|qua)|(?:sáng|chiều|tối|trưa) (?:nay|qua)"
)


def is_timestamp(text: str) -> bool:
    """A line that is only a date and/or time ("19:57 , 01/12/2025", "Thứ hai, 6/1/2025")."""
    if len(text) > 90:
        return False
    has_date = bool(_DATE_FULL_RE.search(text) or _DATE_ISO_RE.search(text))
    has_time = bool(_TIME_RE.search(text))
    if not has_date and not has_time:
        return False
    rest = _STAMP_NOISE_RE.sub("", text)
    if not has_date:  # a bare "19:52" only with nothing else
        return rest == ""
    return len(rest) <= 3


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_full_date(text: str) -> dt.date | None:
    """The first d/m/yyyy (or yyyy-mm-dd) date in `text`, if it is a valid date."""
    m = _DATE_FULL_RE.search(text)
    if m:
        return _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _DATE_ISO_RE.search(text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


# ---------------------------------------------------------------------------------------------
# Units


@dataclass(slots=True)
class Unit:
    """One non-blank line of the page: `page[start:end]` without surrounding whitespace."""

    start: int
    end: int
    text: str  # normalize_text(page[start:end])
    key: str  # text.casefold()
    label: RemovalReason | None = None
    header: str | None = None  # "terminal", "comment" or "box" for list/comment headers
    has_image: bool = False  # the line holds a markdown image (left out of `text`)

    words: int = 0
    is_prose: bool = False  # running text: a sentence (or more), not a headline or a label
    is_headline: bool = False  # a few words without a sentence-closing period

    def __post_init__(self) -> None:
        t = self.text
        self.words = len(t.split())
        self.is_prose = len(t) > 220 or (self.words >= 10 and _ends_sentence(t))
        if _BULLET_RE.match(t) and len(t) <= 260:
            self.is_headline = True
        elif not 2 <= self.words <= 45 or len(t) > 240:
            self.is_headline = False
        else:
            self.is_headline = not _ends_clause(t) or t.rstrip(_CLOSERS).endswith(("?", "!"))


def split_units(page: str) -> list[Unit]:
    """The page's non-blank lines as units (whitespace, NBSP and zero-width chars trimmed)."""
    units: list[Unit] = []
    for m in _LINE_RE.finditer(page):
        line = m.group()
        stripped = line.strip(_STRIP)
        if not stripped or not stripped.strip():
            continue
        lead = len(line) - len(line.lstrip(_STRIP))
        start = m.start() + lead
        end = start + len(stripped)
        has_image = "](" in stripped and bool(_MD_IMAGE_RE.search(stripped))
        if "](" in stripped:  # markdown: images out, links reduced to their text
            stripped = _MD_LINK_RE.sub(r"\1", _MD_IMAGE_RE.sub(" ", stripped))
        text = normalize_text(stripped).strip(" |")
        units.append(
            Unit(start=start, end=end, text=text, key=text.casefold(), has_image=has_image)
        )
    return units


@dataclass(slots=True)
class PageAnalysis:
    """What `analyse_page` found: the kept paragraphs (page spans) and the page's metadata."""

    units: list[Unit]
    paragraphs: list[Span]
    title: str
    published: dt.date | None
    byline: str | None
    source: str | None
    captions: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)

    @property
    def clutter_ratio(self) -> float:
        """Share of the page's non-blank line characters that did not make it into the body."""
        total = sum(u.end - u.start for u in self.units)
        kept = sum(p.end - p.start for p in self.paragraphs)
        return 0.0 if total == 0 else 1.0 - kept / total


# ---------------------------------------------------------------------------------------------
# Pass 1: lines recognised on their own


def _is_vietnamese_page(units: list[Unit]) -> bool:
    """Enough non-ASCII letters that an unaccented line stands out as a URL slug."""
    sample = "".join(u.text for u in units[:200])[:20000].replace(" ", "")
    if not sample:
        return False
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    return non_ascii / len(sample) >= 0.04


def _is_breadcrumb(u: Unit) -> bool:
    if len(u.text) > 100:
        return False
    parts = [p for p in _BREADCRUMB_SEP_RE.split(u.text) if p]
    if len(parts) < 2 or not _BREADCRUMB_SEP_RE.search(u.text):
        return False
    if u.key.startswith("trang chủ"):
        return True
    return len(parts) >= 2 and all(
        len(p.split()) <= 4 and p[0].isupper() and not any(c.isdigit() for c in p) for p in parts
    )


_TAG_HEADERS = frozenset({"tags", "tag", "từ khóa", "từ khoá", "chủ đề"})


def _is_image_residue(t: str, vietnamese: bool) -> bool:
    """Markdown stubs, file names, URL slugs, "<title> - Ảnh 2." alt texts, bare credits."""
    if _IMG_STUB_RE.match(t) or _IMG_FILE_RE.match(t) or _CREDIT_ONLY_RE.match(t):
        return True
    if vietnamese and _IMG_SLUG_RE.match(t) and any(c.isalpha() for c in t):
        return True
    return len(t) <= 300 and bool(_IMG_MARKER_RE.search(t[-30:]))


def _has_caps_credit(t: str) -> bool:
    """ "Quốc hội biểu quyết thông qua luật. GIA HÂN": a one-sentence caption, photographer in
    capitals."""
    head, sep, tail = t.rpartition(". ")
    if not sep or not head or _n_sentences(head + ".") != 1:
        return False
    words = tail.split()
    return 1 <= len(words) <= 4 and all(w.isalpha() and w.isupper() and len(w) > 1 for w in words)


def _is_image_caption_line(t: str) -> bool:
    """The text left on a line that held an image reads as that image's caption."""
    return len(t) <= 160 and _n_sentences(t) == 1 and not _CONNECTIVE_RE.match(t) and ";" not in t


def _line_label(u: Unit, vietnamese: bool) -> tuple[RemovalReason | None, str | None]:
    """(label, header kind) of a line recognised on its own, or (None, None)."""
    t, k = u.text, u.key
    if not any(c.isalnum() for c in t):  # "![]() |", "***", "---", "…"
        return ("image" if u.has_image or "|" in t else "other"), None
    if u.has_image and _is_image_caption_line(t):
        return "caption", None  # "![](...) | Caption of the image"
    hk = _head_key(k)
    if _is_image_residue(t, vietnamese):
        return "image", None
    if len(t) <= 600 and ("ảnh" in k or "photo" in k) and _CREDIT_RE.search(k):
        return "caption", None
    if len(t) <= 250 and _has_caps_credit(t):
        return "caption", None
    if len(t) <= 100 and _HOTLINE_RE.match(t):
        return "hotline", None
    if hk in _MOBILE_LINES:
        return "mobile", None
    if len(t) <= 90 and _FOLLOW_RE.match(t):
        return "follow", None
    if hk in _COMMENT_LINES:
        return "comments", ("comment" if hk in _COMMENT_TERMINAL else None)
    if hk in _TERMINAL_HEADERS:
        return ("navigation" if hk in _TAG_HEADERS else "related"), "terminal"
    if hk in _BOX_HEADERS:
        return "related", "box"
    if len(t) <= 300 and _INLINE_RELATED_RE.match(t):
        return "related", None
    if hk in _NAV_LINES or (len(t) <= 300 and _TAGS_RE.match(t)):
        return "navigation", None
    if len(k) <= 80 and _NAV_COMBO_RE.match(k):  # "Chia sẻ Facebook Zalo Copy link"
        return "navigation", None
    if len(t) <= 200 and (_HASHTAGS_RE.match(t) or _COUNTER_RE.match(t) or _CONTACT_RE.match(t)):
        return "navigation", None
    if len(t) <= 250 and _FOOTER_RE.search(k):
        return "navigation", None
    if is_timestamp(t):
        return "timestamp", None
    if len(t) <= 200 and (_SOURCE_RE.match(t) or (u.words <= 12 and _THEO_RE.match(t))):
        return "source", None
    return None, None


# ---------------------------------------------------------------------------------------------
# The analysis


def _is_doubled(text: str) -> bool:
    """A headline printed twice on one line: "X X"."""
    n = len(text)
    if n < 21 or n % 2 == 0:
        return False
    h = n // 2
    if text[h] != " " or text[:h] != text[h + 1 :]:
        return False
    half = text[:h].rstrip(_CLOSERS)
    return not half.endswith((".", ",", ";", ":"))


# Sentences opening like these report events or list attendees: body, not captions.
_CONNECTIVE_RE = re.compile(
    r"^(?:trước đó|sau đó|tiếp đó|ngoài ra|tuy nhiên|đồng thời|nhân dịp|bên cạnh đó|cũng|theo|"
    r"trong khi|vì vậy|do đó|do vậy|như vậy|hiện nay|từ|với|để|nhưng|và|còn|song|mặt khác|"
    r"trước|sau|tại|ngày|sáng|chiều|tối|trưa|dự|tham dự|cùng dự|có mặt|phát biểu|về|đây|"
    r"điều này|năm|tháng|hôm)\b",
    re.IGNORECASE,
)
# Wording typical of photo captions ("... phát biểu tại buổi làm việc.", "Quang cảnh ...").
_CAPTION_CUE_RE = re.compile(
    r"^(?:quang cảnh|toàn cảnh|các đại biểu|đại biểu)\b|phát biểu (?:tại|chỉ đạo|khai mạc|bế mạc|"
    r"kết luận|sau|trong)|trình bày báo cáo|chụp ảnh|ảnh lưu niệm|quà lưu niệm|trao tặng|tặng quà|"
    r"trao quà|tặng hoa|trao hoa|tại buổi (?:làm việc|tiếp|gặp|lễ|hội)|tại điểm cầu|cắt băng|"
    r"bấm nút|thăm hỏi|trao quyết định|trao giấy|trao bằng|trao kỷ niệm chương|ảnh minh h[ọo]a"
)


_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> list[str]:
    return _NUMBER_RE.findall(text)


def _states_own_number(text: str, body_numbers: Counter[str]) -> bool:
    """Whether `text` (one of the units counted in `body_numbers`) holds a number that no
    other unit does."""
    own = Counter(_numbers(text))
    return any(body_numbers[t] <= k for t, k in own.items())


def _caption_score(u: Unit) -> tuple[int, bool]:
    """(score, short enough for the after-an-image bonus); a caption scores 2 or more."""
    t = u.text
    if len(t) > 250:  # too long for any of the bonuses below to add up to a caption
        return 0, False
    k = u.key
    single = _n_sentences(t) == 1
    score = 0
    if single and len(t) <= 200:
        score += 1
    if _CAPTION_CUE_RE.search(k):
        score += 1
    if _RELATIVE_DATE_RE.search(k) or _DATE_FULL_RE.search(t):
        score -= 2
    if _CONNECTIVE_RE.match(t):
        score -= 2
    if t[:1] in "\"“'‘«-–—" or ":" in t:
        score -= 2
    if not single:
        score -= 1
    return score, single


def _list_shaped(seq: list[Unit], min_headlines: int = 1) -> bool:
    """Does `seq` read as a list of other articles: headline, teaser, headline, teaser, ...?

    Every prose unit must directly follow a headline (a unit already labelled "related"
    counts as one); other labelled units are transparent.
    """
    headlines = 0
    prev_headline = False
    for u in seq:
        if u.label == "related":
            headlines += u.is_headline
            prev_headline = True
        elif u.label is not None:
            continue
        elif u.is_headline:
            headlines += 1
            prev_headline = True
        elif u.is_prose and not prev_headline:
            return False
        else:
            prev_headline = False
    return headlines >= min_headlines or not any(u.label is None for u in seq)


def _opens_list(units: list[Unit], i: int) -> bool:
    """Is units[i] a comment/end header followed only by other articles' headlines?"""
    kind = units[i].header
    if kind not in ("terminal", "comment"):
        return False
    return _list_shaped(units[i + 1 :], 2 if kind == "comment" else 3)


def analyse_page(page: str) -> PageAnalysis:
    """Split `page` into units, label the clutter, pick the metadata; keep the rest as body."""
    units = split_units(page)
    n = len(units)
    vietnamese = _is_vietnamese_page(units)
    for u in units:
        u.label, u.header = _line_label(u, vietnamese)

    # --- Title: the first headline-sized line before the first paragraph of running text.
    title_idx: int | None = None
    pending: list[int] = []
    for i, u in enumerate(units[:12]):
        if _opens_list(units, i):
            break  # the page opens with a list of other articles: no title of its own
        if u.label is not None:
            continue
        if _is_breadcrumb(u):
            u.label = "navigation"
            continue
        if len(u.text) > 250 or (_n_sentences(u.text) >= 2 and len(u.text) > 160):
            break
        if _ends_sentence(u.text) and (u.text.count(",") >= 2 or u.words > 30):
            break  # a lead paragraph, not a title: this page has no title line
        if u.words >= 4 and not is_name_like(u.text):
            title_idx = i
            break
        pending.append(i)
    title = ""
    if title_idx is not None:
        title = units[title_idx].text
        units[title_idx].label = "title"
        nav_keys = {units[i].key for i in pending}
        for i in pending:
            units[i].label = "navigation"
        for u in units[title_idx + 1 :]:  # the site's name printed again under the title
            if u.label is None and u.key in nav_keys:
                u.label = "navigation"
        for u in units[title_idx + 1 :]:
            if u.label is None and u.key == units[title_idx].key:
                u.label = "title"
    first = (title_idx + 1) if title_idx is not None else 0

    # --- Related lists: doubled headlines, stamped headlines and their teasers.
    dup_start = [False] * n
    for i in range(first, n):
        u = units[i]
        if u.label not in (None, "related") or len(u.text) < 8:
            continue
        if (
            i + 1 < n
            and units[i + 1].key == u.key
            and units[i + 1].label in (None, "related")
            and u.is_headline
        ) or (u.label is None and _is_doubled(u.text)):
            dup_start[i] = True

    # Headlines with a stamp are related items only well inside the page: the article's own
    # title/byline and its date line look the same.
    prose_seen = 0
    stamp_floor = n
    for i in range(first, n):
        if units[i].label is None and units[i].is_prose:
            prose_seen += 1
            if prose_seen == 2:
                stamp_floor = i
                break
    first_stamp = next((i for i in range(n) if units[i].label == "timestamp"), n)

    def teaser_after(j: int, stamped: bool) -> None:
        """Mark the teaser that follows a related headline at units[j-1]."""
        if j < n and units[j].label is None and not dup_start[j]:
            nxt = j + 1
            ends_list = nxt >= n or dup_start[nxt] or units[nxt].label is not None
            if stamped or ends_list or _ends_ellipsis(units[j].text):
                units[j].label = "related"

    i = first
    while i < n:
        if dup_start[i]:
            if units[i].key == title.casefold():
                units[i].label = "title"
                if i + 1 < n and units[i + 1].key == units[i].key:
                    units[i + 1].label = "title"
                i += 1
                continue
            units[i].label = "related"
            j = i + 1
            if j < n and units[j].key == units[i].key:
                units[j].label = "related"
                j += 1
            stamped = False
            if j < n and units[j].label == "timestamp":
                units[j].label = "related"
                stamped = True
                j += 1
            teaser_after(j, stamped)
            i = j
            continue
        u = units[i]
        if (
            i > stamp_floor
            and i + 1 > first_stamp
            and u.label is None
            and u.is_headline
            and not is_name_like(u.text)
            and i + 1 < n
            and units[i + 1].label == "timestamp"
        ):
            u.label = "related"
            units[i + 1].label = "related"
            teaser_after(i + 2, True)
            i += 2
            continue
        i += 1

    # --- Box headers ("Tin liên quan"): the headline list under them. A numbered or bulleted
    # list takes only numbered or bulleted items; teasers are taken only when they trail off.
    for i, u in enumerate(units):
        if u.header != "box":
            continue
        j = i + 1
        bulleted: bool | None = None
        while j < n:
            v = units[j]
            if v.label == "related":
                j += 1
                continue
            if v.label is not None or is_name_like(v.text):
                break
            is_bullet = bool(_BULLET_RE.match(v.text))
            if bulleted is None and v.is_headline:
                bulleted = is_bullet
            listed = v.is_headline and (is_bullet or not bulleted)
            trailing = _ends_ellipsis(v.text) and len(v.text) <= 400
            if not (listed or (trailing and units[j - 1].label == "related")):
                break
            v.label = "related"
            j += 1

    # --- End of the article: an end header, or an attribution line followed by lists.
    body_chars = [len(u.text) if u.label is None else 0 for u in units]
    suffix = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix[i] = suffix[i + 1] + body_chars[i]
    prefix_before = 0
    for i, u in enumerate(units):
        if u.header in ("terminal", "comment") or u.label == "source":
            after = units[i + 1 :]
            before, remaining = prefix_before, suffix[i + 1]
            if u.header is None:  # an attribution line
                cut = before > 0 and _list_shaped(after, 2)
            else:
                cut = (
                    (before > 0 and (_list_shaped(after) or before >= remaining))
                    # a page that is nothing but other articles' headlines and teasers
                    or _opens_list(units, i)
                )
            if cut:
                for v in units[i + 1 :]:
                    if v.label is None or v.label == "timestamp":
                        v.label = "related"
                break
        prefix_before += body_chars[i]

    # --- A stray headline between two related items belongs to the list.
    for i in range(1, n - 1):
        if units[i].label is None and units[i - 1].label == "related":
            k = i + 1
            while k < n and units[k].label is None and k - i < 2:
                k += 1
            if (
                k < n
                and units[k].label == "related"
                and all(units[m].is_headline for m in range(i, k))
            ):
                for m in range(i, k):
                    units[m].label = "related"

    # --- A "Nguồn:"/"Theo" line with article text after it cites a source (under a table,
    # for instance): it stays in the body.
    prose_after = False
    for u in reversed(units):
        if u.label == "source" and prose_after:
            u.label = None
        elif u.label is None and u.is_prose:
            prose_after = True

    body_idx = [i for i in range(first, n) if units[i].label is None]

    # --- Bylines: a name line near the top of the article or at its very end.
    byline: str | None = None
    for i in body_idx[:3]:
        if is_name_like(units[i].text):
            byline = byline_names(units[i].text)
            units[i].label = "byline"
            break
    # After the last paragraph of running text: a byline, then headlines of other articles
    # (an article does not end on a headline).
    last_prose = max((i for i in body_idx if units[i].is_prose), default=None)
    if last_prose is not None:
        for i in body_idx:
            if i <= last_prose or units[i].label is not None:
                continue
            if byline is None and is_name_like(units[i].text):
                byline = byline_names(units[i].text)
                units[i].label = "byline"
            elif (
                units[i].is_headline
                and len(units[i].text) <= 150
                and not is_name_like(units[i].text)
            ):
                units[i].label = "related"
    if byline is None:
        for i in body_idx[-2:][::-1]:
            if units[i].label is None and is_name_like(units[i].text):
                byline = byline_names(units[i].text)
                units[i].label = "byline"
                break
    body_idx = [i for i in body_idx if units[i].label is None]

    # --- Captions (kept apart from the body; never the lead).
    captions: list[str] = []
    seen_captions: set[str] = set()
    lead_idx = body_idx[0] if body_idx else -1
    scores = {i: _caption_score(units[i]) for i in body_idx if i != lead_idx}
    # A short line right after an image is a caption if this page captions its images: most
    # lines after its images are captions by other evidence (a credit, caption wording).
    after_image = [
        i + 1
        for i in range(first, n - 1)
        if units[i].label == "image" and (units[i + 1].label == "caption" or i + 1 in scores)
    ]
    captioned = sum(1 for j in after_image if units[j].label == "caption" or scores[j][0] >= 2)
    page_captions_images = bool(after_image) and 2 * captioned >= len(after_image)
    # On a page that shows no image, a line is a caption by its wording alone: it stays in the
    # body if it states a number no other paragraph states (its figure would leave the text).
    pictured = any(u.label in ("image", "caption") or u.has_image for u in units)
    numbers = None if pictured else Counter(t for i in body_idx for t in _numbers(units[i].text))
    for i in range(first, n):
        u = units[i]
        if i in scores:
            score, short = scores[i]
            if page_captions_images and short and units[i - 1].label == "image":
                score += 2
            if score >= 2 and (numbers is None or not _states_own_number(u.text, numbers)):
                u.label = "caption"
        if u.label == "caption" and u.key not in seen_captions:
            seen_captions.add(u.key)
            captions.append(u.text)
    body_idx = [i for i in body_idx if units[i].label is None]

    # --- Attribution line and dates.
    source: str | None = None
    for u in units:
        if u.label == "source":
            source = u.text
            break
    last_body = body_idx[-1] if body_idx else -1
    published = _find_published(units, body_idx, last_body, source)

    # --- Removed pieces, and the kept paragraphs (the lead without its agency prefix).
    removed: list[Removed] = []
    for u in units:
        if u.label is not None:
            removed.append(
                Removed(
                    span=Span(start=u.start, end=u.end), reason=u.label, text=page[u.start : u.end]
                )
            )
    paragraphs = [Span(start=units[i].start, end=units[i].end) for i in body_idx]
    if paragraphs:
        lead = units[body_idx[0]]
        raw = page[lead.start : lead.end]
        agency = _AGENCY_RE.match(raw)
        if agency and len(raw) - agency.end() >= 40:
            cut_at = lead.start + agency.end()
            removed.append(
                Removed(
                    span=Span(start=lead.start, end=cut_at),
                    reason="source",
                    text=raw[: agency.end()],
                )
            )
            paragraphs[0] = Span(start=cut_at, end=lead.end)
    removed.sort(key=lambda r: r.span.start)
    return PageAnalysis(
        units=units,
        paragraphs=paragraphs,
        title=title,
        published=published,
        byline=byline,
        source=source,
        captions=captions,
        removed=removed,
    )


def _find_published(
    units: list[Unit], body_idx: list[int], last_body: int, source: str | None
) -> dt.date | None:
    """The article's own date.

    In order: a date/time line of the page itself (above the article, or under it before any
    related list or comment box); a full date in the attribution line ("Theo Thời sự tối
    6/7/2020"); a full date in the lead's first sentence ("Chiều ngày 21/02/2023"); a day/month
    there ("Ngày 14/9") completed with a year only if the body names exactly one year as
    "năm YYYY" (targets such as "đến năm 2030" and ranges such as "2020-2025" do not count).
    Otherwise None: a guessed year would be a wrong fact.
    """
    for i, u in enumerate(units):
        if i > last_body and u.label in ("related", "comments"):
            break  # past the article: stamps from here on belong to other articles
        if u.label == "timestamp":
            d = parse_full_date(u.text)
            if d is not None:
                return d
    if source is not None:
        d = parse_full_date(source)
        if d is not None:
            return d
    if not body_idx:
        return None
    lead = units[body_idx[0]].text
    m_agency = _AGENCY_RE.match(lead)
    if m_agency:
        lead = lead[m_agency.end() :]
    first_sentence = _SENT_SPLIT_RE.split(lead, maxsplit=1)[0]
    d = parse_full_date(first_sentence)
    if d is not None:
        return d
    m = _DAY_MONTH_RE.search(first_sentence)
    if m is None:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    if m.group(3):
        return _safe_date(int(m.group(3)), month, day)
    years = {int(y) for i in body_idx for y in _YEAR_RE.findall(units[i].text)}
    if len(years) == 1:
        return _safe_date(years.pop(), month, day)
    return None
