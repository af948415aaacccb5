"""Decoding a raw page: the encodings accepted, the binary inputs refused.

    decode_page(raw, source) -> str

UTF-8 with or without BOM, UTF-16/UTF-32 with a BOM. If the bytes are not UTF-8 and do not look
like broken UTF-8, Windows-1258 (the legacy Vietnamese code page) is accepted only when the
result reads as Vietnamese (tone marks sitting on vowels, Vietnamese letters common, next to no
letters Vietnamese does not use); otherwise `DecodeError`. Font-based legacy encodings (VNI,
TCVN3/ABC) are not decoded: they are refused with a hint to convert the file (VNI read as
Windows-1258 would otherwise pass for Vietnamese: "Ñoaøn coâng taùc"). NUL bytes without
a UTF-16/32 BOM, known binary signatures and text with more than 1 % control characters are
`BinaryInputError`.

May import: `summarizer.chars`, `summarizer.errors`.
"""

from __future__ import annotations

import re
import unicodedata

from summarizer.chars import CONTROL_CHARS
from summarizer.errors import BinaryInputError, DecodeError, EmptyArticleError

__all__ = ["TEXT_SOURCE", "check_controls", "decode_page"]


TEXT_SOURCE = "<text>"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\x00asm", "WebAssembly module"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"OggS", "Ogg media"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (.doc/.xls)"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL_RE = re.compile(f"[{CONTROL_CHARS}]")
_VIET_LETTERS = frozenset("ăâđêôơưĂÂĐÊÔƠƯ")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aeiouyăâêôơưAEIOUYĂÂÊÔƠƯ")
_MAX_CONTROL_RATIO = 0.01


def _check_binary(raw: bytes, source: str) -> None:
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise BinaryInputError(source, f"binary input ({what}), not a text page")


def check_controls(text: str, source: str) -> None:
    if "\x00" in text:
        raise BinaryInputError(source, "binary input: contains NUL characters")
    controls = len(_CONTROL_RE.findall(text))
    if controls and controls > _MAX_CONTROL_RATIO * len(text):
        raise BinaryInputError(
            source, f"binary input: {controls} control characters in {len(text)}"
        )


def _vietnamese_alphabet() -> frozenset[str]:
    """Every precomposed letter Vietnamese writes: a-z with circumflex, breve or horn and the
    five tone marks, and đ."""
    allowed = set("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
    letters = set("đĐ")
    for code in range(0xC0, 0x1EFA):
        ch = chr(code)
        d = unicodedata.normalize("NFD", ch)
        if ch.isalpha() and d[0].isascii() and d[0].isalpha() and set(d[1:]) <= allowed:
            letters.add(ch)
    return frozenset(letters)


_VIET_ALPHABET = _vietnamese_alphabet()
# What VNI's modifier bytes look like when read as Windows-1258 ("Vieät", "ñoàng", "töôùng").
_VNI_SIGNS = frozenset("äöüñøåæëïûÄÖÜÑØÅÆËÏÛ")
_MAX_FOREIGN_RATIO = 0.01


def _legacy_problem(text: str) -> str | None:
    """Why a legacy (cp1258) decoding does not read as Vietnamese, or None if it does:
    Vietnamese letters common, tone marks on vowels, next to no letters Vietnamese lacks."""
    letters = special = marks = marks_on_vowel = foreign = vni = 0
    prev = ""
    for ch in text:
        if ch in _TONE_MARKS:
            marks += 1
            if prev in _VOWELS:
                marks_on_vowel += 1
        elif ch.isalpha():
            letters += 1
            if ch in _VIET_LETTERS:
                special += 1
            elif not ch.isascii() and ch not in _VIET_ALPHABET:
                foreign += 1
                vni += ch in _VNI_SIGNS
        if ch not in _TONE_MARKS:
            prev = ch
    if letters and foreign > _MAX_FOREIGN_RATIO * letters:
        if vni > 0.8 * foreign and special > 0.02 * letters:  # "coâng", "vôùi", "taêng"
            return (
                "it looks like VNI, a font-based legacy Vietnamese encoding, which is not"
                " decoded: convert the file to UTF-8"
            )
        return (
            "no Vietnamese legacy encoding detected (it holds letters Vietnamese does not use;"
            " only Windows-1258 is decoded: convert VNI or TCVN3 files to UTF-8)"
        )
    if letters == 0 or (special + marks) / letters < 0.05 or marks_on_vowel < 0.9 * marks:
        return (
            "no Vietnamese legacy encoding detected (only Windows-1258 is decoded: convert VNI"
            " or TCVN3 files to UTF-8)"
        )
    return None


def decode_page(raw: bytes, source: str = TEXT_SOURCE) -> str:
    """Decode a raw page: UTF-8 (BOM optional), UTF-16/32 with BOM, or reliably cp1258.

    Raises EmptyArticleError, BinaryInputError or DecodeError naming `source`.
    """
    if not raw:
        raise EmptyArticleError(source, "the input is empty (0 bytes)")
    _check_binary(raw, source)
    encoding = None
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            encoding, raw = enc, raw[len(bom) :]
            break
    if encoding is None and b"\x00" in raw:
        raise BinaryInputError(source, "binary input: contains NUL bytes (and no UTF-16 BOM)")
    try:
        text = raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding is not None and encoding != "utf-8":
            raise DecodeError(source, f"invalid {encoding} at byte {exc.start}") from exc
        text = _legacy_decode(raw, source, exc)
    check_controls(text, source)
    return text


def _legacy_decode(raw: bytes, source: str, exc: UnicodeDecodeError) -> str:
    truncated = exc.reason == "unexpected end of data"
    where = "at its end (truncated multi-byte character)" if truncated else f"at byte {exc.start}"
    lenient = raw.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good_multibyte = sum(1 for ch in lenient if ord(ch) > 0x7F) - bad
    if good_multibyte >= bad:
        raise DecodeError(source, f"invalid UTF-8 {where}") from exc
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError:
        raise DecodeError(source, f"not UTF-8 (invalid {where}) nor a legacy encoding") from exc
    problem = _legacy_problem(text)
    if problem is not None:
        raise DecodeError(source, f"not UTF-8 (invalid {where}) and {problem}") from exc
    return text
