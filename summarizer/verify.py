"""Deterministic verification of a fact sheet (and summary) against the article.

`verify(facts, article, summary)` checks, without any model or I/O:

* Each fact's evidence quote is located with `summarizer.align.align`. Not found ->
  `evidence_not_found`; found only in clutter the cleaner removed from the page (related
  articles, navigation, title...) -> `outside_body`; found in the body or a photo caption ->
  the fact's own values are checked against the matched source text:
  - Figure: `text` must occur in the evidence; `text` parsed with the Vietnamese parser must
    have `value` (exactly, up to float noise) and a unit compatible with `unit`.
  - Person / Organization / Place: `name` must occur in the evidence (tolerantly, ignoring case).
  - Event: an ISO `date` must equal a date written in the evidence (resolved against
    `article.published`); if the evidence writes no date, a matching date elsewhere in the body
    is accepted with a note; a date written nowhere is a mismatch.
  - Every number stated in the descriptive fields (role, measure, what, content; Vietnamese and
    English) must be a number of the evidence: same unit where both are known, same value, or
    the evidence value correctly rounded to the stated precision ("US$14.2 billion" for
    "14,245 tỷ USD": |stated - source| <= half a unit of the stated number's last digit). A
    number found only in the quote's paragraph is accepted with a note (a quote is one clause;
    the model may describe the rest of its sentence). Dates and years stated there (and in a
    Figure's `period`) must be in the evidence, or else somewhere in the body (with a note).
  Any failure -> `value_mismatch`, with human-readable `problems`; `notes` keep observations
  that do not fail the fact (tolerant match, caption evidence, context from the paragraph).
* A Figure whose `value` cannot be a real quantity -> `implausible_value` (when its evidence
  is found; otherwise the evidence status stands and the reason is added to `problems`): not a
  finite number (inf, NaN), a magnitude of `PLAUSIBLE_MAGNITUDE` (10^18 base units) or more
  that its own `text` does not state (a scale word applied twice), or a negative value for a
  text that counts or measures something. Any float is a finding, never an exception.
* Coverage: money and percent quantities of the body that no Figure states (same value and
  unit, qualifiers ignored) are listed in `uncovered`.
* Summary: every number, date and year in the Vietnamese fields (Vietnamese parser) and in the
  English fields (English parser) must be supported by the body or a photo caption, by the
  same rule as above (a year may also be the publication year).

`ok` is True when every fact is verified and every summary number is supported; coverage is
reported but does not affect `ok`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from summarizer.align import Alignment, Where, align, contains_folded, fold
from summarizer.article import Article, Span
from summarizer.matching import (
    DateIndex,
    QuantityIndex,
    ValueIndex,
    dates_match,
    inside_any,
    quantity_supported,
)
from summarizer.schemas import (
    FACT_KINDS,
    Event,
    Fact,
    FactKind,
    FactSheet,
    Figure,
    Organization,
    Person,
    Place,
    Statement,
    Summary,
)
from summarizer.vietnamese import (
    DateMention,
    Numbers,
    Quantity,
    find_dates_and_years,
    find_numbers,
    find_quantities,
    find_quantities_en,
    find_years,
    format_number_en,
    same_unit,
    values_equal,
)

__all__ = [
    "FACT_STATUSES",
    "PLAUSIBLE_MAGNITUDE",
    "FactCheck",
    "FactStatus",
    "SummaryCheck",
    "UncoveredQuantity",
    "Verification",
    "fact_id",
    "quantity_supported",
    "verify",
]

FactStatus = Literal[
    "verified", "evidence_not_found", "value_mismatch", "implausible_value", "outside_body"
]
FACT_STATUSES: tuple[FactStatus, ...] = (
    "verified",
    "evidence_not_found",
    "value_mismatch",
    "implausible_value",
    "outside_body",
)

PLAUSIBLE_MAGNITUDE = 1e18
"""A figure's value of this magnitude or more (in base units: a quintillion đồng is some
forty trillion dollars) is implausible unless its own text states it."""


class FactCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    fact_id: str
    kind: FactKind
    index: int
    status: FactStatus
    where: Where | None
    """Where the evidence was found ("body", "caption", "clutter"), None if not found."""
    alignment: Alignment | None
    problems: list[str]
    """Why the fact is not verified (empty when it is)."""
    notes: list[str]
    """Observations that do not fail the fact (a date taken from elsewhere in the body...)."""


class UncoveredQuantity(BaseModel):
    """A money or percent quantity of the body that no Figure states."""

    model_config = ConfigDict(frozen=True)

    quantity: Quantity
    """`quantity.span` is a span in `Article.body`."""
    page_span: Span


class SummaryCheck(BaseModel):
    """One number, date or year stated in the summary, and whether the body supports it."""

    model_config = ConfigDict(frozen=True)

    field: str
    """"summary_vi", "headline_en", "key_points_en[2]"..."""
    language: Literal["vi", "en"]
    kind: Literal["quantity", "date", "year"]
    text: str
    span: Span
    """Span of `text` in the field's string."""
    supported: bool
    matched_where: Literal["body", "caption"] | None
    matched_index: int | None
    """Index into `Article.captions` when the support is in a caption."""
    matched_text: str | None
    matched_span: Span | None
    """Span of the supporting number, date or year in the body (or in the caption); an empty
    span for a year that only the publication date gives."""
    problem: str | None


