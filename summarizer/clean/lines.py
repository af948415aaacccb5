"""Line features: the page split into units (one per non-blank line) and what each unit looks
like on its own or next to its neighbours (sentence ends, name-likeness, headline or prose,
image residue, caption score, list shape).

May import: `summarizer.article`, `summarizer.chars`, and `vocabulary` and `dates` of this package.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..article import RemovalReason
from ..chars import MD_IMAGE_RE, MD_LINK_RE, ZERO_WIDTH, ZERO_WIDTH_TABLE
from .dates import mentions_day
from .photo_words import (
    CAPTION_CUE_RE,
    FUSED_IMG_MARKER_RE,
    POSITION_RE,
)
from .vocabulary import (
    ACADEMIC_TITLE_RE,
    BYLINE_PREFIX_RE,
    BYLINE_ROLE_RE,
    CONNECTIVE_RE,
    DISCOURSE_OPENER_RE,
    HEADING_WORD_RE,
    NAME_ABBREVIATIONS,
    NAME_SEP_RE,
)

# ---------------------------------------------------------------------------------------------
# Text helpers

STRIP = " \t\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
STRIP += "\u202f\u205f\u3000" + ZERO_WIDTH
LINE_RE = re.compile(r"[^\r\n]+")

CODE_WORDS = frozenset({"null", "undefined", "none", "nan", "true", "false"})
CLOSERS = "\"”’'»)]"
SENT_END_CHARS = ".!?…"


def ends_sentence(text: str) -> bool:
    """Ends with . ! ? or … (possibly followed by closing quotes or brackets)."""
    t = text.rstrip(CLOSERS)
    return bool(t) and t[-1] in SENT_END_CHARS


def ends_clause(text: str) -> bool:
    t = text.rstrip(CLOSERS)
    return bool(t) and t[-1] in ".!?…:;,"


def ends_ellipsis(text: str) -> bool:
    t = text.rstrip(CLOSERS)
    return t.endswith(("...", "…"))


SENT_SPLIT_RE = re.compile(r"[.!?…][\"”’)]?\s+(?=[\"“]?[^\W\d_])")
BULLET_RE = re.compile(r"^(?:\d{1,2}[.)]|[-•*+–»›>]+)\s+\S")
TAIL_PUNCT = " :.-–—»>|•*#/+"


def normalize_text(text: str) -> str:
    """NFC, zero-width characters dropped, whitespace runs collapsed to one space, trimmed."""
    text = text.translate(ZERO_WIDTH_TABLE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def _is_name_word(word: str) -> bool:
    w = word.strip(".,")
    if len(w) > 1 and w[-1] in "0123456789*" and w.rstrip("0123456789*").isalpha():
        w = w.rstrip("0123456789*")  # "Thụy1": an author with a footnote to the affiliation
    if not w:
        return False
    if "." in w:  # initials glued to a name, as bylines print them: "L.NGỮ", "P.V", "N.H.Đức"
        return all(_is_name_word(piece) for piece in w.split(".")) and len(w) <= 20
    # "Sơn", or all capitals as some sites print bylines: "NGỌC HIỂN", "PV", "TTXVN".
    return w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower() or w.isupper())


def byline_names(text: str) -> str:
    """The names of a byline line: "Tin, ảnh: Minh Anh" -> "Minh Anh"."""
    t = text.strip().strip("()").strip()
    return BYLINE_ROLE_RE.sub("", BYLINE_PREFIX_RE.sub("", t)).rstrip(".").strip()


def _is_name(part: str) -> bool:
    ws = part.split()
    return 1 <= len(ws) <= 5 and all(_is_name_word(w) for w in ws)


def is_name_like(text: str) -> bool:
    """A byline: one to four personal names ("Anh Sơn", "Hồng Ngọc - Xuân Sơn"); after an
    explicit "Tác giả:"/"Bài:" the author's workplace may follow ("Thúy Hà - Trung tâm
    TTGDSK"); a paper's list of up to ten authors ("Hà Quang Thụy1, Nguyễn Thanh Thủy1")."""
    # "ThS. TẠ TƯỜNG VI (Trường Đại học Văn Lang)": the name without its title and workplace
    t = re.sub(r"\s*\([^()]{3,80}\)$", "", ACADEMIC_TITLE_RE.sub("", text.strip()))
    t = t.strip().strip("()").strip()
    if HEADING_WORD_RE.match(t):
        return False
    prefixed = bool(BYLINE_PREFIX_RE.match(t))
    t = BYLINE_ROLE_RE.sub("", BYLINE_PREFIX_RE.sub("", t))
    if not t or len(t) > 200 or (ends_sentence(t) and not t.endswith(".")):
        return False
    t = t.rstrip(".")
    parts = [p for p in NAME_SEP_RE.split(t) if p]
    if prefixed and len(t) <= 90 and parts and _is_name(parts[0]):
        return True
    if len(t) > 70:  # only a list of full names (two words or more each) is that long
        return 4 < len(parts) <= 10 and all(_is_name(p) and len(p.split()) >= 2 for p in parts)
    if not 1 <= len(parts) <= 4 or not all(_is_name(p) for p in parts):
        return False
    # A single one-word part is too weak (a section label such as "Video"), unless it is
    # written in capitals ("PV") or with initials ("H.Minh").
    one_word = len(parts) == 1 and len(parts[0].split()) == 1
    return not (one_word and not parts[0].isupper() and "." not in parts[0])


