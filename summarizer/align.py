"""Find an evidence quote in an article and say where it is, in body and page offsets.

`align(quote, source)` looks for the quote exactly, first in the body, then in the photo
captions, then in the clutter the cleaner removed from the page; only when none of them holds
it verbatim does it retry tolerantly, in the same order, on folded texts:

* runs of whitespace (spaces, tabs, newlines, no-break spaces) are one space; zero-width
  characters and soft hyphens are dropped;
* Unicode is composed (NFC), so NFD and NFC spellings match;
* the old and new tone-mark placements are the same ("hoà"/"hòa", "thuý"/"thúy", "khoẻ"/"khỏe"):
  a tone on the first vowel of "oa", "oe", "uy" moves to the second;
* straight and curly quotes are the same, all dashes and hyphens are "-" (spaces around a dash
  are dropped: "Covid – 19" matches "Covid-19"), "…" is "...", "Ð" (eth) is "Đ";
* a tolerant match may also drop quotation marks and sentence punctuation at the ends of the
  quote (a quote wrapped in quotes, a full stop the source does not have there).

Case is never folded, nor are diacritics dropped: a quote that differs in either is not found.
The folded texts keep an index map back to the original, so every offset reported is an offset
in the original body / caption / page. A quote that is not in the article is None, never the
closest match; so is an empty quote or one shorter than `MIN_QUOTE_CHARS` after folding. If a
quote occurs several times, the first occurrence in the body wins.

The folded text of each source string is cached (keyed by the string itself), so aligning many
quotes against one article folds it once.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from summarizer.article import Article, RemovalReason, Removed, Span
from summarizer.folding import Folded, fold, fold_source

__all__ = [
    "MIN_QUOTE_CHARS",
    "Alignment",
    "align",
    "caption_page_span",
    "contains_folded",
    "find_folded",
    "fold",
]

MIN_QUOTE_CHARS = 8
"""Quotes shorter than this after folding are too short to mean anything: not aligned."""

Where = Literal["body", "caption", "clutter", "text"]


class Alignment(BaseModel):
    """Where an evidence quote was found."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["exact", "tolerant"]
    where: Where
    span: Span
    """Span in the text searched: the body, `captions[index]`, the page (clutter), or the
    plain string."""
    body_span: Span | None
    """Span in `Article.body` (for a plain string: in that string); None for caption/clutter."""
    page_span: Span | None
    """Span in `Article.page`; for a caption, the match inside the caption's place on the page
    (the whole caption when it can only be located tolerantly); None for a plain string or a
    caption that is not on the page."""
    text: str
    """The matched source text, as it is in the original (not the quote, not folded)."""
    index: int | None
    """Index into `Article.captions` or `Article.removed`, for a caption or clutter match."""
    reason: RemovalReason | None
    """Why the cleaner removed the clutter the quote was found in."""


_EDGE = "\"' .,;:!?"


def _quote_forms(quote: str) -> list[str]:
    """Folded forms of a quote to look for, most faithful first."""
    q = fold(quote).strip()
    forms = [q]
    trimmed = q.strip(_EDGE)
    if trimmed != q:
        forms.append(trimmed)
    return [f for f in forms if len(f) >= MIN_QUOTE_CHARS]


def find_folded(needle: str, haystack: str, *, start: int = 0) -> Span | None:
    """Span in `haystack` (original offsets) of the first tolerant occurrence of `needle` at
    or after original offset `start`, or None. Short needles are allowed here."""
    fn = fold(needle).strip()
    if not fn:
        return None
    fh = fold_source(haystack)
    at = fh.text.find(fn, fh.from_original(start))
    if at < 0:
        return None
    s, e = fh.to_original(at, at + len(fn))
    return Span(start=s, end=e)


def contains_folded(needle: str, haystack: str, *, ignore_case: bool = False) -> bool:
    """Whether `needle` occurs in `haystack` tolerantly (optionally ignoring case too)."""
    fn = fold(needle).strip()
    if not fn:
        return False
    fh = fold(haystack)
    if ignore_case:
        return fn.casefold() in fh.casefold()
    return fn in fh


# --------------------------------------------------------------------------------------------
# Aligning


def _body_alignment(
    article: Article, kind: Literal["exact", "tolerant"], s: int, e: int
) -> Alignment:
    span = Span(start=s, end=e)
    return Alignment(
        kind=kind,
        where="body",
        span=span,
        body_span=span,
        page_span=article.body_map.span_to_page(span),
        text=article.body[s:e],
        index=None,
        reason=None,
    )


def _caption_on_page(article: Article, i: int) -> tuple[int, bool] | None:
    """(page offset of caption i, whether the page holds it verbatim there)."""
    return _locate_caption(article.page, article.captions[i], _caption_regions(article))


def _caption_regions(article: Article) -> tuple[tuple[int, int], ...]:
    return tuple(
        (r.span.start, r.span.end) for r in article.removed if r.reason in ("caption", "image")
    )


