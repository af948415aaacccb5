"""The batch's guarantees under hostile answers, unexpected exceptions, cancellation and odd
folders: every article ends in index.json, nothing is overwritten, the run always leaves its
index behind."""

from __future__ import annotations

import asyncio
import csv
import decimal
import gc
import io
import json
import logging
import os
import shutil
import sqlite3
import warnings
from pathlib import Path
from typing import Any

import httpx2
import pytest

import summarizer.pipeline
from summarizer.batch import (
    ArticleResult,
    BatchReport,
    BatchSettings,
    OutputFolderError,
    _RunFiles,
    output_stems,
    run_batch,
)
from summarizer.ingest import load_article
from summarizer.review import ReviewStore, export_reviewed

from .conftest import SEEDS
from .test_batch import SEED_CASSETTES, CountingReplay, _client

SEED_000 = SEEDS / "000_69bf44ab3444e1cf.txt"  # one call each
SEED_004 = SEEDS / "004_0b7d40f7952fcebe.txt"
SEED_002 = next(SEEDS.glob("002_*.txt"))


def _title(seed: Path) -> str:
    title = load_article(seed).title
    assert title
    return title


def _user_text(request: httpx2.Request) -> str:
    body = json.loads(request.content)
    return str(body["messages"][-1]["content"])


class HostileReplay(CountingReplay):
    """The seed recordings, except that the article whose title is `empty_choices_for` gets a
    200 whose `choices` is empty, and articles whose title is in `gated` never get an answer
    (their requests wait until cancelled)."""

    def __init__(self, empty_choices_for: str | None = None, gated: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.empty_choices_for = empty_choices_for
        self.gated = gated

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        text = _user_text(request)
        if any(title in text for title in self.gated):
            await asyncio.Event().wait()  # never set: only cancellation ends it
        if self.empty_choices_for and self.empty_choices_for in text:
            self.requests += 1
            return httpx2.Response(
                200,
                json={
                    "id": "chatcmpl-hostile",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "gpt-4o-mini",
                    "choices": [],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 0, "total_tokens": 10},
                },
            )
        return self._handle(request)


def _settings(concurrency: int = 2, **options: Any) -> BatchSettings:
    return BatchSettings(
        concurrency=concurrency, options={"backoff_initial": 0.0, "reasks": 0, **options}
    )


def _index(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "index.json").read_text(encoding="utf-8"))
    return data


def _csv_files(out: Path) -> set[str]:
    with (out / "facts.csv").open(encoding="utf-8-sig", newline="") as f:
        return {row["file"] for row in csv.DictReader(f)}


def _stored_answers(out: Path) -> int:
    """Opens the cache as a new connection: it must be a complete, closed database."""
    db = sqlite3.connect(out / ".cache.sqlite")
    try:
        return int(db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])
    finally:
        db.close()


# --- any exception ends one article, never the batch -------------------------------------------


