"""The command line: environment without a key, the demo's recordings from any directory, spend
of this run apart from stored spend, Ctrl-C, and the progress total."""

from __future__ import annotations

import asyncio
import gc
import json
import re
import shutil
import signal
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summarizer import cli
from summarizer.batch import ArticleResult
from summarizer.cassettes import ReplayTransport
from summarizer.testing import ReferenceServer

from .conftest import REFERENCE, SEEDS
from .test_batch import SEED_CASSETTES

SEED_000 = SEEDS / "000_69bf44ab3444e1cf.txt"
SEED_004 = SEEDS / "004_0b7d40f7952fcebe.txt"


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.fixture
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer.from_dir(REFERENCE) as srv:
        yield srv


def _folder(tmp_path: Path, *seeds: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in seeds:
        shutil.copy(seed, folder)
    return folder


def test_base_url_from_the_environment_without_a_key(
    tmp_path: Path,
    no_env: None,
    server: ReferenceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """It used to end in the SDK's "api_key client option must be set" traceback."""
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    folder = _folder(tmp_path, SEED_004)
    assert cli.main(["batch", str(folder), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "OPENAI_API_KEY is not" in err and "placeholder key" in err
    assert "OFFLINE DEMO" not in err
    assert (tmp_path / "out" / f"{SEED_004.name}.json").exists()

    assert cli.main(["summarize", str(folder / SEED_004.name)]) == 0
    digest = json.loads(capsys.readouterr().out)
    assert digest["verification"]["verified"] == digest["verification"]["total"] > 0


def test_credentials_in_a_base_url_are_not_printed(
    tmp_path: Path,
    no_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://user:hunter2@127.0.0.1:9/v1")
    folder = _folder(tmp_path)
    cli.main(["batch", str(folder), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert "http://127.0.0.1:9/v1" in err and "hunter2" not in err


def test_demo_recordings_are_found_from_any_directory(
    tmp_path: Path,
    no_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = _folder(tmp_path, SEED_004)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli.main(["batch", str(folder), "--out", "out"]) == 0
    err = capsys.readouterr().err
    assert "OFFLINE DEMO" in err and f"{SEED_CASSETTES[0].parent}/" in err
    assert (elsewhere / "out" / f"{SEED_004.name}.json").exists()


def test_missing_demo_recordings_are_a_clear_error(
    tmp_path: Path,
    no_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "DEMO_CASSETTES", tmp_path / "not-a-checkout" / "cassettes")
    folder = _folder(tmp_path, SEED_004)
    assert cli.main(["batch", str(folder), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "no recordings to replay" in err and "OPENAI_API_KEY" in err and "--base-url" in err
    assert "Traceback" not in err
    assert cli.main(["summarize", str(folder / SEED_004.name), "--cassettes", "nowhere"]) == 2
    assert "no recordings to replay in nowhere/" in capsys.readouterr().err


def _spend_lines(err: str) -> dict[str, str]:
    return {m[0]: m[1] for m in re.findall(r"^  (this run|stored):\s+(.*)$", err, re.M)}


def test_a_resumed_run_reports_stored_spend_apart_from_this_run(
    tmp_path: Path,
    server: ReferenceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-cli")
    folder = _folder(tmp_path, SEED_004)
    command = ["batch", str(folder), "--out", str(tmp_path / "out"), "--base-url", server.base_url]
    assert cli.main(command) == 0
    first = _spend_lines(capsys.readouterr().err)
    cost = re.match(r"\$(\d+\.\d+) for 1 answer fetched", first["this run"])
    assert cost and float(cost[1]) > 0
    assert "stored" not in first

    assert cli.main(command) == 0
    second = _spend_lines(capsys.readouterr().err)
    assert second["this run"].startswith("$0.0000 for 0 answers fetched; tokens in 0 ")
    assert second["stored"].startswith(f"${cost[1]} for 1 answer from the cache")
    assert server.request_count == 1


def test_progress_total_counts_articles_only(
    tmp_path: Path, no_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, SEED_004)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "old-run").mkdir()
    (folder / ".DS_Store").write_bytes(b"\0")
    totals: list[int] = []
    monkeypatch.setattr(cli._Progress, "start", lambda self, total: totals.append(total))
    assert cli.main(["batch", str(folder), "--out", str(folder / "old-run"), "--quiet"]) == 0
    assert totals == [1]


def test_output_folder_equal_to_input_is_refused(
    tmp_path: Path, no_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path, SEED_004)
    assert cli.main(["batch", str(folder), "--out", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "is the input folder" in err and "OFFLINE DEMO" not in err


class _StalledReplay(ReplayTransport):
    """The demo's recordings, except that the article titled `stalled` never gets an answer."""

    stalled = "Nâng tầm hoạt động đối ngoại"

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        if self.stalled in request.content.decode("utf-8"):
            await asyncio.Event().wait()  # only cancellation ends it
        return self._handle(request)


def test_ctrl_c_writes_the_index_lists_failures_and_exits_130(
    tmp_path: Path,
    no_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A real SIGINT, raised once the first article has finished, while the other waits."""
    monkeypatch.setattr(cli, "ReplayTransport", _StalledReplay)
    folder = _folder(tmp_path, SEED_000, SEED_004)
    (folder / "empty.txt").write_bytes(b"")
    advance = cli._Progress.advance

    def interrupt_after_two(self: Any, result: ArticleResult) -> None:
        advance(self, result)
        if len(seen) == 1:
            signal.raise_signal(signal.SIGINT)
        seen.append(result)

    seen: list[ArticleResult] = []
    monkeypatch.setattr(cli._Progress, "advance", interrupt_after_two)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = cli.main(["batch", str(folder), "--out", str(tmp_path / "out")])
        gc.collect()
    err = capsys.readouterr().err
    assert code == 130
    assert "interrupted: 2 of 3 articles finished (1 done, 1 failed)" in err
    assert "the other 1 are listed as pending" in err and "Run the same command again" in err
    assert "FAILED empty.txt: EmptyArticleError" in err
    assert "Traceback" not in err and "never awaited" not in err
    assert [w for w in caught if "never awaited" in str(w.message)] == []
    index = json.loads((tmp_path / "out" / "index.json").read_text(encoding="utf-8"))
    assert index["state"] == "interrupted"
    assert sorted((e["file"], e["status"]) for e in index["articles"]) == [
        (SEED_000.name, "done"),
        (SEED_004.name, "pending"),
        ("empty.txt", "failed"),
    ]


def test_ctrl_c_before_the_batch_started_warns_of_nothing(
    tmp_path: Path,
    no_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C landing before the event loop ran the batch left its coroutine never awaited."""

    def interrupted_run(main: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.asyncio, "run", interrupted_run)
    folder = _folder(tmp_path, SEED_004)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = cli.main(["batch", str(folder), "--out", str(tmp_path / "out")])
        gc.collect()
    assert code == 130
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []
    assert "interrupted: 0 of 1 articles finished" in capsys.readouterr().err


def test_summarize_a_missing_file_is_a_clear_error(
    tmp_path: Path, no_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["summarize", str(tmp_path / "missing.txt")]) == 1
    err = capsys.readouterr().err
    assert "missing.txt" in err and "Traceback" not in err
