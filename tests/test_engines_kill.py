"""`summarizer batch --via batch-api` as a process, killed or interrupted at server-side events.

The fake Batch API counts every batch it creates. The command is SIGKILLed when the server sees
an upload, a create (whose response it holds back, as a lost response), or the third poll of a
batch that will not finish; a rerun must then create no batch twice and give the synchronous
run's outputs. Ctrl-C (SIGINT) leaves the batches running, or cancels them with --cancel.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from summarizer.testing import ReferenceBook
from summarizer.testing.batch_api import BatchReferenceServer

from .conftest import ROOT, SEEDS
from .test_engines import KEY, SyncRun, _outputs, book, sync_default

__all__ = ["book", "sync_default"]  # fixtures shared with test_engines

NEVER = 10**9


def _command(server: BatchReferenceServer, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "summarizer.cli", "batch", str(SEEDS), "--out", str(out),
        "--via", "batch-api", "--base-url", server.base_url, "--poll-interval", "0.001",
        *extra,
    ]  # fmt: skip


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["OPENAI_API_KEY"] = KEY
    return env


def _start(server: BatchReferenceServer, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        _command(server, out, *extra),
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _polled(server: BatchReferenceServer, times: int) -> Callable[[], bool]:
    return lambda: any(b.polls >= times for b in server.batches.values())


def _finish(server: BatchReferenceServer, out: Path) -> None:
    server.polls_to_complete = 2
    done = subprocess.run(
        _command(server, out), cwd=ROOT, env=_env(), capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()


@pytest.mark.slow
@pytest.mark.parametrize("point", ["upload", "create", "poll"])
def test_kill_9_then_rerun_creates_no_batch_twice(
    book: ReferenceBook, sync_default: SyncRun, tmp_path: Path, point: str
) -> None:
    out = tmp_path / "out"
    with BatchReferenceServer(book, prompt_cache=False, polls_to_complete=NEVER) as server:
        held = threading.Event()
        if point == "create":
            server.hold_creates = held  # the batch is made, its creator never hears of it
        events = {
            "upload": lambda: server.uploads >= 1,
            "create": lambda: server.creations >= 1,
            "poll": _polled(server, 3),
        }
        process = _start(server, out)
        try:
            assert server.wait_for(events[point], timeout=120), point
        finally:
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=60)
            held.set()
        assert server.creations <= 1
        _finish(server, out)
        assert server.creations == 2  # round 1 and round 2, each once
        assert set(server.lines.values()) == {1}
    assert _outputs(out) == sync_default.outputs


@pytest.mark.slow
@pytest.mark.parametrize("cancel", [False, True], ids=["leave", "cancel"])
def test_ctrl_c_leaves_or_cancels_the_remote_batches(
    book: ReferenceBook, sync_default: SyncRun, tmp_path: Path, cancel: bool
) -> None:
    out = tmp_path / "out"
    with BatchReferenceServer(book, prompt_cache=False, polls_to_complete=NEVER) as server:
        process = _start(server, out, *(["--cancel"] if cancel else []))
        assert server.wait_for(_polled(server, 2), timeout=120)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        message = stderr.decode()
        assert process.returncode == 130, message
        (batch,) = server.batches.values()
        if cancel:
            assert "cancelled 1 batches" in message and batch.status == "cancelling"
        else:
            assert "1 batches left running" in message and batch.status == "in_progress"
        _finish(server, out)
        # A cancelled batch's requests are sent again in a new batch; a left one is collected.
        assert server.creations == (3 if cancel else 2)
        assert set(server.lines.values()) == ({1, 2} if cancel else {1})
    assert _outputs(out) == sync_default.outputs