class Verification(BaseModel):
    facts: list[FactCheck]
    uncovered: list[UncoveredQuantity]
    summary: list[SummaryCheck]
    total: int
    verified: int
    verified_rate: float
    """verified / total; 1.0 for an empty fact sheet."""
    by_status: dict[FactStatus, int]
    money_percent_in_body: int
    coverage_rate: float
    """Share of the body's money and percent quantities that some Figure states (1.0 if none)."""
    summary_checked: int
    summary_unsupported: int
    ok: bool


# --------------------------------------------------------------------------------------------
# Fact ids

_IDENTITY: dict[FactKind, tuple[str, ...]] = {
    "people": ("name",),
    "organizations": ("name",),
    "places": ("name",),
    "figures": ("text", "evidence"),
    "events": ("date", "evidence"),
    "statements": ("speaker", "kind", "evidence"),
}


def fact_id(kind: FactKind, fact: Fact) -> str:
    """A short stable id, "figures-1a2b3c4d5e6f": a hash over the kind and the fact's identity
    fields (name for people, organisations, places; text + evidence for figures; date +
    evidence for events; speaker + kind + evidence for statements), folded (whitespace, NFC,
    tone placement, quote styles), so a re-run that yields the same fact yields the same id."""
    parts: list[str] = [kind]
    for name in _IDENTITY[kind]:
        v = getattr(fact, name)
        parts.append("" if v is None else fold(str(v)).strip())
    # surrogatepass: a lone surrogate in an answer still gets an id (other text, same bytes)
    raw = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(raw).hexdigest()[:12]
    return f"{kind}-{digest}"


# --------------------------------------------------------------------------------------------
# Matching numbers


def _fmt(v: float) -> str:
    if math.isfinite(v) and v == int(v) and abs(v) < 1e21:
        return f"{int(v)}"
    return format_number_en(v).replace(",", "")


def _scale_note(stated: float, actual: float) -> str:
    if actual == 0 or stated == 0:
        return ""
    ratio = stated / actual
    if not math.isfinite(ratio) or ratio == 0:
        return ""
    k = round(math.log10(abs(ratio)))
    if k != 0 and math.isclose(abs(ratio), 10.0**k, rel_tol=1e-6):
        return f" (×{10**k})" if k > 0 else f" (÷{10 ** (-k)})"
    return ""


# --------------------------------------------------------------------------------------------
# Facts


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


