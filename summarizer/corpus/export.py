"""The corpus for people and for spreadsheets: one JSON document, and people.csv,
organizations.csv, events.csv and statements.csv (UTF-8 with a BOM, as facts.csv; every text
cell guarded against formula injection, the text being from the web)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..render import CSV_LINE_END, csv_cell
from ..store import write_atomic
from .events import group_json, groups_of
from .people import all_people, timeline_json

CSV_NAMES = ("people.csv", "organizations.csv", "events.csv", "statements.csv")
PEOPLE_COLUMNS = [
    "person_id",
    "name",
    "name_en",
    "article",
    "published",
    "date",
    "date_source",
    "name_as_written",
    "role_vi",
    "role_en",
    "organization",
    "role_change",
    "joined",
    "possibly_same",
    "evidence",
    "fact_id",
]
ORGANIZATION_COLUMNS = [
    "organization_id",
    "name",
    "name_en",
    "country",
    "article",
    "published",
    "name_as_written",
    "evidence",
    "fact_id",
]
EVENT_COLUMNS = [
    "event_id",
    "group_date",
    "articles_in_group",
    "article",
    "published",
    "date",
    "date_source",
    "what_vi",
    "what_en",
    "where",
    "evidence",
    "fact_id",
    "reasons",
]
STATEMENT_COLUMNS = [
    "article",
    "published",
    "speaker",
    "kind",
    "content_vi",
    "content_en",
    "addressee",
    "evidence",
    "fact_id",
]


def _organizations(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT o.key, o.name, o.name_en, o.country, a.stem, a.published, f.fact_id, s.evidence"
        " FROM organizations o JOIN articles a ON a.id = o.article"
        " JOIN facts f ON f.id = o.fact JOIN facts_fts s ON s.rowid = o.fact"
        " ORDER BY o.key, a.published, a.stem"
    )
    out: dict[str, dict[str, Any]] = {}
    for key, name, name_en, country, stem, published, fact_id, evidence in rows:
        org = out.setdefault(
            key, {"name": name, "name_en": name_en, "country": country, "appearances": []}
        )
        org["name_en"] = org["name_en"] or name_en
        org["appearances"].append(
            {"article": stem, "published": published, "name_as_written": name,
             "evidence": evidence, "fact_id": fact_id}
        )  # fmt: skip
    return list(out.values())


def _statements(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    rows = conn.execute(
        "SELECT a.stem, a.published, t.speaker, t.kind, t.content_vi, t.content_en, t.addressee,"
        " s.evidence, f.fact_id FROM statements t JOIN articles a ON a.id = t.article"
        " JOIN facts f ON f.id = t.fact JOIN facts_fts s ON s.rowid = t.fact"
        " ORDER BY a.published, a.stem, f.idx"
    )
    for r in rows:
        yield dict(zip(STATEMENT_COLUMNS, r, strict=True))


def corpus_document(conn: sqlite3.Connection) -> dict[str, Any]:
    """The whole index as one JSON-able document: people with their timelines, organisations,
    and events grouped across articles."""
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return {
        "articles": articles,
        "people": [timeline_json(p) for p in all_people(conn)],
        "organizations": _organizations(conn),
        "events": [group_json(g) for g in groups_of(conn)],
    }


def _csv(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator=CSV_LINE_END)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: v if isinstance(v, int | float) else csv_cell(v) for k, v in row.items()}
        )
    # A BOM so that spreadsheet programs read the Vietnamese as UTF-8.
    write_atomic(path, "\ufeff" + buffer.getvalue())


def _people_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    for person in all_people(conn):
        p = timeline_json(person)
        links = "; ".join(f"{x['id']} ({x['reason']})" for x in p["possibly_same"])
        for a in p["appearances"]:
            change = a["role_change"]
            yield {
                "person_id": p["id"], "name": p["name"], "name_en": p["name_en"],
                **{k: a[k] for k in ("article", "published", "date", "date_source",
                                     "name_as_written", "role_vi", "role_en", "organization")},
                "role_change": f"{', '.join(change['from'])} → {', '.join(change['to'])}"
                if change else "",
                "joined": a["joined"], "possibly_same": links,
                "evidence": a["evidence"], "fact_id": a["fact_id"],
            }  # fmt: skip


def _event_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    for group in groups_of(conn):
        g = group_json(group)
        for e in g["articles"]:
            yield {
                "event_id": g["id"], "group_date": g["date"],
                "articles_in_group": len(g["articles"]),
                **{k: e[k] for k in ("article", "published", "date", "date_source", "what_vi",
                                     "what_en", "where", "evidence", "fact_id")},
                "reasons": " | ".join(g["reasons"]),
            }  # fmt: skip


def _organization_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    for i, org in enumerate(_organizations(conn), 1):
        for a in org["appearances"]:
            yield {"organization_id": i, "name": org["name"], "name_en": org["name_en"],
                   "country": org["country"], **a}  # fmt: skip


def write_csvs(conn: sqlite3.Connection, out: Path) -> list[Path]:
    """people.csv, organizations.csv, events.csv and statements.csv in `out`, each written
    whole or not at all."""
    paths = [out / name for name in CSV_NAMES]
    _csv(paths[0], PEOPLE_COLUMNS, _people_rows(conn))
    _csv(paths[1], ORGANIZATION_COLUMNS, _organization_rows(conn))
    _csv(paths[2], EVENT_COLUMNS, _event_rows(conn))
    _csv(paths[3], STATEMENT_COLUMNS, _statements(conn))
    return paths


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
