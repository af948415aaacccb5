"""The answer cache: model answers kept by request, so a rerun asks for nothing it already had.

It keeps only answers that validated (`summarizer.llm` stores nothing else), each under
`answer_cache_key`: a hash of the endpoint (the base URL without credentials) and the request
body as sent, so two servers that serve the same model name never share answers. `SqliteCache`
commits each answer as it arrives, so a killed run resumes without asking again; a row that
cannot be read back (damaged, or from an older layout) is a miss, never an error.

May import: usage (what an answer cost). Imported by llm, batch and the batch engines.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pydantic
from pydantic import BaseModel

from .usage import Usage


class CachedAnswer(BaseModel):
    """A stored answer (the body that validated) and what the whole exchange cost: every
    attempt and re-ask, so a replay reports the same usage as the run that paid for it."""

    body: dict[str, Any]
    usage: Usage


class ResponseCache(Protocol):
    """Stores answers by `answer_cache_key` (the batch keeps one in SQLite)."""

    def get(self, key: str) -> CachedAnswer | None: ...

    def put(self, key: str, answer: CachedAnswer) -> None: ...


# Query parameters that may carry a credential: never part of a key (nor of anything stored).
_SECRET_QUERY = ("key", "token", "secret", "sig", "password", "auth", "credential", "code")


def endpoint_id(base_url: str) -> str:
    """The endpoint a client talks to, without credentials: scheme, host, port and path of the
    base URL, lower-cased host, no user:password@, no query parameter that may hold a secret
    (`api-version` and the like stay), no fragment."""
    parts = urlsplit(str(base_url).strip())
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not any(word in k.lower() for word in _SECRET_QUERY)
    ]
    netloc = host + (f":{port}" if port is not None else "")
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(sorted(query)), ""))


def answer_cache_key(base_url: str, request: Mapping[str, Any]) -> str:
    """The key of an answer: sha256 (64 hex digits) of the endpoint (`endpoint_id` of
    `base_url`) and the request body exactly as sent (model, messages, sampling parameters,
    `max_completion_tokens`, `response_format`, `stream`). Two servers serving the same model
    name never share answers; the same request to the same endpoint always has the same key."""
    canonical = json.dumps(
        {"v": 2, "endpoint": endpoint_id(base_url), "request": request},
        sort_keys=True,
        ensure_ascii=True,  # lone surrogates in a request cannot break the key
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


class SqliteCache:
    """A ResponseCache in one SQLite file, safe across threads and killed processes."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL)"
        )

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
            if row is None:
                self.misses += 1
                return None
            try:
                answer = CachedAnswer.model_validate_json(row[0])
            except (pydantic.ValidationError, ValueError):
                self.misses += 1  # damaged, or written by an older version: ask again
                return None
            self.hits += 1
        return answer

    def put(self, key: str, answer: CachedAnswer) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers (key, answer) VALUES (?, ?)",
                (key, answer.model_dump_json()),
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
