"""summarize(): article → chunks → model (map, or one call) → merge → reduce → verify → Digest.

A short article (one chunk) takes one call that returns the fact sheet and the bilingual summary.
A long one is mapped chunk by chunk, concurrently (facts and notes per chunk); the fact sheets are
merged in code; one reduce call writes the summary from the notes and the merged facts. A chunk
whose answer is cut at the output limit is split in two and sent again; a chunk the model
refuses is reported as a gap while the rest of the article goes on. A chunk the server says
does not fit its context (ContextExceededError) is split like a cut one; chunks are sized to
`context_tokens` when it is given (summarizer.fitting).

A cut answer that is one string repeated until the limit (a looping model,
DegenerateOutputError) is not split: splitting does not cure a loop, and the recursion would
multiply the calls (a looping server made one article spend 26 to 112 calls before). Its chunk
becomes a gap, like a refused one, so the article's other chunks still count; an article of one
chunk fails with that error.

Every article has a budget of calls and output tokens (`Budget`, checked before each call the
pipeline makes; transport retries are bounded per call apart). The options are
`max_calls_per_article` and `max_output_tokens_per_article` ("auto" by default, None for no
limit). "auto" sizes them from the article (`default_budget`): 4 + 3 calls per chunk, and
16,384 + 8 output tokens per token of body and captions. The seeds' reference answers take
chunks + 1 calls and 3.0 to 6.7 output tokens per article token (at most 12,276) in chunks of
2,500, 600 or 300 tokens: a third of the default or less (tests/test_budget.py holds them to
half). A model that loops or truncates on every call is stopped after a few calls (7 for an
article of one chunk). A spent budget ends the article with BudgetExceededError, which names
what was spent and the limit.

Nothing but a SummarizerError leaves `summarize_async` for a bad answer: an unexpected
exception once the article is loaded and chunked (while answers are read, merged, verified or
assembled into the Digest) becomes an AnswerProcessingError (a ModelOutputError) with the
original chained as its cause and the article's usage attached. Only `Exception`s are
converted: KeyboardInterrupt, CancelledError and MemoryError pass unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import os
import re
import threading
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .answers import printable
from .article import Article
from .chunking import DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP_TOKENS, Chunk, chunk
from .digest import Digest, Gap, GapReason, RunInfo
from .errors import (
    AnswerProcessingError,
    BudgetExceededError,
    ContentFilterError,
    ContextExceededError,
    ModelError,
    OutputTruncatedError,
    RefusalError,
    SummarizerError,
)
from .fitting import TokenCalibration, TokenizerOption, chunk_budget
from .ingest import load_article
from .llm import (
    Budget,
    CallSettings,
    Message,
    ModelCaller,
    ResponseCache,
    Usage,
)
from .merge import merge
from .prompts import GLOSSARY_KINDS, glossary_section, system_prompt
from .schemas import FACT_KINDS, ArticleExtraction, ChunkExtraction, FactSheet, Summary
from .tokens import count_tokens
from .verify import Verification, verify

if TYPE_CHECKING:  # the client is only passed through to llm, which builds and uses it
    from openai import AsyncOpenAI, OpenAI

R = TypeVar("R")
_MAX_SPLITS = 3


@dataclasses.dataclass(frozen=True)
class PipelineOptions:
    max_chunk_tokens: int = DEFAULT_MAX_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS
    concurrency: int = 4
    drop_unverified: bool = False
    cache: ResponseCache | None = None
    # "auto": sized from the article (default_budget); None: no limit.
    max_calls_per_article: int | Literal["auto"] | None = "auto"
    max_output_tokens_per_article: int | Literal["auto"] | None = "auto"
    # The server's context size (its tokens), and how its tokens are counted: summarizer.fitting.
    context_tokens: int | None = None
    tokenizer: TokenizerOption | TokenCalibration = "o200k"


def _split_options(model: str, options: dict[str, Any]) -> tuple[CallSettings, PipelineOptions]:
    call_fields = {f.name for f in dataclasses.fields(CallSettings)} - {"model"}
    pipe_fields = {f.name for f in dataclasses.fields(PipelineOptions)}
    unknown = set(options) - call_fields - pipe_fields
    if unknown:
        raise TypeError(f"unknown summarize() option(s): {', '.join(sorted(unknown))}")
    calls = CallSettings(model=model, **{k: v for k, v in options.items() if k in call_fields})
    pipe = PipelineOptions(**{k: v for k, v in options.items() if k in pipe_fields})
    for name in ("max_calls_per_article", "max_output_tokens_per_article"):
        value = getattr(pipe, name)
        if value is None or value == "auto":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, None or 'auto', not {value!r}")
    context = pipe.context_tokens
    if context is not None and (isinstance(context, bool) or not isinstance(context, int)):
        raise ValueError(f"context_tokens must be a positive int or None, not {context!r}")
    if context is not None and context < 1:
        raise ValueError(f"context_tokens must be a positive int or None, not {context!r}")
    if pipe.tokenizer not in ("o200k", "server") and not isinstance(
        pipe.tokenizer, TokenCalibration
    ):
        raise ValueError(f"tokenizer must be 'o200k' or 'server', not {pipe.tokenizer!r}")
    return calls, pipe


def default_budget(chunks: int, article_tokens: int) -> tuple[int, int]:
    """The default (calls, output tokens) budget of an article of `chunks` chunks and
    `article_tokens` tokens of body and captions (see the module docstring for the sizing).

    Calls: a healthy article takes one call per chunk plus the reduce call; 3 per chunk leave
    room for one split of each chunk or a few retries, and 4 more for the reduce call and the
    single-call article falling back to map/reduce. Output tokens: 8 per article token covers
    the most thorough fact sheets seen (6.7) with overlap; the floor covers a short article's
    summary and two answers cut at the default 8,192-token limit."""
    return 4 + 3 * chunks, 16_384 + 8 * article_tokens


def _budget(article: Article, chunks: int, pipe: PipelineOptions, model: str) -> Budget:
    calls, tokens = pipe.max_calls_per_article, pipe.max_output_tokens_per_article
    if calls == "auto" or tokens == "auto":
        size = count_tokens(article.body, model) + count_tokens("\n".join(article.captions), model)
        auto_calls, auto_tokens = default_budget(chunks, size)
        calls = auto_calls if calls == "auto" else calls
        tokens = auto_tokens if tokens == "auto" else tokens
    return Budget(max_calls=calls, max_output_tokens=tokens)


@contextlib.contextmanager
def _answers_guard() -> Iterator[None]:
    """Unexpected exceptions while answers are processed become AnswerProcessingError."""
    try:
        yield
    except (SummarizerError, MemoryError):
        raise
    except Exception as exc:  # the narrow, documented conversion (module docstring)
        raise AnswerProcessingError(
            "the model's answers could not be processed:"
            f" {type(exc).__name__}: {printable(str(exc), 300)}"
        ) from exc


_DATA_TAG = re.compile(r"<(/?)(article|captions|metadata|glossary|notes|facts)\b", re.IGNORECASE)


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
    """Metadata, the glossary rows of the names this request's text holds, the part, and the
    captions with the last part."""
    captions = _captions(article) if with_captions else ""
    return (
        _metadata(article)
        + glossary_section("\n".join((article.title, part.text, captions)))
        + f'<article part="{part.index + 1}" of="{total}">\n'
        + as_data(part.text)
        + "\n</article>\n"
        + captions
    )


# The reduce call writes the summary from the facts: their evidence quotes (most of a fact
# sheet's tokens) are for the reviewer, not for it; a field left out is unknown (null).
_WITHOUT_EVIDENCE: dict[str, Any] = {kind: {"__all__": {"evidence"}} for kind in FACT_KINDS}


def _reduce_message(article: Article, notes: str, facts: FactSheet) -> str:
    sheet = facts.model_dump_json(exclude=_WITHOUT_EVIDENCE, exclude_none=True)
    return (
        _metadata(article)
        + glossary_section(sheet, GLOSSARY_KINDS, known=sheet)
        + "<notes>\n"
        + as_data(notes)
        + "\n</notes>\n"
        + "<facts>\n"
        + as_data(sheet)
        + "\n</facts>\n"
    )


def _messages(kind: str, user: str) -> list[Message]:
    system, _ = system_prompt(kind)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


class _Run:
    def __init__(
        self, article: Article, caller: ModelCaller, options: PipelineOptions, budget: Budget
    ) -> None:
        self.article = article
        self.caller = caller
        self.options = options
        self.budget = budget
        self.usage = Usage()
        self.gaps: list[Gap] = []

    async def _ask(self, messages: list[Message], model: type[Any], part: int | None) -> Any:
        try:
            answer, usage = await self.caller.parse(messages, model, chunk=part, budget=self.budget)
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
        except (OutputTruncatedError, ContextExceededError):
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
        except (OutputTruncatedError, ContextExceededError) as exc:
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
        except BudgetExceededError:
            raise  # the article ends: no gap, no more calls
        except ModelError as exc:
            self._gap(part, exc)  # a refusal, a filter, a looping answer, a failed call
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
        user = _reduce_message(self.article, notes, facts)
        try:
            summary: Summary = await self._ask(_messages("reduce", user), Summary, None)
        except BudgetExceededError:
            raise
        except ModelError as exc:
            self._gap(None, exc)
            return facts, None
        return facts, summary


async def gather_limited(jobs: Sequence[Callable[[], Awaitable[R]]], limit: int) -> list[R]:
    """Run `jobs` with at most `limit` in flight, results in order.

    If jobs fail, the others still run to the end (so what their calls cost is accounted; a
    spent budget stops them at their next call), then the first failure in job order is
    raised."""
    semaphore = asyncio.Semaphore(max(limit, 1))

    async def run(job: Callable[[], Awaitable[R]]) -> R:
        async with semaphore:
            return await job()

    outcomes = await asyncio.gather(*(run(j) for j in jobs), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [o for o in outcomes if not isinstance(o, BaseException)]


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
    parts = await _chunks(doc, caller, pipe)
    run = _Run(doc, caller, pipe, _budget(doc, len(parts), pipe, model))
    try:
        with _answers_guard():
            return await _digest(run, parts, model)
    except ModelError as exc:
        exc.usage = run.usage.priced(model, calls.prices)  # what the whole article cost
        raise


async def _chunks(doc: Article, caller: ModelCaller, pipe: PipelineOptions) -> list[Chunk]:
    """The article's chunks, sized to the server's context when one is given."""
    calibration = pipe.tokenizer if isinstance(pipe.tokenizer, TokenCalibration) else None
    if pipe.tokenizer == "server":
        calibration = TokenCalibration()  # one article: its own text is the sample
    if calibration is not None:
        await calibration.measure(caller, doc.body)
    size = chunk_budget(
        doc, pipe.max_chunk_tokens, pipe.context_tokens, caller.settings, calibration
    )
    overlap = (
        pipe.overlap_tokens
        if size == pipe.max_chunk_tokens
        else min(pipe.overlap_tokens, size // 4)
    )
    return chunk(doc, size, overlap, model=caller.settings.model)


async def _digest(run: _Run, parts: list[Chunk], model: str) -> Digest:
    if len(parts) == 1:
        facts, summary = await run.single(parts[0])
    else:
        facts, summary = await run.mapped(parts)
    doc, pipe = run.article, run.options
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
        usage=run.usage.priced(model, run.caller.settings.prices),
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
    `prices` (a price table for the cost estimate), `cache` (a ResponseCache), the
    article's budget `max_calls_per_article` / `max_output_tokens_per_article` ("auto", the
    default, sizes it from the article; None removes the limit; see `default_budget`), and for
    a local server `context_tokens` (its context size: chunks shrink to fit) and
    `tokenizer="server"` (calibrate token counts with its /tokenize; see summarizer.fitting).

    Every failure is a SummarizerError: ArticleError for bad input, ModelError for the model
    (RefusalError, OutputTruncatedError, ModelOutputError and its DegenerateOutputError /
    AnswerProcessingError, BudgetExceededError, ContextExceededError, RequestTimeoutError),
    each with `usage` for what was spent; ContextTooSmallError when `context_tokens` cannot
    hold a request.
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


__all__ = [
    "default_budget",
    "summarize",
    "summarize_async",
]