def _vi_fields(kind: FactKind, fact: Fact) -> list[tuple[str, str]]:
    if isinstance(fact, Person):
        return [("role_vi", fact.role_vi or ""), ("organization", fact.organization or "")]
    if isinstance(fact, Figure):
        return [("measure_vi", fact.measure_vi)]
    if isinstance(fact, Event):
        return [("what_vi", fact.what_vi)]
    if isinstance(fact, Statement):
        return [("content_vi", fact.content_vi)]
    return []


def _en_fields(kind: FactKind, fact: Fact) -> list[tuple[str, str]]:
    if isinstance(fact, Person):
        return [("role_en", fact.role_en or "")]
    if isinstance(fact, Figure):
        return [("measure_en", fact.measure_en)]
    if isinstance(fact, Event):
        return [("what_en", fact.what_en)]
    if isinstance(fact, Statement):
        return [("content_en", fact.content_en)]
    return []


class _Evidence:
    """The matched evidence text and what it states, each read when a check first needs it
    (most facts state no number, date or year besides the evidence itself)."""

    def __init__(self, ctx: _Ctx, alignment: Alignment) -> None:
        self.text = alignment.text
        self._ctx = ctx
        self._alignment = alignment

    @functools.cached_property
    def quantities(self) -> list[Quantity]:
        return self._ctx.stated_quantities(self.text, "vi")

    @functools.cached_property
    def quantity_index(self) -> QuantityIndex:
        return self._ctx.quantity_index(self.text, "vi")

    @functools.cached_property
    def dates(self) -> list[DateMention]:
        return self._ctx.dates(self.text, "vi")

    @functools.cached_property
    def date_index(self) -> DateIndex:
        return DateIndex(self.dates)

    @functools.cached_property
    def years(self) -> set[int]:
        return {y for y, _ in self._ctx.years(self.text)} | {
            d.value.year for d in self.dates if d.value is not None
        }

    @functools.cached_property
    def paragraph_index(self) -> QuantityIndex:
        """The quantities of the paragraph around the quote (the whole caption for a
        caption)."""
        alignment = self._alignment
        if alignment.where == "body" and alignment.body_span is not None:
            body = self._ctx.article.body
            lo = body.rfind("\n", 0, alignment.body_span.start) + 1
            hi = body.find("\n", alignment.body_span.end)
            paragraph = body[lo : hi if hi >= 0 else len(body)]
        elif alignment.where == "caption" and alignment.index is not None:
            paragraph = self._ctx.article.captions[alignment.index]
        else:
            paragraph = self.text
        return self._ctx.quantity_index(paragraph, "vi")


def _check_stated(
    ctx: _Ctx,
    field: str,
    value: str,
    lang: Literal["vi", "en"],
    ev: _Evidence,
    problems: list[str],
    notes: list[str],
    *,
    quantities: bool = True,
) -> None:
    """Numbers, dates and years stated in a descriptive field must be in the evidence. A number
    that is only in the quote's paragraph, or a date or year only elsewhere in the body, is
    accepted with a note (the quote is one clause; its context may carry them)."""
    if not value.strip():
        return
    stated = ctx.numbers(value, lang)
    if quantities:
        for q in stated.quantities:
            if ev.quantity_index.first(q) is not None:
                continue
            if ev.paragraph_index.first(q) is not None:
                notes.append(f"{field} states {q.text!r}, which is in the paragraph, not the quote")
            else:
                problems.append(f"{field} states {q.text!r}, which its evidence does not")
    stated_dates = stated.dates
    for d in stated_dates:
        if ev.date_index.first(d) is not None:
            continue
        if ctx.body_date_index.first(d) is not None:
            notes.append(f"{field} date {d.text!r} is in the body but not in the evidence")
        else:
            problems.append(f"{field} states the date {d.text!r}, which the article does not")
    starts, ends = [d.span.start for d in stated_dates], [d.span.end for d in stated_dates]
    for y, span in stated.years:
        if inside_any(starts, ends, span.start):
            continue  # checked as part of a date
        if y in ev.years:
            continue
        if y in ctx.body_years:
            notes.append(f"{field} year {y} is in the body but not in the evidence")
        else:
            problems.append(f"{field} states the year {y}, which the article does not")


