"""kill -9 of `summarizer batch` at random points, then resume: the outputs are byte for byte
those of an uninterrupted run, and no answer already stored is asked for again.

The batch runs as a separate process (`python -m summarizer.cli batch ... --base-url`) against a
reference server in this process, which logs every request. Each run is SIGKILLed at a seeded
random point in its work, never at a moment in wall time: when a seeded number of its requests
have reached the server (answers still in flight), or when a seeded number of its answers have
been written by the server (the batch may be storing them). So the kills land mid-batch on a
fast or a slow machine alike; then the batch is started again, until a run finishes by itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from summarizer.batch import BatchSettings, run_batch
from summarizer.testing import ReferenceBook, ReferenceServer

from .conftest import FAKE_KEY, ROOT, client_for, make_articles, read_index

SEED = 2025
KILLS = 4
CONCURRENCY = 4
CHUNK_TOKENS = 2500  # the command line's default --max-chunk-tokens


@dataclass
class Run:
    first: int  # index in the server's log of this run's first request
    end: int  # one past its last
    killed: bool
    stored: set[str]  # ids of the answers in the response cache after the run


def _stored_ids(cache: Path) -> set[str]:
    if not cache.exists():
        return set()
    db = sqlite3.connect(cache)
    try:
        rows = db.execute("SELECT answer FROM answers").fetchall()
    finally:
        db.close()
    return {json.loads(answer)["body"]["id"] for (answer,) in rows}


def _outputs(out: Path) -> dict[str, bytes]:
    """Every output file except the response cache, whose pages depend on the run's history."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def _uninterrupted(folder: Path, out: Path, server: ReferenceServer) -> None:
    """The same batch as the command line's, in this process, without interruption."""
    settings = BatchSettings(concurrency=CONCURRENCY, options={"max_chunk_tokens": CHUNK_TOKENS})

    async def go() -> None:
        async with client_for(server) as client:
            report = await run_batch(folder, out, client=client, settings=settings)
        assert report.failed == []

    asyncio.run(go())


def _kill_at_a_point(
    process: subprocess.Popen[bytes], server: ReferenceServer, rng: random.Random
) -> bool:
    """SIGKILL `process` once the server has received a seeded number of this run's requests,
    or once it has written a seeded number of this run's answers (True: it was killed)."""
    first_request, first_answer = server.request_count, server.answered_count
    count, on_answers = rng.randint(2, 9), rng.random() < 0.5
    reached = (
        (lambda: server.wait_for_answers(first_answer + count, timeout=0.05))
        if on_answers
        else (lambda: server.wait_for_requests(first_request + count, timeout=0.05))
    )
    # Short waits on the server's event, so that a run that ends by itself is noticed too.
    while process.poll() is None:
        if reached():
            process.send_signal(signal.SIGKILL)
            return True
    return False


@pytest.mark.slow
def test_kill_9_then_resume_gives_identical_outputs(book: ReferenceBook, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    make_articles(folder, 25)
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_BASE_URL"}
    env["OPENAI_API_KEY"] = FAKE_KEY
    rng = random.Random(SEED)
    runs: list[Run] = []
    # Usage must not depend on which request reached the server first: no prompt-cache credit.
    with ReferenceServer(book, latency=0.08, prompt_cache=False) as server:
        _uninterrupted(folder, tmp_path / "uninterrupted", server)
        for attempt in range(KILLS + 3):
            first = server.request_count
            process = subprocess.Popen(
                [
                    sys.executable, "-m", "summarizer.cli", "batch", str(folder),
                    "--out", str(out), "--base-url", server.base_url,
                    "--concurrency", str(CONCURRENCY), "--quiet",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )  # fmt: skip
            killed = False
            if attempt < KILLS:
                killed = _kill_at_a_point(process, server, rng)
            _, stderr = process.communicate(timeout=120)
            runs.append(
                Run(first, server.request_count, killed, _stored_ids(out / ".cache.sqlite"))
            )
            if not killed:
                assert process.returncode == 0, stderr.decode()
                break
        log = list(server.log)

    assert sum(r.killed for r in runs) >= 3, "the kills must land before the batch is done"
    assert not runs[-1].killed

    # Outputs: identical to the uninterrupted run, byte for byte; nothing half-written left.
    # (index.json last: the known index-write race can leave it behind, see read_index.)
    outputs, expected = _outputs(out), _outputs(tmp_path / "uninterrupted")
    assert sorted(outputs) == sorted(expected)
    assert {n: b for n, b in outputs.items() if n != "index.json"} == {
        n: b for n, b in expected.items() if n != "index.json"
    }
    assert not list(out.glob(".*.tmp"))

    # Requests: an answer stored by a run is never asked for by a later run; the only repeats
    # are answers that were in flight (sent by the server, not yet stored) at a kill.
    answered_in = [
        {f"chatcmpl-ref-{rec.key[:24]}" for rec in log[r.first : r.end] if rec.status == 200}
        for r in runs
    ]
    asked_in = [
        Counter(f"chatcmpl-ref-{rec.key[:24]}" for rec in log[r.first : r.end]) for r in runs
    ]
    in_flight_repeats = 0
    for i, run in enumerate(runs):
        assert all(n == 1 for n in asked_in[i].values()), f"run {i} asked twice for an answer"
        for later in asked_in[i + 1 :]:
            assert not (set(later) & run.stored), f"an answer stored by run {i} was asked again"
            repeats = set(later) & answered_in[i]
            assert run.killed or not repeats
            in_flight_repeats += len(repeats - run.stored)
    assert in_flight_repeats <= CONCURRENCY * KILLS
    # Every answer the final outputs need was fetched at least once, and the cache holds them.
    assert runs[-1].stored >= set().union(*answered_in)

    names = [p.name for p in folder.iterdir()]
    read_index(tmp_path / "uninterrupted", finished=names)  # the reference can lag too
    entries = read_index(out, finished=names)
    assert sorted(e["file"] for e in entries) == sorted(p.name for p in folder.iterdir())
    assert outputs["index.json"] == expected["index.json"]