def test_any_exception_fails_its_article_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer with no choices (IndexError in the SDK glue) and an exception that is no
    SummarizerError (decimal's InvalidOperation, here while rendering) used to escape
    run_batch: the other articles' tasks kept running on a closed cache and index.json was
    never written."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "no_choices.txt")
    shutil.copy(SEED_004, folder / "good.txt")
    shutil.copy(SEED_004, folder / "boom.txt")
    real_render = summarizer.batch.render_markdown

    # summarize_async wraps its own unexpected errors (AnswerProcessingError); the batch's
    # catch-all must also hold for what the batch itself does with a digest.
    def hostile_render(digest: Any) -> Any:
        if str(digest.article.source_path).endswith("boom.txt"):
            raise decimal.InvalidOperation([decimal.InvalidOperation])
        return real_render(digest)

    monkeypatch.setattr(summarizer.batch, "render_markdown", hostile_render)
    transport = HostileReplay(empty_choices_for=_title(SEED_000))
    report = asyncio.run(run_batch(folder, out, client=_client(transport), settings=_settings()))
    by_file = {a.file: a for a in report.articles}
    assert by_file["good.txt"].status == "done"
    assert by_file["no_choices.txt"].status == "failed"
    boom = by_file["boom.txt"]
    assert (boom.status, boom.error_type, boom.unexpected) == ("failed", "InvalidOperation", True)
    assert boom.error and str(folder / "boom.txt") in boom.error
    index = _index(out)
    assert index["state"] == "complete"
    assert [(e["file"], e["status"]) for e in index["articles"]] == [
        ("boom.txt", "failed"),
        ("good.txt", "done"),
        ("no_choices.txt", "failed"),
    ]
    assert index["articles"] == [a.model_dump(mode="json") for a in report.articles]
    assert _csv_files(out) == {"good.txt"}
    assert sorted(p.name for p in out.glob("*.json")) == ["good.txt.json", "index.json"]
    assert _stored_answers(out) >= 1


def test_a_lone_surrogate_in_an_error_still_gives_a_valid_index(tmp_path: Path) -> None:
    """A file name that is not UTF-8 (and so an error message holding a lone surrogate) must
    not stop index.json from being written as UTF-8."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    bad = folder / os.fsdecode(b"bad\xff.txt")
    try:
        shutil.copy(SEED_004, bad)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    shutil.copy(SEED_004, folder / "good.txt")
    report = asyncio.run(
        run_batch(folder, out, client=_client(CountingReplay()), settings=_settings())
    )
    index = _index(out)
    assert [(e["file"], e["status"]) for e in index["articles"]] == [
        ("bad\\xff.txt", "failed"),
        ("good.txt", "done"),
    ]
    assert "not valid UTF-8" in (report.articles[0].error or "")


# --- cancellation (Ctrl-C) ---------------------------------------------------------------------


def test_a_cancelled_batch_writes_its_index_and_resumes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "a.txt")
    shutil.copy(SEED_004, folder / "b.txt")
    shutil.copy(SEED_002, folder / "c.txt")
    # b and c wait for an answer that never comes; the run is cancelled once a is finished.
    # One request slot per article: with fewer, b and c can take every slot before a asks, and
    # a then waits for ever behind them (this hung CI once).
    transport = HostileReplay(gated=(_title(SEED_004), _title(SEED_002)))
    finished: list[ArticleResult] = []

    async def go() -> None:
        def on_article(result: ArticleResult) -> None:
            finished.append(result)
            task.cancel()

        task = asyncio.create_task(
            run_batch(
                folder,
                out,
                client=_client(transport),
                settings=_settings(concurrency=3),
                on_article=on_article,
            )
        )
        with pytest.raises(asyncio.CancelledError):
            await task

    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.ERROR):
        warnings.simplefilter("always")
        asyncio.run(go())
        gc.collect()
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []
    assert "Task was destroyed" not in caplog.text

    assert [(a.file, a.status) for a in finished] == [("a.txt", "done")]
    index = _index(out)
    assert index["state"] == "interrupted"
    assert [(e["file"], e["status"]) for e in index["articles"]] == [
        ("a.txt", "done"),
        ("b.txt", "pending"),
        ("c.txt", "pending"),
    ]
    assert _csv_files(out) == {"a.txt"}
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "a.txt.json",
        "a.txt.md",
        "facts.csv",
        "index.json",
    ]
    assert _stored_answers(out) == 1  # the cache was closed cleanly, with a's answer in it

    # Running again finishes the rest and asks nothing twice.
    again = CountingReplay()
    report = asyncio.run(run_batch(folder, out, client=_client(again), settings=_settings()))
    assert [a.status for a in report.articles] == ["done"] * 3
    assert report.answers_from_cache == 1 and again.requests == report.answers_fetched > 0
    assert _index(out)["state"] == "complete"
    assert report.stored_usage.calls == 1 and report.run_usage.calls == report.answers_fetched


def test_an_older_index_snapshot_never_lands_after_a_newer_one(tmp_path: Path) -> None:
    files = _RunFiles(tmp_path, tmp_path, "m", [])
    pending = ArticleResult(file="a.txt", stem="a.txt", status="pending")
    done = ArticleResult(file="a.txt", stem="a.txt", status="done")
    old = files.snapshot([pending], "running")
    new = files.snapshot([done], "complete")
    files.write_index(*new)
    files.write_index(*old)  # a slow thread's write, landing late
    assert _index(tmp_path)["articles"][0]["status"] == "done"


# --- output names ------------------------------------------------------------------------------


def _run(folder: Path, out: Path) -> BatchReport:
    return asyncio.run(
        run_batch(folder, out, client=_client(CountingReplay()), settings=_settings())
    )


def test_same_stem_different_suffix_gives_two_digests(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "x.txt")
    shutil.copy(SEED_000, folder / "x.md")
    report = _run(folder, out)
    assert [(a.file, a.stem, a.status) for a in report.articles] == [
        ("x.md", "x.md", "done"),
        ("x.txt", "x.txt", "done"),
    ]
    for name, seed in (("x.txt", SEED_004), ("x.md", SEED_000)):
        digest = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert digest["article"]["source_path"] == str(folder / name)
        assert (out / f"{name}.md").read_text(encoding="utf-8").startswith("# ")
        assert digest["article"]["title"] in seed.read_text(encoding="utf-8")
    # The review page and the export find both under their new names.
    store = ReviewStore(out)
    assert list(store.stems()) == ["x.md", "x.txt"]
    assert store.article_view("x.txt")["source_path"] == str(folder / "x.txt")
    json_path, _ = export_reviewed(out)
    assert json_path.exists()


def test_names_equal_but_for_case_or_normalisation_never_share_an_output() -> None:
    nfc, nfd = "Hà Nội.txt", "Ha\u0300 Nô\u0323i.txt"
    stems = output_stems(["X.txt", "x.txt", nfc, nfd, "b.txt"])
    assert stems["X.txt"] == "X.txt" and stems["b.txt"] == "b.txt"
    assert stems["x.txt"].startswith("x.txt~") and len(stems["x.txt"]) == len("x.txt~") + 8
    assert stems[nfd] == nfd and stems[nfc].startswith(nfc + "~")  # NFD sorts first
    folded = {s.casefold() for s in stems.values()}
    assert len(folded) == len(stems)
    # Stable: the same folder gives the same names, in any listing order.
    assert output_stems(reversed(list(stems))) == stems


def test_a_very_long_name_is_shortened_and_kept_distinct() -> None:
    long_a, long_b = "á" * 150 + "a.txt", "á" * 150 + "b.txt"
    stems = output_stems([long_a, long_b])
    assert stems[long_a] != stems[long_b]
    for stem in stems.values():
        assert len(os.fsencode(f".{stem}.review.json.abcdefgh.tmp")) <= 255


def test_out_inside_the_input_folder_is_not_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "x.txt")
    out = folder / "out"
    first = _run(folder, out)
    second = _run(folder, out)
    assert [a.file for a in first.articles] == [a.file for a in second.articles] == ["x.txt"]
    assert {"name": "out", "reason": "a folder"} in _index(out)["skipped"]


def test_out_equal_to_the_input_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "x.txt")
    with pytest.raises(OutputFolderError, match="input folder"):
        _run(folder, folder / ".." / "in")
    assert sorted(p.name for p in folder.iterdir()) == ["x.txt"]


def test_hidden_files_and_other_entries_are_skipped_and_listed(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "x.txt")
    shutil.copy(SEED_004, folder / "._x.txt")  # macOS metadata beside a copied file
    (folder / "sub.txt").mkdir()
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    report = _run(folder, out)
    assert [a.file for a in report.articles] == ["x.txt"]
    assert [(s.name, s.reason.split(" (")[0]) for s in report.skipped] == [
        ("._x.txt", "hidden"),
        ("notes.pdf", "not an article file"),
        ("sub.txt", "a folder"),
    ]


def test_seed_cassettes_are_present() -> None:
    assert SEED_CASSETTES, "the replay tests need cassettes/reference/seeds"


def test_a_fact_holding_a_lone_carriage_return_stays_one_csv_row() -> None:
    """With a "\\n" line end the csv module wrote a lone CR unquoted: a spreadsheet split the
    fact's row in two (found by the property tests over arbitrary answers)."""
    line = summarizer.batch._csv_line(["x.txt", "a\rb", "c\nd", "plain"])
    assert list(csv.reader(io.StringIO(line, newline=""))) == [["x.txt", "a\rb", "c\nd", "plain"]]
