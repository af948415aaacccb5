"""The `summarizer` command: a thin shell over the library.

    summarizer batch SEEDS_DIR --out OUT_DIR [--model M] [--concurrency N] [--base-url URL] ...
    summarizer summarize FILE [--model M] [--base-url URL]        (prints the Digest as JSON)
    summarizer review OUT_DIR [--port P] [--open] [--static FILE]  (review page over the output)
    summarizer export OUT_DIR                                     (reviewed facts as JSON, CSV)
    summarizer corpus OUT_DIR [--json] [--person NAME] [--search TEXT]  (people, events, index)
    summarizer schema                                             (prints the Digest JSON Schema)
    summarizer reference-server [--annotations DIR] [--port P] [--latency S]

The model: OPENAI_API_KEY (and OPENAI_BASE_URL) or --base-url; a base URL without a key gets a
placeholder key (local servers need none). With no key and no base URL, `batch` and `summarize`
replay the recorded cassettes of the source checkout (offline demo) and say so. Exit codes: 0 all
done, 1 an article failed, 2 a usage problem, 4 (batch) every article done but some need review
(verified below --min-verified, or no facts), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from openai import AsyncOpenAI, DefaultAsyncHttpxClient

from .batch import EXIT_NEEDS_REVIEW, ArticleResult, BatchReport, BatchSettings, run_batch
from .cassettes import STABLE_HOST, ReplayTransport
from .digest import Digest
from .engines.command import add_engine_arguments, wants_engine
from .errors import SummarizerError
from .folder import OutputFolderError, check_out, discover
from .llm import Usage
from .pipeline import summarize_async
from .secrets import redact

# The recordings ship with a source checkout (they are not in the wheel): look for them next to
# the package, wherever the command is run from.
DEMO_CASSETTES = Path(__file__).resolve().parent.parent / "cassettes" / "reference" / "seeds"
DEMO_PROVENANCE = (
    "recorded against the project's reference server, which answers from hand-written"
    " reference annotations (tests/reference/) — not from a model"
)
NO_RECORDING_HINT = "no recording for this article: set OPENAI_API_KEY or pass --base-url"
PLACEHOLDER_KEY = "not-needed"  # local servers (llama.cpp, Ollama, vLLM) take any key
INTERRUPTED = 130
T = TypeVar("T")  # the shell's code for a command ended by Ctrl-C


class _UsageError(Exception):
    """A problem with the command's arguments or environment: exit code 2, no traceback."""


