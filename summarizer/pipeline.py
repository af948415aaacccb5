"""summarize(): article → chunks → model (map, or one call) → merge → reduce → verify → Digest.

A short article (one chunk) takes one call that returns the fact sheet and the bilingual summary.
A long one is mapped chunk by chunk, concurrently (facts and notes per chunk); the fact sheets are
merged in code; one reduce call writes the summary from the notes and the merged facts. A chunk
whose answer is cut at the output limit is split in two and sent again; a chunk the model
refuses is reported as a gap while the rest of the article goes on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import os
import re
import threading
from typing import Any, Literal

from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel, Field

from .article import Article
from .chunking import DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP_TOKENS, Chunk, chunk
from .errors import ContentFilterError, ModelError, OutputTruncatedError, RefusalError
from .ingest import load_article
from .llm import CallSettings, Message, ModelCaller, ResponseCache, Usage, gather_limited
from .merge import merge
from .prompts import system_prompt
from .schemas import ArticleExtraction, ChunkExtraction, FactSheet, Summary
from .verify import Verification, verify

DIGEST_SCHEMA_VERSION = 1
_MAX_SPLITS = 3


@dataclasses.dataclass(frozen=True)
class PipelineOptions:
    max_chunk_tokens: int = DEFAULT_MAX_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS
    concurrency: int = 4
    drop_unverified: bool = False
    cache: ResponseCache | None = None


GapReason = Literal["refusal", "content_filter", "failed"]


class Gap(BaseModel):
    """A part of the body that no fact sheet covers, because its model call failed; chunk -1
    (with an empty span) is the summary (reduce) call."""

    chunk: int
    start: int
    end: int
    reason: GapReason
    error: str


class RunInfo(BaseModel):
    model: str
    prompt_version: str
    chunks: int
    gaps: list[Gap] = Field(default_factory=list)
    dropped_unverified: int = 0


class Digest(BaseModel):
    """Everything known about one article after summarisation. Its JSON Schema is published
    (`Digest.model_json_schema()`, and `summarizer schema` on the command line)."""

    schema_version: int = DIGEST_SCHEMA_VERSION
    article: Article
    summary: Summary | None
    facts: FactSheet
    verification: Verification
    usage: Usage
    run: RunInfo


def _split_options(model: str, options: dict[str, Any]) -> tuple[CallSettings, PipelineOptions]:
    call_fields = {f.name for f in dataclasses.fields(CallSettings)} - {"model"}
    pipe_fields = {f.name for f in dataclasses.fields(PipelineOptions)}
    unknown = set(options) - call_fields - pipe_fields
    if unknown:
        raise TypeError(f"unknown summarize() option(s): {', '.join(sorted(unknown))}")
    calls = CallSettings(model=model, **{k: v for k, v in options.items() if k in call_fields})
    pipe = PipelineOptions(**{k: v for k, v in options.items() if k in pipe_fields})
    return calls, pipe


_DATA_TAG = re.compile(r"<(/?)(article|captions|metadata|notes|facts)\b", re.IGNORECASE)


def as_data(text: str) -> str:
    """Article text made unable to close or open the prompt's data sections."""
    return _DATA_TAG.sub(lambda m: "＜" + m.group(1) + m.group(2), text)


def _metadata(article: Article) -> str:
    published = article.published.isoformat() if article.published else "unknown"
    return f"<metadata>\ntitle: {as_data(article.title)}\npublished: {published}\n</metadata>\n"


def _captions(article: Article) -> str:
    if not article.captions:
        return ""
    return "<captions>\n" + as_data("\n".join(article.captions)) + "\n</captions>\n"


def _article_message(article: Article, part: Chunk, total: int, with_captions: bool) -> str:
    return (
        _metadata(article)
        + f'<article part="{part.index + 1}" of="{total}">\n'
        + as_data(part.text)
        + "\n</article>\n"
        + (_captions(article) if with_captions else "")
    )


