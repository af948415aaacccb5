"""Batch throughput against the reference server with simulated model latency.

Starts the reference server on loopback (300 ms a call by default), writes 100 article variants
of the five seeds to a temporary folder, runs `summarizer batch` over them at concurrency 16 and
compares the wall time with the ideal (calls × latency ÷ concurrency). Also shows what cleaning
saves: input tokens sent per article against the cleaned body's and the raw page's tokens.

    python bench/throughput.py [--articles 100] [--concurrency 16] [--latency 0.3]

The last line holds the headline figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from openai import AsyncOpenAI

from summarizer.batch import BatchSettings, run_batch
from summarizer.ingest import load_article
from summarizer.testing import numbered_variant
from summarizer.tokens import count_tokens

ROOT = Path(__file__).resolve().parent.parent


def make_variants(folder: Path, count: int) -> list[Path]:
    """`count` distinct articles: the seeds with a numbered title, so no answer is shared."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    paths = []
    for i in range(count):
        seed = seeds[i % len(seeds)]
        path = folder / f"{i:03d}_{seed.stem}.txt"
        path.write_text(numbered_variant(seed.read_text(encoding="utf-8"), i + 1), encoding="utf-8")
        paths.append(path)
    return paths


@contextlib.contextmanager
def reference_server(latency: float, cpu: dict[str, float]) -> Iterator[str]:
    """The reference server in its own process (as a real server would be), on a free port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable, "-m", "summarizer.cli", "reference-server",
            "--annotations", str(ROOT / "tests" / "reference"),
            "--port", str(port), "--latency", str(latency),
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
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = status
        cpu["server"] = usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.3)
    args = parser.parse_args()

    cpu: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, reference_server(args.latency, cpu) as base_url:
        folder, out = Path(tmp) / "articles", Path(tmp) / "out"
        folder.mkdir()
        paths = make_variants(folder, args.articles)
        client = AsyncOpenAI(base_url=base_url, api_key="sk-bench-not-a-key")
        settings = BatchSettings(concurrency=args.concurrency)
        started, cpu_started = time.perf_counter(), time.process_time()
        report = asyncio.run(run_batch(folder, out, client=client, settings=settings))
        wall = time.perf_counter() - started
        cpu["client"] = time.process_time() - cpu_started
        calls = sum(a.usage.calls for a in report.articles)
        bodies, pages = [], []
        for path in paths:
            article = load_article(path)
            bodies.append(count_tokens(article.body))
            pages.append(count_tokens(article.page))

    done = [a for a in report.articles if a.status == "done"]
    ideal = calls * args.latency / args.concurrency
    ratio = wall / ideal if ideal else float("nan")
    sent = [a.usage.input_tokens for a in done]
    print(f"articles: {len(done)}/{len(report.articles)} done, {calls} calls")
    print(
        f"wall: {wall:.2f} s; ideal {ideal:.2f} s (calls × {args.latency} s ÷ {args.concurrency})"
    )
    print(
        f"CPU: client {cpu['client']:.2f} s ({cpu['client'] / len(paths) * 1000:.0f} ms/article),"
        f" reference server {cpu['server']:.2f} s ({cpu['server'] / calls * 1000:.0f} ms/call);"
        f" the ideal assumes neither costs anything"
    )
    print(f"input tokens sent per article: mean {statistics.mean(sent):.0f}")
    print(f"cleaned body tokens per article: mean {statistics.mean(bodies):.0f}")
    print(f"raw page tokens per article: mean {statistics.mean(pages):.0f}")
    saved = 1 - sum(bodies) / sum(pages)
    print(f"cleaning removes {saved:.1%} of the page's tokens before anything is sent")
    print(
        f"articles={len(done)} calls={calls} concurrency={args.concurrency} "
        f"latency_s={args.latency} wall_s={wall:.2f} ideal_s={ideal:.2f} "
        f"ratio_to_ideal={ratio:.3f} client_cpu_s={cpu['client']:.2f} "
        f"server_cpu_s={cpu['server']:.2f} input_tokens_per_article={statistics.mean(sent):.0f} "
        f"body_tokens_per_article={statistics.mean(bodies):.0f} "
        f"page_tokens_per_article={statistics.mean(pages):.0f} cleaning_saves={saved:.3f}"
    )
    if report.failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
