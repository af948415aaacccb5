"""The form checks of an answer: what the prompts ask for that is not a number to look up.

Numbers are checked against the article elsewhere (`.facts`, `.summary`); these checks read
the answer alone and report `QualityFinding`s:

- `blank_field`: a headline, summary, key point or fact field that is empty or holds no letter,
  digit or symbol (a weak model's "", " ", "-", "...").
- `duplicate_key_point`: a key point that repeats an earlier one of the same language (folded:
  case, whitespace, Unicode form and punctuation ignored).
- `not_a_date`: an event `date` that is not an ISO date (YYYY-MM-DD), as the schema asks.
- `count_out_of_range`: fewer or more key points, or summary sentences, than the prompts ask
  for (`KEY_POINTS`, `SUMMARY_SENTENCES`; tests/test_quality.py holds them to the prompts).
- `count_mismatch`: key_points_en does not have as many points as key_points_vi ("the same
  points in English, in the same order").

May import: `summarizer.align`, `summarizer.schemas`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from summarizer.align import fold
from summarizer.schemas import FACT_KINDS, Event, FactSheet, Summary

QualityKind = Literal[
    "blank_field", "duplicate_key_point", "not_a_date", "count_out_of_range", "count_mismatch"
]
QUALITY_KINDS: tuple[QualityKind, ...] = (
    "blank_field",
    "duplicate_key_point",
    "not_a_date",
    "count_out_of_range",
    "count_mismatch",
)
KEY_POINTS = (3, 6)
"""key_points_vi / key_points_en: "3 to 6 short points" (prompts/extract_article.md, reduce.md)."""
SUMMARY_SENTENCES = (3, 5)
"""summary_vi / summary_en: "3 to 5 sentences" (the same prompts)."""

# A sentence ends at . ! ? or … followed by a space and a capital letter, or at the end. Dots in
# numbers ("14.245") and abbreviations before a number or lowercase word are not ends.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*(?=\s+[\"'“‘(]?[^\W\d_a-z])")


_FILLER = re.compile(r"[\s\-‐‑‒–—―_.…·*]*")


class QualityFinding(BaseModel):
    """One form problem of the answer: which field, what kind, and what is wrong."""

    model_config = ConfigDict(frozen=True)

    kind: QualityKind
    field: str
    """"key_points_en[2]", "summary_vi", "events[1].date", "people[0].name"..."""
    problem: str


def count_sentences(text: str) -> int:
    """Sentences in `text` (see `_SENTENCE_END`); 0 for a blank text."""
    if _blank(text):
        return 0
    return len(_SENTENCE_END.findall(text.strip())) + 1


def quality_findings(facts: FactSheet, summary: Summary | None) -> list[QualityFinding]:
    """The form problems of `facts` and `summary` (see the module docstring)."""
    found = _fact_findings(facts)
    if summary is not None:
        found += _summary_findings(summary)
    return found


def _blank(text: str) -> bool:
    """Empty, or only spaces and filler marks ("-", "—", "...", "_"): "%" is a unit, not blank."""
    return _FILLER.fullmatch(text) is not None


def _fact_findings(facts: FactSheet) -> list[QualityFinding]:
    found: list[QualityFinding] = []
    for kind in FACT_KINDS:
        for i, fact in enumerate(getattr(facts, kind)):
            for name, value in fact:
                if isinstance(value, str) and _blank(value):
                    found.append(
                        QualityFinding(
                            kind="blank_field",
                            field=f"{kind}[{i}].{name}",
                            problem=f"{name} is blank ({value!r})",
                        )
                    )
            if isinstance(fact, Event) and fact.date is not None and not _blank(fact.date):
                try:
                    dt.date.fromisoformat(fact.date.strip())
                except ValueError:
                    found.append(
                        QualityFinding(
                            kind="not_a_date",
                            field=f"events[{i}].date",
                            problem=f"date {fact.date[:60]!r} is not an ISO date (YYYY-MM-DD)",
                        )
                    )
    return found


def _summary_findings(summary: Summary) -> list[QualityFinding]:
    found: list[QualityFinding] = []
    for name in ("headline_vi", "headline_en", "summary_vi", "summary_en"):
        text = getattr(summary, name)
        if _blank(text):
            found.append(QualityFinding(kind="blank_field", field=name, problem="blank"))
        elif name.startswith("summary"):
            n, (low, high) = count_sentences(text), SUMMARY_SENTENCES
            if not low <= n <= high:
                found.append(
                    QualityFinding(
                        kind="count_out_of_range",
                        field=name,
                        problem=f"{n} sentences; the prompt asks for {low} to {high}",
                    )
                )
    for lang in ("vi", "en"):
        found += _key_point_findings(f"key_points_{lang}", getattr(summary, f"key_points_{lang}"))
    vi, en = len(summary.key_points_vi), len(summary.key_points_en)
    if vi != en:
        found.append(
            QualityFinding(
                kind="count_mismatch",
                field="key_points_en",
                problem=f"{en} English key points for {vi} Vietnamese ones",
            )
        )
    return found


def _key_point_findings(name: str, points: list[str]) -> list[QualityFinding]:
    found: list[QualityFinding] = []
    low, high = KEY_POINTS
    if not low <= len(points) <= high:
        found.append(
            QualityFinding(
                kind="count_out_of_range",
                field=name,
                problem=f"{len(points)} key points; the prompt asks for {low} to {high}",
            )
        )
    seen: dict[str, int] = {}
    for i, point in enumerate(points):
        if _blank(point):
            found.append(QualityFinding(kind="blank_field", field=f"{name}[{i}]", problem="blank"))
            continue
        key = " ".join(re.findall(r"\w+", fold(point).casefold()))
        if key in seen:
            found.append(
                QualityFinding(
                    kind="duplicate_key_point",
                    field=f"{name}[{i}]",
                    problem=f"repeats {name}[{seen[key]}]",
                )
            )
        else:
            seen[key] = i
    return found


__all__ = [
    "KEY_POINTS",
    "QUALITY_KINDS",
    "SUMMARY_SENTENCES",
    "QualityFinding",
    "QualityKind",
    "count_sentences",
    "quality_findings",
]