def _check_figure(ctx: _Ctx, fig: Figure, ev: _Evidence, problems: list[str]) -> None:
    evidence = ev.text
    if not contains_folded(fig.text, evidence):
        problems.append(f"figure text {fig.text!r} is not in its evidence")
    q = _parse_quantity(ctx, fig.text)
    if q is None:
        if fig.value is not None and not any(
            values_equal(fig.value, e.value) for e in ev.quantities
        ):
            problems.append(
                f"figure text {fig.text!r} holds no number and the evidence has no"
                f" {_fmt(fig.value)}"
            )
        return
    if fig.value is not None and not values_equal(fig.value, q.value):
        problems.append(
            f"value {_fmt(fig.value)} but {q.text!r} is {_fmt(q.value)}"
            f"{_scale_note(fig.value, q.value)}"
        )
    if fig.unit and q.unit and same_unit(fig.unit, q.unit) is False:
        problems.append(f"unit {fig.unit!r} but {q.text!r} is in {q.unit!r}")


def _implausible(ctx: _Ctx, fig: Figure) -> str | None:
    """Why `fig.value` cannot be a quantity at all (see `implausible_value`), or None."""
    v = fig.value
    if v is None:
        return None
    if not math.isfinite(v):
        return f"value {_fmt(v)} is not a finite number"
    q = _parse_quantity(ctx, fig.text)
    if abs(v) >= PLAUSIBLE_MAGNITUDE and not (q is not None and values_equal(v, q.value)):
        return (
            f"value {_fmt(v)} is implausibly large (10^18 or more in base units)"
            " and its text does not state it"
        )
    if v < 0 and q is not None and q.kind in ("count", "measure"):
        return f"value {_fmt(v)} is negative, but {q.text!r} counts or measures something"
    return None


def _check_name(label: str, name: str, evidence: str, problems: list[str]) -> None:
    if name.strip() and not contains_folded(name, evidence, ignore_case=True):
        problems.append(f"{label} {name!r} does not occur in its evidence")


def _check_event(
    ctx: _Ctx, ev: Event, evidence: _Evidence, problems: list[str], notes: list[str]
) -> None:
    if ev.date is None:
        return
    try:
        when = dt.date.fromisoformat(ev.date.strip())
    except ValueError:
        problems.append(f"date {ev.date!r} is not an ISO date (YYYY-MM-DD)")
        return
    target = DateMention(
        value=when,
        day=when.day,
        month=when.month,
        year=when.year,
        year_inferred=False,
        part_of_day=None,
        time=None,
        text=ev.date,
        span=Span(start=0, end=len(ev.date)),
    )
    ev_dates = evidence.dates
    if ev_dates:
        if any(dates_match(target, d) for d in ev_dates):
            if all(d.value is None for d in ev_dates if dates_match(target, d)):
                notes.append(f"the year of {ev.date} cannot be checked (no publication date)")
            return
        said = ", ".join(
            f"{d.text!r}" + (f" = {d.value.isoformat()}" if d.value else "") for d in ev_dates
        )
        problems.append(f"date {ev.date} but the evidence says {said}")
        return
    body_match = ctx.body_date_index.first(target)
    if body_match is not None:
        said = ctx.body_dates[body_match].text
        notes.append(f"date {ev.date} is not in the evidence; the body says {said!r}")
    elif ctx.published == when:
        notes.append(f"date {ev.date} is the publication date; the article does not write it")
    else:
        problems.append(f"date {ev.date} is not written in the evidence nor in the article")


