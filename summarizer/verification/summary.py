"""The summary check: every number, date and year stated in a summary field, and where the
article (body or a photo caption) states it.

May import: `summarizer.verification.results`, `.reading`, `summarizer.matching`,
`summarizer.article`, `summarizer.schemas`.
"""

from __future__ import annotations

from typing import Literal

from summarizer.article import Span
from summarizer.matching import inside_any
from summarizer.schemas import Summary
from summarizer.verification.reading import _Ctx
from summarizer.verification.results import SummaryCheck, _fmt


def summary_fields(summary: Summary) -> list[tuple[str, str, Literal["vi", "en"]]]:
    """The text fields of `summary` that the check reads, in order: (field name as reported in
    `SummaryCheck.field`, e.g. "key_points_en[2]"; its text; its language)."""
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
    for field, text, lang in summary_fields(summary):
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
