"""Summarise every article of a folder: concurrent, rate-limited, resumable, never half-written.

Inputs are the `.txt`, `.md`, `.html` and `.htm` files directly in the folder; sub-folders
(an output folder inside the input folder included) and hidden files (names starting with ".")
are skipped and listed as such. For each article file `NAME` (its full name, suffix included)
the batch writes `OUT/NAME.json` (the Digest) and `OUT/NAME.md` (a readable fact sheet): `x.txt`
and `x.md` in one folder give `x.txt.json` and `x.md.json`. Because every input name ends in an
article suffix, no output name can be another file of the run (`index.json`, `facts.csv`,
`reviewed.*`, `*.review.json`, `.cache.sqlite`). Names equal up to case or Unicode normalisation
(`X.txt` / `x.txt`, NFC / NFD), which a case-insensitive or normalising file system would store
as one file, are told apart: the first in code-point order keeps its name, the others get
`~` and eight hex digits of a hash of their name (`x.txt~1b2c3d4e.json`).

For the run: `OUT/index.json` (one entry per article: status `done`, `failed` or `pending`,
verification rate, `needs_review` and why, tokens, cost, error; the run's `state`; the skipped
folder entries) and
`OUT/facts.csv` (one row per fact). Answers are kept in a response cache (`OUT/.cache.sqlite`)
as they arrive, so running again costs no request for anything already answered, and a killed
run resumes where it stopped. Any exception while processing one article ends that article as
`failed` with its type and message; the others go on. A cancelled run (Ctrl-C) still writes
`index.json` (state `interrupted`, unfinished articles `pending`) and `facts.csv` for what
finished before it re-raises.

The quality gate: a `done` article whose facts verify below `BatchSettings.min_verified` (0.8),
or that has no facts at all, is flagged `needs_review` (its outputs are written as usual; the
status stays `done`, so every reader of index.json keeps working), and the command line exits
with its own code, so a run where nothing verified cannot look like a success.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from .cache import SqliteCache
from .digest import Digest, dump_digest
from .errors import ArticleError, ModelError, SummarizerError
from .fitting import TokenCalibration
from .folder import (
    ARTICLE_SUFFIXES,
    OutputFolderError,
    Skipped,
    check_out,
    discover,
    output_stems,
    printable,
    survey,
)
from .ingest import load_article
from .llm import CachedAnswer, ResponseCache, Usage
from .pipeline import summarize_async
from .ratelimit import RateLimiter
from .render import CSV_LINE_END, csv_cell, fact_rows, render_markdown
from .secrets import redact
from .store import remove_stale_temporaries, write_atomic
from .verify import review_reasons

if TYPE_CHECKING:  # the client is only passed through to llm, which builds and uses it
    from openai import AsyncOpenAI, OpenAI

CACHE_NAME = ".cache.sqlite"
# The command's exit code when every article is done but some need review (below
# --min-verified, or no facts): a run where nothing verified must not look like a success.
EXIT_NEEDS_REVIEW = 4
INDEX_NAME = "index.json"
FACTS_NAME = "facts.csv"
FACT_COLUMNS = [
    "file",
    "fact_id",
    "kind",
    "status",
    "text_vi",
    "text_en",
    "value",
    "unit",
    "evidence",
    "problems",
]
MAX_ERROR_CHARS = 2000

Status = Literal["done", "failed", "pending"]
RunState = Literal["running", "complete", "interrupted"]


class ArticleResult(BaseModel):
    file: str
    """The input file's name, as found in the folder."""
    stem: str
    """The article's name in the output folder: its outputs are `<stem>.json` and `<stem>.md`
    (and `<stem>.review.json` for review decisions). Normally the input file name itself."""
    status: Status
    error_type: str | None = None
    error: str | None = None
    unexpected: bool = False
    """The failure is not a SummarizerError or OSError: an answer or input the library does not
    handle yet (a bug worth reporting), recorded rather than stopping the batch."""
    facts: int = 0
    verified: int = 0
    verification_rate: float | None = None
    chunks: int = 0
    gaps: int = 0
    needs_review: bool = False
    """Done, but below the run's `min_verified` rate or with no facts (`review_reasons`)."""
    review_reasons: list[str] = []
    usage: Usage = Usage()