def _check_grounded(
    ctx: _Ctx,
    kind: FactKind,
    fact: Fact,
    alignment: Alignment,
    problems: list[str],
    notes: list[str],
) -> None:
    """The checks of a fact whose evidence is in the body or a caption."""
    if alignment.kind == "tolerant":
        notes.append("evidence matched tolerantly (whitespace, Unicode or punctuation differ)")
    if alignment.where == "caption":
        notes.append("evidence is in a photo caption")
    ev = _Evidence(ctx, alignment)
    if isinstance(fact, Figure):
        _check_figure(ctx, fact, ev, problems)
        if fact.period:
            _check_stated(ctx, "period", fact.period, "vi", ev, problems, notes, quantities=False)
    elif isinstance(fact, Person | Organization | Place):
        _check_name("name", fact.name, alignment.text, problems)
    elif isinstance(fact, Event):
        _check_event(ctx, fact, ev, problems, notes)
    for field, value in _vi_fields(kind, fact):
        _check_stated(ctx, field, value, "vi", ev, problems, notes)
    for field, value in _en_fields(kind, fact):
        _check_stated(ctx, field, value, "en", ev, problems, notes)


def _check_fact(ctx: _Ctx, kind: FactKind, index: int, fact: Fact) -> FactCheck:
    implausible = _implausible(ctx, fact) if isinstance(fact, Figure) else None
    alignment = align(fact.evidence, ctx.article)
    problems: list[str] = []
    notes: list[str] = []
    status: FactStatus
    if alignment is None:
        problems.append("evidence quote not found in the article")
        status = "evidence_not_found"
    elif alignment.where == "clutter":
        problems.append(
            f"evidence found only in text removed from the page ({alignment.reason}),"
            " not in the article body"
        )
        status = "outside_body"
    else:
        _check_grounded(ctx, kind, fact, alignment, problems, notes)
        status = "value_mismatch" if problems else "verified"
        if implausible is not None:
            status = "implausible_value"
            problems.insert(0, implausible)
            implausible = None
    if implausible is not None:  # reported, though the quote decides the status
        problems.append(implausible)
    return FactCheck(
        fact_id=fact_id(kind, fact),
        kind=kind,
        index=index,
        status=status,
        where=None if alignment is None else alignment.where,
        alignment=alignment,
        problems=problems,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------
# Coverage


def _parse_quantity(ctx: _Ctx, text: str) -> Quantity | None:
    """`parse_quantity(text)`."""
    found = ctx.stated_quantities(text, "vi")
    return found[0] if found else None


def _figure_quantities(ctx: _Ctx, figures: Sequence[Figure]) -> list[tuple[float, str | None]]:
    out: list[tuple[float, str | None]] = []
    for fig in figures:
        q = _parse_quantity(ctx, fig.text)
        if q is not None:
            out.append((q.value, q.unit or fig.unit))
        if fig.value is not None:
            out.append((fig.value, fig.unit or (q.unit if q else None)))
    return out


def _uncovered(ctx: _Ctx, figures: Sequence[Figure]) -> tuple[list[UncoveredQuantity], int]:
    stated = _figure_quantities(ctx, figures)
    body = [
        q for where, _, q in ctx.quantities if where == "body" and q.kind in ("money", "percent")
    ]
    out: list[UncoveredQuantity] = []
    index = ValueIndex(stated)
    for q in body:
        if not index.covers(q):
            out.append(
                UncoveredQuantity(quantity=q, page_span=ctx.article.body_map.span_to_page(q.span))
            )
    return out, len(body)


# --------------------------------------------------------------------------------------------
# Summary


def _summary_fields(summary: Summary) -> list[tuple[str, str, Literal["vi", "en"]]]:
    fields: list[tuple[str, str, Literal["vi", "en"]]] = [
        ("headline_vi", summary.headline_vi, "vi"),
        ("summary_vi", summary.summary_vi, "vi"),
    ]
    fields += [(f"key_points_vi[{i}]", p, "vi") for i, p in enumerate(summary.key_points_vi)]
    fields += [("headline_en", summary.headline_en, "en"), ("summary_en", summary.summary_en, "en")]
    fields += [(f"key_points_en[{i}]", p, "en") for i, p in enumerate(summary.key_points_en)]
    return fields


def _summary_check(
    field: str,
    lang: Literal["vi", "en"],
    kind: Literal["quantity", "date", "year"],
    text: str,
    span: Span,
    match: tuple[Literal["body", "caption"], int | None, str, Span] | None,
    problem: str,
) -> SummaryCheck:
    return SummaryCheck(
        field=field,
        language=lang,
        kind=kind,
        text=text,
        span=span,
        supported=match is not None,
        matched_where=match[0] if match else None,
        matched_index=match[1] if match else None,
        matched_text=match[2] if match else None,
        matched_span=match[3] if match else None,
        problem=None if match else problem,
    )


def _check_summary(ctx: _Ctx, summary: Summary) -> list[SummaryCheck]:
    out: list[SummaryCheck] = []
    for field, text, lang in _summary_fields(summary):
        stated = ctx.numbers(text, lang)
        for q in stated.quantities:
            at = ctx.candidate_index.first(q)
            qmatch = None
            if at is not None:
                w, i, c = ctx.quantities[at]
                qmatch = (w, i, c.text, c.span)
            problem = f"{q.text!r} ({_fmt(q.value)} {q.unit or ''}".rstrip()
            out.append(
                _summary_check(
                    field,
                    lang,
                    "quantity",
                    q.text,
                    q.span,
                    qmatch,
                    problem + ") is not a number of the article",
                )
            )
        dates = stated.dates
        for d in dates:
            dat = ctx.source_date_index.first(d)
            dmatch = None
            if dat is not None:
                w, i, b = ctx.source_dates[dat]
                dmatch = (w, i, b.text, b.span)
            out.append(
                _summary_check(
                    field,
                    lang,
                    "date",
                    d.text,
                    d.span,
                    dmatch,
                    f"date {d.text!r} is not a date of the article",
                )
            )
        starts, ends = [d.span.start for d in dates], [d.span.end for d in dates]
        for y, span in stated.years:
            if inside_any(starts, ends, span.start):
                continue  # checked as part of a date
            first = ctx.source_year_first.get(y)
            ymatch = None if first is None else (first[0], first[1], str(y), first[2])
            if ymatch is None and y == (ctx.published.year if ctx.published else None):
                ymatch = ("body", None, str(y), Span(start=0, end=0))
            out.append(
                _summary_check(
                    field,
                    lang,
                    "year",
                    text[span.start : span.end],
                    span,
                    ymatch,
                    f"year {y} is not a year of the article",
                )
            )
    return out


# --------------------------------------------------------------------------------------------


def verify(facts: FactSheet, article: Article, summary: Summary | None = None) -> Verification:
    """Check every fact of `facts` (and every number of `summary`) against `article`."""
    ctx = _Ctx(article)
    checks: list[FactCheck] = []
    for kind in FACT_KINDS:
        items: Sequence[Fact] = getattr(facts, kind)
        for i, fact in enumerate(items):
            checks.append(_check_fact(ctx, kind, i, fact))
    uncovered, n_money_percent = _uncovered(ctx, facts.figures)
    summary_checks = _check_summary(ctx, summary) if summary is not None else []
    by_status: dict[FactStatus, int] = dict.fromkeys(FACT_STATUSES, 0)
    for c in checks:
        by_status[c.status] += 1
    total = len(checks)
    verified = by_status["verified"]
    unsupported = sum(1 for s in summary_checks if not s.supported)
    return Verification(
        facts=checks,
        uncovered=uncovered,
        summary=summary_checks,
        total=total,
        verified=verified,
        verified_rate=verified / total if total else 1.0,
        by_status=by_status,
        money_percent_in_body=n_money_percent,
        coverage_rate=(n_money_percent - len(uncovered)) / n_money_percent
        if n_money_percent
        else 1.0,
        summary_checked=len(summary_checks),
        summary_unsupported=unsupported,
        ok=verified == total and unsupported == 0,
    )
