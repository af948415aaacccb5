"""The corpus index: one SQLite file (OUT/corpus.sqlite) holding every fact of every digest of
an output folder, with an FTS5 full-text index over both languages and the evidence.

It is derived data, brought up to date incrementally: a digest whose file is unchanged (same
size and modification time, else same SHA-256) is not read again; a new or changed one is
(re)indexed; one no longer in the folder leaves the index. Each article goes in or out inside a
transaction, so an interrupted update leaves the index as it was before that article. A file
that is not a digest is reported (file and reason), and the others go on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract import ArticleRecord, article_record
from .names import fold_key
from .sources import DigestFile, discover_digests, parse_digest

INDEX_NAME = "corpus.sqlite"
SCHEMA_VERSION = "1"
_COMMIT_EVERY = 500

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles(
    id INTEGER PRIMARY KEY, stem TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL, size INTEGER,
    mtime_ns INTEGER, title TEXT, published TEXT, source TEXT);
CREATE TABLE facts(
    id INTEGER PRIMARY KEY, article INTEGER NOT NULL, kind TEXT NOT NULL, idx INTEGER NOT NULL,
    fact_id TEXT NOT NULL);
CREATE INDEX facts_article ON facts(article);
CREATE VIRTUAL TABLE facts_fts USING fts5(
    search, text_vi UNINDEXED, text_en UNINDEXED, evidence UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE people(
    fact INTEGER PRIMARY KEY, article INTEGER NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL,
    marks INTEGER NOT NULL, role_vi TEXT, role_en TEXT, organization TEXT, orgs TEXT NOT NULL,
    places TEXT NOT NULL, date TEXT, date_source TEXT NOT NULL);
CREATE INDEX people_key ON people(key);
CREATE INDEX people_article ON people(article);
CREATE TABLE organizations(
    fact INTEGER PRIMARY KEY, article INTEGER NOT NULL, name TEXT NOT NULL, name_en TEXT,
    key TEXT NOT NULL, country TEXT);
CREATE INDEX organizations_article ON organizations(article);
CREATE TABLE places(
    fact INTEGER PRIMARY KEY, article INTEGER NOT NULL, name TEXT NOT NULL, name_en TEXT,
    key TEXT NOT NULL, country TEXT);
CREATE INDEX places_article ON places(article);
CREATE TABLE events(
    fact INTEGER PRIMARY KEY, article INTEGER NOT NULL, what_vi TEXT NOT NULL,
    what_en TEXT NOT NULL, place TEXT, date TEXT, date_source TEXT, people TEXT NOT NULL,
    orgs TEXT NOT NULL, places TEXT NOT NULL);
CREATE INDEX events_article ON events(article);
CREATE TABLE statements(
    fact INTEGER PRIMARY KEY, article INTEGER NOT NULL, speaker TEXT NOT NULL,
    speaker_key TEXT NOT NULL, kind TEXT NOT NULL, content_vi TEXT NOT NULL,
    content_en TEXT NOT NULL, addressee TEXT);
CREATE INDEX statements_article ON statements(article);
"""
_TABLES = ("people", "organizations", "places", "events", "statements")


class CorpusError(Exception):
    """The index file cannot be used (not an index of ours, or unreadable); names the file."""


@dataclass(frozen=True)
class Problem:
    file: str
    message: str


@dataclass
class UpdateReport:
    index: Path
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return self.added + self.changed + self.unchanged


