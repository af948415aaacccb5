"""The `summarizer` command: a thin shell over the library.

    summarizer batch SEEDS_DIR --out OUT_DIR [--model M] [--concurrency N] [--base-url URL] ...
    summarizer summarize FILE [--model M] [--base-url URL]        (prints the Digest as JSON)
    summarizer review OUT_DIR [--port P] [--open] [--static FILE]  (review page over the output)
    summarizer export OUT_DIR                                     (reviewed facts as JSON, CSV)
    summarizer corpus OUT_DIR [--json] [--person NAME] [--search TEXT]  (people, events, index)
    summarizer schema                                             (prints the Digest JSON Schema)
    summarizer reference-server [--annotations DIR] [--port P] [--latency S]

With neither OPENAI_API_KEY nor --base-url, `batch` and `summarize` replay the recorded cassettes
(offline demo) and say so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from openai import AsyncOpenAI, DefaultAsyncHttpxClient

from .batch import ArticleResult, BatchReport, BatchSettings, run_batch
from .cassettes import STABLE_HOST, ReplayTransport
from .errors import SummarizerError
from .pipeline import Digest, summarize
from .secrets import redact

DEMO_CASSETTES = Path("cassettes") / "reference" / "seeds"
DEMO_PROVENANCE = (
    "recorded against the project's reference server, which answers from hand-written"
    " reference annotations (tests/reference/) — not from a model"
)
NO_RECORDING_HINT = "no recording for this article: set OPENAI_API_KEY or pass --base-url"


def _client(args: argparse.Namespace, err: _Out) -> tuple[AsyncOpenAI, bool]:
    """The model client, and whether it replays recordings (no key and no base URL)."""
    if args.base_url or os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
        if not args.base_url:
            return AsyncOpenAI(), False
        # Local servers (llama.cpp, Ollama, vLLM) take any key.
        key = os.environ.get("OPENAI_API_KEY") or "not-needed"
        return AsyncOpenAI(base_url=args.base_url, api_key=key), False
    folder = Path(args.cassettes)
    cassettes = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    err.line(
        "┌ OFFLINE DEMO: no OPENAI_API_KEY and no --base-url, so no model is called.\n"
        f"│ Replaying {len(cassettes)} recorded cassettes from {folder}/,\n"
        f"│ {DEMO_PROVENANCE}.\n"
        "└ Set OPENAI_API_KEY (or --base-url for a local server) to summarise with a model."
    )
    transport = ReplayTransport(cassettes)
    http = DefaultAsyncHttpxClient(transport=transport)
    return AsyncOpenAI(base_url=STABLE_HOST + "/v1", api_key="replay", http_client=http), True


class _Out:
    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def line(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


def _batch(args: argparse.Namespace) -> int:
    err = _Out(quiet=args.quiet or args.jsonl)
    client, replay = _client(args, err)
    settings = BatchSettings(
        model=args.model,
        concurrency=args.concurrency,
        rpm=args.rpm,
        tpm=args.tpm,
        options={"max_chunk_tokens": args.max_chunk_tokens},
    )
    folder, out = Path(args.folder), Path(args.out)
    progress = _Progress(enabled=not (args.quiet or args.jsonl))

    def on_article(result: ArticleResult) -> None:
        if args.jsonl:
            print(result.model_dump_json(), flush=True)
        progress.advance(result)

    try:
        total = len(list(folder.iterdir())) if folder.is_dir() else 0
        progress.start(total)
        report = asyncio.run(
            run_batch(
                folder,
                out,
                client=client,
                settings=settings,
                on_article=on_article,
                missing_answer_hint=NO_RECORDING_HINT if replay else None,
            )
        )
    except FileNotFoundError as exc:
        print(f"summarizer: {exc}", file=sys.stderr)
        return 2
    finally:
        progress.stop()
    _report(report, err, replay)
    return 1 if report.failed else 0


class _Progress:
    """A rich progress bar on the terminal: articles done, tokens, cost so far."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.tokens = 0
        self.cost = 0.0
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
            transient=True,
        )
        self._task = bar.add_task("batch", total=total, tokens=0, cost=0.0)
        bar.start()
        self._bar = bar

    def advance(self, result: ArticleResult) -> None:
        self.tokens += result.usage.input_tokens + result.usage.output_tokens
        self.cost += result.usage.cost_usd or 0.0
        if self._bar is not None:
            self._bar.update(  # type: ignore[attr-defined]
                self._task, advance=1, tokens=self.tokens, cost=self.cost
            )

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]


def _report(report: BatchReport, err: _Out, replay: bool) -> None:
    done = [a for a in report.articles if a.status == "done"]
    facts = sum(a.facts for a in done)
    verified = sum(a.verified for a in done)
    u = report.usage
    cost = "n/a" if u.cost_usd is None else f"${u.cost_usd:.4f}"
    err.line(
        f"{len(done)}/{len(report.articles)} articles done → {report.out}/  "
        f"facts verified {verified}/{facts}  "
        f"tokens in {u.input_tokens} (cached {u.cached_tokens}) out {u.output_tokens}  "
        f"est. cost {cost}  answers fetched {report.answers_fetched}, "
        f"from cache {report.answers_from_cache}" + ("  [replay]" if replay else "")
    )
    for failure in report.failed:
        # Failures are listed even in quiet mode.
        print(f"FAILED {failure.file}: {failure.error_type}: {failure.error}", file=sys.stderr)


def _summarize(args: argparse.Namespace) -> int:
    err = _Out()
    client, _ = _client(args, err)
    try:
        digest = summarize(Path(args.file), model=args.model, client=client)
    except SummarizerError as exc:
        print(f"summarizer: {redact(str(exc))}", file=sys.stderr)
        return 1
    print(digest.model_dump_json(indent=2))
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(Digest.model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def _reference_server(args: argparse.Namespace) -> int:
    from .testing import run_reference_server

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
            default=str(DEMO_CASSETTES),
            help="recordings replayed when no key or base URL is set",
        )

    b = sub.add_parser("batch", help="summarise every article in a folder")
    b.add_argument("folder")
    b.add_argument("--out", required=True)
    model_options(b)
    b.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    b.add_argument("--rpm", type=float, help="requests per minute allowed")
    b.add_argument("--tpm", type=float, help="tokens per minute allowed")
    b.add_argument("--max-chunk-tokens", type=int, default=2500)
    mode = b.add_mutually_exclusive_group()
    mode.add_argument("--quiet", action="store_true", help="only the exit code and failures")
    mode.add_argument("--jsonl", action="store_true", help="one JSON line per article")
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

    add_fault_arguments(r)
    r.set_defaults(run=_reference_server)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
