"""Line shapes: what a line of the page is on its own, before any neighbour is read (image
residue, credits, stamps with names, breadcrumbs, portal and section names, an English
interface, headlines printed twice or glued together, a site's search keywords).

May import: `lines`, `dates` and `vocabulary` of this package.
"""

from __future__ import annotations

import re

from .dates import is_timestamp
from .lines import CLOSERS, Unit, ends_clause, ends_sentence, is_name_like, n_sentences
from .photo_words import (
    CAMERA_FILE_RE,
    CAPS_SLUG_RE,
    CREDIT_ONLY_RE,
    IMG_FILE_RE,
    IMG_ID_RE,
    IMG_MARKER_RE,
    IMG_NAMED_FILE_RE,
    IMG_SLUG_RE,
    IMG_STUB_RE,
    LOGO_URL_RE,
    NAMED_CREDIT_RE,
    UNACCENTED_SYLLABLES,
)
from .vocabulary import (
    ADMIN_WORDS,
    AFFILIATION_RE,
    BREADCRUMB_SEP_RE,
    CONNECTIVE_RE,
    DASH_SEP_RE,
    GLUED_DATE_RE,
    PAPER_RE,
    PORTAL_RE,
    STAMP_SEP_RE,
    UI_WORDS,
)


def is_vietnamese_page(units: list[Unit]) -> bool:
    """Enough non-ASCII letters that an unaccented line stands out as a URL slug."""
    sample = "".join(u.text for u in units[:200])[:20000].replace(" ", "")
    if not sample:
        return False
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    return non_ascii / len(sample) >= 0.04


_TRAILING_TIME_RE = re.compile(r"\s+\d{1,2}:\d{2}$")


def stamp_trail(t: str) -> list[str] | None:
    """ "Tây Bắc - Dương Khánh - 30/07/2025 11:27", "Mỹ Dung - 18:17, 25/07/2023", "Nhật Báo
    Chính Luận: 3-11-1972": a date stamp after a section, paper and/or author name; the names
    before it, or None."""
    if len(t) > 120:
        return None
    parts = STAMP_SEP_RE.split(t)
    if len(parts) == 1 and PAPER_RE.match(t):  # "Nhật Báo Chính Luận: 3-11-1972"
        parts = t.split(": ", 1)  # not any "X: <date>": "Thời gian: 12/5/2024" is article text
    if len(parts) == 1:  # "H.Minh 01/02/2020 08:00": the name, then the stamp
        m = re.search(r"\s(?=\d)", t)
        parts = [t[: m.start()], t[m.end() :]] if m else parts
        if len(parts) == 2 and not is_name_like(parts[0]):
            return None
    if 2 <= len(parts) <= 4 and is_timestamp(parts[0]) and not is_timestamp(parts[-1]):
        parts = [*parts[1:], parts[0]]  # "04/10/2016 15:27 PM | Công nghệ": the stamp first
    if not 2 <= len(parts) <= 4 or not is_timestamp(parts[-1]):
        return None
    # "Chính trị xã hội 08:09 | 02/10/2024": the time printed after the section's name
    names = [_TRAILING_TIME_RE.sub("", p) for p in parts[:-1]]
    if all(
        1 <= len(p.split()) <= 5 and p[:1].isupper() and not any(c.isdigit() for c in p)
        for p in names
    ):
        return names
    return None


def glued_stamp(t: str) -> bool:
    """ "Báo Đại biểu Nhân dânBáo Đại biểu Nhân dân05/12/2025": a name with its date stamp glued
    on, as a template prints an icon's text next to the date. Article text never glues a word to
    a date; the name is short and states nothing (no clause end)."""
    match = GLUED_DATE_RE.search(t)
    if match is None or len(t) > 120 or not is_timestamp(t[match.start() :]):
        return False
    head = t[: match.start()]
    words = head.split()
    # "Nghị định số15/12/2020": a sentence's date with its space lost
    return len(words) <= 12 and not ends_clause(head) and words[-1] not in ("số", "ngày", "năm")


def is_keyword_list(t: str) -> bool:
    """ "tham tử hà nội, tham tu ha noi, thuê thám tử, dịch vụ thám tử, ...": a site's search
    keywords, five or more short items between commas and no sentence, never a headline."""
    items = t.rstrip(", ").split(",")
    return (
        len(items) >= 5
        and len(t) <= 400
        and all(1 <= len(item.split()) <= 5 for item in items)
        and not ends_sentence(t)
        and not is_name_like(t)  # "Hà Quang Thụy1, Nguyễn Thanh Thủy1, ...": the authors
    )


def is_section_pair(t: str) -> bool:
    """ "Nghiên cứu - Phân tích", "Quốc phòng - An ninh": a section's name, two short
    capitalised names joined by a dash."""
    parts = DASH_SEP_RE.split(t)
    return len(parts) == 2 and all(
        1 <= len(p.split()) <= 3 and p[:1].isupper() and not any(c.isdigit() for c in p)
        for p in parts
    )


