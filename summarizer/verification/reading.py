"""What the article and each checked text state (quantities, dates, years), read at most once
per `verify` call and shared by the fact checks and the summary check.

May import: `summarizer.matching`, `summarizer.article`, `summarizer.vietnamese`.
"""

from __future__ import annotations

from typing import Literal

from summarizer.article import Article, Span
from summarizer.matching import DateIndex, QuantityIndex
from summarizer.vietnamese import (
    DateMention,
    Numbers,
    Quantity,
    find_dates_and_years,
    find_numbers,
    find_quantities,
    find_quantities_en,
    find_years,
)


class _Ctx:
    """Per-article data computed once, and what each text of the call states, read once: the
    same evidence, paragraph or field text recurs across facts (several facts quote one
    sentence; many quote one paragraph), so every text is parsed at most once per call."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.published = article.published
        self._quantities: dict[tuple[str, Literal["vi", "en"]], list[Quantity]] = {}
        self._dates: dict[tuple[str, Literal["vi", "en"]], list[DateMention]] = {}
        self._years: dict[str, list[tuple[int, Span]]] = {}
        body = self.numbers(article.body, "vi")
        self.body_dates = body.dates
        years = {y for y, _ in body.years}
        years |= {d.value.year for d in self.body_dates if d.value is not None}
        if article.published is not None:
            years.add(article.published.year)
        self.body_years = years
        # What the summary may rest on: the body, then the photo captions.
        texts: list[tuple[Literal["body", "caption"], int | None, str]] = [
            ("body", None, article.body)
        ]
        texts += [("caption", i, c) for i, c in enumerate(article.captions)]
        self.quantities: list[tuple[Literal["body", "caption"], int | None, Quantity]] = []
        self.source_dates: list[tuple[Literal["body", "caption"], int | None, DateMention]] = []
        self.source_years: list[tuple[Literal["body", "caption"], int | None, int, Span]] = []
        for where, i, text in texts:
            numbers = self.numbers(text, "vi")
            self.quantities += [(where, i, q) for q in numbers.quantities]
            self.source_dates += [(where, i, d) for d in numbers.dates]
            self.source_years += [(where, i, y, sp) for y, sp in numbers.years]
            self.source_years += [
                (where, i, d.value.year, d.span) for d in numbers.dates if d.value is not None
            ]
        self.quantity_candidates = [c for _, _, c in self.quantities]
        self.candidate_index = QuantityIndex(self.quantity_candidates)
        self.body_date_index = DateIndex(self.body_dates)
        self.source_date_index = DateIndex([d for _, _, d in self.source_dates])
        self.source_year_first: dict[int, tuple[Literal["body", "caption"], int | None, Span]] = {}
        for where, i, y, sp in self.source_years:
            self.source_year_first.setdefault(y, (where, i, sp))
        self._indexes: dict[tuple[str, Literal["vi", "en"]], QuantityIndex] = {}

    def numbers(self, text: str, lang: Literal["vi", "en"]) -> Numbers:
        """What the accessors below give for `text`, read at once."""
        key = (text, lang)
        quantities = self._quantities.get(key)
        dates = self._dates.get(key)
        if quantities is None or dates is None:
            found = find_numbers(text, self.published, lang=lang, include_bare=True)
            quantities = self._quantities.setdefault(key, found.quantities)
            dates = self._dates.setdefault(key, found.dates)
            self._years.setdefault(text, found.years)
        return Numbers(quantities, dates, self._years[text])

    def stated_quantities(self, text: str, lang: Literal["vi", "en"]) -> list[Quantity]:
        """`find_quantities(text, include_bare=True)` (`find_quantities_en` for "en")."""
        key = (text, lang)
        found = self._quantities.get(key)
        if found is None:
            finder = find_quantities if lang == "vi" else find_quantities_en
            found = self._quantities[key] = finder(text, include_bare=True)
        return found

    def quantity_index(self, text: str, lang: Literal["vi", "en"]) -> QuantityIndex:
        """A `QuantityIndex` of `stated_quantities(text, lang)`."""
        key = (text, lang)
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = QuantityIndex(self.stated_quantities(text, lang))
        return index

    def dates(self, text: str, lang: Literal["vi", "en"]) -> list[DateMention]:
        """`find_dates(text, published)` (`find_dates_en` for "en")."""
        key = (text, lang)
        found = self._dates.get(key)
        if found is None:
            found, years = find_dates_and_years(text, self.published, lang=lang)
            self._dates[key] = found
            self._years.setdefault(text, years)
        return found

    def years(self, text: str) -> list[tuple[int, Span]]:
        """`find_years(text)`."""
        found = self._years.get(text)
        if found is None:
            found = self._years[text] = find_years(text)
        return found


def _parse_quantity(ctx: _Ctx, text: str) -> Quantity | None:
    """`parse_quantity(text)`."""
    found = ctx.stated_quantities(text, "vi")
    return found[0] if found else None
