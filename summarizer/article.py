"""Core data types of the source side: the Article and its offset map back to the page.

Later stages see only `Article.body`; the review page shows `Article.page` (the text as it was
decoded, before any cleaning or normalisation) and highlights evidence there through `SourceMap`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


class Span(BaseModel):
    """A half-open character interval [start, end) in some text."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int


class Segment(BaseModel):
    """`body[body_start:body_end]` came from `page[page_start:page_end]`.

    Most segments are straight copies (`exact`, equal lengths, offsets map one to one). A segment
    whose lengths differ (an NFD cluster composed to NFC, an inserted space or paragraph break)
    maps every body char to its page start; an inserted char has `page_start == page_end`.
    `exact` is False for every segment whose body text is not a verbatim copy of its page text
    (that includes equal-length normalisations such as a no-break space turned into a space).
    """

    model_config = ConfigDict(frozen=True)

    body_start: int
    body_end: int
    page_start: int
    page_end: int
    exact: bool = True


class SourceMap(BaseModel):
    """Maps offsets in the cleaned body back to offsets in the original page text.

    Segments are sorted by `body_start`, do not overlap and cover the body without gaps.
    """

    segments: list[Segment] = Field(default_factory=list)
    _starts: list[int] = PrivateAttr(default_factory=list)

    def _segment_at(self, offset: int) -> Segment | None:
        """The segment holding body char `offset` (the last one for offsets past the end)."""
        if not self.segments:
            return None
        if len(self._starts) != len(self.segments):
            self._starts = [s.body_start for s in self.segments]
        i = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        return self.segments[i]

    def to_page(self, offset: int) -> int:
        """Page offset of body char `offset` (or of the body's end, for offset == len(body))."""
        seg = self._segment_at(offset)
        if seg is None:
            return offset
        if offset >= seg.body_end:
            return seg.page_end
        if offset <= seg.body_start:
            return seg.page_start
        if seg.body_end - seg.body_start == seg.page_end - seg.page_start:
            return seg.page_start + (offset - seg.body_start)
        return seg.page_start

    def is_exact(self, offset: int) -> bool:
        """True if body char `offset` is a verbatim copy of `page[to_page(offset)]`."""
        seg = self._segment_at(offset)
        if seg is None or not seg.exact or not seg.body_start <= offset < seg.body_end:
            return False
        return seg.body_end - seg.body_start == seg.page_end - seg.page_start

    def span_to_page(self, span: Span) -> Span:
        """The page span that produced `body[span.start:span.end]` (whole NFC clusters)."""
        start = self.to_page(span.start)
        if span.end <= span.start:
            return Span(start=start, end=start)
        seg = self._segment_at(span.end - 1)
        if seg is None:
            return Span(start=start, end=span.end)
        if seg.body_end - seg.body_start == seg.page_end - seg.page_start:
            end = seg.page_start + (min(span.end, seg.body_end) - seg.body_start)
        else:
            end = seg.page_end
        return Span(start=start, end=max(start, end))


RemovalReason = Literal[
    "hotline",
    "timestamp",
    "byline",
    "source",
    "comments",
    "related",
    "navigation",
    "image",
    "caption",
    "title",
    "follow",
    "mobile",
    "template",  # printed on several pages of the same site (`clean.template`)
    "other",
]


class Removed(BaseModel):
    """A piece of the page that is not in the body, and why."""

    span: Span
    reason: RemovalReason
    text: str


class Article(BaseModel):
    """A cleaned news article with everything needed to trace the body back to the page."""

    id: str = Field(description="Stable, content-derived id (from the raw bytes' sha256).")
    source_path: str | None = Field(description="File the article was read from, if any.")
    sha256: str = Field(description="sha256 of the raw input bytes (or of the UTF-8 text).")
    title: str
    published: dt.date | None
    byline: str | None
    source: str | None = Field(description="Attribution line, e.g. 'Theo Thanhhoa.gov.vn'.")
    body: str = Field(description="The cleaned article text; the only text later stages see.")
    captions: list[str] = Field(default_factory=list)
    page: str = Field(description="The page text as decoded, before cleaning and NFC.")
    body_map: SourceMap = Field(default_factory=SourceMap)
    removed: list[Removed] = Field(default_factory=list)
