"""Human review of a batch's fact sheets: a local review page, decisions on disk, export.

    summarizer review OUT_DIR [--port P] [--open]     serve the review page on 127.0.0.1
    summarizer review OUT_DIR --static report.html    one self-contained, read-only HTML file
    summarizer export OUT_DIR                         OUT_DIR/reviewed.json and reviewed.csv

Decisions live beside the digests, one file per article: `OUT_DIR/<stem>.review.json` beside
`OUT_DIR/<stem>.json`, where the stem is the input file's full name (`x.txt.review.json` for
`x.txt`; folders from before that scheme, `x.review.json` beside `x.json`, are read the same
way), written atomically on every change. They are keyed by the stable `fact_id`, so re-running
the batch keeps them: a fact that comes back with the same id keeps its decision; if its content
changed (a field outside its identity, e.g. a person's role) the decision is kept but marked
*stale* until the reviewer decides again; a decision whose fact_id is no longer in the sheet is
kept in the file and shown as *orphaned* (never silently dropped; the reviewer may discard it).

The server is the standard library's ThreadingHTTPServer bound to 127.0.0.1. Article text is
untrusted (scraped from the web): the page builds its DOM with textContent only, JSON in the page
and in API answers escapes `<`, `>`, `&`, U+2028 and U+2029, and a Content-Security-Policy allows
only the page's own script and style. Every request must carry `Host: 127.0.0.1:PORT` or
`localhost:PORT` (which also stops DNS rebinding); every write must come from that origin and
carry the per-session token embedded in the page; article ids are looked up among the digests
listed in OUT_DIR, never joined into a path.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import hmac
import io
import itertools
import json
import math
import os
import secrets
import sys
import threading
import webbrowser
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, Field, ValidationError

from .article import Article, Span
from .digest import Digest, load_digest
from .render import KIND_TITLES, csv_cell, describe
from .review_page import build_page, script_json
from .schemas import FACT_KINDS, Fact, FactKind, FactSheet, StatementKind
from .store import write_atomic
from .verify import FactCheck, fact_id, verify

__all__ = [
    "CORRECTABLE",
    "Decision",
    "ReviewError",
    "ReviewFile",
    "ReviewServer",
    "ReviewStore",
    "export_reviewed",
    "serve_review",
    "static_review_html",
    "write_static_review",
]

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


# --------------------------------------------------------------------------------------------
# Views: what the page shows, as plain JSON-able data


def _segments(text: str, marks: Sequence[tuple[int, int, str, Any]]) -> list[dict[str, Any]]:
    """Cut `text` at every mark boundary; each piece lists the marks ({key: [values]}) over it.

    Cutting here, in Python, keeps offsets in code points (the page's JavaScript counts UTF-16
    units, which differ for characters outside the BMP)."""
    n = len(text)
    cuts = {0, n}
    kept: list[tuple[int, int, str, Any]] = []
    for start, end, key, value in marks:
        s, e = max(0, min(start, n)), max(0, min(end, n))
        if e > s:
            cuts.update((s, e))
            kept.append((s, e, key, value))
    bounds = sorted(cuts)
    segs: list[dict[str, Any]] = [{"t": text[a:b]} for a, b in itertools.pairwise(bounds)]
    for s, e, key, value in kept:
        for k in range(bisect_left(bounds, s), bisect_left(bounds, e)):
            segs[k].setdefault(key, []).append(value)
    return segs


def _summary_fields(digest: Digest) -> list[tuple[str, str, str, str]]:
    """(field, text, language, role) of the summary, in reading order per language."""
    s = digest.summary
    if s is None:
        return []
    out: list[tuple[str, str, str, str]] = []
    for lang in ("vi", "en"):
        out.append((f"headline_{lang}", getattr(s, f"headline_{lang}"), lang, "headline"))
        out.append((f"summary_{lang}", getattr(s, f"summary_{lang}"), lang, "summary"))
        points: list[str] = getattr(s, f"key_points_{lang}")
        out += [(f"key_points_{lang}[{i}]", p, lang, "point") for i, p in enumerate(points)]
    return out


def _caption_page_start(article: Article, index: int) -> int | None:
    if 0 <= index < len(article.captions):
        at = article.page.find(article.captions[index])
        return at if at >= 0 else None
    return None


def _summary_view(digest: Digest, page_marks: list[tuple[int, int, str, Any]]) -> Any:
    if digest.summary is None:
        return None
    article = digest.article
    checks: list[dict[str, Any]] = []
    by_field: dict[str, list[tuple[int, int, str, Any]]] = {}
    for i, c in enumerate(digest.verification.summary):
        target: Span | None = None
        if c.supported and c.matched_span is not None and c.matched_span.end > c.matched_span.start:
            if c.matched_where == "body":
                target = article.body_map.span_to_page(c.matched_span)
            elif c.matched_where == "caption" and c.matched_index is not None:
                at = _caption_page_start(article, c.matched_index)
                if at is not None:
                    target = Span(start=at + c.matched_span.start, end=at + c.matched_span.end)
        if target is not None:
            page_marks.append((target.start, target.end, "n", i))
        checks.append(
            {
                "field": c.field,
                "lang": c.language,
                "kind": c.kind,
                "text": c.text,
                "supported": c.supported,
                "where": c.matched_where,
                "matched": c.matched_text,
                "problem": c.problem,
                "target": target is not None,
            }
        )
        by_field.setdefault(c.field, []).append((c.span.start, c.span.end, "k", i))
    fields = [
        {"field": f, "lang": lang, "role": role, "parts": _segments(text, by_field.get(f, []))}
        for f, text, lang, role in _summary_fields(digest)
    ]
    return {"fields": fields, "checks": checks}


def _fact_view(row: _Row) -> dict[str, Any]:
    vi, en = describe(row.fact)
    c = row.check
    a = c.alignment if c else None
    return {
        "n": row.pos,
        "id": row.fid,
        "kind": row.kind,
        "index": row.index,
        "status": c.status if c else "evidence_not_found",
        "where": c.where if c else None,
        "reason": a.reason if a else None,
        "vi": vi,
        "en": en,
        "evidence": row.fact.evidence,
        "matched": a.text if a and a.kind == "tolerant" else None,
        "problems": list(c.problems) if c else ["not verified"],
        "notes": list(c.notes) if c else [],
        "fields": {f: getattr(row.fact, f) for f in CORRECTABLE[row.kind]},
        "onpage": bool(a and a.page_span and a.page_span.end > a.page_span.start),
    }


def _progress(sheet: _Sheet, review: ReviewFile | None) -> dict[str, int]:
    counts = dict.fromkeys(
        ("accepted", "rejected", "corrected", "pending", "stale", "orphaned", "noted"), 0
    )
    decisions = review.decisions if review else {}
    for row in sheet.rows:
        d = decisions.get(row.fid)
        if d is None or d.decision is None:
            counts["pending"] += 1
        elif d.fact_hash != row.hash:
            counts["stale"] += 1
        else:
            counts[d.decision] += 1
        if d is not None and d.note:
            counts["noted"] += 1
    counts["orphaned"] = sum(1 for fid in decisions if fid not in sheet.by_id)
    counts["total"] = len(sheet.rows)
    counts["reviewed"] = counts["accepted"] + counts["rejected"] + counts["corrected"]
    return counts


def _decision_json(d: Decision, stale: bool) -> dict[str, Any]:
    return {**d.model_dump(mode="json"), "stale": stale}


def _review_state(sheet: _Sheet, review: ReviewFile | None, error: str | None) -> dict[str, Any]:
    """The decision part of an article view (sent again after every write)."""
    decisions: dict[str, Any] = {}
    orphans: list[dict[str, Any]] = []
    corrected_rows: list[tuple[_Row, Fact]] = []
    for fid, d in (review.decisions if review else {}).items():
        rows = sheet.by_id.get(fid)
        if not rows:
            orphans.append({"id": fid, **_decision_json(d, False)})
            continue
        stale = d.fact_hash != rows[0].hash
        decisions[fid] = _decision_json(d, stale)
        if d.decision == "corrected" and not stale:
            with contextlib.suppress(ReviewError):
                corrected_rows += [(r, _apply(r.fact, d.correction)) for r in rows]
    return {
        "decisions": decisions,
        "orphans": orphans,
        "corrected": _recheck(sheet.digest.article, corrected_rows),
        "progress": _progress(sheet, review),
        "error": error,
    }


def _recheck(article: Article, items: list[tuple[_Row, Fact]]) -> dict[str, Any]:
    """Verify corrected facts against the article (one verify call for all of them)."""
    if not items:
        return {}
    lists: dict[str, list[Fact]] = {k: [] for k in FACT_KINDS}
    placed: list[tuple[_Row, Fact, FactKind, int]] = []
    for row, fact in items:
        placed.append((row, fact, row.kind, len(lists[row.kind])))
        lists[row.kind].append(fact)
    sheet = FactSheet.model_validate({k: [f.model_dump() for f in v] for k, v in lists.items()})
    result = verify(sheet, article, None)
    checks = {(c.kind, c.index): c for c in result.facts}
    out: dict[str, Any] = {}
    for row, fact, kind, index in placed:
        vi, en = describe(fact)
        check = checks[(kind, index)]
        out[row.fid] = {"vi": vi, "en": en, "status": check.status, "problems": check.problems}
    return out


# --------------------------------------------------------------------------------------------
# The store: digests and decisions of one output folder


class ReviewStore:
    """Reads the digests of an output folder and reads/writes their decisions.

    Safe to share between threads: every read-modify-write of a decisions file holds one lock.
    Article ids ("stems") are only ever looked up among the digest files listed in the folder.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir).resolve()
        if not self.out_dir.is_dir():
            raise FileNotFoundError(f"{out_dir}: not a folder")
        self._lock = threading.RLock()
        self._cache: dict[str, tuple[tuple[int, int], _Sheet]] = {}

    # -- listing --------------------------------------------------------------------------

    def stems(self) -> dict[str, Path]:
        """stem -> digest path, for every digest file in the folder, in index.json order."""
        found: dict[str, Path] = {}
        with os.scandir(self.out_dir) as entries:
            for entry in entries:
                name = entry.name
                if (
                    not name.endswith(".json")
                    or name.startswith(".")
                    or name.endswith(REVIEW_SUFFIX)
                    or name in _NOT_DIGESTS
                    or not entry.is_file()
                ):
                    continue
                found[name[: -len(".json")]] = self.out_dir / name
        order = {stem: i for i, stem in enumerate(e.get("stem") for e in self._index())}
        return dict(sorted(found.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))

    def _index(self) -> list[dict[str, Any]]:
        try:
            data = json.loads((self.out_dir / INDEX_JSON).read_text("utf-8"))
            articles = data.get("articles", []) if isinstance(data, dict) else []
            return [a for a in articles if isinstance(a, dict)]
        except (OSError, ValueError):
            return []

    def _path_of(self, stem: str) -> Path:
        path = self.stems().get(stem) if isinstance(stem, str) else None
        if path is None:
            raise ReviewError("no such article", 404)
        return path

    def review_path(self, stem: str) -> Path:
        """Where `stem`'s decisions are kept; ReviewError(404) for a stem not in the folder."""
        digest_path = self._path_of(stem)
        path = digest_path.with_name(digest_path.name[: -len(".json")] + REVIEW_SUFFIX)
        if path.parent != self.out_dir:  # cannot happen for a listed name; kept as a guard
            raise ReviewError("no such article", 404)
        return path

    # -- reading --------------------------------------------------------------------------

    def sheet(self, stem: str) -> _Sheet:
        path = self._path_of(stem)
        try:
            st = path.stat()
        except OSError:
            raise ReviewError("no such article", 404) from None
        key = (st.st_mtime_ns, st.st_size)
        with self._lock:
            cached = self._cache.get(stem)
            if cached and cached[0] == key and cached[1].path == path:
                return cached[1]
        try:
            digest = load_digest(path)
        except (OSError, ValueError) as exc:
            raise ReviewError(f"{path.name} is not a readable digest: {exc}", 500) from None
        sheet = _sheet(stem, path, digest)
        with self._lock:
            self._cache[stem] = (key, sheet)
        return sheet

    def read_review(self, stem: str) -> ReviewFile:
        """The decisions of `stem` (empty if none yet); ReviewError(409) if the file is broken,
        so that a hand-edited file with a mistake is never overwritten."""
        path = self.review_path(stem)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return ReviewFile(stem=stem)
        try:
            return ReviewFile.model_validate_json(raw)
        except ValueError as exc:
            first = str(exc).splitlines()[0]
            raise ReviewError(
                f"{path.name} cannot be read ({first}); fix or move it", 409
            ) from None

    # -- writing --------------------------------------------------------------------------

    def decide(
        self,
        stem: str,
        fact_id: str,
        decision: DecisionKind | None,
        *,
        note: str | None = None,
        correction: object = None,
    ) -> dict[str, Any]:
        """Record a decision on one fact and return the article's review state.

        `decision` None keeps only the note (no note either: the entry is removed). `note` None
        keeps the note already there. `correction` (field: value) is required for "corrected"
        and must change at least one field; it is ignored otherwise.
        """
        if decision is not None and decision not in DECISIONS:
            raise ReviewError(f"unknown decision {decision!r}")
        if note is not None and (not isinstance(note, str) or len(note) > _MAX_NOTE):
            raise ReviewError(f"note must be text of at most {_MAX_NOTE} characters")
        with self._lock:
            sheet = self.sheet(stem)
            review = self.read_review(stem)
            rows = sheet.by_id.get(fact_id) if isinstance(fact_id, str) else None
            if not rows:
                if fact_id in review.decisions:
                    raise ReviewError("this decision is orphaned: its fact is gone; discard it")
                raise ReviewError("no such fact in this article", 404)
            row = rows[0]
            old = review.decisions.get(fact_id)
            new_note = (old.note if old else "") if note is None else note.strip()
            fixed: dict[str, str | float | None] = {}
            if decision == "corrected":
                fixed = _normalise_correction(row, correction)
                if not fixed:
                    raise ReviewError("the correction changes nothing: accept the fact instead")
            if decision is None and not new_note:
                review.decisions.pop(fact_id, None)
            else:
                review.decisions[fact_id] = Decision(
                    decision=decision,
                    correction=fixed,
                    note=new_note,
                    fact_hash=row.hash,
                    fact=_snapshot(row),
                    updated=_now(),
                )
            self._save(sheet, review)
            return _review_state(sheet, review, None)

    def discard(self, stem: str, fact_id: str) -> dict[str, Any]:
        """Remove the decision on `fact_id` (attached or orphaned); returns the review state."""
        with self._lock:
            sheet = self.sheet(stem)
            review = self.read_review(stem)
            if fact_id not in review.decisions:
                if isinstance(fact_id, str) and fact_id in sheet.by_id:
                    return _review_state(sheet, review, None)
                raise ReviewError("no such decision", 404)
            del review.decisions[fact_id]
            self._save(sheet, review)
            return _review_state(sheet, review, None)

    def _save(self, sheet: _Sheet, review: ReviewFile) -> None:
        review.stem = sheet.stem
        review.article_sha256 = sheet.digest.article.sha256
        review.schema_version = REVIEW_SCHEMA_VERSION
        data = json.dumps(review.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
        write_atomic(self.review_path(sheet.stem), data)

    # -- views ----------------------------------------------------------------------------

    def article_list(self) -> list[dict[str, Any]]:
        """One entry per article: title, verification rate, review progress."""
        index = {e.get("stem"): e for e in self._index()}
        out: list[dict[str, Any]] = []
        stems = self.stems()
        for stem in stems:
            entry = index.get(stem, {})
            try:
                sheet = self.sheet(stem)
            except ReviewError as exc:
                out.append({"stem": stem, "status": "failed", "error": str(exc)})
                continue
            error: str | None = None
            try:
                review: ReviewFile | None = self.read_review(stem)
            except ReviewError as exc:
                review, error = None, str(exc)
            d = sheet.digest
            v = d.verification
            out.append(
                {
                    "stem": stem,
                    "status": "done",
                    "last_run": entry.get("status"),
                    "file": entry.get("file") or Path(d.article.source_path or stem).name,
                    "title": d.article.title,
                    "published": d.article.published.isoformat() if d.article.published else None,
                    "facts": len(v.facts),
                    "verified": sum(1 for c in v.facts if c.status == "verified"),
                    "summary_unsupported": v.summary_unsupported,
                    "progress": _progress(sheet, review),
                    "error": error,
                }
            )
        # Articles that failed and left no digest are listed, so none goes unnoticed.
        for key, entry in index.items():
            if isinstance(key, str) and key not in stems and entry.get("status") == "failed":
                out.append(
                    {
                        "stem": key,
                        "status": "failed",
                        "file": entry.get("file"),
                        "error": f"{entry.get('error_type')}: {entry.get('error')}",
                    }
                )
        return out

    def article_view(self, stem: str) -> dict[str, Any]:
        """Everything the page shows for one article."""
        sheet = self.sheet(stem)
        d = sheet.digest
        a = d.article
        marks: list[tuple[int, int, str, Any]] = []
        for r in a.removed:
            marks.append((r.span.start, r.span.end, "c", r.reason))
        for row in sheet.rows:
            al = row.check.alignment if row.check else None
            if al and al.page_span:
                marks.append((al.page_span.start, al.page_span.end, "f", row.pos))
        for i, u in enumerate(d.verification.uncovered):
            marks.append((u.page_span.start, u.page_span.end, "u", i))
        summary = _summary_view(d, marks)
        try:
            review: ReviewFile | None = self.read_review(stem)
            error = None
        except ReviewError as exc:
            review, error = None, str(exc)
        v = d.verification
        return {
            "stem": stem,
            "title": a.title,
            "published": a.published.isoformat() if a.published else None,
            "byline": a.byline,
            "source": a.source,
            "source_path": a.source_path,
            "sha256": a.sha256,
            "model": d.run.model,
            "chunks": d.run.chunks,
            "gaps": [g.model_dump(mode="json") for g in d.run.gaps],
            "verification": {
                "total": v.total,
                "verified": v.verified,
                "by_status": v.by_status,
                "summary_checked": v.summary_checked,
                "summary_unsupported": v.summary_unsupported,
                "coverage_rate": v.coverage_rate,
            },
            "uncovered": [u.quantity.text for u in v.uncovered],
            "captions": list(a.captions),
            "page": _segments(a.page, marks),
            "facts": [_fact_view(row) for row in sheet.rows],
            "summary": summary,
            **_review_state(sheet, review, error),
        }

    def boot(self) -> dict[str, Any]:
        return {
            "folder": self.out_dir.name,
            "articles": self.article_list(),
            "kinds": {k: KIND_TITLES[k] for k in FACT_KINDS},
            "correctable": CORRECTABLE,
            "statement_kinds": list(STATEMENT_KINDS),
        }


# --------------------------------------------------------------------------------------------
# The server


_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _csp(nonce: str) -> str:
    return (
        "default-src 'none'; "
        f"script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    review: ReviewServer


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "summarizer-review"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.review.verbose:
            super().log_message(format, *args)

    # -- plumbing -------------------------------------------------------------------------

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in {**_SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, script_json(data).encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _host_ok(self) -> bool:
        return self.headers.get("Host", "") in self.server.review.allowed_hosts

    def _segments(self) -> list[str] | None:
        """Path segments, percent-decoded one by one (so %2F stays inside its segment)."""
        path = urlsplit(self.path).path
        if not path.startswith("/"):
            return None
        return [unquote(s, errors="strict") for s in path.split("/")[1:]]

    # -- methods --------------------------------------------------------------------------

    def _guarded(self, handler: Any) -> None:
        """Run `handler`; an unexpected error answers 500 (logged), not a dropped connection."""
        try:
            handler()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:
            self.close_connection = True
            print(f"review server: {type(exc).__name__}: {exc}", file=sys.stderr)
            with contextlib.suppress(OSError):
                self._error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error (see the terminal)")

    def do_HEAD(self) -> None:
        self._guarded(self._get)

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _get(self) -> None:
        if not self._host_ok():
            self._error(HTTPStatus.FORBIDDEN, "unexpected Host header")
            return
        try:
            parts = self._segments()
        except UnicodeDecodeError:
            parts = None
        review = self.server.review
        try:
            if parts in ([""], ["index.html"]):
                nonce = secrets.token_urlsafe(16)
                boot = {**review.store.boot(), "mode": "server", "token": review.token}
                page = build_page(boot, nonce=nonce)
                self._send(
                    HTTPStatus.OK,
                    page.encode("utf-8"),
                    "text/html; charset=utf-8",
                    {"Content-Security-Policy": _csp(nonce)},
                )
            elif parts == ["corpus"]:  # the corpus view (summarizer.corpus.view)
                from .corpus.view import corpus_page

                nonce = secrets.token_urlsafe(16)
                csp = {"Content-Security-Policy": _csp(nonce)}
                self._send(
                    HTTPStatus.OK, corpus_page(nonce).encode(), "text/html; charset=utf-8", csp
                )
            elif parts == ["corpus.json"]:
                from .corpus.view import corpus_data

                self._json(HTTPStatus.OK, corpus_data(review.store.out_dir))
            elif parts == ["api", "articles"]:
                self._json(HTTPStatus.OK, {"articles": review.store.article_list()})
            elif parts is not None and len(parts) == 3 and parts[:2] == ["api", "article"]:
                self._json(HTTPStatus.OK, review.store.article_view(parts[2]))
            else:
                self._error(HTTPStatus.NOT_FOUND, "not found")
        except ReviewError as exc:
            self._error(exc.status, str(exc))

    def _post(self) -> None:
        review = self.server.review
        refusal = self._refuse_write()
        if refusal is not None:
            # Drain a small body so the connection stays usable; close it otherwise.
            self.close_connection = True
            self._error(*refusal)
            return
        try:
            parts = self._segments()
        except UnicodeDecodeError:
            parts = None
        if not (
            parts is not None
            and len(parts) == 4
            and parts[:2] == ["api", "article"]
            and parts[3] in ("decision", "discard")
        ):
            self.close_connection = True
            self._error(HTTPStatus.NOT_FOUND, "not found")
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.close_connection = True
            self._error(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
            return
        if length < 0 or length > _MAX_BODY:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request too large")
            return
        raw = self.rfile.read(length)
        try:
            payload = json.loads(raw.decode("utf-8"))
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "body must be a JSON object")
            return
        stem, action = parts[2], parts[3]
        fid = payload.get("fact_id")
        try:
            if not isinstance(fid, str):
                raise ReviewError("fact_id must be a string")
            if action == "discard":
                state = review.store.discard(stem, fid)
            else:
                note = payload.get("note")
                state = review.store.decide(
                    stem,
                    fid,
                    payload.get("decision"),
                    note=note,
                    correction=payload.get("correction"),
                )
        except ReviewError as exc:
            self._error(exc.status, str(exc))
            return
        self._json(HTTPStatus.OK, state)

    def _refuse_write(self) -> tuple[int, str] | None:
        """Why this write must be refused (status, message), or None to go on."""
        review = self.server.review
        if not self._host_ok():
            return HTTPStatus.FORBIDDEN, "unexpected Host header"
        origin = self.headers.get("Origin")
        if origin is not None and origin not in review.allowed_origins:
            return HTTPStatus.FORBIDDEN, "cross-origin request refused"
        site = self.headers.get("Sec-Fetch-Site")
        if site is not None and site not in ("same-origin", "none"):
            return HTTPStatus.FORBIDDEN, "cross-site request refused"
        token = self.headers.get("X-Review-Token", "")
        if not hmac.compare_digest(token.encode("utf-8", "replace"), review.token.encode()):
            return HTTPStatus.FORBIDDEN, "missing or wrong session token (reload the page)"
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"
        return None

    def do_PUT(self) -> None:
        self.close_connection = True
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed")

    do_DELETE = do_PUT
    do_PATCH = do_PUT


class ReviewServer:
    """The review page and its API for one output folder, on 127.0.0.1.

    `port=0` picks a free port. Use as a context manager (serves in a background thread) or call
    `serve_forever()`. A new server (a restart) has a new session token."""

    def __init__(self, out_dir: Path, *, port: int = 0, verbose: bool = False) -> None:
        self.store = ReviewStore(out_dir)
        self.token = secrets.token_urlsafe(32)
        self.verbose = verbose
        self._httpd = _HTTPServer(("127.0.0.1", port), _Handler, bind_and_activate=True)
        self._httpd.review = self
        self.port: int = self._httpd.server_address[1]
        self.allowed_hosts = frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})
        self.allowed_origins = frozenset(f"http://{h}" for h in self.allowed_hosts)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.05)

    def start(self) -> ReviewServer:
        self._thread = threading.Thread(
            target=self.serve_forever, name="summarizer-review", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ReviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve_review(out_dir: Path, *, port: int = 0, open_browser: bool = False) -> None:
    """Serve the review page for `out_dir` until interrupted (Ctrl+C); prints the URL."""
    server = ReviewServer(out_dir, port=port)
    n = len(server.store.stems())
    print(
        f"Reviewing {n} article(s) in {server.store.out_dir} at {server.url}  (Ctrl+C to stop)",
        flush=True,
    )
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.close()


# --------------------------------------------------------------------------------------------
# Static, read-only export


def static_review_html(out_dir: Path) -> str:
    """The whole review of `out_dir` as one self-contained, read-only HTML page."""
    store = ReviewStore(out_dir)
    views = {stem: store.article_view(stem) for stem in store.stems()}
    boot = {**store.boot(), "mode": "static", "views": views, "exported": _now()}
    return build_page(boot, nonce=None)


def write_static_review(out_dir: Path, target: Path) -> Path:
    """Write the read-only review page of `out_dir` to `target` (atomically); returns it."""
    target = Path(target)
    write_atomic(target, static_review_html(out_dir))
    return target


# --------------------------------------------------------------------------------------------
# Export of the reviewed fact sheets

EXPORT_COLUMNS = [
    "file",
    "stem",
    "fact_id",
    "kind",
    "decision",
    "status",
    "text_vi",
    "text_en",
    "value",
    "unit",
    "evidence",
    "corrections",
    "note",
    "problems",
]


def _fmt_value(value: object) -> str:
    if value is None:
        return "∅"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _reviewed_articles(store: ReviewStore) -> Iterator[dict[str, Any]]:
    index = {e.get("stem"): e for e in store._index()}
    for stem in store.stems():
        sheet = store.sheet(stem)
        review = store.read_review(stem)
        article = sheet.digest.article
        kept: list[tuple[_Row, Fact, Decision]] = []
        for row in sheet.rows:
            d = review.decisions.get(row.fid)
            if d is None or d.fact_hash != row.hash or d.decision not in ("accepted", "corrected"):
                continue
            try:
                fact = _apply(row.fact, d.correction) if d.decision == "corrected" else row.fact
            except ReviewError as exc:
                raise ReviewError(f"{stem}, fact {row.fid}: {exc}", exc.status) from None
            kept.append((row, fact, d))
        lists: dict[str, list[dict[str, Any]]] = {k: [] for k in FACT_KINDS}
        for row, fact, _ in kept:
            lists[row.kind].append(fact.model_dump(mode="json"))
        facts = FactSheet.model_validate(lists)
        checks = verify(facts, article, None).facts
        by_place = {(c.kind, c.index): c for c in checks}
        counters: dict[str, int] = {k: 0 for k in FACT_KINDS}
        entries: list[dict[str, Any]] = []
        for row, fact, d in kept:
            i = counters[row.kind]
            counters[row.kind] += 1
            check = by_place[(row.kind, i)]
            vi, en = describe(fact)
            entries.append(
                {
                    "fact_id": row.fid,
                    "kind": row.kind,
                    "index": i,
                    "decision": d.decision,
                    "note": d.note,
                    "corrections": {
                        k: {"from": getattr(row.fact, k), "to": v} for k, v in d.correction.items()
                    },
                    "status": check.status,
                    "problems": check.problems,
                    "text_vi": vi,
                    "text_en": en,
                    "value": getattr(fact, "value", None),
                    "unit": getattr(fact, "unit", None),
                    "evidence": fact.evidence,
                }
            )
        progress = _progress(sheet, review)
        yield {
            "stem": stem,
            "file": index.get(stem, {}).get("file") or Path(article.source_path or stem).name,
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "article_sha256": article.sha256,
            "counts": {
                k: progress[k]
                for k in ("total", "accepted", "corrected", "rejected", "pending", "stale")
            }
            | {"orphaned": progress["orphaned"], "exported": len(entries)},
            "facts": facts.model_dump(mode="json"),
            "review": entries,
        }


def export_reviewed(out_dir: Path) -> tuple[Path, Path]:
    """Write `reviewed.json` and `reviewed.csv` into `out_dir`: the accepted and corrected facts
    of every article (corrections applied, each re-verified against the article). Rejected,
    undecided, stale (changed since decided) and orphaned decisions are left out and counted.
    Returns the two paths. ReviewError if a decisions file cannot be read."""
    store = ReviewStore(out_dir)
    articles = list(_reviewed_articles(store))
    doc = {
        "schema_version": REVIEW_SCHEMA_VERSION,
        "exported": _now(),
        "folder": store.out_dir.name,
        "articles": articles,
    }
    json_path = store.out_dir / EXPORT_JSON
    csv_path = store.out_dir / EXPORT_CSV
    write_atomic(json_path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for art in articles:
        for e in art["review"]:
            corrections = "; ".join(
                f"{k}: {_fmt_value(c['from'])} → {_fmt_value(c['to'])}"
                for k, c in e["corrections"].items()
            )
            writer.writerow(
                {
                    "file": csv_cell(art["file"]),
                    "stem": csv_cell(art["stem"]),
                    "fact_id": e["fact_id"],
                    "kind": e["kind"],
                    "decision": e["decision"],
                    "status": e["status"],
                    "text_vi": csv_cell(e["text_vi"]),
                    "text_en": csv_cell(e["text_en"]),
                    "value": "" if e["value"] is None else e["value"],
                    "unit": csv_cell(e["unit"]),
                    "evidence": csv_cell(e["evidence"]),
                    "corrections": csv_cell(corrections),
                    "note": csv_cell(e["note"]),
                    "problems": csv_cell("; ".join(e["problems"])),
                }
            )
    # A BOM so that spreadsheet programs read the Vietnamese as UTF-8 (as facts.csv does).
    write_atomic(csv_path, "\ufeff" + buffer.getvalue())
    return json_path, csv_path
