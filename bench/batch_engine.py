"""The batch through a provider's batch engine: 1,000 articles via the (fake) OpenAI Batch API.

Starts `summarizer reference-server --batch-polls N` in its own process (a batch completes on
its Nth poll: the simulated engine delay), writes numbered variants of the five seeds to a
temporary folder and runs `run_with_batch_api` over them: rounds, batches, requests, requests
per article, wall time (and how much of it was waiting for the engine), and the cost of the
answers at synchronous and at batch prices. A second run over the same folder must create and
send nothing.

    python bench/batch_engine.py [--articles 1000] [--polls 10] [--poll-interval 0.05]

The last line holds the headline figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from openai import OpenAI

from summarizer.batch import BatchSettings
from summarizer.engines import EngineSettings, run_with_batch_api
from summarizer.testing import numbered_variant

ROOT = Path(__file__).resolve().parent.parent


def make_variants(folder: Path, count: int) -> None:
    """`count` distinct articles: the seeds with a numbered title, so no answer is shared."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(count):
        seed = seeds[i % len(seeds)]
        text = numbered_variant(seed.read_text(encoding="utf-8"), i + 1)
        (folder / f"{i:04d}_{seed.stem}.txt").write_text(text, encoding="utf-8")


@contextlib.contextmanager
def batch_server(polls: int) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable, "-m", "summarizer.cli", "reference-server",
            "--annotations", str(ROOT / "tests" / "reference"),
            "--port", str(port), "--batch-polls", str(polls),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        process.stdout.readline()  # "reference server on …": it is listening
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--polls", type=int, default=10, help="polls until a batch completes")
    parser.add_argument("--poll-interval", type=float, default=0.05)
    args = parser.parse_args()
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        time.sleep(seconds)

    engine = EngineSettings(
        poll_initial=args.poll_interval, poll_max=args.poll_interval * 4, sleep=sleep
    )
    with tempfile.TemporaryDirectory() as tmp, batch_server(args.polls) as base_url:
        folder, out = Path(tmp) / "articles", Path(tmp) / "out"
        folder.mkdir()
        make_variants(folder, args.articles)
        client = OpenAI(base_url=base_url, api_key="bench")
        settings = BatchSettings(concurrency=16)
        start = time.perf_counter()
        report = run_with_batch_api(folder, out, client=client, settings=settings, engine=engine)
        wall = time.perf_counter() - start
        again = run_with_batch_api(folder, out, client=client, settings=settings, engine=engine)
    batch = report.batch
    assert batch is not None and again.batches_created == again.requests_sent == 0
    done = sum(a.status == "done" for a in batch.articles)
    waiting = sum(waited)
    print(f"articles: {done}/{report.articles} done, simulated engine delay {args.polls} polls")
    print(
        f"rounds: {report.rounds}, batches: {report.batches}, requests: {report.requests}"
        f" ({report.requests_per_article:.2f} per article)"
    )
    print(
        f"wall: {wall:.1f} s, of which {waiting:.1f} s waiting between polls and"
        f" {wall - waiting:.1f} s collecting, answering and writing"
        f" ({(wall - waiting) / report.articles * 1000:.1f} ms per article)"
    )
    print(
        f"cost of the answers: ${report.cost_sync_usd:.4f} at synchronous prices,"
        f" ${report.cost_batch_usd:.4f} at batch prices"
        f" (${(report.cost_batch_usd or 0) / report.articles:.5f} per article)"
    )
    print("rerun: 0 batches created, 0 requests sent")
    print(
        f"articles={report.articles} done={done} rounds={report.rounds}"
        f" batches={report.batches} requests={report.requests}"
        f" requests_per_article={report.requests_per_article:.2f} wall_s={wall:.1f}"
        f" waiting_s={waiting:.1f} cost_sync_usd={report.cost_sync_usd:.4f}"
        f" cost_batch_usd={report.cost_batch_usd:.4f}"
    )


if __name__ == "__main__":
    main()
