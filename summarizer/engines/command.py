"""`summarizer batch ... --via batch-api | --via jsonl | --results FILE...`: the command line of
the batch engines (cli.py parses the shared options and hands over here).

Exit codes: 0 every article done, 1 an article failed, 2 a usage or engine problem (no server
for --via batch-api, a damaged state file, an unreadable results file, a refused batch), 3
request files written and waiting for their results (--via jsonl), 4 every article done but
some need review (below --min-verified, as the synchronous path), 130 interrupted (Ctrl-C; the
remote batches are left running unless cancelled).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from openai import OpenAI

from ..batch import EXIT_NEEDS_REVIEW, ArticleResult, BatchSettings
from ..folder import OutputFolderError
from ..secrets import redact
from .openai_batch import TERMINAL
from .run import EngineReport, EngineSettings, cancel_batches, run_with_batch_api, run_with_jsonl
from .state import EngineError, load_state

WAITING = 3
INTERRUPTED = 130
PLACEHOLDER_KEY = "not-needed"


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("batch engines (half the price, answers within 24 hours)")
    group.add_argument(
        "--via",
        choices=["sync", "batch-api", "jsonl"],
        default="sync",
        help="sync: one request at a time (default); batch-api: the provider's Batch API;"
        " jsonl: write request files for any batch engine (vLLM run_batch, a console)",
    )
    group.add_argument(
        "--results",
        nargs="+",
        metavar="FILE",
        help="import the result files of --via jsonl requests and continue (implies --via jsonl)",
    )
    group.add_argument(
        "--cancel",
        action="store_true",
        help="on Ctrl-C, cancel the remote batches without asking (default: ask on a terminal,"
        " otherwise leave them running for a rerun to collect)",
    )
    group.add_argument(
        "--poll-interval",
        type=float,
        default=5.0,
        metavar="S",
        help="seconds before the first poll of a batch; the wait grows to 120 s",
    )


def wants_engine(args: argparse.Namespace) -> bool:
    return bool(args.via != "sync" or args.results)


def run_command(args: argparse.Namespace, folder: Path, out: Path, settings: BatchSettings) -> int:
    quiet = bool(args.quiet or args.jsonl)

    def say(text: str) -> None:
        if not quiet:
            print(text, file=sys.stderr, flush=True)

    def on_article(result: ArticleResult) -> None:
        if args.jsonl:
            print(result.model_dump_json(), flush=True)

    engine = EngineSettings(poll_initial=args.poll_interval, on_event=say, on_article=on_article)
    if args.results and args.via == "batch-api":
        return _usage("--results imports --via jsonl results; it does not go with --via batch-api")
    try:
        if args.via == "batch-api":
            client = _client(args)
            try:
                report = run_with_batch_api(
                    folder, out, client=client, settings=settings, engine=engine
                )
            except KeyboardInterrupt:
                return _interrupted(args, out, client)
        else:
            results = [Path(p) for p in args.results or []]
            report = run_with_jsonl(
                folder, out, results=results, base_url=args.base_url, settings=settings,
                engine=engine,
            )  # fmt: skip
    except KeyboardInterrupt:
        print("summarizer: interrupted; run the same command again to resume", file=sys.stderr)
        return INTERRUPTED
    except (EngineError, OutputFolderError, OSError, ValueError) as exc:
        return _usage(redact(str(exc)))
    return _report(report, say)


def _usage(message: str) -> int:
    print(f"summarizer: {message}", file=sys.stderr)
    return 2


def _client(args: argparse.Namespace) -> OpenAI:
    key = os.environ.get("OPENAI_API_KEY")
    base_url = args.base_url or os.environ.get("OPENAI_BASE_URL")
    if not key and not base_url:
        raise EngineError(
            "--via batch-api needs a server: set OPENAI_API_KEY (and OPENAI_BASE_URL for another"
            " provider) or pass --base-url. The offline demo replays recordings and has no Batch"
            " API; --via jsonl writes request files for any engine"
        )
    return OpenAI(base_url=base_url, api_key=key or PLACEHOLDER_KEY)


def _interrupted(args: argparse.Namespace, out: Path, client: OpenAI) -> int:
    state = load_state(out)
    running = [
        p.batch_id
        for p in (state.outstanding() if state else [])
        if p.batch_id and p.remote_status not in TERMINAL
    ]
    cancel = bool(running) and (args.cancel or _ask(len(running)))
    if cancel:
        try:
            cancelled = cancel_batches(out, client)
        except EngineError as exc:
            print(f"summarizer: {redact(str(exc))}", file=sys.stderr)
            return INTERRUPTED
        print(
            f"summarizer: interrupted; cancelled {len(cancelled)} batches"
            f" ({', '.join(cancelled)}). Run the same command again to collect what they"
            " finished and send the rest.",
            file=sys.stderr,
        )
    else:
        print(
            f"summarizer: interrupted; {len(running)} batches left running"
            f"{' (' + ', '.join(running) + ')' if running else ''}. Run the same command again"
            " to collect their results: nothing is created twice.",
            file=sys.stderr,
        )
    return INTERRUPTED


def _ask(count: int) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"Cancel the {count} remote batches? [y/N] ")
    except (EOFError, KeyboardInterrupt):
        return False
    return answer.strip().lower() in ("y", "yes")


def _report(report: EngineReport, print_line: Callable[[str], None]) -> int:
    for problem in report.problems:
        print(f"WARNING {problem}", file=sys.stderr)
    if report.state == "waiting":
        files = "\n".join(f"  {name}" for name in report.waiting_for)
        print_line(
            f"waiting for results: run these request files with a batch engine (vLLM run_batch,"
            f" a provider's batch console) and pass their output files with --results:\n{files}"
        )
        return WAITING
    batch = report.batch
    assert batch is not None
    done = [a for a in batch.articles if a.status == "done"]
    print_line(
        f"{len(done)}/{len(batch.articles)} articles done → {batch.out}/  facts verified"
        f" {sum(a.verified for a in done)}/{sum(a.facts for a in done)}\n"
        f"  batch engine: {report.rounds} rounds, {report.batches} batches, {report.requests}"
        f" requests ({report.requests_per_article:g} per article); this run created"
        f" {report.batches_created} batches and sent {report.requests_sent} requests\n"
        f"  cost of the answers: {_dollars(report.cost_batch_usd)} at batch prices,"
        f" {_dollars(report.cost_sync_usd)} at synchronous prices"
    )
    for failure in batch.failed:
        print(f"FAILED {failure.file}: {failure.error_type}: {failure.error}", file=sys.stderr)
    for article in batch.needs_review:
        print(f"REVIEW {article.file}: {'; '.join(article.review_reasons)}", file=sys.stderr)
    return 1 if batch.failed else EXIT_NEEDS_REVIEW if batch.needs_review else 0


def _dollars(cost: float | None) -> str:
    return "n/a" if cost is None else f"${cost:.4f}"
