"""What verification reports: the statuses, and one result per fact, per stated number of the
summary, per uncovered figure; and how a value is written in a problem.

May import: `summarizer.align`, `summarizer.article`, `summarizer.schemas`,
`summarizer.vietnamese`.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict

from summarizer.align import Alignment, Where
from summarizer.article import Span
from summarizer.schemas import FactKind
from summarizer.verification.quality import QualityFinding
from summarizer.vietnamese import Quantity, format_number_en

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
    quality: list[QualityFinding] = []
    """Form problems of the answer: blank fields, repeated key points, event dates that are
    not dates, counts the prompts ask for (`summarizer.verification.quality`)."""
    ok: bool


def _fmt(v: float) -> str:
    if math.isfinite(v) and v == int(v) and abs(v) < 1e21:
        return f"{int(v)}"
    return format_number_en(v).replace(",", "")
