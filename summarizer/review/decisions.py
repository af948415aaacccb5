"""The decisions file and what a decision is about: the models written to
`<stem>.review.json`, one digest's facts as rows ready for review, and validated corrections.

Imports only the schemas, render (for the fact's wording), digest and verify (for fact ids)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from ..digest import Digest
from ..render import describe
from ..schemas import FACT_KINDS, Fact, FactKind, StatementKind
from ..verify import FactCheck, fact_id

REVIEW_SCHEMA_VERSION = 1
REVIEW_SUFFIX = ".review.json"
EXPORT_JSON = "reviewed.json"
EXPORT_CSV = "reviewed.csv"
INDEX_JSON = "index.json"
_NOT_DIGESTS = {INDEX_JSON, EXPORT_JSON}

DecisionKind = Literal["accepted", "rejected", "corrected"]
DECISIONS: tuple[DecisionKind, ...] = ("accepted", "rejected", "corrected")

CORRECTABLE: dict[FactKind, tuple[str, ...]] = {
    "people": ("name", "role_vi", "role_en", "organization"),
    "organizations": ("name", "name_en", "country"),
    "places": ("name", "name_en", "country"),
    "figures": ("text", "value", "unit", "measure_vi", "measure_en", "period"),
    "events": ("what_vi", "what_en", "date", "where"),
    "statements": ("speaker", "kind", "content_vi", "content_en", "addressee"),
}
"""The fields a reviewer may correct, per kind. The evidence quote is never correctable: it is
what the fact is checked against."""

_MAX_NOTE = 10_000
_MAX_FIELD = 2_000
_MAX_BODY = 256 * 1024
STATEMENT_KINDS: tuple[StatementKind, ...] = (
    "requests",
    "commits",
    "directs",
    "assesses",
    "agrees",
    "proposes",
    "informs",
)


class ReviewError(Exception):
    """A review request that cannot be carried out; `status` is the HTTP status it maps to."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------------------------
# The decisions file


class FactSnapshot(BaseModel):
    """What the fact said when it was decided (shown for orphaned and stale decisions)."""

    kind: FactKind
    text_vi: str
    text_en: str
    evidence: str


class Decision(BaseModel):
    decision: DecisionKind | None
    """None: no decision yet, only a note."""
    correction: dict[str, str | float | None] = Field(default_factory=dict)
    """Corrected field values (only for "corrected"): field name -> new value."""
    note: str = ""
    fact_hash: str
    """Hash of the fact's content when decided: a different hash later means it changed."""
    fact: FactSnapshot
    updated: str


class ReviewFile(BaseModel):
    schema_version: int = REVIEW_SCHEMA_VERSION
    stem: str
    article_sha256: str | None = None
    decisions: dict[str, Decision] = Field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# One digest, ready for review


def fact_hash(fact: BaseModel) -> str:
    canonical = json.dumps(fact.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class _Row:
    pos: int
    kind: FactKind
    index: int
    fact: Fact
    check: FactCheck | None
    fid: str
    hash: str


@dataclass(frozen=True)
class _Sheet:
    stem: str
    path: Path
    digest: Digest
    rows: list[_Row]
    by_id: dict[str, list[_Row]]


def _sheet(stem: str, path: Path, digest: Digest) -> _Sheet:
    checks = {(c.kind, c.index): c for c in digest.verification.facts}
    rows: list[_Row] = []
    for kind in FACT_KINDS:
        for index, fact in enumerate(getattr(digest.facts, kind)):
            check = checks.get((kind, index))
            fid = check.fact_id if check else fact_id(kind, fact)
            rows.append(_Row(len(rows), kind, index, fact, check, fid, fact_hash(fact)))
    by_id: dict[str, list[_Row]] = {}
    for row in rows:
        by_id.setdefault(row.fid, []).append(row)
    return _Sheet(stem, path, digest, rows, by_id)


def _snapshot(row: _Row) -> FactSnapshot:
    vi, en = describe(row.fact)
    return FactSnapshot(kind=row.kind, text_vi=vi, text_en=en, evidence=row.fact.evidence)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --------------------------------------------------------------------------------------------
# Corrections


def _parse_number(value: object, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ReviewError(f"{field}: not a number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ReviewError(
                f"{field}: {value!r} is not a plain number (write 14245000000 or 1.5e9)"
            ) from None
    else:
        raise ReviewError(f"{field}: not a number")
    if not math.isfinite(number):
        raise ReviewError(f"{field}: not a finite number")
    return number


def _normalise_correction(row: _Row, raw: object) -> dict[str, str | float | None]:
    """The fields of `raw` that differ from the fact, validated; ReviewError if invalid."""
    if not isinstance(raw, dict):
        raise ReviewError("correction must be an object of field: value")
    allowed = CORRECTABLE[row.kind]
    out: dict[str, str | float | None] = {}
    for key, value in raw.items():
        if key not in allowed:
            raise ReviewError(f"{key!r} cannot be corrected on {row.kind}")
        new: str | float | None
        if key == "value":
            new = _parse_number(value, key)
        elif value is None:
            new = None
        elif isinstance(value, str):
            if len(value) > _MAX_FIELD:
                raise ReviewError(f"{key}: longer than {_MAX_FIELD} characters")
            new = value.strip() or None
        else:
            raise ReviewError(f"{key}: must be text")
        if new != getattr(row.fact, key):
            out[key] = new
    _apply(row.fact, out)  # validates
    return out


def _apply(fact: Fact, correction: dict[str, str | float | None]) -> Fact:
    if not correction:
        return fact
    data = fact.model_dump()
    data.update(correction)
    try:
        return type(fact).model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: "
            + ("must not be empty" if e["type"] == "string_type" else e["msg"])
            for e in exc.errors()
        )
        raise ReviewError(f"invalid correction: {problems}") from None
