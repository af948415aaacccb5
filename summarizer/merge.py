"""Merge the fact sheets of overlapping chunks deterministically (no model call).

The same person, organisation or place (same `identity_key` of the name), or the same figure,
event or statement (same values, and one evidence quote containing the other: what two
overlapping chunks produce) appears once. Of duplicates the most complete one is kept: most
fields filled, then the longest evidence. Order is first appearance, chunk by chunk.

May import: `summarizer.schemas`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from .schemas import FACT_KINDS, FactSheet, Figure, Statement


def identity_key(text: str | None) -> str:
    """What two facts' names and values are compared by to tell duplicates: NFC, case-folded,
    white space collapsed. (Not `summarizer.folding.fold`, which keeps case and also folds
    quotes, dashes and tone placement, for finding a quote in its source.)"""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().casefold()


def _same_evidence(a: BaseModel, b: BaseModel) -> bool:
    ea, eb = identity_key(getattr(a, "evidence", "")), identity_key(getattr(b, "evidence", ""))
    return ea in eb or eb in ea


def _by_name(a: BaseModel, b: BaseModel) -> bool:
    return identity_key(getattr(a, "name", "")) == identity_key(getattr(b, "name", ""))


def _same_figure(a: BaseModel, b: BaseModel) -> bool:
    assert isinstance(a, Figure) and isinstance(b, Figure)
    return (
        identity_key(a.text) == identity_key(b.text)
        and a.value == b.value
        and identity_key(a.unit) == identity_key(b.unit)
        and _same_evidence(a, b)
    )


def _same_statement(a: BaseModel, b: BaseModel) -> bool:
    assert isinstance(a, Statement) and isinstance(b, Statement)
    return (
        identity_key(a.speaker) == identity_key(b.speaker)
        and a.kind == b.kind
        and _same_evidence(a, b)
    )


def _same_event(a: BaseModel, b: BaseModel) -> bool:
    return getattr(a, "date", None) == getattr(b, "date", None) and _same_evidence(a, b)


_SAME: dict[str, Callable[[BaseModel, BaseModel], bool]] = {
    "people": _by_name,
    "organizations": _by_name,
    "places": _by_name,
    "figures": _same_figure,
    "events": _same_event,
    "statements": _same_statement,
}


def _completeness(fact: BaseModel) -> tuple[int, int]:
    filled = sum(v is not None and v != "" for v in fact.model_dump().values())
    return filled, len(getattr(fact, "evidence", ""))


def merge(sheets: Sequence[FactSheet]) -> FactSheet:
    """One fact sheet from several, each fact once."""
    merged: dict[str, list[BaseModel]] = {kind: [] for kind in FACT_KINDS}
    for sheet in sheets:
        for kind in FACT_KINDS:
            same = _SAME[kind]
            kept = merged[kind]
            for fact in getattr(sheet, kind):
                for i, existing in enumerate(kept):
                    if same(existing, fact):
                        if _completeness(fact) > _completeness(existing):
                            kept[i] = fact
                        break
                else:
                    kept.append(fact)
    return FactSheet.model_validate({k: [f.model_dump() for f in v] for k, v in merged.items()})
