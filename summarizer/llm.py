"""The one module that talks to the model, through the official `openai` client.

Two small mechanisms, kept apart:
- transport retries (tenacity): 429 (honouring Retry-After), 408/409/5xx, timeouts, connection
  errors and bodies that are not a chat completion are retried with exponential backoff and
  jitter, bounded by attempts and total time. 400/401/403/404/422 are never retried. The SDK's
  own retries are switched off so that the two do not multiply. A timeout is retried at most
  once (then RequestTimeoutError); a context-exceeded answer never (ContextExceededError): the
  rules are in `summarizer.transport`.
- re-asks: an answer whose content does not validate against the schema (empty, not JSON, a
  lone surrogate, the wrong shape) is sent back with the error, on a copy of the messages, at
  most `reasks` times.
Everything else a 2xx answer can be ends in a typed error (`summarizer.answers` reads the body
without trusting it): no choices → ModelOutputError; finish_reason "length" →
OutputTruncatedError (the pipeline splits the input), or DegenerateOutputError when the cut
answer is one string repeated (a looping model: splitting does not help); "content_filter" →
ContentFilterError; a refusal → RefusalError.

Usage is summed over every attempt, failed ones included; a server that reports no usage is
charged tiktoken estimates of the request and the answer. A `Budget` shared by one article's
calls is checked before every ask (a first request or a re-ask; transport retries are bounded
apart, per call): once the article has spent its calls or output tokens, no call starts and
BudgetExceededError is raised.

The answer cache (`ResponseCache`) keeps only answers that validated, under the key of the
request that started the exchange (`answer_cache_key`: the endpoint without credentials and the
request body), with what all its attempts and re-asks cost; refusals, filtered, truncated and
never-valid answers are not kept, so a later run asks again. Entries are validated again when
read.

The SDK's private modules are not used. Its one helper this module relies on, the builder of
the strict JSON schema sent as `response_format`, is behind `strict_response_format`, which
fails with a clear message if the SDK changes it (tests/test_llm.py checks it too).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2
import openai
import pydantic
from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel
from tenacity import AsyncRetrying, stop_after_attempt, stop_after_delay

from .answers import (
    TokenCounts,
    is_chat_completion,
    printable,
    read_completion,
    repeated_unit,
    reported_tokens,
)
from .cache import CachedAnswer, ResponseCache, answer_cache_key, endpoint_id
from .errors import (
    ContentFilterError,
    ContextExceededError,
    DegenerateOutputError,
    ModelError,
    ModelOutputError,
    OutputTruncatedError,
    RefusalError,
    RequestTimeoutError,
)
from .pricing import Price
from .ratelimit import RateLimiter
from .schemas import without_docs
from .secrets import redact
from .tokens import count_tokens
from .transport import (
    RETRYABLE_STATUS,
    RetryPolicy,
    UnreadableBody,
    Wait,
    is_context_exceeded,
    is_transient,
    read_token_count,
    retry_after_seconds,
    tokenize_url,
)
from .usage import Budget, Usage

T = TypeVar("T", bound=BaseModel)
Message = dict[str, str]
_log = logging.getLogger("summarizer")


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


def strict_response_format(response_model: type[BaseModel]) -> dict[str, Any]:
    """The `response_format` sent for `response_model`: OpenAI's strict JSON schema of it.

    The one place the SDK's schema builder is used: the SDK owns the rules of strict mode
    (every property required, no additional properties, $refs resolved), and the recorded
    cassettes and cache keys hold exactly what it builds. Its public name is
    `openai.lib.type_to_response_format_param`; if a new SDK drops or changes it, this fails
    with a message that says so rather than sending another schema.
    """
    return _strict_response_format(response_model)


@functools.cache
def _strict_response_format(response_model: type[BaseModel]) -> dict[str, Any]:
    # Cached: building the schema costs milliseconds of pydantic work per call otherwise.
    try:
        from openai.lib import type_to_response_format_param
    except ImportError as exc:  # pragma: no cover - only with an incompatible SDK
        raise ImportError(
            f"openai {openai.__version__} has no openai.lib.type_to_response_format_param, the"
            " strict-schema builder summarizer relies on; install an openai version that has it"
        ) from exc
    built: Any = type_to_response_format_param(response_model)
    schema = built.get("json_schema") if isinstance(built, dict) else None
    if (
        not isinstance(schema, dict)
        or built.get("type") != "json_schema"
        or schema.get("strict") is not True
        or not isinstance(schema.get("schema"), dict)
        or schema.get("name") != response_model.__name__
    ):
        raise RuntimeError(
            f"openai {openai.__version__} changed openai.lib.type_to_response_format_param: it"
            " no longer returns {'type': 'json_schema', 'json_schema': {'name', 'schema',"
            f" 'strict': True}} for {response_model.__name__}; summarizer must be updated"
        )
    # The descriptions document the published Digest schema; the rules live in the prompt.
    return {**built, "json_schema": {**schema, "schema": without_docs(schema["schema"])}}


def build_request(
    settings: CallSettings, messages: list[Message], response_model: type[BaseModel]
) -> dict[str, Any]:
    """The JSON body of a chat completion request, exactly as sent (and as keyed)."""
    request: dict[str, Any] = {"model": settings.model, "messages": messages}
    if settings.temperature is not None:
        request["temperature"] = settings.temperature
    if settings.seed is not None:
        request["seed"] = settings.seed
    if settings.max_completion_tokens is not None:
        request["max_completion_tokens"] = settings.max_completion_tokens
    request["response_format"] = strict_response_format(response_model)
    request["stream"] = False
    return request


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
        self.endpoint = endpoint_id(str(self._client.base_url))

    async def _send(self, request: dict[str, Any]) -> dict[str, Any]:
        create: Callable[..., Any] = self._client.chat.completions.with_raw_response.create
        if isinstance(self._client, AsyncOpenAI):
            raw = await create(**request)
        else:
            raw = await asyncio.to_thread(create, **request)
        try:
            body = raw.http_response.json()
        except ValueError as exc:  # not JSON, or not UTF-8
            raise UnreadableBody(f"response body is not a chat completion: {exc}") from exc
        if not is_chat_completion(body):
            raise UnreadableBody("response body is not a chat completion (no list of choices)")
        result: dict[str, Any] = body
        return result

    async def _limited_send(
        self, request: dict[str, Any], response_model: type[BaseModel]
    ) -> dict[str, Any]:
        limiter = self.settings.limiter
        if limiter is None:
            return await self._send(request)
        # What the server will count: messages, the schema it is sent, and the answer (estimated
        # from the answers seen so far).
        estimate = (
            sum(_message_tokens(m["content"]) for m in request["messages"])
            + _schema_tokens(response_model)
            + limiter.expected_output(self.settings.expected_output_tokens)
        )
        async with limiter.slot(estimate) as report:
            body = await self._send(request)
            counts = reported_tokens(body)
            if counts is None:
                report(estimate)
            else:
                limiter.observe_output(counts.completion)
                report(counts.prompt + counts.completion)
            return body

    async def _fetch(
        self,
        request: dict[str, Any],
        response_model: type[BaseModel],
        usage: Usage,
        budget: Budget | None,
        chunk: int | None,
    ) -> dict[str, Any]:
        """One answer's raw body from the server, with transport retries."""
        s = self.settings
        policy = RetryPolicy()
        retrying = AsyncRetrying(
            stop=stop_after_attempt(s.max_attempts) | stop_after_delay(s.max_retry_seconds),
            wait=Wait(s.backoff_initial, s.backoff_max),
            retry=policy,
            reraise=True,
        )
        if budget is not None:
            # One call of the budget per ask; its transport retries are bounded apart.
            budget.start_call(chunk)
        try:
            async for attempt in retrying:
                with attempt:
                    usage.calls += 1
                    if attempt.retry_state.attempt_number > 1:
                        usage.retries += 1
                    body = await self._limited_send(request, response_model)
        except openai.APITimeoutError as exc:
            raise RequestTimeoutError(
                s.request_timeout, times=max(policy.timeouts, 1), chunk=chunk
            ) from exc
        except openai.APIStatusError as exc:
            if is_context_exceeded(exc):
                raise ContextExceededError(
                    f"the request does not fit the model's context (HTTP {exc.status_code}:"
                    f" {_safe_message(exc)}); not sent again as is",
                    chunk=chunk,
                ) from exc
            raise ModelError(
                f"model request failed with HTTP {exc.status_code}: {_safe_message(exc)}",
                chunk=chunk,
            ) from exc
        except (openai.APIConnectionError, UnreadableBody) as exc:
            raise ModelError(f"model request failed: {_safe_message(exc)}", chunk=chunk) from exc
        return body

    async def count_server_tokens(self, text: str) -> int | None:
        """How many tokens the server's own tokenizer makes of `text`, from its `/tokenize`
        endpoint at the server root (llama.cpp: {"content"} → {"tokens"}; vLLM: {"model",
        "prompt"} → {"count", "tokens"}; one request carries both shapes). None, with a logged
        notice, when the server has no such endpoint or answers something else."""
        url = tokenize_url(str(self._client.base_url))
        body = {"model": self.settings.model, "content": text, "prompt": text}
        post: Callable[..., Any] = self._client.post
        try:
            if isinstance(self._client, AsyncOpenAI):
                response = await post(url, body=body, cast_to=httpx2.Response)
            else:
                response = await asyncio.to_thread(post, url, body=body, cast_to=httpx2.Response)
            count = read_token_count(response.json())
        except (openai.APIError, ValueError) as exc:
            count, why = None, _safe_message(exc)
        else:
            why = "the answer holds no token count"
        if count is None:
            _log.warning(
                "%s has no usable /tokenize endpoint (%s): chunk budgets stay counted with"
                " o200k_base",
                endpoint_id(url),
                why,
            )
        return count

    async def parse(
        self,
        messages: list[Message],
        response_model: type[T],
        *,
        chunk: int | None = None,
        budget: Budget | None = None,
    ) -> tuple[T, Usage]:
        """The model's answer to `messages`, validated as `response_model`, and what it cost.

        Raises OutputTruncatedError (split the input and try again), DegenerateOutputError (a
        looping answer: do not split), RefusalError, BudgetExceededError, or ModelOutputError /
        ModelError when the answer never came or never validated. Every ModelError carries the
        usage of the attempts made (`exc.usage`).
        """
        usage = Usage()
        try:
            return await self._parse(messages, response_model, chunk, usage, budget), usage
        except ModelError as exc:
            exc.usage = usage
            raise

    async def _parse(
        self,
        messages: list[Message],
        response_model: type[T],
        chunk: int | None,
        usage: Usage,
        budget: Budget | None,
    ) -> T:
        conversation = [dict(m) for m in messages]  # never touch the caller's list
        request = build_request(self.settings, conversation, response_model)
        key = answer_cache_key(self.endpoint, request)
        replayed = self._replay(key, response_model, usage, budget, chunk)
        if replayed is not None:
            return replayed
        content, problem = "", ""
        for ask in range(self.settings.reasks + 1):
            if ask:
                usage.reasks += 1
                conversation = _reask(conversation, content, problem)
                request = build_request(self.settings, conversation, response_model)
            body = await self._fetch(request, response_model, usage, budget, chunk)
            self._charge(body, request, response_model, usage, budget)
            parsed, content, problem = _interpret(body, response_model, chunk)
            if parsed is not None:
                if self.cache is not None:
                    # Under the first request's key: a rerun replays the whole exchange.
                    self.cache.put(key, CachedAnswer(body=body, usage=usage.model_copy()))
                return parsed
        raise ModelOutputError(
            f"the answer did not validate after {self.settings.reasks} re-asks: {problem}",
            chunk=chunk,
        )

    def _replay(
        self,
        key: str,
        response_model: type[T],
        usage: Usage,
        budget: Budget | None,
        chunk: int | None,
    ) -> T | None:
        """A stored answer, validated again, and what it cost (charged as if spent now)."""
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is None:
            return None
        try:
            parsed, _, _ = _interpret(cached.body, response_model, chunk)
        except ModelError:
            parsed = None  # a failure stored by an older version, or a damaged entry: ask again
        if parsed is None:
            return None
        if budget is not None:
            budget.check(chunk)
            budget.calls += cached.usage.calls - cached.usage.retries
            budget.output_tokens += cached.usage.output_tokens
        # The digest reports what its answers cost, whether or not this run paid it.
        for name in ("input_tokens", "cached_tokens", "output_tokens", "calls", "retries"):
            setattr(usage, name, getattr(usage, name) + getattr(cached.usage, name))
        usage.reasks += cached.usage.reasks
        return parsed

    def _charge(
        self,
        body: dict[str, Any],
        request: dict[str, Any],
        response_model: type[BaseModel],
        usage: Usage,
        budget: Budget | None,
    ) -> None:
        counts = reported_tokens(body) or _estimated_tokens(body, request, response_model)
        usage.input_tokens += counts.prompt
        usage.cached_tokens += counts.cached
        usage.output_tokens += counts.completion
        if budget is not None:
            budget.output_tokens += counts.completion


