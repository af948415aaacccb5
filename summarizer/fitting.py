"""Chunks that fit a server's context: the chunk budget from `context_tokens`, and the
calibration of o200k_base against the server's own tokenizer.

Chunk budgets are counted with o200k_base, whatever the model. A small local model's tokenizer
can need many more tokens for the same Vietnamese text (SmolLM2's: 13 times more), so a chunk
sized in o200k tokens overflows its context. Two options fix that:

- `context_tokens`: the server's context size. Every request must hold the fixed prompt (the
  system prompt, the response schema, the article's metadata and captions, the tags), the
  chunk and the output limit (`max_completion_tokens`; a quarter of the context when it is
  None), with a small margin for the chat template. The chunk budget is what is left, and
  never more than `max_chunk_tokens`. When not even the fixed prompt and the output limit fit,
  the article fails with ContextTooSmallError before any call.
- `tokenizer="server"`: measure, once per run, how many of the server's tokens one o200k token
  of article text is (POST /tokenize, see `ModelCaller.count_server_tokens`) and how many
  the fixed prompt takes; the context arithmetic above is then done in the server's tokens.
  A server without /tokenize leaves a logged notice and o200k counts.

`max_chunk_tokens` stays an o200k count (how much text a chunk holds); only the context
arithmetic is in the server's tokens. A context-exceeded answer that still happens (no
calibration, a template larger than the margin) is split by the pipeline like a truncated one.
"""

from __future__ import annotations

import asyncio
import functools
import json
import math
from typing import Literal

from .article import Article
from .errors import ContextTooSmallError
from .llm import CallSettings, ModelCaller, strict_response_format
from .prompts import system_prompt
from .schemas import ArticleExtraction, ChunkExtraction
from .tokens import count_tokens

TokenizerOption = Literal["o200k", "server"]
SAMPLE_CHARS = 20_000
"""The calibration sample: the start of the first article's body (enough text for a stable
ratio; a bounded request)."""
MIN_CHUNK_TOKENS = 64
"""A chunk budget below this (o200k tokens) is refused: the article would become hundreds of
requests that each carry the whole fixed prompt."""
_WRAPPERS = 48  # <metadata>, title:, published:, <article part= of=>, <captions>; o200k tokens


class TokenCalibration:
    """The server's tokens per o200k token of article text and its count of the fixed prompt,
    measured once (the first article that needs them) and shared by a run's articles."""

    def __init__(self) -> None:
        self.ratio: float | None = None
        self.fixed_server_tokens: int | None = None
        self.measured = False
        self._lock: asyncio.Lock | None = None

    async def measure(self, caller: ModelCaller, sample: str) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.measured:
                return
            text = sample[:SAMPLE_CHARS]
            server = await caller.count_server_tokens(text) if text.strip() else None
            local = count_tokens(text, caller.settings.model)
            if server and local:
                self.ratio = server / local
                self.fixed_server_tokens = await caller.count_server_tokens(_fixed_text())
            self.measured = True


@functools.cache
def _fixed_text() -> str:
    """The largest fixed part of a request: a system prompt and its response schema."""
    texts = [
        system_prompt(kind)[0] + json.dumps(strict_response_format(model))
        for kind, model in (
            ("extract_article", ArticleExtraction),
            ("extract_chunk", ChunkExtraction),
        )
    ]
    return max(texts, key=len)


@functools.cache
def _fixed_tokens(model: str) -> int:
    return count_tokens(_fixed_text(), model)


def chunk_budget(
    article: Article,
    max_chunk_tokens: int,
    context_tokens: int | None,
    calls: CallSettings,
    calibration: TokenCalibration | None,
) -> int:
    """The o200k budget of one chunk of `article` (see the module docstring)."""
    if context_tokens is None:
        return max_chunk_tokens
    ratio = calibration.ratio if calibration is not None and calibration.ratio else 1.0
    per_article = count_tokens(article.title + "\n".join(article.captions), calls.model)
    per_article += _WRAPPERS
    fixed_base = (
        calibration.fixed_server_tokens
        if calibration is not None and calibration.fixed_server_tokens
        else math.ceil(_fixed_tokens(calls.model) * ratio)
    )
    fixed = fixed_base + math.ceil(per_article * ratio)
    output = calls.max_completion_tokens
    reserved = output if output is not None else context_tokens // 4
    margin = 64 + context_tokens // 32  # the chat template's tokens; estimates' slack
    room = math.floor((context_tokens - fixed - reserved - margin) / ratio)
    if room < MIN_CHUNK_TOKENS:
        raise ContextTooSmallError(context_tokens, fixed + margin, reserved)
    return min(room, max_chunk_tokens)


__all__ = ["MIN_CHUNK_TOKENS", "TokenCalibration", "TokenizerOption", "chunk_budget"]