class BatchReport(BaseModel):
    folder: str
    out: str
    model: str
    articles: list[ArticleResult]
    usage: Usage
    """What the articles' answers cost, whether fetched now or replayed from the cache."""
    run_usage: Usage = Usage()
    """What this run's requests cost (`usage` minus what was replayed from the cache)."""
    stored_usage: Usage = Usage()
    """What the answers replayed from the cache had cost when an earlier run fetched them."""
    answers_fetched: int
    answers_from_cache: int
    skipped: list[Skipped] = []

    @property
    def failed(self) -> list[ArticleResult]:
        return [a for a in self.articles if a.status == "failed"]

    @property
    def needs_review(self) -> list[ArticleResult]:
        return [a for a in self.articles if a.needs_review]


@dataclass
class BatchSettings:
    model: str = "gpt-4o-mini"
    concurrency: int = 8
    rpm: float | None = None
    tpm: float | None = None
    options: dict[str, Any] = field(default_factory=dict)
    min_verified: float = 0.8
    """The quality gate: articles verifying below this rate are flagged `needs_review`."""


# ---------------------------------------------------------------------------------------------
# Results and the run's files


def _result_of(path: Path, stem: str, digest: Digest, min_verified: float) -> ArticleResult:
    v = digest.verification
    total = len(v.facts)
    verified = sum(1 for c in v.facts if c.status == "verified")
    reasons = review_reasons(v, min_verified)
    return ArticleResult(
        file=path.name,
        stem=stem,
        status="done",
        facts=total,
        verified=verified,
        verification_rate=round(verified / total, 4) if total else None,
        chunks=digest.run.chunks,
        gaps=len(digest.run.gaps),
        needs_review=bool(reasons),
        review_reasons=reasons,
        usage=digest.usage,
    )


def _failure(path: Path, stem: str, exc: Exception, hint: str | None) -> ArticleResult:
    expected = isinstance(exc, SummarizerError | OSError)
    message = redact(str(exc)) or "(no message)"
    where = printable(str(path))
    if where not in printable(message):
        message = f"{where}: {message}"
    if hint:
        message = f"{message} ({hint})"
    if len(message) > MAX_ERROR_CHARS:
        message = message[:MAX_ERROR_CHARS] + "…"
    usage = getattr(exc, "usage", None)
    return ArticleResult(
        file=printable(path.name),
        stem=printable(stem),
        status="failed",
        error_type=type(exc).__name__,
        error=printable(message),
        unexpected=not expected,
        usage=usage if isinstance(usage, Usage) else Usage(),
    )


def _pending(path: Path, stem: str) -> ArticleResult:
    return ArticleResult(file=printable(path.name), stem=printable(stem), status="pending")


class _RunFiles:
    """index.json and facts.csv of one run.

    index.json is rewritten after every article from a snapshot taken on the event loop; the
    writes run in threads, so a sequence number keeps an older snapshot from landing after a
    newer one (the final write included)."""

    def __init__(self, out: Path, folder: Path, model: str, skipped: list[Skipped]) -> None:
        self.out = out
        self.header = {"folder": printable(str(folder)), "model": model}
        self.skipped = skipped
        self._lock = threading.Lock()
        self._seq = 0
        self._written = 0

    def snapshot(self, entries: list[ArticleResult], state: RunState) -> tuple[int, str]:
        self._seq += 1
        index = {
            **self.header,
            "state": state,
            "articles": [e.model_dump(mode="json") for e in entries],
            "skipped": [s.model_dump() for s in self.skipped],
        }
        return self._seq, json.dumps(index, ensure_ascii=False, indent=2) + "\n"

    def write_index(self, seq: int, text: str) -> None:
        with self._lock:
            if seq <= self._written:
                return
            write_atomic(self.out / INDEX_NAME, text)
            self._written = seq

    def write_facts(self, rows: list[str]) -> None:
        # A BOM so that spreadsheet programs read the Vietnamese as UTF-8.
        write_atomic(self.out / FACTS_NAME, "\ufeff" + _csv_line(FACT_COLUMNS) + "".join(rows))


def _csv_line(cells: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=CSV_LINE_END).writerow(list(cells))
    return buffer.getvalue()


