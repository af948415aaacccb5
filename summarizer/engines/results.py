"""Request files out, result files in: the JSONL of batch engines, and the raw result store.

Request lines are what the OpenAI Batch API, Azure OpenAI and vLLM's `run_batch` read:
`{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}`, the body exactly
what the synchronous path sends. Result lines are what they write: `{"custom_id", "response":
{"status_code", "body"}, "error"}` (output and error files share the shape).

The result store (OUT/.engine/results.sqlite) keeps every answer as it came, valid or not, keyed
by custom_id: the answer cache keeps only answers that validated, but a re-ask is built from
the invalid answer, so the pipeline must be able to see it. It also keeps which request went
into which part and every failed line (per part: a line imported twice counts once), so that a
failed or expired request is retried a bounded number of times.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answers import is_chat_completion, printable

CHAT_URL = "/v1/chat/completions"
MAX_REQUESTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200_000_000  # "200 MB"; decimal, the smaller reading
# Statuses a batch line may fail with that sending it again can cure (the synchronous path's
# transport retries the same ones); a line with no status (expired, cancelled) is retried too.
RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


def request_line(custom_id: str, body: Mapping[str, Any]) -> bytes:
    line = {"custom_id": custom_id, "method": "POST", "url": CHAT_URL, "body": body}
    try:
        return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped, so the line stays valid UTF-8
        return (json.dumps(line, ensure_ascii=True) + "\n").encode("ascii")


def split_lines(
    lines: Iterable[tuple[str, bytes]], max_requests: int, max_bytes: int
) -> list[list[tuple[str, bytes]]]:
    """Lines grouped into files of at most `max_requests` lines and `max_bytes` bytes."""
    files: list[list[tuple[str, bytes]]] = []
    size = 0
    for custom_id, line in lines:
        if len(line) > max_bytes:
            raise ValueError(
                f"request {custom_id} alone is {len(line):,} bytes, over {max_bytes:,}"
            )
        if not files or len(files[-1]) >= max_requests or size + len(line) > max_bytes:
            files.append([])
            size = 0
        files[-1].append((custom_id, line))
        size += len(line)
    return files


@dataclass(frozen=True)
class ResultLine:
    custom_id: str
    status: int | None
    body: dict[str, Any] | None
    """The chat completion, for a line with status 200 and a completion body."""
    message: str


def parse_result_line(text: str) -> ResultLine:
    """One line of an output or error file; ValueError saying what is wrong with it."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("custom_id"), str):
        raise ValueError("not a batch result (no custom_id)")
    response, error = data.get("response"), data.get("error")
    status = response.get("status_code") if isinstance(response, dict) else None
    status = status if isinstance(status, int) and not isinstance(status, bool) else None
    body = response.get("body") if isinstance(response, dict) else None
    if status == 200 and is_chat_completion(body):
        return ResultLine(data["custom_id"], 200, body, "")
    return ResultLine(data["custom_id"], status or None, None, _error_text(error, body, status))


def _error_text(error: object, body: object, status: int | None) -> str:
    for holder in (error, body.get("error") if isinstance(body, dict) else None):
        if isinstance(holder, dict):
            code, message = holder.get("code"), holder.get("message")
            text = ": ".join(str(x) for x in (code, message) if x)
            if text:
                return printable(text, 300)
    if status == 200:
        return "the response body is not a chat completion"
    return f"HTTP {status}" if status else "no response"


@dataclass
class Failures:
    count: int
    status: int | None
    message: str

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status in RETRYABLE_STATUS


@dataclass
class ImportSummary:
    answers: int = 0
    failures: int = 0
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)


class ResultStore:
    """Raw batch results by custom_id, in one SQLite file (safe across killed processes)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS answers (custom_id TEXT PRIMARY KEY, part TEXT NOT NULL,"
            " body TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS failures (custom_id TEXT NOT NULL, part TEXT NOT NULL,"
            " status INTEGER, message TEXT NOT NULL, PRIMARY KEY (custom_id, part));"
            "CREATE TABLE IF NOT EXISTS requests (custom_id TEXT NOT NULL, part TEXT NOT NULL,"
            " PRIMARY KEY (custom_id, part));"
        )

    def add_requests(self, part: str, custom_ids: Iterable[str]) -> None:
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR IGNORE INTO requests VALUES (?, ?)", ((c, part) for c in custom_ids)
            )

    def requests_of(self, part: str) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT custom_id FROM requests WHERE part = ? ORDER BY custom_id", (part,)
            )
            return [r[0] for r in rows]

    def part_of(self, custom_id: str, candidates: Iterable[str]) -> str | None:
        """Which of `candidates` (parts, in the order to prefer) holds `custom_id`."""
        with self._lock:
            rows = self._db.execute(
                "SELECT part FROM requests WHERE custom_id = ?", (custom_id,)
            ).fetchall()
        held = {r[0] for r in rows}
        return next((p for p in candidates if p in held), None)

    def store(self, part: str, line: ResultLine) -> None:
        with self._lock, self._db:
            self._db.execute("BEGIN")
            if line.body is not None:
                self._db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                    (line.custom_id, part, json.dumps(line.body, ensure_ascii=False)),
                )
            else:
                self._db.execute(
                    "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
                    (line.custom_id, part, line.status, line.message),
                )

    def answer(self, custom_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM answers WHERE custom_id = ?", (custom_id,)
            ).fetchone()
        if row is None:
            return None
        body: dict[str, Any] = json.loads(row[0])
        return body

    def failures(self, custom_id: str) -> Failures | None:
        with self._lock:
            rows = self._db.execute(
                "SELECT status, message FROM failures WHERE custom_id = ? ORDER BY rowid",
                (custom_id,),
            ).fetchall()
        if not rows:
            return None
        status, message = rows[-1]
        return Failures(len(rows), status, message)

    def unanswered(self, part: str) -> list[str]:
        """Requests of `part` with no answer and no failed line from this part."""
        with self._lock:
            rows = self._db.execute(
                "SELECT r.custom_id FROM requests r WHERE r.part = ?"
                " AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.custom_id = r.custom_id)"
                " AND NOT EXISTS (SELECT 1 FROM failures f"
                "  WHERE f.custom_id = r.custom_id AND f.part = r.part)",
                (part,),
            )
            return [r[0] for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def import_lines(
    store: ResultStore,
    part_for: Callable[[str], str | None],
    lines: Iterable[bytes],
    source: str,
) -> ImportSummary:
    """Store every result line; `part_for(custom_id)` names the part a line answers (None: not
    a request waiting for a result). Lines for requests already answered (a results file given
    twice) are skipped; bad lines are reported by `source` and line number, and skipped."""
    summary = ImportSummary()
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            line = parse_result_line(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            summary.problems.append(f"{source} line {number}: {exc}")
            continue
        part = part_for(line.custom_id)
        if part is None and store.answer(line.custom_id) is not None:
            summary.duplicates += 1
            continue
        if part is None:
            summary.problems.append(
                f"{source} line {number}: custom_id {printable(line.custom_id, 80)!r} is not a"
                " request waiting for a result in this output folder; skipped"
            )
            continue
        store.store(part, line)
        if line.body is not None:
            summary.answers += 1
        else:
            summary.failures += 1
    return summary