def _interpret(
    body: dict[str, Any], response_model: type[T], chunk: int | None
) -> tuple[T | None, str, str]:
    """The validated answer; or (None, its content, what is wrong with it) when it is worth a
    re-ask. Answers no re-ask can mend raise their typed error."""
    answer = read_completion(body, chunk)
    if answer.finish_reason == "length":
        unit = repeated_unit(answer.content or "")
        if unit is not None:
            shown = printable(unit, 60)
            raise DegenerateOutputError(
                f"the answer repeated {shown!r} until it was cut at the output token limit",
                unit=shown,
                chunk=chunk,
            )
        raise OutputTruncatedError("the answer was cut at the output token limit", chunk=chunk)
    if answer.finish_reason == "content_filter":
        raise ContentFilterError("the content filter stopped the answer", chunk=chunk)
    if answer.refusal is not None:
        raise RefusalError(f"the model refused: {printable(answer.refusal, 300)}", chunk=chunk)
    content = answer.content or ""
    if not content.strip():
        return None, "", "the answer was empty"
    try:
        return response_model.model_validate_json(content), content, ""
    except pydantic.ValidationError as exc:
        return None, content, _short_validation_error(exc)


def _reask(conversation: list[Message], content: str, problem: str) -> list[Message]:
    """The conversation with the invalid answer and what is wrong with it (server text made
    UTF-8-safe: a lone surrogate sent back would make the request unencodable)."""
    return [
        *conversation,
        {"role": "assistant", "content": printable(content, None)},
        {
            "role": "user",
            "content": "Your answer does not match the required JSON schema:\n"
            f"{printable(problem, 1500)}\nAnswer again with one JSON object that matches it.",
        },
    ]