@functools.lru_cache(maxsize=1024)
def _locate_caption(
    page: str, caption: str, regions: tuple[tuple[int, int], ...]
) -> tuple[int, bool] | None:
    for s, e in regions:
        at = page.find(caption, s, e)
        if at >= 0:
            return at, True
    at = page.find(caption)
    if at >= 0:
        return at, True
    span = find_folded(caption, page)
    if span is not None:
        return span.start, False
    return None


def caption_page_span(article: Article, index: int, span: Span) -> Span | None:
    """Page span of `span` (offsets in caption `index`), or None if the caption is not on the
    page. Where the page holds the caption only tolerantly (NFD, no-break spaces...), caption
    offsets are not page offsets: the part is looked for tolerantly from the caption's place on
    the page, and the whole caption is the answer if the part is not found inside it."""
    if not 0 <= index < len(article.captions):
        return None
    located = _caption_on_page(article, index)
    if located is None:
        return None
    at, verbatim = located
    if verbatim:
        return Span(start=at + span.start, end=at + span.end)
    caption = article.captions[index]
    whole = find_folded(caption, article.page, start=at)
    part = find_folded(caption[span.start : span.end], article.page, start=at)
    if whole is not None and part is not None and part.end <= whole.end:
        return part
    return whole


def _caption_alignment(
    article: Article, i: int, kind: Literal["exact", "tolerant"], s: int, e: int
) -> Alignment:
    caption = article.captions[i]
    located = _caption_on_page(article, i)
    page_span: Span | None = None
    if located is not None:
        p, verbatim = located
        if verbatim:
            page_span = Span(start=p + s, end=p + e)
        else:
            whole = find_folded(caption, article.page, start=p)
            page_span = whole
    return Alignment(
        kind=kind,
        where="caption",
        span=Span(start=s, end=e),
        body_span=None,
        page_span=page_span,
        text=caption[s:e],
        index=i,
        reason=None,
    )


def _clutter_alignment(
    article: Article, i: int, kind: Literal["exact", "tolerant"], s: int, e: int
) -> Alignment:
    span = Span(start=s, end=e)
    return Alignment(
        kind=kind,
        where="clutter",
        span=span,
        body_span=None,
        page_span=span,
        text=article.page[s:e],
        index=i,
        reason=article.removed[i].reason,
    )


def _find_in(
    folded: Folded, forms: list[str], lo: int = 0, hi: int | None = None
) -> tuple[int, int] | None:
    end = len(folded.text) if hi is None else hi
    for f in forms:
        at = folded.text.find(f, lo, end)
        if at >= 0:
            return folded.to_original(at, at + len(f))
    return None


# --------------------------------------------------------------------------------------------
# Many texts searched as one
#
# A page can hold thousands of captions and removed lines, and an answer thousands of quotes
# that are in none of them: one search per text and quote (and one fold per caption, more than
# any cache holds) took seconds per quote. Each set is searched as one string instead.

_SEP = "\x00"  # joins captions; folding leaves it alone, so no fold crosses it


@dataclass(frozen=True)
class _Regions:
    """Sorted, disjoint regions [starts[k], ends[k]) of one text."""

    text: str
    starts: list[int]
    ends: list[int]

    def first(self, needle: str) -> tuple[int, int] | None:
        """(k, offset in text) of the first occurrence of `needle` lying wholly inside a
        region; the region found is the first region holding the needle."""
        if not self.starts or not needle:
            return None
        pos, last = self.starts[0], self.ends[-1]
        while True:
            at = self.text.find(needle, pos, last)
            if at < 0:
                return None
            k = bisect.bisect_right(self.starts, at) - 1
            if at + len(needle) <= self.ends[k]:
                return k, at
            # A later occurrence starts further on, so it cannot fit region k either.
            if k + 1 >= len(self.starts):
                return None
            pos = self.starts[k + 1]

    def first_of(self, forms: list[str]) -> tuple[int, int, int] | None:
        """(k, start, end) in text of the first region holding one of `forms` (the first
        form it holds, at its first occurrence there)."""
        best: tuple[int, int, int] | None = None
        for f in forms:
            found = self.first(f)
            if found is not None and (best is None or found[0] < best[0]):
                best = (found[0], found[1], found[1] + len(f))
        return best


@dataclass(frozen=True)
class _Captions:
    joined: _Regions
    folded: Folded
    folded_regions: _Regions


def _captions(captions: list[str]) -> _Captions:
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for c in captions:
        starts.append(at)
        ends.append(at + len(c))
        at += len(c) + len(_SEP)
    joined = _SEP.join(captions)
    folded = fold_source(joined)
    fstarts = [folded.from_original(x) for x in starts]
    fends = [folded.from_original(x) for x in ends]
    return _Captions(_Regions(joined, starts, ends), folded, _Regions(folded.text, fstarts, fends))