def _fact_lines(name: str, digest: Digest) -> str:
    """The facts.csv rows of one article (built with the article, so that a digest the CSV
    cannot hold fails its own article instead of the run's last step)."""
    lines = []
    for row in fact_rows(digest):
        cells = {k: v if isinstance(v, int | float) else csv_cell(v) for k, v in row.items()}
        cells["file"] = csv_cell(name)
        lines.append(_csv_line(cells.get(c, "") for c in FACT_COLUMNS))
    text = "".join(lines)
    text.encode("utf-8")  # a lone surrogate fails here, with its article
    return text


def _write_article(out: Path, stem: str, digest: Digest) -> None:
    markdown = render_markdown(digest)
    data = dump_digest(digest)
    # The fact sheet first: a digest file is what marks an article as written.
    write_atomic(out / f"{stem}.md", markdown)
    write_atomic(out / f"{stem}.json", data)


# ---------------------------------------------------------------------------------------------
# The run


class _CountingCache:
    """Wraps the response cache to tell this run's requests from answers replayed from it."""

    def __init__(self, inner: ResponseCache) -> None:
        self.inner = inner
        self.hits = 0
        self.misses = 0
        self.stored = Usage()

    def get(self, key: str) -> CachedAnswer | None:
        answer = self.inner.get(key)
        if answer is None:
            self.misses += 1
        else:
            self.hits += 1
            self.stored = self.stored + _answer_usage(answer)
        return answer

    def put(self, key: str, answer: CachedAnswer) -> None:
        self.inner.put(key, answer)


def _answer_usage(answer: CachedAnswer) -> Usage:
    """What a stored answer cost when it was fetched (every attempt and re-ask)."""
    return answer.usage


def _minus(total: Usage, part: Usage) -> Usage:
    def d(a: int, b: int) -> int:
        return max(a - b, 0)

    return Usage(
        input_tokens=d(total.input_tokens, part.input_tokens),
        cached_tokens=d(total.cached_tokens, part.cached_tokens),
        output_tokens=d(total.output_tokens, part.output_tokens),
        calls=d(total.calls, part.calls),
        retries=d(total.retries, part.retries),
        reasks=total.reasks,
    )


ProgressCallback = Callable[[ArticleResult], None]


@dataclass
class _Batch:
    """One run's state, shared by its article tasks (all on one event loop)."""

    folder: Path
    out: Path
    files: list[Path]
    stems: dict[str, str]
    settings: BatchSettings
    client: OpenAI | AsyncOpenAI | None
    options: dict[str, Any]
    run_files: _RunFiles
    on_article: ProgressCallback | None
    missing_answer_hint: str | None
    results: dict[str, ArticleResult] = field(default_factory=dict)
    csv_rows: dict[str, str] = field(default_factory=dict)

    def entries(self) -> list[ArticleResult]:
        return [self.results.get(p.name) or _pending(p, self.stems[p.name]) for p in self.files]

    async def process(self, path: Path) -> ArticleResult:
        """One article, start to finish; any Exception becomes its failure (cancellation,
        KeyboardInterrupt and SystemExit are not Exceptions and stop the run)."""
        stem = self.stems[path.name]
        try:
            if printable(path.name) != path.name:
                raise ArticleError(
                    printable(str(path)), "the file name is not valid UTF-8; rename the file"
                )
            article = await asyncio.to_thread(load_article, path)
            digest = await summarize_async(
                article, model=self.settings.model, client=self.client, **self.options
            )
            rows = _fact_lines(path.name, digest)
            await self._write(path, stem, digest, rows)
        except Exception as exc:
            hint = self.missing_answer_hint if isinstance(exc, ModelError) else None
            return self._record(path, _failure(path, stem, exc, hint))
        return self.results[path.name]

    async def _write(self, path: Path, stem: str, digest: Digest, rows: str) -> None:
        written = asyncio.ensure_future(asyncio.to_thread(_write_article, self.out, stem, digest))
        try:
            await asyncio.shield(written)
        except asyncio.CancelledError:
            # The thread writes on regardless: wait for it, so that the index lists as done
            # every article whose outputs are on disk.
            with contextlib.suppress(Exception):
                await written
            if written.done() and not written.cancelled() and written.exception() is None:
                self.csv_rows[path.name] = rows
                self._record(path, _result_of(path, stem, digest, self.settings.min_verified))
            raise
        self.csv_rows[path.name] = rows
        self._record(path, _result_of(path, stem, digest, self.settings.min_verified))

    def _record(self, path: Path, result: ArticleResult) -> ArticleResult:
        self.results[path.name] = result
        return result

    async def one(self, path: Path, slots: asyncio.Semaphore) -> None:
        async with slots:
            result = await self.process(path)
        seq, text = self.run_files.snapshot(self.entries(), "running")
        # A failed write is tried again by the final one, which reports its failure.
        with contextlib.suppress(OSError):
            await asyncio.to_thread(self.run_files.write_index, seq, text)
        if self.on_article:
            self.on_article(result)

    def finish(self, state: RunState) -> None:
        self.run_files.write_index(*self.run_files.snapshot(self.entries(), state))
        self.run_files.write_facts(
            [self.csv_rows[p.name] for p in self.files if p.name in self.csv_rows]
        )


