"""Summarise every article of a folder: concurrent, rate-limited, resumable, never half-written.

For each article `<stem>` the batch writes `OUT/<stem>.json` (the Digest) and `OUT/<stem>.md` (a
readable fact sheet); for the run, `OUT/index.json` (one entry per article: status, verification
rate, tokens, cost, error) and `OUT/facts.csv` (one row per fact). Answers are kept in a response
cache (`OUT/.cache.sqlite`) as they arrive, so running again costs no request for anything
already answered, and a killed run resumes where it stopped. One failing article never stops the
others: it is recorded with its error.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel

from .errors import ArticleError, ModelError, SummarizerError
from .ingest import load_article
from .llm import Usage
from .pipeline import Digest, summarize_async
from .ratelimit import RateLimiter
from .render import csv_cell, fact_rows, render_markdown
from .secrets import redact
from .store import SqliteCache, remove_stale_temporaries, write_atomic

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
CACHE_NAME = ".cache.sqlite"
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


# Output names of the run itself: an article named like them would overwrite them.
RESERVED_STEMS = frozenset({"index", "facts", "reviewed"})


def _check_name(path: Path) -> None:
    if path.stem.lower() in RESERVED_STEMS or path.stem.lower().endswith(".review"):
        raise ArticleError(
            str(path), f"the name {path.stem!r} is reserved for the batch's own output; rename it"
        )


class ArticleResult(BaseModel):
    file: str
    stem: str
    status: Literal["done", "failed"]
    error_type: str | None = None
    error: str | None = None
    facts: int = 0
    verified: int = 0
    verification_rate: float | None = None
    chunks: int = 0
    gaps: int = 0
    usage: Usage = Usage()


class BatchReport(BaseModel):
    folder: str
    out: str
    model: str
    articles: list[ArticleResult]
    usage: Usage
    answers_fetched: int
    answers_from_cache: int

    @property
    def failed(self) -> list[ArticleResult]:
        return [a for a in self.articles if a.status == "failed"]


@dataclass
class BatchSettings:
    model: str = "gpt-4o-mini"
    concurrency: int = 8
    rpm: float | None = None
    tpm: float | None = None
    options: dict[str, Any] = field(default_factory=dict)


def discover(folder: Path) -> list[Path]:
    """The article files of `folder` (not recursive), in name order."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a folder")
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and not p.is_dir()
    )


def _result_of(path: Path, digest: Digest) -> ArticleResult:
    v = digest.verification
    total = len(v.facts)
    verified = sum(1 for c in v.facts if c.status == "verified")
    return ArticleResult(
        file=path.name,
        stem=path.stem,
        status="done",
        facts=total,
        verified=verified,
        verification_rate=round(verified / total, 4) if total else None,
        chunks=digest.run.chunks,
        gaps=len(digest.run.gaps),
        usage=digest.usage,
    )


def _failure(path: Path, exc: BaseException, hint: str | None) -> ArticleResult:
    message = redact(str(exc))
    if hint:
        message = f"{message} ({hint})"
    usage = getattr(exc, "usage", None)
    return ArticleResult(
        file=path.name,
        stem=path.stem,
        status="failed",
        error_type=type(exc).__name__,
        error=message,
        usage=usage if isinstance(usage, Usage) else Usage(),
    )


ProgressCallback = Callable[[ArticleResult], None]


async def run_batch(
    folder: Path,
    out: Path,
    *,
    client: OpenAI | AsyncOpenAI | None = None,
    settings: BatchSettings | None = None,
    on_article: ProgressCallback | None = None,
    missing_answer_hint: str | None = None,
) -> BatchReport:
    """Summarise every article file in `folder` into `out` (see the module docstring)."""
    settings = settings or BatchSettings()
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out)
    files = discover(folder)
    cache = SqliteCache(out / CACHE_NAME)
    limiter = RateLimiter(settings.concurrency, rpm=settings.rpm, tpm=settings.tpm)
    options = {"concurrency": settings.concurrency, **settings.options}
    options.setdefault("limiter", limiter)
    options.setdefault("cache", cache)
    results: dict[str, ArticleResult] = {}
    digests: dict[str, Digest] = {}
    # Articles are started together; the limiter bounds what is really in flight.
    article_slots = asyncio.Semaphore(max(settings.concurrency * 2, 1))

    async def one(path: Path) -> None:
        async with article_slots:
            try:
                _check_name(path)
                article = await asyncio.to_thread(load_article, path)
                digest = await summarize_async(
                    article, model=settings.model, client=client, **options
                )
            except (SummarizerError, OSError) as exc:
                hint = missing_answer_hint if isinstance(exc, ModelError) else None
                result = _failure(path, exc, hint)
            else:
                await asyncio.to_thread(_write_article, out, path, digest)
                digests[path.name] = digest
                result = _result_of(path, digest)
            results[path.name] = result
            await asyncio.to_thread(_write_index, out, folder, settings.model, files, results)
            if on_article:
                on_article(result)

    try:
        await asyncio.gather(*(one(p) for p in files))
    finally:
        cache_hits, cache_misses = cache.hits, cache.misses
        cache.close()
    ordered = [results[p.name] for p in files]
    # Per-article index writes finish in any order; the last word is the complete one.
    _write_index(out, folder, settings.model, files, results)
    _write_facts_csv(out, files, digests)
    total = Usage()
    for r in ordered:
        total = total + r.usage
    return BatchReport(
        folder=str(folder),
        out=str(out),
        model=settings.model,
        articles=ordered,
        usage=total,
        answers_fetched=cache_misses,
        answers_from_cache=cache_hits,
    )


def _write_article(out: Path, path: Path, digest: Digest) -> None:
    write_atomic(out / f"{path.stem}.json", digest.model_dump_json(indent=2) + "\n")
    write_atomic(out / f"{path.stem}.md", render_markdown(digest))


def _write_index(
    out: Path, folder: Path, model: str, files: list[Path], results: dict[str, ArticleResult]
) -> None:
    entries = [
        results[p.name].model_dump(mode="json")
        if p.name in results
        else {"file": p.name, "stem": p.stem, "status": "pending"}
        for p in files
    ]
    index = {"folder": str(folder), "model": model, "articles": entries}
    write_atomic(out / "index.json", json.dumps(index, ensure_ascii=False, indent=2) + "\n")


def _write_facts_csv(out: Path, files: list[Path], digests: dict[str, Digest]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for path in files:
        digest = digests.get(path.name)
        if digest is None:
            continue
        for row in fact_rows(digest):
            cells = {k: v if isinstance(v, int | float) else csv_cell(v) for k, v in row.items()}
            writer.writerow({"file": csv_cell(path.name), **cells})
    # A BOM so that spreadsheet programs read the Vietnamese as UTF-8.
    write_atomic(out / "facts.csv", "\ufeff" + buffer.getvalue())


def load_digest(path: Path) -> Digest:
    return Digest.model_validate_json(path.read_bytes())


__all__ = [
    "ArticleResult",
    "BatchReport",
    "BatchSettings",
    "discover",
    "load_digest",
    "run_batch",
]
