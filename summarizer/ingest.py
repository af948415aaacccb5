"""Article ingestion: read, decode and check a scraped page, clean it, and build the `Article`.

    load_article(path_or_text, *, max_bytes=5_000_000) -> Article

* A `Path` (or any other `os.PathLike`) is read from disk. A `str` is always the page text
  itself (source "<text>"), never a path, even when it names an existing file: a service that
  passes user text must not be made to read (and send to the model provider) a local file such
  as `/home/app/.env`. `bytes` are a raw page (source "<text>").
* Decoding: UTF-8 with or without BOM, UTF-16/UTF-32 with a BOM. If the bytes are not UTF-8 and
  do not look like broken UTF-8, Windows-1258 (the legacy Vietnamese code page) is accepted only
  when the result reads as Vietnamese (tone marks sitting on vowels, Vietnamese letters common,
  next to no letters Vietnamese does not use); otherwise `DecodeError`. Font-based legacy
  encodings (VNI, TCVN3/ABC) are not decoded: they are refused with a hint to convert the file
  (VNI read as Windows-1258 would otherwise pass for Vietnamese: "Ñoaøn coâng taùc").
* Rejected: NUL bytes without a UTF-16/32 BOM, known binary signatures (PNG, JPEG, GIF, PDF, ZIP,
  gzip, ...) and text with more than 1 % control characters (`BinaryInputError`); empty or
  whitespace-only input (`EmptyArticleError`); more than `max_bytes` bytes
  (`ArticleTooLargeError`); a page with no article text left after cleaning (`NoBodyError`); a
  path that is not a regular file, such as a FIFO, a device or a directory
  (`NotARegularFileError`, also an OSError; it is refused before any read, so a FIFO never
  blocks the caller). A symbolic-link loop or a file the process may not read raises the
  OSError the system gives, naming the file.
* Memory: a file is refused from its size before any byte is read when it is larger than
  `max_bytes` (5,000,000 by default); at most `max_bytes + 1` bytes are ever read from a file,
  whatever its size claims.
* The body is built from the paragraphs `summarizer.clean.analyse_page` keeps: NFC, runs of
  whitespace collapsed to one space, zero-width and control characters dropped, glued sentences
  ("gia cầm.Sản xuất") split, paragraphs joined by a blank line. `Article.body_map` maps every
  body character back to the page: straight copies one to one, a composed NFD cluster to the
  start of its page cluster, an inserted space or paragraph break to where it was inserted.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from pathlib import Path

from summarizer.article import Article, Removed, Segment, SourceMap, Span
from summarizer.chars import CONTROL_CHARS, MD_IMAGE, MD_LINK_RE, ZERO_WIDTH, ZERO_WIDTH_TABLE
from summarizer.clean import PageAnalysis, analyse_page
from summarizer.errors import (
    ArticleTooLargeError,
    BinaryInputError,
    DecodeError,
    EmptyArticleError,
    NoBodyError,
    NotARegularFileError,
)

__all__ = ["NotARegularFileError", "build_body", "decode_page", "load_article"]


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


# ---------------------------------------------------------------------------------------------
# Decoding and hygiene


def _check_binary(raw: bytes, source: str) -> None:
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise BinaryInputError(source, f"binary input ({what}), not a text page")


def _check_controls(text: str, source: str) -> None:
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


def _looks_vietnamese(text: str) -> bool:
    """Plausibility of a legacy (cp1258) decoding (see `_legacy_problem`)."""
    return _legacy_problem(text) is None


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
    _check_controls(text, source)
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


# ---------------------------------------------------------------------------------------------
# Body building with an exact map back to the page

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WSC = rf"[^\S\r\n]|[{ZERO_WIDTH}{CONTROL_CHARS}]"
_TOKEN_RE = re.compile(
    rf"(?P<cl>[^{_MARKS}\s]?[{_MARKS}]+)"
    rf"|(?P<ws> (?:{_WSC})+|(?! )(?:{_WSC})+)"
    r"|(?P<p>[.!?:;](?=[^\W\d_]))"
)
_MARK_SET_RE = re.compile(f"[{_MARKS}]")
_TLDS = frozenset({"vn", "com", "net", "org", "gov", "edu", "info", "html", "htm", "php"})


class _Builder:
    """Accumulates body text and its segments (merging adjacent straight copies)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.segs: list[list[int]] = []  # [body_start, body_end, page_start, page_end, exact]

    def add(self, text: str, page_start: int, page_end: int, exact: bool) -> None:
        if not text:
            return
        n = len(text)
        last = self.segs[-1] if self.segs else None
        if (
            exact
            and last is not None
            and last[4]
            and last[1] == self.length
            and last[3] == page_start
        ):
            last[1] += n
            last[3] = page_end
        else:
            self.segs.append([self.length, self.length + n, page_start, page_end, int(exact)])
        self.parts.append(text)
        self.length += n

    def mark(self) -> tuple[int, int, int, list[int] | None]:
        """A state to roll back to (used when a paragraph needs the slow path)."""
        last = list(self.segs[-1]) if self.segs else None
        return self.length, len(self.parts), len(self.segs), last

    def since(self, state: tuple[int, int, int, list[int] | None]) -> str:
        return "".join(self.parts[state[1] :])

    def rollback(self, state: tuple[int, int, int, list[int] | None]) -> None:
        self.length = state[0]
        del self.parts[state[1] :]
        del self.segs[state[2] :]
        if state[3] is not None:
            self.segs[-1] = state[3]

    def result(self) -> tuple[str, SourceMap]:
        segments = [
            Segment.model_construct(
                body_start=s[0], body_end=s[1], page_start=s[2], page_end=s[3], exact=bool(s[4])
            )
            for s in self.segs
        ]
        return "".join(self.parts), SourceMap(segments=segments)