def _in_captions(
    c: _Captions, q: str, forms: list[str], kind: Literal["exact", "tolerant"]
) -> tuple[int, int, int] | None:
    """(caption index, start, end in that caption) of the quote's first caption, or None."""
    if kind == "exact":
        found = c.joined.first(q)
        if found is None:
            return None
        i, at = found
        return i, at - c.joined.starts[i], at - c.joined.starts[i] + len(q)
    tolerant = c.folded_regions.first_of(forms)
    if tolerant is None:
        return None
    i, s, e = tolerant
    start, end = c.folded.to_original(s, e)
    # A caption opening with a combining mark folds into one cluster with the separator.
    lo, hi = c.joined.starts[i], c.joined.ends[i]
    return i, max(start, lo) - lo, min(end, hi) - lo


def _clutter(page: str, spans: list[tuple[int, int]]) -> tuple[_Regions, _Regions] | None:
    """The removed spans of a page as regions of the page and of its fold; None if they
    overlap (then each is searched on its own)."""
    if any(spans[k][1] > spans[k + 1][0] for k in range(len(spans) - 1)):
        return None
    starts, ends = [a for a, _ in spans], [b for _, b in spans]
    fpage = fold_source(page)
    fstarts = [fpage.from_original(x) for x in starts]
    fends = [fpage.from_original(x) for x in ends]
    return _Regions(page, starts, ends), _Regions(fpage.text, fstarts, fends)


@dataclass(frozen=True)
class _Searched:
    """An article's captions and removed spans, set up for searching."""

    captions: list[str]
    removed: list[Removed]
    page: str
    count: int
    joined_captions: _Captions | None
    spans: list[tuple[int, int]]
    clutter: tuple[_Regions, _Regions] | None


# The articles last aligned against; the entry holds the very lists it was built from, so an
# entry matches by identity (a verify call aligns thousands of quotes against one article).
_recent: list[_Searched] = []


def _searched(article: Article) -> _Searched:
    n = len(article.captions) + len(article.removed)
    for entry in _recent:
        if (
            entry.captions is article.captions
            and entry.removed is article.removed
            and entry.page is article.page
            and entry.count == n
        ):
            return entry
    spans = [(r.span.start, r.span.end) for r in article.removed]
    entry = _Searched(
        captions=article.captions,
        removed=article.removed,
        page=article.page,
        count=n,
        joined_captions=_captions(article.captions) if article.captions else None,
        spans=spans,
        clutter=_clutter(article.page, spans) if spans else None,
    )
    _recent[:] = [entry, *_recent[:3]]
    return entry


def _in_clutter(
    article: Article, q: str, forms: list[str], kind: Literal["exact", "tolerant"]
) -> tuple[int, int, int] | None:
    """(removed index, start, end in the page) of the quote's first removed span, or None."""
    page = article.page
    searched = _searched(article)
    spans, regions = searched.spans, searched.clutter
    if regions is not None:
        if kind == "exact":
            found = regions[0].first(q)
            return None if found is None else (found[0], found[1], found[1] + len(q))
        tolerant = regions[1].first_of(forms)
        if tolerant is None:
            return None
        return tolerant[0], *fold_source(page).to_original(tolerant[1], tolerant[2])
    fpage = fold_source(page) if spans and kind == "tolerant" else None
    for i, (lo, hi) in enumerate(spans):
        if fpage is None:
            at = page.find(q, lo, hi)
            if at >= 0:
                return i, at, at + len(q)
        else:
            span = _find_in(fpage, forms, fpage.from_original(lo), fpage.from_original(hi))
            if span is not None:
                return i, *span
    return None


def align(quote: str, source: Article | str) -> Alignment | None:
    """Locate `quote` in `source` (an Article, or a plain string); None if it is not there."""
    q = quote.strip()
    forms = _quote_forms(q)
    if not forms:
        return None
    if isinstance(source, str):
        return _align_text(q, forms, source)

    article = source
    captions = _searched(article).joined_captions
    # Exact: body, captions, clutter; then tolerant, in the same order.
    at = article.body.find(q)
    if at >= 0:
        return _body_alignment(article, "exact", at, at + len(q))
    kind: Literal["exact", "tolerant"]
    for kind in ("exact", "tolerant"):
        if kind == "tolerant":
            found = _find_in(fold_source(article.body), forms)
            if found is not None:
                return _body_alignment(article, "tolerant", *found)
        in_caption = _in_captions(captions, q, forms, kind) if captions else None
        if in_caption is not None:
            return _caption_alignment(article, in_caption[0], kind, *in_caption[1:])
        in_clutter = _in_clutter(article, q, forms, kind)
        if in_clutter is not None:
            return _clutter_alignment(article, in_clutter[0], kind, *in_clutter[1:])
    return None


def _align_text(q: str, forms: list[str], text: str) -> Alignment | None:
    at = text.find(q)
    kind: Literal["exact", "tolerant"] = "exact"
    if at >= 0:
        s, e = at, at + len(q)
    else:
        found = _find_in(fold_source(text), forms)
        if found is None:
            return None
        s, e = found
        kind = "tolerant"
    span = Span(start=s, end=e)
    return Alignment(
        kind=kind,
        where="text",
        span=span,
        body_span=span,
        page_span=None,
        text=text[s:e],
        index=None,
        reason=None,
    )
