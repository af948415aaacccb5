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
* Form (`quality`): blank fields, repeated key points, event dates that are not ISO dates,
  and counts the prompts ask for (3 to 6 key points, as many in English as in Vietnamese,
  3 to 5 summary sentences); see `summarizer.verification.quality`.

`ok` is True when every fact is verified, every summary number is supported and the form
checks found nothing; coverage is reported but does not affect `ok`.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.article import Article
from summarizer.matching import quantity_supported
from summarizer.schemas import FACT_KINDS, Fact, FactSheet, Summary
from summarizer.verification.facts import _check_fact, _uncovered, fact_id
from summarizer.verification.quality import QUALITY_KINDS, QualityFinding, quality_findings
from summarizer.verification.reading import _Ctx
from summarizer.verification.results import (
    FACT_STATUSES,
    PLAUSIBLE_MAGNITUDE,
    FactCheck,
    FactStatus,
    SummaryCheck,
    UncoveredQuantity,
    Verification,
)
from summarizer.verification.summary import _check_summary, summary_fields

__all__ = [
    "FACT_STATUSES",
    "PLAUSIBLE_MAGNITUDE",
    "QUALITY_KINDS",
    "FactCheck",
    "FactStatus",
    "QualityFinding",
    "SummaryCheck",
    "UncoveredQuantity",
    "Verification",
    "fact_id",
    "quantity_supported",
    "review_reasons",
    "summary_fields",
    "verify",
]


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
    quality = quality_findings(facts, summary)
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
        quality=quality,
        ok=verified == total and unsupported == 0 and not quality,
    )


def review_reasons(verification: Verification, min_verified: float) -> list[str]:
    """Why an article needs a reviewer before its fact sheet is used: no facts at all, or a
    verification rate below `min_verified` (empty: it passes the gate)."""
    if verification.total == 0:
        return ["no facts: nothing could be verified"]
    if verification.verified_rate < min_verified:
        return [
            f"{verification.verified} of {verification.total} facts verified"
            f" ({verification.verified_rate:.0%}), below the minimum {min_verified:.0%}"
        ]
    return []