# The dot of an abbreviation that opens a name ("TS. Phan Chí Hiếu", "P. Bến Nghé") ends no
# sentence.
_NAME_ABBREVIATION_DOT_RE = re.compile(rf"(?<![^\W\d_])(?:{NAME_ABBREVIATIONS})\.(?=\s*[^\W\d_])")


def n_sentences(text: str) -> int:
    return len(SENT_SPLIT_RE.findall(_NAME_ABBREVIATION_DOT_RE.sub("", text))) + 1


def head_key(key: str) -> str:
    """A header line's key without counts and decoration: "Bình luận (0)" -> "bình luận"."""
    if len(key) > 60:
        return ""
    k = re.sub(r"\(\s*\d+\s*\)|^\d+\s+|\s+\d+$", "", key)
    return k.strip(TAIL_PUNCT)


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
    piped: bool = False  # the line ended in "|": a table cell under an image, on many sites

    words: int = 0
    is_prose: bool = False  # running text: a sentence (or more), not a headline or a label
    is_headline: bool = False  # a few words without a sentence-closing period

    def __post_init__(self) -> None:
        t = self.text
        self.words = len(t.split())
        self.is_prose = len(t) > 220 or (self.words >= 10 and ends_sentence(t))
        if BULLET_RE.match(t) and len(t) <= 260:
            self.is_headline = True
        elif DISCOURSE_OPENER_RE.match(t) or not 2 <= self.words <= 45 or len(t) > 240:
            self.is_headline = False
        else:
            self.is_headline = not ends_clause(t) or t.rstrip(CLOSERS).endswith(("?", "!"))


