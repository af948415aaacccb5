"""The store: the digests of one output folder and their decisions, read and written (each
decisions file atomically, under one lock).

Imports digest (to read digests), store (atomic writes), render and the review's own models and
views."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from ..digest import load_digest
from ..render import KIND_TITLES
from ..schemas import FACT_KINDS
from ..store import write_atomic
from .decisions import (
    _MAX_NOTE,
    _NOT_DIGESTS,
    CORRECTABLE,
    DECISIONS,
    INDEX_JSON,
    REVIEW_SCHEMA_VERSION,
    REVIEW_SUFFIX,
    STATEMENT_KINDS,
    Decision,
    DecisionKind,
    ReviewError,
    ReviewFile,
    _normalise_correction,
    _now,
    _Sheet,
    _sheet,
    _snapshot,
)
from .view import _review_state, article_view, list_entry

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

    def _review_or_error(self, stem: str) -> tuple[ReviewFile | None, str | None]:
        """The decisions of `stem`, or None and why they cannot be read (shown, not raised)."""
        try:
            return self.read_review(stem), None
        except ReviewError as exc:
            return None, str(exc)

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
            out.append(list_entry(sheet, *self._review_or_error(stem), entry))
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
        return article_view(self.sheet(stem), *self._review_or_error(stem))

    def boot(self) -> dict[str, Any]:
        return {
            "folder": self.out_dir.name,
            "articles": self.article_list(),
            "kinds": {k: KIND_TITLES[k] for k in FACT_KINDS},
            "correctable": CORRECTABLE,
            "statement_kinds": list(STATEMENT_KINDS),
        }
