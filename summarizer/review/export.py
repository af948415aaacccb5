"""Export of the reviewed fact sheets: `reviewed.json` and `reviewed.csv` in the output folder
(`summarizer export OUT`), the accepted and corrected facts re-verified.

Imports the review's store and models, render (wording, CSV cells), verify and store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..render import CSV_LINE_END, csv_cell, describe
from ..schemas import FACT_KINDS, Fact, FactSheet
from ..store import write_atomic
from ..verify import verify
from .decisions import (
    EXPORT_CSV,
    EXPORT_JSON,
    REVIEW_SCHEMA_VERSION,
    Decision,
    ReviewError,
    _apply,
    _now,
    _Row,
)
from .store import ReviewStore
from .view import _progress

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
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator=CSV_LINE_END)
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