async def run_batch(
    folder: Path,
    out: Path,
    *,
    client: OpenAI | AsyncOpenAI | None = None,
    settings: BatchSettings | None = None,
    on_article: ProgressCallback | None = None,
    missing_answer_hint: str | None = None,
) -> BatchReport:
    """Summarise every article file in `folder` into `out` (see the module docstring).

    Raises FileNotFoundError when `folder` is not a folder and OutputFolderError when `out` is
    `folder` itself; a failing article never raises. Cancelled (Ctrl-C), it writes index.json
    and facts.csv for what finished, then re-raises."""
    settings = settings or BatchSettings()
    folder, out = Path(folder), Path(out)
    files, skipped = survey(folder)
    check_out(folder, out)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out)
    options: dict[str, Any] = {"concurrency": settings.concurrency, **settings.options}
    if options.get("tokenizer") == "server":
        options["tokenizer"] = TokenCalibration()  # measured once, for the whole run
    options.setdefault(
        "limiter", RateLimiter(settings.concurrency, rpm=settings.rpm, tpm=settings.tpm)
    )
    given: ResponseCache | None = options.get("cache")
    own_cache: SqliteCache | None = None
    if given is None:
        given = own_cache = SqliteCache(out / CACHE_NAME)
    cache = _CountingCache(given)
    options["cache"] = cache
    batch = _Batch(
        folder=folder,
        out=out,
        files=files,
        stems=output_stems(p.name for p in files),
        settings=settings,
        client=client,
        options=options,
        run_files=_RunFiles(out, folder, settings.model, skipped),
        on_article=on_article,
        missing_answer_hint=missing_answer_hint,
    )
    await _run_all(batch, own_cache)
    return _report(batch, cache)


async def _run_all(batch: _Batch, own_cache: SqliteCache | None) -> None:
    # Articles are started together; the limiter bounds what is really in flight.
    slots = asyncio.Semaphore(max(batch.settings.concurrency * 2, 1))
    tasks = [asyncio.create_task(batch.one(p, slots)) for p in batch.files]
    state: RunState = "interrupted"
    try:
        await asyncio.gather(*tasks)
        state = "complete"
    finally:
        try:
            for task in tasks:
                task.cancel()
            # Wait for every article task to end before the cache closes under it.
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            batch.finish(state)
            if own_cache is not None and all(t.done() for t in tasks):
                own_cache.close()


def _report(batch: _Batch, cache: _CountingCache) -> BatchReport:
    ordered = [batch.results[p.name] for p in batch.files]
    total = Usage()
    for r in ordered:
        total = total + r.usage
    prices = batch.options.get("prices")
    model = batch.settings.model
    return BatchReport(
        folder=printable(str(batch.folder)),
        out=printable(str(batch.out)),
        model=model,
        articles=ordered,
        usage=total,
        run_usage=_minus(total, cache.stored).priced(model, prices),
        stored_usage=cache.stored.priced(model, prices),
        answers_fetched=cache.misses,
        answers_from_cache=cache.hits,
        skipped=batch.run_files.skipped,
    )


__all__ = [
    "ARTICLE_SUFFIXES",
    "ArticleResult",
    "BatchReport",
    "BatchSettings",
    "OutputFolderError",
    "Skipped",
    "discover",
    "output_stems",
    "run_batch",
    "survey",
]