def _base_before(page: str, i: int, lo: int) -> str:
    """The letter before page[i], skipping combining marks."""
    j = i - 1
    while j >= lo and _MARK_SET_RE.match(page[j]):
        j -= 1
    return page[j] if j >= lo else ""


def _is_glue(page: str, p: int, lo: int, hi: int) -> bool:
    """Is the punctuation at page[p] two sentences glued together ("gia cầm.Sản xuất")?"""
    if p + 1 >= hi or not page[p + 1].isupper():
        return False
    before = _base_before(page, p, lo)
    if not (before.isalpha() and before.islower()):
        return False
    # The whitespace-delimited token around the punctuation.
    s = p
    while s > lo and not page[s - 1].isspace():
        s -= 1
    e = p + 1
    while e < hi and not page[e].isspace():
        e += 1
    token = page[s:e]
    if "://" in token or "www." in token.casefold() or "@" in token:
        return False
    word_before = unicodedata.normalize("NFC", page[s:p]).strip("\"“(['‘")
    m = re.search(r"[^\W\d_]+$", word_before)
    word_before = m.group() if m else ""
    after = page[p + 1 : e]
    m = re.match(r"[^\W\d_]+", after)
    word_after = m.group() if m else ""
    if len(word_before) <= 1:  # "v.v.Ông", "e.Magazine"
        return False
    if word_before[0].isupper() and len(word_before) <= 3:  # "Tp.HCM", "Th.S", "Ts.Nguyễn"
        return False
    if word_after.casefold() in _TLDS or word_before.casefold() in _TLDS:
        return False
    return page[p] != "." or token.count(".") == 1


# A markdown image with the table-cell bars around it ("| ![](a.jpg) |").
_MD_IMAGE_RE = re.compile(rf"(?:\|[^\S\n]*)?{MD_IMAGE}(?:[^\S\n]*\|)?")