def _client(args: argparse.Namespace, err: _Out) -> tuple[AsyncOpenAI, bool]:
    """The model client, and whether it replays recordings (no key and no base URL)."""
    key = os.environ.get("OPENAI_API_KEY")
    base_url = args.base_url or os.environ.get("OPENAI_BASE_URL")
    if key or base_url:
        if not key and not args.base_url:
            err.line(
                f"OPENAI_BASE_URL is set and OPENAI_API_KEY is not: sending a placeholder key"
                f" to {_without_credentials(str(base_url))}"
            )
        return AsyncOpenAI(base_url=base_url, api_key=key or PLACEHOLDER_KEY), False
    folder = Path(args.cassettes) if args.cassettes else DEMO_CASSETTES
    cassettes = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not cassettes:
        raise _UsageError(
            f"no recordings to replay in {folder}/: the offline demo (no OPENAI_API_KEY and no"
            " --base-url) replays the cassettes of a source checkout of summarizer. Set"
            " OPENAI_API_KEY, pass --base-url for an OpenAI-compatible server, or --cassettes DIR"
        )
    err.line(
        "┌ OFFLINE DEMO: no OPENAI_API_KEY and no --base-url, so no model is called.\n"
        f"│ Replaying {len(cassettes)} recorded cassettes from {folder}/,\n"
        f"│ {DEMO_PROVENANCE}.\n"
        "└ Set OPENAI_API_KEY (or --base-url for a local server) to summarise with a model."
    )
    transport = ReplayTransport(cassettes)
    http = DefaultAsyncHttpxClient(transport=transport)
    return AsyncOpenAI(base_url=STABLE_HOST + "/v1", api_key="replay", http_client=http), True


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class _Out:
    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def line(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


def _run(work: Coroutine[Any, Any, T], client: AsyncOpenAI) -> T:
    """asyncio.run(work), closing the client on the same loop. A Ctrl-C that lands before the
    loop has started `work` leaves it unstarted: it is closed, so Python does not warn that a
    coroutine was never awaited."""

    async def with_client() -> T:
        async with client:
            return await work

    outer = with_client()
    try:
        return asyncio.run(outer)
    except BaseException:
        outer.close()
        work.close()
        raise


def _batch(args: argparse.Namespace) -> int:
    err = _Out(quiet=args.quiet or args.jsonl)
    folder, out = Path(args.folder), Path(args.out)
    try:
        total = len(discover(folder))
        check_out(folder, out)
    except (OSError, OutputFolderError) as exc:
        raise _UsageError(str(exc)) from None
    settings = BatchSettings(
        model=args.model,
        concurrency=args.concurrency,
        rpm=args.rpm,
        tpm=args.tpm,
        options={"max_chunk_tokens": args.max_chunk_tokens, **_model_settings(args)},
        min_verified=args.min_verified,
    )
    if wants_engine(args):  # --via batch-api / jsonl, --results
        from .engines.command import run_command

        return run_command(args, folder, out, settings)
    client, replay = _client(args, err)
    progress = _Progress(enabled=not (args.quiet or args.jsonl))
    finished: list[ArticleResult] = []

    def on_article(result: ArticleResult) -> None:
        finished.append(result)
        if args.jsonl:
            print(result.model_dump_json(), flush=True)
        progress.advance(result)

    work = run_batch(
        folder,
        out,
        client=client,
        settings=settings,
        on_article=on_article,
        missing_answer_hint=NO_RECORDING_HINT if replay else None,
    )
    progress.start(total)
    try:
        report = _run(work, client)
    except KeyboardInterrupt:
        progress.stop()
        _report_interrupted(out, finished, total)
        return INTERRUPTED
    except (OSError, OutputFolderError) as exc:
        raise _UsageError(str(exc)) from None
    finally:
        progress.stop()
    _report(report, err, replay)
    return 1 if report.failed else EXIT_NEEDS_REVIEW if report.needs_review else 0


class _Progress:
    """A rich progress bar on the terminal: articles done, tokens, cost so far."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.tokens = 0
        self.cost = 0.0
        self.review = 0
        self._bar: object = None
        self._task: object = None

    def start(self, total: int) -> None:
        if not self.enabled:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        bar = Progress(
            TextColumn("[bold]summarising"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[tokens]} tokens, ${task.fields[cost]:.4f}"),
            TextColumn("{task.fields[review]} to review"),
            transient=True,
        )
        self._task = bar.add_task("batch", total=total, tokens=0, cost=0.0, review=0)
        bar.start()
        self._bar = bar

    def advance(self, result: ArticleResult) -> None:
        self.tokens += result.usage.input_tokens + result.usage.output_tokens
        self.cost += result.usage.cost_usd or 0.0
        self.review += result.needs_review
        if self._bar is not None:
            self._bar.update(  # type: ignore[attr-defined]
                self._task, advance=1, tokens=self.tokens, cost=self.cost, review=self.review
            )

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]


def _report(report: BatchReport, err: _Out, replay: bool) -> None:
    done = [a for a in report.articles if a.status == "done"]
    facts = sum(a.facts for a in done)
    verified = sum(a.verified for a in done)
    run, stored = report.run_usage, report.stored_usage
    if replay:
        this_run = (
            f"{_answers(report.answers_fetched)} replayed from recordings, nothing spent"
            f" (from a model: {_cost(run)}; {_tokens(run)})"
        )
    else:
        this_run = f"{_cost(run)} for {_answers(report.answers_fetched)} fetched; {_tokens(run)}"
    review = report.needs_review
    err.line(
        f"{len(done)}/{len(report.articles)} articles done → {report.out}/"
        f"  facts verified {verified}/{facts}"
        + (f"; {len(review)} need review" if review else "")
        + f"\n  this run: {this_run}"
    )
    if report.answers_from_cache:
        err.line(
            f"  stored:   {_cost(stored)} for {_answers(report.answers_from_cache)} from the"
            f" cache, spent by earlier runs; {_tokens(stored)}"
        )
    for article in review:
        # Listed even in quiet mode, like failures: the exit code says there is something.
        print(f"REVIEW {article.file}: {'; '.join(article.review_reasons)}", file=sys.stderr)
    _list_failures(report.failed)


def _model_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The summarize() options given on the command line (none given: the request bodies and
    the defaults stay exactly as without them)."""
    given = {
        "request_timeout": args.timeout,
        "max_completion_tokens": args.max_completion_tokens,
        "temperature": args.temperature,
        "context_tokens": args.context_tokens,
    }
    options: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if args.server_tokenizer:
        options["tokenizer"] = "server"
    return options


def _cost(usage: Usage) -> str:
    return "cost n/a" if usage.cost_usd is None else f"${usage.cost_usd:.4f}"


def _tokens(usage: Usage) -> str:
    return (
        f"tokens in {usage.input_tokens:,} ({usage.cached_tokens:,} cached),"
        f" out {usage.output_tokens:,}"
    )


def _answers(n: int) -> str:
    return f"{n} answer" + ("" if n == 1 else "s")


def _list_failures(failed: list[ArticleResult]) -> None:
    for failure in failed:
        # Failures are listed even in quiet mode.
        print(f"FAILED {failure.file}: {failure.error_type}: {failure.error}", file=sys.stderr)


def _report_interrupted(out: Path, finished: list[ArticleResult], total: int) -> None:
    failed = [a for a in finished if a.status == "failed"]
    print(
        f"summarizer: interrupted: {len(finished)} of {total} articles finished"
        f" ({len(finished) - len(failed)} done, {len(failed)} failed); the other"
        f" {total - len(finished)} are listed as pending in {out / 'index.json'}. Run the same"
        " command again to resume: answers already received are not asked for again.",
        file=sys.stderr,
    )
    _list_failures(failed)


def _summarize(args: argparse.Namespace) -> int:
    err = _Out()
    client, _ = _client(args, err)
    try:
        work = summarize_async(
            Path(args.file), model=args.model, client=client, **_model_settings(args)
        )
        digest = _run(work, client)
    except KeyboardInterrupt:
        print("summarizer: interrupted", file=sys.stderr)
        return INTERRUPTED
    except (SummarizerError, OSError) as exc:
        print(f"summarizer: {redact(str(exc))}", file=sys.stderr)
        return 1
    print(digest.model_dump_json(indent=2))
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(Digest.model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def _reference_server(args: argparse.Namespace) -> int:
    from .testing import run_reference_server

    if args.batch_polls is not None:
        from .testing.batch_api import run_batch_server

        return run_batch_server(args)

    return run_reference_server(args)


def _review(args: argparse.Namespace) -> int:
    from .review import ReviewError, serve_review, write_static_review

    out = Path(args.out_dir)
    try:
        if args.static:
            target = write_static_review(out, Path(args.static))
            print(f"wrote {target} (read-only, self-contained)")
            return 0
        serve_review(out, port=args.port, open_browser=args.open)
    except ReviewError as exc:
        print(f"summarizer: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # not a folder, port in use...
        print(f"summarizer: {exc}", file=sys.stderr)
        return 2
    return 0


def _export(args: argparse.Namespace) -> int:
    from .review import ReviewError, export_reviewed

    try:
        json_path, csv_path = export_reviewed(Path(args.out_dir))
    except ReviewError as exc:
        print(f"summarizer: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"summarizer: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {json_path} and {csv_path}")
    return 0


def _corpus(args: argparse.Namespace) -> int:
    from .corpus.command import run

    return run(Path(args.out_dir), as_json=args.json, person=args.person, text=args.search)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summarizer", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def model_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model", default="gpt-4o-mini")
        p.add_argument("--base-url", help="an OpenAI-compatible server (default: OpenAI)")
        p.add_argument(
            "--cassettes",
            help="recordings replayed when no key or base URL is set"
            " (default: the source checkout's cassettes/reference/seeds)",
        )
        _local_server_options(p)

    b = sub.add_parser("batch", help="summarise every article in a folder")
    b.add_argument("folder")
    b.add_argument("--out", required=True)
    model_options(b)
    b.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    b.add_argument("--rpm", type=float, help="requests per minute allowed")
    b.add_argument("--tpm", type=float, help="tokens per minute allowed")
    b.add_argument("--max-chunk-tokens", type=int, default=2500)
    b.add_argument(
        "--min-verified",
        type=_rate,
        default=0.8,
        metavar="R",
        help="flag articles whose facts verify below this rate (or that have none) as"
        " needs_review, exit code 4 (default 0.8; 0 turns the gate off except for no facts)",
    )
    mode = b.add_mutually_exclusive_group()
    mode.add_argument("--quiet", action="store_true", help="only the exit code and failures")
    mode.add_argument("--jsonl", action="store_true", help="one JSON line per article")
    add_engine_arguments(b)
    b.set_defaults(run=_batch)

    s = sub.add_parser("summarize", help="summarise one article, print the Digest")
    s.add_argument("file")
    model_options(s)
    s.set_defaults(run=_summarize)

    rv = sub.add_parser("review", help="review a batch's fact sheets in the browser")
    rv.add_argument("out_dir", help="the batch output folder (summarizer batch ... --out)")
    rv.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    rv.add_argument("--open", action="store_true", help="open the page in a web browser")
    rv.add_argument(
        "--static", metavar="FILE", help="write a self-contained, read-only HTML file instead"
    )
    rv.set_defaults(run=_review)

    ex = sub.add_parser("export", help="write the reviewed fact sheets (reviewed.json/.csv)")
    ex.add_argument("out_dir", help="the batch output folder")
    ex.set_defaults(run=_export)

    co = sub.add_parser("corpus", help="people, roles and events across a batch's articles")
    co.add_argument("out_dir", help="the batch output folder")
    co.add_argument("--json", action="store_true", help="print JSON instead of writing CSVs")
    query = co.add_mutually_exclusive_group()
    query.add_argument("--person", metavar="NAME", help="print one person's role timeline")
    query.add_argument("--search", metavar="TEXT", help="full-text search over the facts")
    co.set_defaults(run=_corpus)

    sub.add_parser("schema", help="print the Digest JSON Schema").set_defaults(run=_schema)

    r = sub.add_parser("reference-server", help="serve reference answers (for tests)")
    r.add_argument("--annotations", default="tests/reference")
    r.add_argument("--port", type=int, default=8000)
    r.add_argument("--latency", type=float, default=0.0)
    from .testing import add_fault_arguments
    from .testing.batch_api import add_batch_arguments

    add_fault_arguments(r)
    add_batch_arguments(r)
    r.set_defaults(run=_reference_server)
    return parser


def _local_server_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model settings (for local servers: llama.cpp, Ollama, vLLM)")
    g.add_argument("--timeout", type=float, metavar="S", help="request timeout (default 120 s)")
    g.add_argument(
        "--max-completion-tokens", type=int, metavar="N", help="output limit (default 8192)"
    )
    g.add_argument("--temperature", type=float, help="sampling temperature (default 0)")
    g.add_argument(
        "--context-tokens",
        type=int,
        metavar="N",
        help="the server's context size: chunks shrink so that prompt, chunk and output fit",
    )
    g.add_argument(
        "--server-tokenizer",
        action="store_true",
        help="count tokens for --context-tokens with the server's /tokenize (llama.cpp, vLLM)",
    )


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text}: a rate between 0 and 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except _UsageError as exc:
        print(f"summarizer: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