def _messages(kind: str, user: str) -> list[Message]:
    system, _ = system_prompt(kind)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


class _Run:
    def __init__(self, article: Article, caller: ModelCaller, options: PipelineOptions) -> None:
        self.article = article
        self.caller = caller
        self.options = options
        self.usage = Usage()
        self.gaps: list[Gap] = []

    async def _ask(self, messages: list[Message], model: type[Any], part: int | None) -> Any:
        try:
            answer, usage = await self.caller.parse(messages, model, chunk=part)
        except ModelError as exc:
            # A failed call still cost what its attempts cost: the caller attaches it.
            if isinstance(exc.usage, Usage):
                self.usage = self.usage + exc.usage
            raise
        self.usage = self.usage + usage
        return answer

    async def single(self, part: Chunk) -> tuple[FactSheet, Summary | None]:
        user = _article_message(self.article, part, 1, with_captions=True)
        try:
            answer: ArticleExtraction = await self._ask(
                _messages("extract_article", user), ArticleExtraction, part.index
            )
        except OutputTruncatedError:
            halves = _split(part, self.caller.settings.model)
            return await self.mapped(halves)
        return answer.facts, answer.summary

    async def _map_one(
        self, part: Chunk, total: int, last: bool, depth: int
    ) -> list[tuple[Chunk, ChunkExtraction]]:
        user = _article_message(self.article, part, total, with_captions=last)
        try:
            answer: ChunkExtraction = await self._ask(
                _messages("extract_chunk", user), ChunkExtraction, part.index
            )
        except OutputTruncatedError as exc:
            if depth >= _MAX_SPLITS or part.tokens < 64:
                self._gap(part, exc)
                return []
            results: list[tuple[Chunk, ChunkExtraction]] = []
            halves = _split(part, self.caller.settings.model)
            for i, half in enumerate(halves):
                results += await self._map_one(
                    half, total, last and i == len(halves) - 1, depth + 1
                )
            return results
        except ModelError as exc:
            self._gap(part, exc)
            return []
        return [(part, answer)]

    def _gap(self, part: Chunk | None, exc: ModelError) -> None:
        reason: GapReason = (
            "content_filter"
            if isinstance(exc, ContentFilterError)
            else "refusal"
            if isinstance(exc, RefusalError)
            else "failed"
        )
        where = {"chunk": -1, "start": 0, "end": 0}
        if part is not None:
            where = {"chunk": part.index, "start": part.start, "end": part.end}
        self.gaps.append(Gap(**where, reason=reason, error=str(exc)))

    async def mapped(self, parts: list[Chunk]) -> tuple[FactSheet, Summary | None]:
        total = len(parts)
        jobs = [
            functools.partial(self._map_one, p, total, i == total - 1, 0)
            for i, p in enumerate(parts)
        ]
        results = [r for rs in await gather_limited(jobs, self.options.concurrency) for r in rs]
        if not results:
            raise ModelError(
                "no part of the article could be processed: "
                + "; ".join(g.error for g in self.gaps)
            )
        facts = merge([answer.facts for _, answer in results])
        notes = "\n".join(
            f"[{part.index + 1}] {note}" for part, answer in results for note in answer.notes
        )
        user = (
            _metadata(self.article)
            + "<notes>\n"
            + as_data(notes)
            + "\n</notes>\n"
            + "<facts>\n"
            + as_data(facts.model_dump_json())
            + "\n</facts>\n"
        )
        try:
            summary: Summary = await self._ask(_messages("reduce", user), Summary, None)
        except ModelError as exc:
            self._gap(None, exc)
            return facts, None
        return facts, summary