def _markdown_drops(page: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Page ranges to leave out of a paragraph: markdown images (with one side's whitespace)
    and the syntax of markdown links ("[", "](url)"), whose text stays."""
    drops: list[tuple[int, int]] = []
    for m in _MD_IMAGE_RE.finditer(page, lo, hi):
        s, e = m.span()
        if e == hi:
            while s > lo and page[s - 1].isspace():
                s -= 1
        elif s == lo or page[s - 1].isspace():
            while e < hi and page[e].isspace():
                e += 1
        drops.append((s, e))
    for m in MD_LINK_RE.finditer(page, lo, hi):
        s, e = m.span()
        if s > lo and page[s - 1] == "!":
            continue  # an image, handled above
        drops.append((s, s + 1))
        drops.append((m.end(1), e))
    drops.sort()
    return drops


def _add_paragraph(b: _Builder, page: str, lo: int, hi: int) -> None:
    if "](" not in page[lo:hi]:
        _add_range(b, page, lo, hi, lo, hi)
        return
    pos = lo
    for s, e in _markdown_drops(page, lo, hi):
        if s < pos:
            continue
        _add_range(b, page, pos, s, lo, hi)
        pos = e
    _add_range(b, page, pos, hi, lo, hi)


def _add_range(b: _Builder, page: str, start: int, stop: int, lo: int, hi: int) -> None:
    """Copy page[start:stop] into the body: NFC clusters, collapsed spaces, glued sentences."""
    pos = start
    for m in _TOKEN_RE.finditer(page, start, stop):
        s, e = m.span()
        if s > pos:
            b.add(page[pos:s], pos, s, True)
        kind = m.lastgroup
        if kind == "cl":
            cluster = m.group()
            composed = unicodedata.normalize("NFC", cluster)
            if composed == cluster:
                b.add(cluster, s, e, True)
            else:
                b.add(composed, s, e, False)
        elif kind == "ws":
            run = m.group()
            if run == " ":
                b.add(" ", s, e, True)
            elif any(c.isspace() for c in run):
                b.add(" ", s, e, False)
            # else: only zero-width / control characters: dropped
        else:  # punctuation that may glue two sentences
            b.add(m.group(), s, e, True)
            if _is_glue(page, s, lo, hi):
                b.add(" ", e, e, False)
        pos = e
    if stop > pos:
        b.add(page[pos:stop], pos, stop, True)


def build_body(page: str, paragraphs: list[Span]) -> tuple[str, SourceMap]:
    """Join `page[p.start:p.end]` for each paragraph into the NFC body and its source map."""
    b = _Builder()
    prev_end: int | None = None
    for para in paragraphs:
        separator_state = b.mark()
        if prev_end is not None and b.length:
            if page[prev_end : para.start] == "\n\n":
                b.add("\n\n", prev_end, para.start, True)
            else:
                b.add("\n\n", prev_end, prev_end, False)
        state = b.mark()
        _add_paragraph(b, page, para.start, para.end)
        added = b.since(state)
        if not added.strip():  # nothing visible in it: drop it with its separator
            b.rollback(separator_state)
            continue
        if not unicodedata.is_normalized("NFC", added):
            # Composition across clusters (rare scripts): map the paragraph as one block.
            b.rollback(state)
            b.add(unicodedata.normalize("NFC", added), para.start, para.end, False)
        prev_end = para.end
    body, smap = b.result()
    return body, smap


# ---------------------------------------------------------------------------------------------
# Entry point


def _read_input(
    path_or_text: str | os.PathLike[str] | bytes, max_bytes: int
) -> tuple[bytes, str | None, str]:
    """(raw bytes, file path or None, source name) for any accepted input."""
    if isinstance(path_or_text, bytes | bytearray | memoryview):
        raw = bytes(path_or_text)
        if len(raw) > max_bytes:
            raise ArticleTooLargeError(
                TEXT_SOURCE, f"{len(raw)} bytes, more than max_bytes={max_bytes}"
            )
        return raw, None, TEXT_SOURCE
    if isinstance(path_or_text, str):
        try:
            raw = path_or_text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DecodeError(TEXT_SOURCE, f"text holds a lone surrogate at {exc.start}") from exc
        if len(raw) > max_bytes:
            raise ArticleTooLargeError(
                TEXT_SOURCE, f"{len(raw)} bytes, more than max_bytes={max_bytes}"
            )
        return raw, None, TEXT_SOURCE
    path = Path(os.fspath(path_or_text))
    source = str(path)
    # O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below refuses it anyway.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFileError(
                source, f"not a regular file but {_file_kind(info.st_mode)}: not read"
            )
        if info.st_size > max_bytes:
            raise ArticleTooLargeError(
                source, f"{info.st_size} bytes, more than max_bytes={max_bytes}"
            )
        with os.fdopen(fd, "rb") as fh:
            fd = -1  # the file object owns it now
            raw = fh.read(max_bytes + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(raw) > max_bytes:
        raise ArticleTooLargeError(source, f"more than max_bytes={max_bytes} bytes")
    return raw, source, source


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "something else")


def load_article(
    path_or_text: str | os.PathLike[str] | bytes, *, max_bytes: int = 5_000_000
) -> Article:
    """Read, decode, check and clean one scraped news page into an `Article`.

    `path_or_text`: a Path/PathLike (read from disk), a str (always the page text itself, never
    a file name), or bytes (the raw page). Errors are `ArticleError`
    subclasses naming the file, or "<text>": EmptyArticleError, BinaryInputError, DecodeError,
    ArticleTooLargeError, NoBodyError. A missing file given as a Path raises FileNotFoundError.

    `Article.id` is the first 16 hex digits of the sha256 of the raw bytes (of the UTF-8
    encoding for str input). `published` comes from the page's own timestamp, else its
    attribution line, else the lead's dateline; a day/month without a year ("Ngày 14/9") is
    completed only when the body names exactly one year as "năm YYYY" (see
    `summarizer.clean._find_published`), else it stays None.
    """
    raw, source_path, source = _read_input(path_or_text, max_bytes)
    if isinstance(path_or_text, str) and source_path is None:
        page = path_or_text
        if not page:
            raise EmptyArticleError(source, "the input is empty")
        _check_controls(page, source)
    else:
        page = decode_page(raw, source)
    if _is_html(page, source_path):
        page = html_to_page(page, source)
    if not page.translate(ZERO_WIDTH_TABLE).strip():
        raise EmptyArticleError(source, "the input holds only whitespace")

    analysis: PageAnalysis = analyse_page(page)
    body, body_map = build_body(page, analysis.paragraphs)
    if not _article_like(body):
        hint = ""
        if source == TEXT_SOURCE and isinstance(path_or_text, str) and "\n" not in path_or_text:
            hint = " (a str is the article text itself; to read a file, pass a pathlib.Path)"
        raise NoBodyError(
            source,
            f"no article text left after removing page clutter ({len(analysis.removed)} "
            f"pieces removed){hint}",
        )
    removed = list(analysis.removed)
    for para in analysis.paragraphs:  # markdown images inside kept paragraphs
        if "](" in page[para.start : para.end]:
            for m in _MD_IMAGE_RE.finditer(page, para.start, para.end):
                span = Span(start=m.start(), end=m.end())
                removed.append(Removed(span=span, reason="image", text=m.group()))
            removed.sort(key=lambda r: r.span.start)
    digest = hashlib.sha256(raw).hexdigest()
    return Article(
        id=digest[:16],
        source_path=source_path,
        sha256=digest,
        title=analysis.title,
        published=analysis.published,
        byline=analysis.byline,
        source=analysis.source,
        body=body,
        captions=analysis.captions,
        page=page,
        body_map=body_map,
        removed=removed,
    )


_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def _is_html(page: str, source_path: str | None) -> bool:
    if source_path is not None and Path(source_path).suffix.lower() in {".html", ".htm"}:
        return True
    return bool(_HTML_START.match(page[:4096]))


def html_to_page(html: str, source: str = TEXT_SOURCE) -> str:
    """The main content of an HTML page as plain text, for the cleaner.

    trafilatura finds the article (dropping navigation, asides, scripts and comments); its
    title, author and date are put back on top as a text page would have them. For HTML input
    `Article.page` is this text, not the markup: evidence is highlighted in what a reader reads.
    """
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - trafilatura is a dependency
        problem = f"HTML input needs trafilatura, which fails to load: {exc}"
        raise DecodeError(source, problem) from exc
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, favor_recall=True, with_metadata=True
    )
    text = (getattr(doc, "text", None) or "").strip()
    if not text:
        raise NoBodyError(source, "no article text found in the HTML page")
    title = (getattr(doc, "title", None) or "").strip()
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    lines = [title] if title else []
    author = (getattr(doc, "author", None) or "").strip()
    if author:
        lines.append(author)
    date = getattr(doc, "date", None)
    if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        year, month, day = date.split("-")
        lines.append(f"{day}/{month}/{year}")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n\n".join(lines + paragraphs) + "\n"


def _article_like(body: str) -> bool:
    """At least one paragraph of running text (a sentence of some length)."""
    for para in body.split("\n\n"):
        words = para.split()
        if len(words) >= 6 and sum(c.isalpha() for c in para) >= 25:
            return True
    return False
