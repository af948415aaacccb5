"""The one module that talks to the model, through the official `openai` client.

Two small mechanisms, kept apart:
- transport retries (tenacity): 429 (honouring Retry-After), 408/409/5xx, timeouts, connection
  errors and unreadable bodies are retried with exponential backoff and jitter, bounded by
  attempts and total time. 400/401/403/404/422 are never retried. The SDK's own retries are
  switched off so that the two do not multiply.
- re-asks: an answer that does not validate against the schema is sent back with the error,
  on a copy of the messages, at most `reasks` times.
Usage is summed over every attempt, failed ones included.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import openai
import pydantic
from openai import AsyncOpenAI, OpenAI
from openai.lib._parsing._completions import parse_chat_completion, type_to_response_format_param
from openai.types.chat import ChatCompletion
from pydantic import BaseModel
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from .errors import (
    ContentFilterError,
    ModelError,
    ModelOutputError,
    OutputTruncatedError,
    RefusalError,
)
from .pricing import Price, estimate_cost
from .ratelimit import RateLimiter
from .secrets import redact
from .tokens import count_tokens

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
Message = dict[str, str]

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


class Usage(BaseModel):
    """Tokens and calls, summed over every attempt (retries and re-asks included).

    `cost_usd` is an estimate from the price table (None for a model not in it)."""

    input_tokens: int = 0
    cached_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    retries: int = 0
    reasks: int = 0
    cost_usd: float | None = None

    def priced(self, model: str, prices: dict[str, Price] | None = None) -> Usage:
        cost = estimate_cost(
            model, self.input_tokens, self.cached_tokens, self.output_tokens, prices
        )
        return self.model_copy(update={"cost_usd": cost})

    def __add__(self, other: Usage) -> Usage:
        cost = (
            None
            if self.cost_usd is None and other.cost_usd is None
            else (self.cost_usd or 0.0) + (other.cost_usd or 0.0)
        )
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            calls=self.calls + other.calls,
            retries=self.retries + other.retries,
            reasks=self.reasks + other.reasks,
            cost_usd=None if cost is None else round(cost, 8),
        )


class CachedAnswer(BaseModel):
    """A stored answer and what it cost to get it (so a replay reports the same usage)."""

    body: dict[str, Any]
    calls: int
    retries: int


class ResponseCache(Protocol):
    """Stores answers by request key (the batch keeps one in SQLite)."""

    def get(self, key: str) -> CachedAnswer | None: ...

    def put(self, key: str, answer: CachedAnswer) -> None: ...


@dataclass(frozen=True)
class CallSettings:
    model: str = "gpt-4o-mini"
    temperature: float | None = 0.0
    seed: int | None = None
    max_completion_tokens: int | None = 8192
    max_attempts: int = 6
    max_retry_seconds: float = 180.0
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    reasks: int = 2
    request_timeout: float = 120.0
    prices: dict[str, Price] | None = None
    limiter: RateLimiter | None = None
    expected_output_tokens: int = 1000


def is_transient(exc: BaseException) -> bool:
    """Whether a failed request may succeed if sent again."""
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError | _UnreadableBody)


def retry_after_seconds(exc: BaseException | None, cap: float = 60.0) -> float | None:
    """The server's requested wait (retry-after-ms, or Retry-After seconds or HTTP date)."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    try:
        if "retry-after-ms" in headers:
            return min(float(headers["retry-after-ms"]) / 1000.0, cap)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return min(max(float(value), 0.0), cap)
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            return min(max(when.timestamp() - time.time(), 0.0), cap)
    except (TypeError, ValueError, OverflowError):
        return None


class _UnreadableBody(Exception):
    """A 2xx response whose body is not a chat completion (a proxy's HTML page, say)."""