def is_breadcrumb(u: Unit) -> bool:
    """ "Trang chủ › Thời sự", "Tin tức | Kinh tế", or a page's trail of three or more short
    dash-separated names without a digit ("Chi tiết tin - tin tức sự kiện - Sở Ngoại Vụ")."""
    if len(u.text) > 100:
        return False
    dashed = DASH_SEP_RE.split(u.text)
    if len(dashed) >= 3 and all(1 <= len(p.split()) <= 5 for p in dashed):
        return not any(c.isdigit() for c in u.text)
    parts = [p for p in BREADCRUMB_SEP_RE.split(u.text) if p]
    if len(parts) < 2 or not BREADCRUMB_SEP_RE.search(u.text):
        return False
    if u.key.startswith("trang chủ"):
        return True
    return len(parts) >= 2 and all(
        len(p.split()) <= 4 and p[0].isupper() and not any(c.isdigit() for c in p) for p in parts
    )


def is_foreign_ui(t: str) -> bool:
    """ "Skip to main content", "Other Languages", "please wait": on a Vietnamese page, a few
    words without a single Vietnamese letter or digit are the site's interface, not text."""
    words = re.findall(r"[a-z]+", t.casefold())
    return (
        1 <= len(t.split()) <= 8
        and t.isascii()
        and not any(c.isdigit() for c in t)
        and "://" not in t
        and 2 * sum(w in UI_WORDS for w in words) > len(words)
    )


def is_image_residue(t: str, vietnamese: bool) -> bool:
    """Markdown stubs, file names, URL slugs, "<title> - Ảnh 2." alt texts, bare credits."""
    files = (IMG_FILE_RE, IMG_NAMED_FILE_RE, IMG_ID_RE, CAMERA_FILE_RE)
    if any(r.match(t) for r in (IMG_STUB_RE, *files, CREDIT_ONLY_RE)):
        return True
    if len(t) <= 300 and LOGO_URL_RE.search(t):
        return True
    if vietnamese and IMG_SLUG_RE.match(t) and any(c.isalpha() for c in t):
        return True
    if vietnamese and CAPS_SLUG_RE.match(t):
        words = re.split(r"[\s_-]+", t)
        if 2 * sum(w in UNACCENTED_SYLLABLES for w in words) >= len(words):
            return True
    return len(t) <= 300 and bool(IMG_MARKER_RE.search(t[-30:]))


def has_caps_credit(t: str) -> bool:
    """ "Quốc hội biểu quyết thông qua luật. GIA HÂN": a one-sentence caption, photographer in
    capitals."""
    head, sep, tail = t.rpartition(". ")
    if not sep or not head or n_sentences(head + ".") != 1:
        return False
    words = tail.split()
    return 1 <= len(words) <= 4 and all(w.isalpha() and w.isupper() and len(w) > 1 for w in words)


_NAME_SEPARATORS = frozenset("-–—/,&")


def has_named_credit(t: str) -> bool:
    """A caption ending on its photographer's name after "Ảnh", without the usual colon: the
    name is one to six capitalised words (initials and dashes between names allowed)."""
    match = NAMED_CREDIT_RE.search(t)
    if match is None or len(t[: match.start()].split()) < 3:
        return False
    words = [w for w in match["name"].rstrip(".").split() if w not in _NAME_SEPARATORS]
    return 1 <= len(words) <= 6 and all(w[:1].isupper() for w in words)


def has_glued_caps_credit(t: str) -> bool:
    """ "... phát biểu tại hội nghịẢNH: NGUYỄN VĂN A": a caption whose credit, in capitals, lost
    its space or full stop."""
    head, sep, tail = t.rpartition("ẢNH")
    name = tail.lstrip(" :")
    return (
        bool(sep)
        and len(head.split()) >= 3
        and tail.lstrip().startswith(":")
        and 2 <= len(name) <= 60
        and name.isupper()
    )


def is_image_caption_line(t: str) -> bool:
    """The text left on a line that held an image reads as that image's caption."""
    return len(t) <= 160 and n_sentences(t) == 1 and not CONNECTIVE_RE.match(t) and ";" not in t


def is_portal_name(t: str) -> bool:
    """The site's own name ("Cổng thông tin điện tử tỉnh Quảng Trị"), not a headline about the
    portal ("Cổng thông tin điện tử tỉnh ra mắt giao diện mới"): after the kind of site, only
    capitalised words and administrative words."""
    m = PORTAL_RE.match(t)
    if m is None or len(t) > 120 or ends_sentence(t):
        return False
    name = m.group("name")
    if AFFILIATION_RE.match(name) and len(name.split()) <= 10:
        return True  # "Sở Ngoại vụ tỉnh Kiên Giang": an office's name, lowercase words and all
    return all(w[:1].isupper() or w.casefold() in ADMIN_WORDS for w in name.split())


def is_doubled(text: str) -> bool:
    """A headline printed twice on one line: "X X"."""
    n = len(text)
    if n < 21 or n % 2 == 0:
        return False
    h = n // 2
    if text[h] != " " or text[:h] != text[h + 1 :]:
        return False
    half = text[:h].rstrip(CLOSERS)
    return not half.endswith((".", ",", ";", ":"))


def glued_headlines(text: str) -> list[str]:
    """A run of headlines printed with no separator ("... Việt Nam-CampuchiaTrường Đại học ...
    đón TếtGóp phần ..."): the headlines, or [] when the line is not one. Three or more
    headlines of 4+ words each, none a sentence: one glued name ("TikTok", "VinFast") is not it.
    """
    cuts = [
        i
        for i in range(1, len(text) - 1)
        if text[i - 1].islower() and text[i].isupper() and text[i + 1].islower()
    ]
    if len(cuts) < 2:
        return []
    parts = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    if all(len(p.split()) >= 4 and not ends_sentence(p) for p in parts):
        return parts
    return []
