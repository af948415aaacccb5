"""Core data types of the source side: the Article and its offset map back to the page.

Later stages see only `Article.body`; the review page shows `Article.page` (the text as it was
decoded, before any cleaning or normalisation) and highlights evidence there through `SourceMap`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Span(BaseModel):
    """A half-open character interval [start, end) in some text."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int


class Segment(BaseModel):
    """`body[body_start:body_end]` came from `page[page_start:page_end]`.

    Most segments are straight copies (equal lengths, offsets map one to one); a segment whose
    lengths differ (an NFD cluster composed to NFC, an inserted space) maps every body char to
    its page start.
    """

    model_config = ConfigDict(frozen=True)

    body_start: int
    body_end: int
    page_start: int
    page_end: int


class SourceMap(BaseModel):
    """Maps offsets in the cleaned body back to offsets in the original page text."""

    segments: list[Segment] = Field(default_factory=list)

    def to_page(self, offset: int) -> int:
        """Page offset of body char `offset` (or of the body's end, for offset == len(body))."""
        if not self.segments:
            return offset
        starts = [s.body_start for s in self.segments]
        i = max(bisect.bisect_right(starts, offset) - 1, 0)
        seg = self.segments[i]
        if offset >= seg.body_end:
            return seg.page_end
        if seg.body_end - seg.body_start == seg.page_end - seg.page_start:
            return seg.page_start + (offset - seg.body_start)
        return seg.page_start

    def span_to_page(self, span: Span) -> Span:
        if span.end <= span.start:
            p = self.to_page(span.start)
            return Span(start=p, end=p)
        start = self.to_page(span.start)
        end = self.to_page(span.end - 1)
        # The last char's page position plus its page length.
        starts = [s.body_start for s in self.segments]
        i = max(bisect.bisect_right(starts, span.end - 1) - 1, 0)
        seg = self.segments[i] if self.segments else None
        if seg is None:
            return Span(start=start, end=span.end)
        if seg.body_end - seg.body_start == seg.page_end - seg.page_start:
            return Span(start=start, end=end + 1)
        return Span(start=start, end=max(end + 1, seg.page_end))


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
