"""Regression tests for bugs the reliability suite found in files outside its remit (each was
pinned here before its fix landed; the texts below say what the bug was)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

import summarizer.batch
from summarizer.store import write_atomic
from summarizer.testing import Fault, ReferenceBook, ReferenceServer

from .conftest import FAST, SEEDS, run

INDEX_RACE = (
    "BUG in summarizer/batch.py run_batch: every finished article writes index.json from its"
    " own worker thread (asyncio.to_thread(_write_index, ...)) with no ordering, and nothing"
    " writes it once more at the end, so a write built from an older snapshot can land last:"
    " the final index.json shows an article that is done (its .json is written) as 'pending'."
    " Seen in resumed runs, where cached articles finish together. Fix: after the gather, call"
    " _write_index(out, folder, settings.model, files, results) once more (and serialise the"
    " per-article writes with an asyncio.Lock taken around a dict(results) snapshot)."
)

FAILED_USAGE = (
    "BUG in summarizer/pipeline.py: when an article fails, batch records ModelError.usage,"
    " which is only the last call's usage, and None when mapped() raises 'no part of the"
    " article could be processed' — the calls of the article's other requests vanish from"
    " index.json. Fix: in summarize_async, wrap the run.single()/run.mapped() calls in"
    " `except ModelError as exc: exc.usage = run.usage; raise`."
)


def _two_seeds(folder: Path) -> None:
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[::4]:  # 000 and 004: one call each
        (folder / seed.name).write_bytes(seed.read_bytes())


def test_final_index_lists_every_finished_article(
    book: ReferenceBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index.json write that still shows an article pending is held until a complete one
    has been handed to the writer (as a busy disk or an unlucky thread switch would do): the
    final index.json must still show both articles done.

    Event-driven: the second article's answer is held by the server until the first article's
    (stale) index write has begun, and the stale write goes on only once the complete index has
    been handed over, so the stale write is in flight under the complete one on any machine."""
    stale_write_started = threading.Event()
    complete_handed_over = threading.Event()
    held = []
    write_index = summarizer.batch._RunFiles.write_index

    def spy_write_index(self: summarizer.batch._RunFiles, seq: int, text: str) -> None:
        if '"pending"' not in text:
            complete_handed_over.set()
        write_index(self, seq, text)

    def slow_stale_index_write(path: Path, data: str | bytes) -> None:
        text = data.decode() if isinstance(data, bytes) else data
        if path.name == "index.json" and '"pending"' in text:
            held.append(path)
            stale_write_started.set()  # releases the second article's answer
            # A safety bound, not a timing: the complete index is handed over as soon as that
            # answer is processed; a batch that never does so fails below.
            complete_handed_over.wait(timeout=60.0)
        write_atomic(path, data)

    monkeypatch.setattr(summarizer.batch._RunFiles, "write_index", spy_write_index)
    monkeypatch.setattr(summarizer.batch, "write_atomic", slow_stale_index_write)
    folder, out = tmp_path / "in", tmp_path / "out"
    _two_seeds(folder)
    with ReferenceServer(book) as server:
        server.add_rule("Nâng tầm hoạt động đối ngoại", Fault.held(stale_write_started))
        report = run(folder, out, server, concurrency=2, **FAST)
    assert [a.status for a in report.articles] == ["done", "done"]
    assert held, "a write with a pending article was made"
    assert complete_handed_over.is_set(), "a complete index.json was handed to the writer"
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [a["status"] for a in index["articles"]] == ["done", "done"]


def test_a_failed_long_article_reports_every_call(book: ReferenceBook, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[1]  # 001: two chunks
    (folder / seed.name).write_bytes(seed.read_bytes())
    with ReferenceServer(book) as server:
        server.add_rule("<article part=", Fault.of("refusal"))
        report = run(folder, tmp_path / "out", server, **FAST)
    [article] = report.articles
    assert article.status == "failed" and "no part of the article" in (article.error or "")
    assert server.request_count == 2
    assert article.usage.calls == server.request_count
