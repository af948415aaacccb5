"""The checks of each fact against its evidence quote (see `summarizer.verify` for the rules), its
stable id, and coverage: the body's money and percent figures that no Figure states.

May import: `summarizer.verification.results`, `.reading`, `summarizer.align`,
`summarizer.matching`, `summarizer.article`, `summarizer.schemas`, `summarizer.vietnamese`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from collections.abc import Sequence
from typing import Literal

from summarizer.align import Alignment, align, contains_folded, fold
from summarizer.article import Span
from summarizer.matching import DateIndex, QuantityIndex, ValueIndex, dates_match, inside_any
from summarizer.schemas import Event, Fact, FactKind, Figure, Organization, Person, Place, Statement
from summarizer.verification.reading import _Ctx, _parse_quantity
from summarizer.verification.results import (
    PLAUSIBLE_MAGNITUDE,
    FactCheck,
    FactStatus,
    UncoveredQuantity,
    _fmt,
)
from summarizer.vietnamese import DateMention, Quantity, same_unit, values_equal

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