def _split(part: Chunk, model: str) -> list[Chunk]:
    """Two (or so) smaller chunks of `part`, with offsets in the body."""
    budget = max(part.tokens // 2 + 16, 16)
    pieces = chunk(part.text, max_tokens=budget, overlap_tokens=min(64, budget // 4), model=model)
    return [
        Chunk(
            index=part.index,
            text=p.text,
            tokens=p.tokens,
            start=part.start + p.start,
            end=part.start + p.end,
        )
        for p in pieces
    ]


async def summarize_async(
    article: Article | str | os.PathLike[str] | bytes,
    *,
    model: str = "gpt-4o-mini",
    client: OpenAI | AsyncOpenAI | None = None,
    **options: Any,
) -> Digest:
    """Summarise one article: see `summarize`."""
    calls, pipe = _split_options(model, options)
    doc = article if isinstance(article, Article) else load_article(article)
    caller = ModelCaller(client, calls, cache=pipe.cache)
    parts = chunk(doc, pipe.max_chunk_tokens, pipe.overlap_tokens, model=model)
    run = _Run(doc, caller, pipe)
    try:
        if len(parts) == 1:
            facts, summary = await run.single(parts[0])
        else:
            facts, summary = await run.mapped(parts)
    except ModelError as exc:
        exc.usage = run.usage.priced(model, calls.prices)  # what the whole article cost
        raise
    verification = verify(facts, doc, summary)
    dropped = 0
    if pipe.drop_unverified:
        facts, dropped = _drop_unverified(facts, verification)
        verification = verify(facts, doc, summary)
    versions = sorted({system_prompt(k)[1] for k in ("extract_article", "extract_chunk", "reduce")})
    return Digest(
        article=doc,
        summary=summary,
        facts=facts,
        verification=verification,
        usage=run.usage.priced(model, calls.prices),
        run=RunInfo(
            model=model,
            prompt_version=" ".join(versions),
            chunks=len(parts),
            gaps=run.gaps,
            dropped_unverified=dropped,
        ),
    )


def _drop_unverified(facts: FactSheet, verification: Verification) -> tuple[FactSheet, int]:
    keep = {(c.kind, c.index) for c in verification.facts if c.status == "verified"}
    data = facts.model_dump()
    dropped = 0
    for kind, items in data.items():
        data[kind] = [f for i, f in enumerate(items) if (kind, i) in keep]
        dropped += len(items) - len(data[kind])
    return FactSheet.model_validate(data), dropped


def summarize(
    article: Article | str | os.PathLike[str] | bytes,
    *,
    model: str = "gpt-4o-mini",
    client: OpenAI | AsyncOpenAI | None = None,
    **options: Any,
) -> Digest:
    """Turn an article (a pathlib.Path or other os.PathLike, page text, raw bytes or a loaded
    Article) into a Digest. A `str` is always the page text, never a file name.

    `client` is an `openai.OpenAI` or `openai.AsyncOpenAI`; without one it is built from
    OPENAI_API_KEY and OPENAI_BASE_URL. Options (all keyword, all optional): chunking
    (`max_chunk_tokens`, `overlap_tokens`), `concurrency`, `drop_unverified`, sampling
    (`temperature`, `seed`, `max_completion_tokens`), retries (`max_attempts`,
    `max_retry_seconds`, `backoff_initial`, `backoff_max`, `reasks`, `request_timeout`),
    `prices` (a price table for the cost estimate) and `cache` (a ResponseCache).
    """
    coroutine = summarize_async(article, model=model, client=client, **options)
    return asyncio.run_coroutine_threadsafe(coroutine, _background_loop()).result()


@functools.cache
def _background_loop() -> asyncio.AbstractEventLoop:
    """One long-lived event loop for the sync API, in a daemon thread.

    An AsyncOpenAI client keeps connections bound to the loop it first ran on; running every
    sync call on the same loop lets callers reuse one client across calls (asyncio.run would
    close the loop under its connections after the first call).
    """
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="summarizer-loop", daemon=True).start()
    return loop


def digest_json_schema() -> dict[str, Any]:
    return Digest.model_json_schema()


__all__ = ["Digest", "Gap", "RunInfo", "digest_json_schema", "summarize", "summarize_async"]
