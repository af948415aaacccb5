"""One round's requests, found by running the normal pipeline against what is known so far.

Every unfinished article goes through `summarize_async` exactly as in the synchronous batch,
with the same answer cache, but its client's transport never reaches a network. For each
request the pipeline sends, the transport looks in the result store for the answer the batch
engine gave to that exact body (custom_id = `answer_cache_key` of the endpoint and the body):

- an answer → returned as the HTTP response, so the pipeline validates it, caches it when valid,
  re-asks when not (the re-ask, built from that answer, is the next round's request), splits a
  truncated chunk, records a refusal as a gap — all by the synchronous code;
- no answer yet → the body is recorded for the next round and `PendingAnswer` stops the
  article for this round;
- only failed lines → retried in the next round until `attempts` lines have failed (or at once
  when the status is one no retry cures, like 400): then the failure is the HTTP response and
  the article meets it as the synchronous path meets an exhausted call.

So the requests collected are, by construction, the ones the synchronous path sends, and an
article with nothing pending has a digest identical to the synchronous one.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
from openai import AsyncOpenAI, DefaultAsyncHttpxClient

from ..batch import BatchSettings
from ..cache import answer_cache_key
from ..ingest import load_article
from ..llm import ResponseCache
from ..pipeline import summarize_async
from .results import ResultStore

_article: contextvars.ContextVar[str] = contextvars.ContextVar("summarizer_engine_article")
# Requests an article may have pending at once are bounded by its chunks; articles in flight
# at once only bound memory (no network is involved).
_ARTICLES_AT_ONCE = 64


class PendingAnswer(BaseException):
    """The request has no answer yet: the article waits for the next round.

    A control-flow signal, not an error: a BaseException (like asyncio.CancelledError) so that
    the pipeline's handlers, which turn unexpected Exceptions into an article's failure, let it
    through."""


@dataclass
class RoundRequests:
    wanted: dict[str, dict[str, Any]] = field(default_factory=dict)
    """custom_id → request body, for the articles still pending."""
    pending: list[str] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)


class ResultsTransport(httpx2.AsyncBaseTransport):
    """Answers chat completion requests from the result store (see the module docstring).

    `collect=False` (the final pass): a request with no answer gets HTTP 404 instead of
    waiting, so an article that changed since its requests were collected fails clearly."""

    def __init__(
        self, endpoint: str, store: ResultStore, attempts: int, *, collect: bool = True
    ) -> None:
        self.endpoint = endpoint
        self.store = store
        self.attempts = attempts
        self.collect = collect
        self.wanted: dict[str, dict[str, Any]] = {}
        self.owners: dict[str, set[str]] = {}

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return _error(404, f"the batch engine serves chat completions only, not {request.url}")
        body = json.loads(await request.aread())
        custom_id = answer_cache_key(self.endpoint, body)
        answer = self.store.answer(custom_id)
        if answer is not None:
            return httpx2.Response(200, json=answer)
        failures = self.store.failures(custom_id)
        if failures is not None and (failures.count >= self.attempts or not failures.retryable):
            tries = "once" if failures.count == 1 else f"{failures.count} times"
            message = f"the batch request {custom_id[:16]} failed {tries}: {failures.message}"
            return _error(failures.status or 503, message)
        if not self.collect:
            return _error(
                404,
                f"no batch result for request {custom_id[:16]}: the article changed since its"
                " requests were collected; run the command again",
            )
        self.wanted[custom_id] = body
        self.owners.setdefault(custom_id, set()).add(_article.get(""))
        raise PendingAnswer(custom_id)


def _error(status: int, message: str) -> httpx2.Response:
    return httpx2.Response(status, json={"error": {"message": message, "type": "batch_engine"}})


def engine_client(base_url: str, transport: ResultsTransport) -> AsyncOpenAI:
    """A client whose requests never leave the process (its key is never sent anywhere)."""
    http = DefaultAsyncHttpxClient(transport=transport)
    return AsyncOpenAI(base_url=base_url, api_key="batch-engine", http_client=http, max_retries=0)


def pipeline_options(settings: BatchSettings, cache: ResponseCache) -> dict[str, Any]:
    """The pipeline options of the synchronous batch (so requests are the same), with one
    attempt per call: the transport answers at once, and a failure is final for this pass."""
    return {
        "concurrency": settings.concurrency,
        **settings.options,
        "cache": cache,
        "limiter": None,
        "max_attempts": 1,
    }


async def collect_round(
    files: Sequence[Path],
    settings: BatchSettings,
    cache: ResponseCache,
    transport: ResultsTransport,
    base_url: str,
) -> RoundRequests:
    """Run every article in `files` against the results so far: which are pending, and what
    they wait for."""
    transport.wanted.clear()
    transport.owners.clear()
    options = pipeline_options(settings, cache)
    slots = asyncio.Semaphore(_ARTICLES_AT_ONCE)
    result = RoundRequests()
    async with engine_client(base_url, transport) as client:

        async def one(path: Path) -> None:
            async with slots:
                _article.set(path.name)
                try:
                    article = await asyncio.to_thread(load_article, path)
                    await summarize_async(article, model=settings.model, client=client, **options)
                except PendingAnswer:
                    result.pending.append(path.name)
                    return
                except Exception:  # its failure is recorded by the final pass
                    pass
                result.finished.append(path.name)

        # One task per article: each has its own context, so requests know their article.
        await asyncio.gather(*(asyncio.create_task(one(p)) for p in files))
    pending = set(result.pending)
    result.wanted = {
        cid: body
        for cid, body in sorted(transport.wanted.items())
        if transport.owners[cid] & pending
    }
    return result
