"""Reliability figures: a batch under a 30 % mixed fault rate, and throughput under a TPM limit.

Everything runs on loopback against the reference server (summarizer.testing), which answers
deterministically from the reference annotations, so "correct" is exact: an article's Digest
must equal the Digest of a fault-free run of the same input, except `usage` (retries cost more).

1. Faults. A fault-free run of N articles (the seeds and numbered variants), then the same
   articles against the server with 30 % of requests faulted (every kind it can inject, drawn
   reproducibly from a seed), in this process with a 2 s request timeout. Each article is
   classed: correct (digest identical), correct after a split (a `length` fault made the
   pipeline split a chunk: same facts, in the pieces' order), done with a recorded gap (a refused
   or filtered part, reason in digest.run.gaps), failed with its reason, or lost (none of these:
   must be 0).
2. Hostile answers. N articles, each answered with one hostile answer of the reference server
   (testing.hostile: empty choices, values 1e22 / 1.7e308 / -0.0, 20,000-word quotes, 3,000
   people, content null, never JSON, no usage, a lone surrogate, a loop to the output limit, and
   a control), in turn. Accounted: listed once in index.json as done, or failed with a typed
   reason (error_type and error); a done article's digest must load. Anything else is lost,
   including every article of a batch that stopped without writing index.json.
3. TPM. `summarizer batch --tpm T` in a subprocess against the server with a budget of T tokens
   a minute (429 with retry-after-ms past it, like the API). The share is the tokens the server
   accepted per minute in the steady state (from the moment the initial full-bucket burst is
   spent until the last requests drain) against T.

    python bench/reliability.py [--articles 60] [--fault-rate 0.3] [--hostile-articles 24]
                                [--tpm 150000]

The last line holds the figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from openai import AsyncOpenAI

from summarizer.batch import BatchReport, BatchSettings, run_batch
from summarizer.pipeline import Digest
from summarizer.testing import Fault, FaultMix, ReferenceServer, numbered_variant
from summarizer.testing.hostile import HOSTILE_KINDS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REFERENCE = ROOT / "tests" / "reference"
KEY = "sk-bench-not-a-key"


def make_articles(folder: Path, count: int) -> list[Path]:
    """The five seeds, then variants with a numbered title line (no request is shared)."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    paths = []
    for i in range(count):
        seed = seeds[i % len(seeds)]
        text = seed.read_text(encoding="utf-8")
        if i >= len(seeds):
            text = numbered_variant(text, i)
        path = folder / f"a{i:03d}_{seed.stem}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def batch(folder: Path, out: Path, server: ReferenceServer, **options: Any) -> BatchReport:
    settings = BatchSettings(concurrency=8, options=options)

    async def go() -> BatchReport:
        async with AsyncOpenAI(base_url=server.base_url, api_key=KEY) as client:
            return await run_batch(folder, out, client=client, settings=settings)

    return asyncio.run(go())