def _line_spans(page: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line without its surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for m in LINE_RE.finditer(page):
        line = m.group()
        stripped = line.strip(STRIP)
        if not stripped or not stripped.strip():
            continue
        start = m.start() + len(line) - len(line.lstrip(STRIP))
        spans.append((start, start + len(stripped)))
    return spans


def _continues_line(page: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """Is `nxt` the rest of a hard-wrapped paragraph ("Sáng" / "ngày 01/3/2024, ...")?

    Only right below (no blank line), only when `prev` has no closing punctuation and is not a
    header in capitals, and only for a line opening with a lowercase word and accented early on:
    an unaccented lowercase start is a URL slug.
    """
    gap = page[prev[1] : nxt[0]]
    head = page[nxt[0] : nxt[1]]
    tail = page[prev[0] : prev[1]].rstrip(CLOSERS)
    tail_words = len(tail.split())
    return (
        gap.count("\n") + gap.count("\r") - gap.count("\r\n") == 1
        and (tail_words == 1 or tail_words >= 6)  # a first word alone, or a wrapped line
        and bool(tail)
        and tail[-1] not in ".!?…:;|"
        and head[0].isalpha()
        and head[0].islower()
        and not " ".join(head.split()[:3]).isascii()  # "hoi nghi thuong ... Lễ tân": a slug
        and head.split()[0] not in CODE_WORDS  # "null <title>": a template's empty field
        and not tail.isupper()  # "TIN LIÊN QUAN": a box header
        and "](" not in head
        and "](" not in tail
    )


def _split_fused_markers(page: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """ "<title> - ảnh 1Quang cảnh hội nghị.": the alt text and the caption, as two units."""
    start, end = span
    pieces: list[tuple[int, int]] = []
    for m in FUSED_IMG_MARKER_RE.finditer(page, start, end):
        pieces.append((start, m.end()))
        start = m.end()
    pieces.append((start, end))
    return pieces


def split_units(page: str) -> list[Unit]:
    """The page's non-blank lines as units (whitespace, NBSP and zero-width chars trimmed); the
    lines of a hard-wrapped paragraph make one unit."""
    spans: list[tuple[int, int]] = []
    for span in _line_spans(page):
        if spans and _continues_line(page, spans[-1], span):
            spans[-1] = (spans[-1][0], span[1])
        else:
            spans.extend(_split_fused_markers(page, span))
    units: list[Unit] = []
    for start, end in spans:
        stripped = page[start:end]
        has_image = "](" in stripped and bool(MD_IMAGE_RE.search(stripped))
        if "](" in stripped:  # markdown: images out, links reduced to their text
            stripped = MD_LINK_RE.sub(r"\1", MD_IMAGE_RE.sub(" ", stripped))
        flat = normalize_text(stripped)
        text = flat.strip(" |")
        unit = Unit(start=start, end=end, text=text, key=text.casefold(), has_image=has_image)
        unit.piped = flat.endswith("|") and "|" not in text
        units.append(unit)
    return units


NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> list[str]:
    return NUMBER_RE.findall(text)


def states_own_number(text: str, body_numbers: Counter[str]) -> bool:
    """Whether `text` (one of the units counted in `body_numbers`) holds a number that no
    other unit does."""
    own = Counter(numbers(text))
    return any(body_numbers[t] <= k for t, k in own.items())


def _opens_with_nickname(t: str) -> bool:
    """ "“Rái cá sông Gianh” hướng đến ...": a quoted name opening the line, not a quotation."""
    close = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}.get(t[:1])
    if close is None:
        return False
    end = t.find(close, 1)
    return 1 < end <= 30 and len(t) - end > 10


def caption_score(u: Unit) -> tuple[int, bool]:
    """(score, short enough for the after-an-image bonus); a caption scores 2 or more."""
    t = u.text
    if len(t) > 250:  # too long for any of the bonuses below to add up to a caption
        return 0, False
    k = u.key
    single = n_sentences(t) == 1
    score = 0
    if single and len(t) <= 200:
        score += 1
    if CAPTION_CUE_RE.search(k):
        score += 1
    if POSITION_RE.search(k):
        score += 2
    if mentions_day(t):
        score -= 2
    if CONNECTIVE_RE.match(t):
        score -= 2
    if (t[:1] in "\"“'‘«-–—" and not _opens_with_nickname(t)) or ":" in t:
        score -= 2
    if not single:
        score -= 1
    return score, single


def continues_cut_paragraph(units: list[Unit], body_idx: list[int]) -> bool:
    """Is the page's last unit (the last body unit) the article's paragraph, cut off by the end
    of the page rather than a headline of another article?

    Scraped pages are often page beginnings, cut mid-sentence. The cut line continues the
    article when it is too long for a headline (25+ words), when running text comes right
    before it, or when it is paragraph-long (10+ words; any length under a sub-heading ending in
    a colon) and follows a sub-heading that itself follows running text (prose, heading,
    paragraph).
    After two headlines in a row it is one more item of a list.
    """
    last = body_idx[-1]
    u = units[last]
    if last != len(units) - 1 or ends_sentence(u.text):
        return False
    if u.words >= 25:
        return True  # too long for a headline
    if len(body_idx) < 2:
        return False
    # A photo and its caption may stand between the paragraph and its cut continuation.
    k = len(body_idx) - 2
    while k > 0 and caption_score(units[body_idx[k]])[0] >= 2:
        k -= 1
    prev = units[body_idx[k]]
    between = range(body_idx[k] + 1, last)
    if any(units[j].label not in (None, "caption", "image", "title") for j in between):
        return False  # something other than a photo between them: the article's run is broken
    if between and u.words < 10 and "," not in u.text and not CONNECTIVE_RE.match(u.text):
        return False  # after a photo, a short line is a credit or a tag, not a paragraph
    if prev.is_prose or (prev.words >= 20 and prev.text.endswith(":")):
        return True  # running text, or a sentence announcing what follows ("... khách quý:")
    # an article built of sub-headings each over its paragraph: one more sub-heading and the
    # first words of its paragraph, whatever their length
    sections = sum(
        1
        for a, b in itertools.pairwise(body_idx[:-1])
        if units[a].is_headline and units[b].is_prose
    )
    return (
        (u.words >= 10 or prev.text.endswith(":") or (sections >= 2 and u.words >= 3))
        and prev.is_headline
        and len(body_idx) >= 3
        and body_idx[-3] == last - 2
        and units[body_idx[-3]].is_prose
    )


def list_shaped(seq: list[Unit], min_headlines: int = 1) -> bool:
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


def opens_list(units: list[Unit], i: int) -> bool:
    """Is units[i] a comment/end header followed only by other articles' headlines?"""
    kind = units[i].header
    if kind not in ("terminal", "comment"):
        return False
    return list_shaped(units[i + 1 :], 2 if kind == "comment" else 3)
