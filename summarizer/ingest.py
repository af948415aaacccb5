"""Article ingestion: read, decode and check a scraped page, clean it, and build the `Article`.

    load_article(path_or_text, *, max_bytes=5_000_000) -> Article

* A `Path` (or any other `os.PathLike`) is read from disk. A `str` is always the page text
  itself (source "<text>"), never a path, even when it names an existing file: a service that
  passes user text must not be made to read (and send to the model provider) a local file such
  as `/home/app/.env`. `bytes` are a raw page (source "<text>").
* Decoding (`summarizer.decode`): UTF-8 with or without BOM, UTF-16/UTF-32 with a BOM, and
  Windows-1258 only when the result reads as Vietnamese; otherwise `DecodeError` (VNI and
  TCVN3 are refused with a hint to convert the file).
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

May import: `summarizer.article`, `summarizer.chars`, `summarizer.clean`, `summarizer.decode`,
`summarizer.errors` (and trafilatura, lazily, for HTML input).
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
from summarizer.decode import TEXT_SOURCE, check_controls, decode_page
from summarizer.errors import (
    ArticleTooLargeError,
    DecodeError,
    EmptyArticleError,
    MissingExtraError,
    NoBodyError,
    NotARegularFileError,
)

__all__ = ["NotARegularFileError", "build_body", "decode_page", "load_article"]


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
    path_or_text: str | os.PathLike[str] | bytes,
    *,
    max_bytes: int = 5_000_000,
    template: frozenset[str] = frozenset(),
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
    `summarizer.clean.metadata.published_date`), else it stays None.

    `template`: its site's template (`summarizer.clean.site_template` over the texts of several
    pages of the site): lines of it are cut as "template".
    """
    raw, source_path, source = _read_input(path_or_text, max_bytes)
    if isinstance(path_or_text, str) and source_path is None:
        page = path_or_text
        if not page:
            raise EmptyArticleError(source, "the input is empty")
        check_controls(page, source)
    else:
        page = decode_page(raw, source)
    if _is_html(page, source_path):
        page = html_to_page(page, source)
    if not page.translate(ZERO_WIDTH_TABLE).strip():
        raise EmptyArticleError(source, "the input holds only whitespace")

    analysis: PageAnalysis = analyse_page(page, template)
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
    except ImportError as exc:
        raise MissingExtraError(
            source,
            f"HTML input needs the optional 'html' extra (trafilatura): "
            f"pip install 'summarizer[html]' ({exc})",
        ) from exc
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