def connect(path: Path) -> sqlite3.Connection:
    """The index at `path`, created when missing; CorpusError when the file is something else."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if not names:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript("BEGIN;" + _SCHEMA + "COMMIT;")
            conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            return conn
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CorpusError(f"{path}: not a corpus index ({exc}); remove it to rebuild") from None
    if row is None or row[0] != SCHEMA_VERSION:
        conn.close()
        raise CorpusError(
            f"{path}: an index of another version ({row[0] if row else 'unknown'}, expected "
            f"{SCHEMA_VERSION}); remove it to rebuild"
        )
    return conn


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _dump(mapping: dict[str, str]) -> str:
    return json.dumps(mapping, ensure_ascii=False, separators=(",", ":"))


def _insert(conn: sqlite3.Connection, record: ArticleRecord, sha: str, stat: Any) -> None:
    cur = conn.execute(
        "INSERT INTO articles(stem, sha256, size, mtime_ns, title, published, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (record.stem, sha, stat.st_size, stat.st_mtime_ns, record.title,
         _date(record.published), record.source),
    )  # fmt: skip
    article = cur.lastrowid
    ids: list[int] = []
    for f in record.facts:
        cur = conn.execute(
            "INSERT INTO facts(article, kind, idx, fact_id) VALUES (?, ?, ?, ?)",
            (article, f.kind, f.index, f.fact_id),
        )
        assert cur.lastrowid is not None
        ids.append(cur.lastrowid)
    conn.executemany(
        "INSERT INTO facts_fts(rowid, search, text_vi, text_en, evidence) VALUES (?, ?, ?, ?, ?)",
        [(ids[i], fold_key(f"{f.text_vi} {f.text_en} {f.evidence}"), f.text_vi, f.text_en,
          f.evidence) for i, f in enumerate(record.facts)],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(ids[p.fact], article, p.name, p.key, int(p.marks), p.role_vi, p.role_en,
          p.organization, _dump(p.orgs), _dump(p.places), _date(p.date), p.date_source)
         for p in record.people],
    )  # fmt: skip
    for table, rows in (("organizations", record.organizations), ("places", record.places)):
        conn.executemany(
            f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?)",
            [(ids[n.fact], article, n.name, n.name_en, n.key, n.country) for n in rows],
        )
    conn.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(ids[e.fact], article, e.what_vi, e.what_en, e.where, _date(e.date), e.date_source,
          _dump(e.people), _dump(e.orgs), _dump(e.places)) for e in record.events],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(ids[s.fact], article, s.speaker, s.speaker_key, s.kind, s.content_vi, s.content_en,
          s.addressee) for s in record.statements],
    )  # fmt: skip


def _remove(conn: sqlite3.Connection, article: int) -> None:
    conn.execute(
        "DELETE FROM facts_fts WHERE rowid IN (SELECT id FROM facts WHERE article = ?)",
        (article,),
    )
    for table in (*_TABLES, "facts"):
        conn.execute(f"DELETE FROM {table} WHERE article = ?", (article,))
    conn.execute("DELETE FROM articles WHERE id = ?", (article,))


@contextlib.contextmanager
def _batches(conn: sqlite3.Connection) -> Iterator[Callable[[], None]]:
    """A transaction committed every `_COMMIT_EVERY` articles (call the yielded function after
    each one) and at the end; rolled back to the last commit on an error."""
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if count % _COMMIT_EVERY == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN IMMEDIATE")

    conn.execute("BEGIN IMMEDIATE")
    try:
        yield tick
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


_Known = dict[str, tuple[int, str, int, int]]


def _index_one(
    conn: sqlite3.Connection, f: DigestFile, known: _Known, report: UpdateReport
) -> None:
    old = known.get(f.stem)
    try:
        stat = f.path.stat()
        if old and (old[2], old[3]) == (stat.st_size, stat.st_mtime_ns):
            report.unchanged += 1
            return
        raw = f.path.read_bytes()
    except OSError as exc:
        report.problems.append(Problem(f.path.name, f"cannot read: {exc.strerror or exc}"))
        return
    sha = hashlib.sha256(raw).hexdigest()
    if old and old[1] == sha:
        conn.execute(
            "UPDATE articles SET size = ?, mtime_ns = ? WHERE id = ?",
            (stat.st_size, stat.st_mtime_ns, old[0]),
        )
        report.unchanged += 1
        return
    try:
        record = article_record(f.stem, parse_digest(raw))
    except ValueError as exc:
        report.problems.append(Problem(f.path.name, str(exc)))
        if old:  # what it held is gone; the index must not keep showing it
            _remove(conn, old[0])
            report.removed += 1
        return
    if old:
        _remove(conn, old[0])
    _insert(conn, record, sha, stat)
    if old:
        report.changed += 1
    else:
        report.added += 1


def update_index(out: Path, *, index: Path | None = None) -> UpdateReport:
    """Bring the index of the output folder `out` up to date (see the module doc)."""
    out = Path(out)
    if not out.is_dir():
        raise FileNotFoundError(f"{out}: not a folder")
    path = index or out / INDEX_NAME
    report = UpdateReport(index=path)
    files = discover_digests(out)
    conn = connect(path)
    try:
        known: _Known = {
            r[0]: (r[1], r[2], r[3], r[4])
            for r in conn.execute("SELECT stem, id, sha256, size, mtime_ns FROM articles")
        }
        with _batches(conn) as tick:
            for f in files:
                _index_one(conn, f, known, report)
                tick()
            for stem in known.keys() - {f.stem for f in files}:
                _remove(conn, known[stem][0])
                report.removed += 1
                tick()
    finally:
        conn.close()
    return report


def fts_query(text: str) -> str | None:
    """An FTS5 query matching every word of `text` (folded like the index), each as a literal
    string so that no character of it is FTS5 syntax; None when it has no word."""
    words = fold_key(text).split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words) or None


def search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Facts matching every word of `text` (case, diacritics and NFC/NFD aside), best first."""
    query = fts_query(text)
    if query is None:
        return []
    rows = conn.execute(
        "SELECT a.stem, a.title, a.published, f.kind, f.fact_id, s.text_vi, s.text_en,"
        " s.evidence FROM facts_fts s JOIN facts f ON f.id = s.rowid"
        " JOIN articles a ON a.id = f.article WHERE facts_fts MATCH ? ORDER BY s.rank LIMIT ?",
        (query, limit),
    )
    keys = ("article", "title", "published", "kind", "fact_id", "text_vi", "text_en", "evidence")
    return [dict(zip(keys, r, strict=True)) for r in rows]