def canonical(digest: dict[str, Any], *, ordered: bool = True) -> str:
    """A Digest's JSON without `usage`; unordered: facts (and their checks) as a multiset."""
    data = {k: v for k, v in digest.items() if k != "usage"}
    if not ordered:
        data["facts"] = {
            k: sorted(json.dumps(f, sort_keys=True) for f in v) for k, v in data["facts"].items()
        }
        checks = data["verification"]["facts"]
        data["verification"] = {
            **data["verification"],
            "facts": sorted(
                json.dumps({k: v for k, v in c.items() if k != "index"}, sort_keys=True)
                for c in checks
            ),
        }
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _digests(out: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for p in out.glob("*.json"):
        if p.name != "index.json":
            found[p.stem] = json.loads(p.read_text(encoding="utf-8"))
    return found


def classify(
    report: BatchReport, out: Path, reference: dict[str, dict[str, Any]], length_hit: set[str]
) -> tuple[Counter[str], Counter[str], list[str]]:
    """(outcome counts, failure and gap reasons, what was lost and why)."""
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    lost: list[str] = []
    for a in report.articles:
        path = out / f"{a.stem}.json"
        if a.status == "failed":
            if a.error and a.error_type and not path.exists():
                outcomes["failed"] += 1
                reasons[f"failed/{a.error_type}: {_reason(a.error)}"] += 1
            else:
                lost.append(f"{a.file}: failed without a reason, or left an output")
            continue
        try:
            digest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            lost.append(f"{a.file}: done but its output is unreadable ({exc})")
            continue
        want = reference[a.stem]
        gaps = digest["run"]["gaps"]
        if gaps and all(g["reason"] and g["error"] for g in gaps):
            outcomes["done_with_gap"] += 1
            for g in gaps:
                reasons[f"gap/{g['reason']}: {_reason(g['error'])}"] += 1
        elif canonical(digest) == canonical(want):
            outcomes["correct"] += 1
        elif digest["article"]["title"] in length_hit and canonical(
            digest, ordered=False
        ) == canonical(want, ordered=False):
            outcomes["correct_after_split"] += 1
        else:
            lost.append(f"{a.file}: done, but the digest differs from the fault-free run")
    return outcomes, reasons, lost


def _reason(error: str) -> str:
    """The gist of an error message (its first clause, without the server's echo)."""
    for cut in (": Error code", " - {", ": I'm sorry"):
        error = error.split(cut)[0]
    return error[:80]


def fault_run(articles: int, rate: float, seed: int) -> dict[str, Any]:
    options = {
        "backoff_initial": 0.1,
        "backoff_max": 2.0,
        "request_timeout": 2.0,
        "max_retry_seconds": 60.0,
    }
    mix = FaultMix(rate=rate, seed=seed, stall_seconds=4.0, trickle_seconds=0.5)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        make_articles(folder, articles)
        with ReferenceServer.from_dir(REFERENCE) as server:
            clean = batch(folder, Path(tmp) / "fault-free", server, **options)
        assert not clean.failed, "the fault-free run must succeed"
        reference = _digests(Path(tmp) / "fault-free")
        started = time.perf_counter()
        with ReferenceServer.from_dir(REFERENCE, faults=mix) as server:
            report = batch(folder, Path(tmp) / "faulty", server, **options)
        wall = time.perf_counter() - started
        out = Path(tmp) / "faulty"
        length_hit = {r.title for r in server.log if r.fault == "length" and r.title}
        outcomes, reasons, lost = classify(report, out, reference, length_hit)
        leftovers = [p.name for p in out.glob(".*.tmp")]
        index = json.loads((out / "index.json").read_text(encoding="utf-8"))["articles"]
        listed = Counter(e["file"] for e in index)
        missing = [p.name for p in sorted(folder.iterdir()) if listed[p.name] != 1]
        stale = [e["file"] for e in index if e["status"] == "pending"]
        requests = server.request_count
        calls = sum(a.usage.calls for a in report.articles)
        return {
            "articles": len(report.articles),
            "outcomes": outcomes,
            "reasons": reasons,
            "lost": lost
            + [f"{n}: half-written file left" for n in leftovers]
            + [f"{n}: not listed exactly once in index.json" for n in missing],
            "index_stale": stale,
            "faults": Counter(server.faults_injected),
            "requests": requests,
            "distinct_requests": len({r.key for r in server.log}),
            "calls_in_usage": calls,
            "retries": sum(a.usage.retries for a in report.articles),
            "reasks": sum(a.usage.reasks for a in report.articles),
            "wall": wall,
        }


# Seeds 000, 002 and 004 take one call; 3,000 people or 20,000-word quotes in each chunk of a
# long article cost minutes (the merge compares every pair of facts), so they go to these.
ONE_CALL_SEEDS = (0, 2, 4)
HEAVY_KINDS = frozenset({"many_people", "huge_quotes"})


def hostile_articles(folder: Path, count: int) -> dict[str, str]:
    """`count` articles titled "... (bản N)", N from 1; file name → its hostile answer kind."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    kinds: dict[str, str] = {}
    for i in range(count):
        kind = HOSTILE_KINDS[i % len(HOSTILE_KINDS)]
        seed = seeds[ONE_CALL_SEEDS[i % 3] if kind in HEAVY_KINDS else i % len(seeds)]
        name = f"h{i + 1:03d}_{kind}.txt"
        text = numbered_variant(seed.read_text(encoding="utf-8"), i + 1)
        (folder / name).write_text(text, encoding="utf-8")
        kinds[name] = kind
    return kinds


def _accounted(out: Path, names: list[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """index.json's entries that account for an article, and what was lost (and why)."""
    try:
        index = json.loads((out / "index.json").read_text(encoding="utf-8"))["articles"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return {}, [f"{n}: no readable index.json ({type(exc).__name__})" for n in names]
    listed = Counter(e.get("file") for e in index)
    digests: dict[str, Digest] = {}
    for path in out.glob("*.json"):
        if path.name == "index.json" or path.name.endswith(".review.json"):
            continue
        try:
            digest = Digest.model_validate_json(path.read_bytes())
        except ValueError:
            continue  # unreadable: its article is not accounted for below
        digests[Path(digest.article.source_path or path.name).name] = digest
    accounted: dict[str, dict[str, Any]] = {}
    for entry in index:
        name = entry.get("file")
        if name not in names or listed[name] != 1:
            continue
        failed_with_reason = bool(entry.get("error_type") and entry.get("error"))
        done_with_digest = name in digests
        if {"failed": failed_with_reason, "done": done_with_digest}.get(entry.get("status", "")):
            accounted[name] = entry
    lost = [f"{n}: not accounted for in index.json" for n in names if n not in accounted]
    return accounted, lost


def hostile_run(articles: int) -> dict[str, Any]:
    options = {"backoff_initial": 0.0, "backoff_max": 0.0, "request_timeout": 30.0}
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "articles", Path(tmp) / "out"
        kinds = hostile_articles(folder, articles)
        started = time.perf_counter()
        crash = None
        with ReferenceServer.from_dir(REFERENCE) as server:
            for number, name in enumerate(sorted(kinds), start=1):
                server.add_rule(f"(bản {number})", Fault.hostile(kinds[name]))
            try:
                batch(folder, out, server, **options)
            except Exception as exc:  # the batch itself stopped: that is the finding
                crash = f"{type(exc).__module__}.{type(exc).__name__}: {str(exc)[:120]}"
        wall = time.perf_counter() - started
        accounted, lost = _accounted(out, sorted(kinds))
        outcomes = Counter(
            f"{kinds[n]}: {e['status']}" + (f" ({e['error_type']})" if e.get("error_type") else "")
            for n, e in accounted.items()
        )
        return {
            "articles": len(kinds),
            "accounted": len(accounted),
            "done": sum(1 for e in accounted.values() if e["status"] == "done"),
            "failed": sum(1 for e in accounted.values() if e["status"] == "failed"),
            "outcomes": outcomes,
            "lost": lost,
            "crash": crash,
            "requests": server.request_count,
            "wall": wall,
        }


def tpm_run(articles: int, tpm: float, client_tpm: float, latency: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        make_articles(folder, articles)
        env = {k: v for k, v in os.environ.items() if k != "OPENAI_BASE_URL"}
        env["OPENAI_API_KEY"] = KEY
        with ReferenceServer.from_dir(REFERENCE, tpm=tpm, latency=latency) as server:
            command = [
                sys.executable, "-m", "summarizer.cli", "batch", str(folder),
                "--out", str(Path(tmp) / "out"), "--base-url", server.base_url,
                "--concurrency", "8", "--tpm", str(client_tpm), "--quiet",
            ]  # fmt: skip
            started = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            wall = time.perf_counter() - started
            stats = server.stats()
        if done.returncode != 0:
            raise SystemExit(f"the TPM batch failed:\n{done.stderr}")
    charges: list[list[float]] = stats["accepted"]
    rate = tpm / 60.0
    biggest = max(tokens for _, tokens, _ in charges)
    # Steady state: from the first charge that leaves less than one request's worth in the
    # bucket (the initial full-minute burst is spent) to the last charge made while the client
    # still had at least a concurrency's worth of requests to come (before the drain).
    start = next(i for i, (_, _, left) in enumerate(charges) if left < biggest)
    end = len(charges) - 1 - 8
    window = charges[start + 1 : end + 1]
    span = charges[end][0] - charges[start][0]
    accepted = sum(tokens for _, tokens, _ in window)
    return {
        "wall": wall,
        "requests": stats["requests"],
        "answered": stats["answered"],
        "rate_limited": stats["faults_injected"].get("rate_limit_tokens", 0),
        "tokens": stats["tokens_accepted"],
        "steady_seconds": span,
        "steady_tpm": accepted / span * 60.0 if span > 0 else float("nan"),
        "share": accepted / (rate * span) if span > 0 else float("nan"),
        "window_requests": len(window),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--tpm", type=float, default=150_000, help="the server's budget")
    parser.add_argument(
        "--client-tpm", type=float, help="the batch's --tpm (default: the server's budget)"
    )
    parser.add_argument("--hostile-articles", type=int, default=24, help="0: skip that run")
    parser.add_argument("--tpm-articles", type=int, default=24)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()

    f = fault_run(args.articles, args.fault_rate, args.seed)
    faults_total = sum(f["faults"].values())
    print(f"fault run: {f['articles']} articles, {f['requests']} requests, {f['wall']:.1f} s")
    print(
        f"faults injected: {faults_total} ({faults_total / f['requests']:.0%} of requests): "
        + ", ".join(f"{k} {v}" for k, v in sorted(f["faults"].items()))
    )
    o = f["outcomes"]
    print(
        f"articles: {o['correct']} correct, {o['correct_after_split']} correct after a split,"
        f" {o['done_with_gap']} done with a recorded gap, {o['failed']} failed with a reason,"
        f" {len(f['lost'])} lost"
    )
    for reason, n in sorted(f["reasons"].items()):
        print(f"  {n} × {reason}")
    for item in f["lost"]:
        print(f"  LOST {item}")
    resent = f["requests"] - f["distinct_requests"]
    print(
        f"requests retried: {f['retries']} (server saw {resent} resent bodies), re-asked:"
        f" {f['reasks']}; calls in usage {f['calls_in_usage']} of {f['requests']} received"
    )
    if f["index_stale"]:
        print(f"  index.json left {len(f['index_stale'])} finished article(s) 'pending'")

    h = hostile_run(args.hostile_articles) if args.hostile_articles else None
    if h is not None:
        print(
            f"hostile run: {h['articles']} articles, {h['requests']} requests, {h['wall']:.1f} s;"
            f" accounted {h['accounted']}/{h['articles']} ({h['done']} done,"
            f" {h['failed']} failed with a reason), {len(h['lost'])} lost"
        )
        if h["crash"]:
            print(f"  the batch stopped: {h['crash']}")
        for outcome, n in sorted(h["outcomes"].items()):
            print(f"  {n} × {outcome}")
        for item in h["lost"]:
            print(f"  LOST {item}")

    client_tpm = args.client_tpm or args.tpm
    t = tpm_run(args.tpm_articles, args.tpm, client_tpm, args.latency)
    print(
        f"TPM run: server budget {args.tpm:.0f}/min, batch --tpm {client_tpm:.0f},"
        f" {args.tpm_articles} articles, {t['requests']} requests ({t['rate_limited']} got 429),"
        f" {t['wall']:.1f} s"
    )
    print(
        f"steady state: {t['steady_tpm']:.0f} tokens/min accepted over {t['steady_seconds']:.0f} s"
        f" ({t['window_requests']} requests) = {t['share']:.1%} of the budget"
    )
    figures = {
        "articles": f["articles"],
        "fault_rate": args.fault_rate,
        "requests": f["requests"],
        "faults_injected": faults_total,
        **{f"faults_{k}": v for k, v in sorted(f["faults"].items())},
        "correct": o["correct"],
        "correct_after_split": o["correct_after_split"],
        "done_with_gap": o["done_with_gap"],
        "failed": o["failed"],
        "retries": f["retries"],
        "reasks": f["reasks"],
        "unaccounted_calls": f["requests"] - f["calls_in_usage"],
        "index_stale": len(f["index_stale"]),
        "hostile_articles": h["articles"] if h else 0,
        "hostile_accounted": h["accounted"] if h else 0,
        "hostile_done": h["done"] if h else 0,
        "hostile_failed": h["failed"] if h else 0,
        "tpm_budget": int(args.tpm),
        "client_tpm": int(client_tpm),
        "tpm_429": t["rate_limited"],
        "steady_tpm": round(t["steady_tpm"]),
        "tpm_share": round(t["share"], 3),
        # Last: every article lost, in the fault run and in the hostile run.
        "data_lost": len(f["lost"]) + (len(h["lost"]) if h else 0),
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    if figures["data_lost"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