class _Wait:
    """Exponential backoff with jitter, unless the server said how long to wait."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._backoff = wait_random_exponential(multiplier=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        requested = retry_after_seconds(exc)
        return requested if requested is not None else float(self._backoff(state))


@functools.cache
def _response_format(response_model: type[BaseModel]) -> Any:
    """The strict JSON schema sent for a model (cached: building it costs milliseconds)."""
    return type_to_response_format_param(response_model)


def _request_key(request: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(request, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


class ModelCaller:
    """Sends structured-output requests for one model, with retries, re-asks and usage."""

    def __init__(
        self,
        client: OpenAI | AsyncOpenAI | None,
        settings: CallSettings,
        *,
        cache: ResponseCache | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        # Built the usual way (OPENAI_API_KEY, OPENAI_BASE_URL) when not given, so OpenAI, Azure
        # OpenAI and any OpenAI-compatible server share this one path.
        base = client if client is not None else AsyncOpenAI()
        self._client = base.with_options(max_retries=0, timeout=settings.request_timeout)

    async def _send(self, request: dict[str, Any], response_model: type[BaseModel]) -> Any:
        create: Callable[..., Any] = self._client.chat.completions.with_raw_response.parse
        # The strict schema `parse` would build from the model on every call (milliseconds of
        # pydantic work), built once; the answer is parsed against the model in `_parse`.
        response_format = _response_format(response_model)
        if isinstance(self._client, AsyncOpenAI):
            raw = await create(response_format=response_format, **request)
        else:
            raw = await asyncio.to_thread(create, response_format=response_format, **request)
        try:
            body = raw.http_response.json()
            ChatCompletion.model_validate(body)
        except (ValueError, pydantic.ValidationError) as exc:
            raise _UnreadableBody(f"response body is not a chat completion: {exc}") from exc
        return body

    async def _limited_send(
        self, request: dict[str, Any], response_model: type[BaseModel]
    ) -> dict[str, Any]:
        limiter = self.settings.limiter
        if limiter is None:
            body: dict[str, Any] = await self._send(request, response_model)
            return body
        # What the server will count: messages, the schema it is sent, and the answer (estimated
        # from the answers seen so far).
        estimate = (
            sum(_message_tokens(m["content"]) for m in request["messages"])
            + _schema_tokens(response_model)
            + limiter.expected_output(self.settings.expected_output_tokens)
        )
        async with limiter.slot(estimate) as report:
            body = await self._send(request, response_model)
            counts = body.get("usage") or {}
            limiter.observe_output(int(counts.get("completion_tokens") or 0))
            report(int(counts.get("total_tokens") or estimate))
            return body

    async def _body(
        self,
        request: dict[str, Any],
        response_model: type[BaseModel],
        usage: Usage,
        chunk: int | None,
    ) -> dict[str, Any]:
        """One answer's raw body, from the cache or the server (with transport retries)."""
        key = _request_key({**request, "response_format": _response_format(response_model)})
        if self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                # The digest reports what its answers cost, whether or not this run paid it.
                usage.calls += cached.calls
                usage.retries += cached.retries
                return cached.body
        calls_before, retries_before = usage.calls, usage.retries
        s = self.settings
        retrying = AsyncRetrying(
            stop=stop_after_attempt(s.max_attempts) | stop_after_delay(s.max_retry_seconds),
            wait=_Wait(s.backoff_initial, s.backoff_max),
            retry=retry_if_exception(is_transient),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    usage.calls += 1
                    if attempt.retry_state.attempt_number > 1:
                        usage.retries += 1
                    body: dict[str, Any] = await self._limited_send(request, response_model)
        except openai.APIStatusError as exc:
            raise ModelError(
                f"model request failed with HTTP {exc.status_code}: {_safe_message(exc)}",
                chunk=chunk,
            ) from exc
        except (openai.APIConnectionError, _UnreadableBody) as exc:
            raise ModelError(f"model request failed: {_safe_message(exc)}", chunk=chunk) from exc
        if self.cache is not None:
            self.cache.put(
                key,
                CachedAnswer(
                    body=body,
                    calls=usage.calls - calls_before,
                    retries=usage.retries - retries_before,
                ),
            )
        return body

    async def parse(
        self, messages: list[Message], response_model: type[T], *, chunk: int | None = None
    ) -> tuple[T, Usage]:
        """The model's answer to `messages`, validated as `response_model`, and what it cost.

        Raises OutputTruncatedError (split the input and try again), RefusalError, or
        ModelOutputError / ModelError when the answer never came or never validated.
        """
        usage = Usage()
        try:
            return await self._parse(messages, response_model, chunk, usage)
        except ModelError as exc:
            exc.usage = usage
            raise

    async def _parse(
        self, messages: list[Message], response_model: type[T], chunk: int | None, usage: Usage
    ) -> tuple[T, Usage]:
        s = self.settings
        conversation = [dict(m) for m in messages]  # never touch the caller's list
        last_error = ""
        for ask in range(s.reasks + 1):
            request: dict[str, Any] = {"model": s.model, "messages": conversation}
            if s.temperature is not None:
                request["temperature"] = s.temperature
            if s.seed is not None:
                request["seed"] = s.seed
            if s.max_completion_tokens is not None:
                request["max_completion_tokens"] = s.max_completion_tokens
            body = await self._body(request, response_model, usage, chunk)
            _count_tokens(body, usage)
            try:
                completion = parse_chat_completion(
                    response_format=response_model,
                    input_tools=openai.omit,
                    chat_completion=ChatCompletion.model_validate(body),
                )
            except openai.LengthFinishReasonError as exc:
                raise OutputTruncatedError(
                    "the answer was cut at the output token limit", chunk=chunk
                ) from exc
            except openai.ContentFilterFinishReasonError as exc:
                raise ContentFilterError(
                    "the content filter stopped the answer", chunk=chunk
                ) from exc
            except pydantic.ValidationError as exc:
                last_error = _short_validation_error(exc)
                content = body["choices"][0]["message"].get("content") or ""
                conversation = [
                    *conversation,
                    {"role": "assistant", "content": content},
                    {
                        "role": "user",
                        "content": "Your answer does not match the required JSON schema:\n"
                        f"{last_error}\nAnswer again with one JSON object that matches it.",
                    },
                ]
                if ask < s.reasks:
                    usage.reasks += 1
                continue
            message = completion.choices[0].message
            if message.refusal:
                raise RefusalError(f"the model refused: {message.refusal}", chunk=chunk)
            if message.parsed is None:
                raise ModelOutputError("the answer had no content", chunk=chunk)
            return message.parsed, usage
        raise ModelOutputError(
            f"the answer did not validate after {s.reasks} re-asks: {last_error}", chunk=chunk
        )


@functools.cache
def _schema_tokens(response_model: type[BaseModel]) -> int:
    return count_tokens(json.dumps(_response_format(response_model)))


@functools.lru_cache(maxsize=64)
def _message_tokens(content: str) -> int:
    """Token estimate of one message; the system prompt repeats in every request."""
    return count_tokens(content)


def _count_tokens(body: dict[str, Any], usage: Usage) -> None:
    counts = body.get("usage") or {}
    usage.input_tokens += int(counts.get("prompt_tokens") or 0)
    usage.output_tokens += int(counts.get("completion_tokens") or 0)
    details = counts.get("prompt_tokens_details") or {}
    usage.cached_tokens += int(details.get("cached_tokens") or 0)


def _short_validation_error(exc: pydantic.ValidationError, limit: int = 1500) -> str:
    lines = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in exc.errors()[:20]]
    return "\n".join(lines)[:limit]


def _safe_message(exc: BaseException) -> str:
    """The error's text without anything that looks like a key (servers echo them back)."""
    return redact(str(exc))[:500]


async def gather_limited(jobs: Sequence[Callable[[], Awaitable[R]]], limit: int) -> list[R]:
    """Run `jobs` with at most `limit` in flight, results in order; the first error propagates."""
    semaphore = asyncio.Semaphore(max(limit, 1))

    async def run(job: Callable[[], Awaitable[R]]) -> R:
        async with semaphore:
            return await job()

    return list(await asyncio.gather(*(run(j) for j in jobs)))
