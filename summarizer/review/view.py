"""What the review page shows, as plain JSON-able data: pure functions of a digest's rows and
its decisions (no HTTP, no disk), so they are testable on their own.

Imports the decisions models, article, render and verify."""

from __future__ import annotations

import contextlib
import itertools
from bisect import bisect_left
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..align import caption_page_span
from ..article import Article, Span
from ..digest import Digest
from ..render import describe
from ..schemas import FACT_KINDS, Fact, FactKind, FactSheet
from ..verify import summary_fields, verify
from .decisions import CORRECTABLE, Decision, ReviewError, ReviewFile, _apply, _Row, _Sheet

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


_ROLES = {"headline": "headline", "summary": "summary", "key_points": "point"}
"""What the page calls each summary field ("key_points_vi[0]" is a "point")."""


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
                target = caption_page_span(article, c.matched_index, c.matched_span)
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
        {
            "field": f,
            "lang": lang,
            "role": _ROLES[f.rpartition("_")[0]],
            "parts": _segments(text, by_field.get(f, [])),
        }
        for f, text, lang in summary_fields(digest.summary)
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


def list_entry(
    sheet: _Sheet, review: ReviewFile | None, error: str | None, entry: dict[str, Any]
) -> dict[str, Any]:
    """An article's line in the list: title, verification rate, review progress. `entry` is
    its line in index.json ({} if none), `error` why its decisions cannot be read."""
    d = sheet.digest
    v = d.verification
    return {
        "stem": sheet.stem,
        "status": "done",
        "last_run": entry.get("status"),
        "file": entry.get("file") or Path(d.article.source_path or sheet.stem).name,
        "title": d.article.title,
        "published": d.article.published.isoformat() if d.article.published else None,
        "facts": len(v.facts),
        "verified": sum(1 for c in v.facts if c.status == "verified"),
        "summary_unsupported": v.summary_unsupported,
        "progress": _progress(sheet, review),
        "error": error,
    }


def article_view(sheet: _Sheet, review: ReviewFile | None, error: str | None) -> dict[str, Any]:
    """Everything the page shows for one article (`error`: why its decisions cannot be read)."""
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
    v = d.verification
    return {
        "stem": sheet.stem,
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
