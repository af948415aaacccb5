"""Comparison forms of names: people, organisations, places, role titles.

Two forms are used. `display_name` keeps the name as a reader expects it (NFC, single spaces,
honorifics removed). `name_key` is the matching key: honorifics removed, case folded, spacing
collapsed, NFC and NFD alike, and diacritics dropped (đ → d) so that "Bui Thanh Son" in an
English text meets "Bùi Thanh Sơn". Whether two keys that meet really are one person is decided
in `people`, which also looks at organisation and place; a key alone never merges anyone.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..chars import alternation
from ..merge import identity_key as nfc_fold

# Words a text puts before a name: "đồng chí Bùi Thanh Sơn", "ông Lê Văn A", "Đ/c Lê Văn A".
_HONORIFICS = (
    "đồng chí",
    "đ/c",
    "đ / c",
    "ông",
    "bà",
    "ngài",
    "anh",
    "chị",
    "mr.",
    "mr",
    "mrs.",
    "mrs",
    "ms.",
    "ms",
    "madam",
    "comrade",
    "h.e.",
    "dr.",
)
_HONORIFIC_RE = re.compile(
    r"^(?:" + alternation(_HONORIFICS) + r")\s+",
    re.IGNORECASE,
)
_EDGE_PUNCT = " \t\n,.;:()[]\"'“”‘’-–—"
# Vietnamese abbreviations of organisation words, expanded in keys so both spellings meet.
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "dbqh": "dai bieu quoc hoi",
    "btv": "ban thuong vu",
    "tw": "trung uong",
    "tp": "thanh pho",
    "kkt": "khu kinh te",
}
# Administrative words before a place's own name ("tỉnh Thanh Hóa" is "Thanh Hóa").
_ADMIN_PREFIXES = (
    "thanh pho",
    "tinh",
    "huyen",
    "quan",
    "thi xa",
    "xa",
    "phuong",
    "bang",
    "province",
    "city",
)
_NOT_WORD = re.compile(r"[\W_]+")
_ADMIN_RE = re.compile(r"^(?:" + "|".join(_ADMIN_PREFIXES) + r")\s+")
_ADMIN_SUFFIX_RE = re.compile(r"\s+(?:province|city)$")


def _marks_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {c: None for c in range(0x300, 0x370)}  # combining marks
    for code in range(0xC0, 0x1F00):
        decomposed = unicodedata.normalize("NFD", chr(code))
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != chr(code) and base:
            table[code] = base
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    return table


# One translation, not a walk over decomposed characters: names and texts of a whole corpus go
# through here.
_MARKS = _marks_table()


def strip_marks(text: str) -> str:
    """`text` without diacritics, case kept: "Bùi Thanh Sơn" → "Bui Thanh Son"."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.translate(_MARKS)


def has_marks(text: str) -> bool:
    """Whether `text` carries any Vietnamese diacritic (a name written without is ambiguous)."""
    return strip_marks(text) != unicodedata.normalize("NFC", text)


def _strip_honorifics(text: str) -> str:
    text = text.strip(_EDGE_PUNCT)
    while True:
        m = _HONORIFIC_RE.match(text)
        # "Bà" or "Ông" can also be a part of a name: only strip when a full name remains.
        if m is None or len(text[m.end() :].split()) < 2:
            return text
        text = text[m.end() :].strip(_EDGE_PUNCT)


def display_name(name: str) -> str:
    """The name as shown: NFC, single spaces, honorifics removed."""
    return _strip_honorifics(" ".join(unicodedata.normalize("NFC", name).split()))


@functools.lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """Case-, spacing-, NFC/NFD- and diacritic-insensitive form of any text."""
    return " ".join(_NOT_WORD.sub(" ", strip_marks(nfc_fold(text))).split())


def name_key(name: str) -> str:
    """The matching key of a person's name."""
    return fold_key(display_name(name))


def org_key(name: str) -> str:
    """The matching key of an organisation: abbreviations spelt out ("UBND" = "Ủy ban nhân
    dân")."""
    words = fold_key(name).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def place_key(name: str) -> str:
    """The matching key of a place: "tỉnh Thanh Hoá", "Thanh Hóa", "Thanh Hoa Province" meet."""
    key = org_key(name)
    key = _ADMIN_RE.sub("", key)
    return _ADMIN_SUFFIX_RE.sub("", key)


def contains_words(haystack_key: str, needle_key: str) -> bool:
    """Whether the folded `needle_key` occurs in `haystack_key` as whole words."""
    if not needle_key:
        return False
    return f" {needle_key} " in f" {haystack_key} "


def is_generic_org(key: str) -> bool:
    """An organisation named only by its type and level ("UBND tỉnh", "Tỉnh ủy"): which province
    it is comes from the article, not the name."""
    return bool(re.search(r"(?:^| )(?:tinh|thanh pho|huyen|xa|tinh uy|thanh uy)$", key))


def role_parts(role: str | None) -> list[str]:
    """A role as its titles: "Ủy viên Trung ương Đảng, Bộ trưởng Bộ Ngoại giao" → two parts."""
    if not role:
        return []
    parts = re.split(r"\s*[,;]\s*|\s+kiêm\s+", unicodedata.normalize("NFC", role))
    return [" ".join(p.split()).strip(_EDGE_PUNCT) for p in parts if p.strip(_EDGE_PUNCT)]


def same_title(a: str, b: str) -> bool:
    """Whether two role titles name the same office, one possibly more fully ("Bộ trưởng" and
    "Bộ trưởng Bộ Ngoại giao"; "Chủ tịch HĐND tỉnh" and "Chủ tịch HĐND tỉnh Thanh Hóa")."""
    ka, kb = org_key(a), org_key(b)
    if ka == kb:
        return True
    short, long = (ka, kb) if len(ka) < len(kb) else (kb, ka)
    return long.startswith(short + " ")
