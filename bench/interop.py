"""Figures from llama.cpp's llama-server on this CPU: speed, per-call time, what weak models make.

Needs the interop cache (see tests/interop/serve.py):

    python -m tests.interop.serve build && python -m tests.interop.serve models
    python bench/interop.py speed gemma-3-270m        # prompt and generation tokens/s
    python bench/interop.py seeds gemma-3-270m 000 001  # summarize() runs, facts by status
    python bench/interop.py all                       # info, speed and seeds 000/001 per model

Each command starts its own server on a free loopback port and stops it by pid when done.
Reports (digest, every exchange's usage and timings) go to <cache>/reports/<model>/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the interop helpers live with their tests

from summarizer.ingest import load_article  # noqa: E402
from tests.interop import serve  # noqa: E402
from tests.interop.exchanges import Exchange, recording_client  # noqa: E402
from tests.interop.runs import SeedRun, fact_count, run_seed, seed_path  # noqa: E402


async def _plain_calls(server: serve.Server, rounds: int, max_tokens: int) -> list[Exchange]:
    """Plain chat requests (no schema) over a seed's body: llama-server times each one."""
    body = load_article(seed_path("001")).body
    client, transport = recording_client(server.base_url)
    try:
        for i in range(rounds):
            # A different first line each round, so no prompt is served from the slot's cache.
            await client.chat.completions.create(
                model=server.spec.name,
                messages=[{"role": "user", "content": f"Lần {i}. Tóm tắt bài báo:\n{body}"}],
                max_completion_tokens=max_tokens,
                temperature=0.0,
            )
    finally:
        await client.close()
    return transport.exchanges


def speed(server: serve.Server, rounds: int = 3, max_tokens: int = 256) -> dict[str, Any]:
    exchanges = asyncio.run(_plain_calls(server, rounds, max_tokens))
    timings = [e.timings for e in exchanges]
    return {
        "model": server.spec.name,
        "rounds": rounds,
        "prompt_tokens": [t.get("prompt_n") for t in timings],
        "prompt_tok_per_s": round(statistics.median(t["prompt_per_second"] for t in timings), 1),
        "generated_tokens": [t.get("predicted_n") for t in timings],
        "gen_tok_per_s": round(statistics.median(t["predicted_per_second"] for t in timings), 1),
        "seconds_per_call": [round(e.seconds, 2) for e in exchanges],
        "usage_example": exchanges[-1].usage,
    }


def _sample(run: SeedRun, limit: int = 12) -> list[dict[str, Any]]:
    """Facts with their status and evidence, to read by hand."""
    if run.digest is None:
        return []
    rows = []
    for check in run.digest.verification.facts[:limit]:
        fact = getattr(run.digest.facts, check.kind)[check.index]
        rows.append(
            {
                "kind": check.kind,
                "status": check.status,
                "fact": fact.model_dump(mode="json"),
                "problems": check.problems,
            }
        )
    return rows


def describe(server: serve.Server, run: SeedRun) -> dict[str, Any]:
    calls = run.exchanges
    digest = run.digest
    return {
        "model": server.spec.name,
        "seed": run.stem,
        "outcome": "digest" if digest else f"{type(run.error).__name__}: {run.error}"[:300],
        "seconds": round(run.seconds, 1),
        "calls": len(calls),
        "http_statuses": sorted({e.status for e in calls}),
        "finish_reasons": dict(sorted(_count(e.finish_reason or "none" for e in calls).items())),
        "seconds_per_call": round(run.seconds / max(len(calls), 1), 1),
        "prompt_tokens": sum(e.usage.get("prompt_tokens", 0) for e in calls),
        "output_tokens": sum(e.usage.get("completion_tokens", 0) for e in calls),
        "gen_tok_per_s_median": _median(e.timings.get("predicted_per_second") for e in calls),
        "prompt_tok_per_s_median": _median(e.timings.get("prompt_per_second") for e in calls),
        "chunks": digest.run.chunks if digest else None,
        "gaps": [g.model_dump() for g in digest.run.gaps] if digest else None,
        "facts": fact_count(digest) if digest else 0,
        "statuses": dict(run.statuses()),
        "summary_numbers": dict(run.summary_numbers()),
        "summary": digest.summary.model_dump() if digest and digest.summary else None,
        "sample": _sample(run),
    }


def _count(items: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


def _median(values: Any) -> float | None:
    numbers = [float(v) for v in values if v is not None]
    return round(statistics.median(numbers), 1) if numbers else None


def seeds(server: serve.Server, prefixes: list[str]) -> list[dict[str, Any]]:
    reports = []
    folder = serve.CACHE / "reports" / server.spec.name
    folder.mkdir(parents=True, exist_ok=True)
    for prefix in prefixes:
        run = run_seed(server, prefix)
        report = describe(server, run)
        reports.append(report)
        (folder / f"{run.stem}.json").write_text(
            json.dumps(
                {
                    **report,
                    "digest": run.digest.model_dump(mode="json") if run.digest else None,
                    "exchanges": [
                        {
                            "status": e.status,
                            "seconds": round(e.seconds, 2),
                            "finish_reason": e.finish_reason,
                            "usage": e.usage,
                            "timings": e.timings,
                            "content_head": (e.content or "")[:400],
                        }
                        for e in run.exchanges
                    ],
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        print(json.dumps({k: v for k, v in report.items() if k != "sample"}, ensure_ascii=False))
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["speed", "seeds", "all"])
    parser.add_argument("model", nargs="?", choices=sorted(serve.MODELS))
    parser.add_argument("seeds", nargs="*", default=["000", "001"])
    args = parser.parse_args(argv)
    names = [args.model] if args.model else sorted(serve.MODELS)
    prefixes = args.seeds or ["000", "001"]
    print(json.dumps(serve.info(), indent=2))
    for name in names:
        with serve.running(serve.MODELS[name]) as server:
            print(f"# {name}: pid {server.pid}, {server.base_url}", flush=True)
            if args.command in ("speed", "all"):
                print(json.dumps(speed(server)), flush=True)
            if args.command in ("seeds", "all"):
                seeds(server, prefixes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