@functools.cache
def _schema_tokens(response_model: type[BaseModel]) -> int:
    return count_tokens(json.dumps(strict_response_format(response_model)))


@functools.lru_cache(maxsize=64)
def _message_tokens(content: str) -> int:
    """Token estimate of one message; the system prompt repeats in every request."""
    return count_tokens(content)


def _estimated_tokens(
    body: dict[str, Any], request: dict[str, Any], response_model: type[BaseModel]
) -> TokenCounts:
    """Token counts for a server that reported none: tiktoken's count of what was sent and of
    what came back (so usage and the budget still see the call)."""
    try:
        answer = read_completion(body)
        text = answer.content or answer.refusal or ""
    except ModelOutputError:
        text = ""
    prompt = sum(_message_tokens(m["content"]) for m in request["messages"])
    prompt += _schema_tokens(response_model)
    return TokenCounts(prompt, count_tokens(printable(text, None)), 0)


def _short_validation_error(exc: pydantic.ValidationError, limit: int = 1500) -> str:
    lines = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in exc.errors()[:20]]
    return "\n".join(lines)[:limit]


def _safe_message(exc: BaseException) -> str:
    """The error's text without anything that looks like a key (servers echo them back)."""
    return printable(redact(str(exc)), 500)


__all__ = [
    "RETRYABLE_STATUS",
    "Budget",
    "CachedAnswer",
    "CallSettings",
    "Message",
    "ModelCaller",
    "ResponseCache",
    "Usage",
    "answer_cache_key",
    "build_request",
    "endpoint_id",
    "is_transient",
    "read_token_count",
    "retry_after_seconds",
    "strict_response_format",
    "tokenize_url",
]
