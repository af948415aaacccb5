"""What the cleaning passes share (`PageState`) and what `analyse_page` returns (`PageAnalysis`).

May import: `summarizer.article`, and `lines` of this package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..article import Removed, Span
from .lines import Unit


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


@dataclass(slots=True)
class PageState:
    """The page as the passes see it, passed from one to the next.

    A pass labels units (`Unit.label`: a unit with a label is out of the body; no pass gives a
    labelled unit its None back, except the citation pass for "source" lines) and fills in the
    metadata fields it is responsible for. The body at any point is `body()`: the unlabelled
    units after the title.
    """

    page: str
    units: list[Unit]
    template: frozenset[str] = frozenset()  # keys of the site's template lines (`template`)
    vietnamese: bool = False  # accented enough that an unaccented line stands out as a slug
    title: str = ""
    title_idx: int | None = None
    first: int = 0  # the first unit after the title (0 on a page without a title line)
    byline: str | None = None
    captions: list[str] = field(default_factory=list)
    source: str | None = None
    published: dt.date | None = None

    @property
    def n(self) -> int:
        return len(self.units)

    def body(self) -> list[int]:
        """Indices of the units after the title that no pass has labelled yet."""
        return [i for i in range(self.first, len(self.units)) if self.units[i].label is None]
