"""How a failed model request is classified: retried, given up on, or turned into a typed error.

Kept apart from `summarizer.llm` (which sends the requests and is the only module that does)
so that the rules read in one place; this module sends nothing. It reads the SDK's exception
classes only.

- Transient (retried with backoff): 429, 408/409/5xx, connection errors and timeouts, bodies
  that are not a chat completion.
- Timeouts are retried at most once (`MAX_TIMEOUT_RETRIES`): a request that timed out twice is
  not sent a third time, since a server too slow for the timeout (a CPU llama.cpp server
  writing 8,192 tokens at 45 tokens/s needs three minutes) would spend the same compute again
  on an identical request at temperature 0. It ends in RequestTimeoutError, which names the
  timeout and the option that raises it.
- A context-exceeded answer (HTTP 400 or 5xx whose message says the prompt does not fit:
  llama.cpp "Context size has been exceeded" / "exceeds the available context size", OpenAI
  "context_length_exceeded", vLLM "maximum context length") is never retried as is: the same
  prompt cannot fit the next time. It becomes ContextExceededError, and the pipeline splits
  the chunk (as for a truncated answer) or fails with the reason.

Also here: where a server's `/tokenize` endpoint is and how to read its answer (the request
itself is `ModelCaller.count_server_tokens`).
"""

from __future__ import annotations

import email.utils
import re
import time

import openai
from tenacity import RetryCallState, wait_random_exponential

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_TIMEOUT_RETRIES = 1

_CONTEXT_EXCEEDED = re.compile(
    r"context size has been exceeded|exceeds the available context size"
    r"|context_length_exceeded|maximum context length|context length exceeded"
    r"|prompt is too long|too many tokens in the prompt",
    re.IGNORECASE,
)


class UnreadableBody(Exception):
    """A 2xx response whose body is not a chat completion (a proxy's HTML page, say)."""


def is_context_exceeded(exc: BaseException) -> bool:
    """Whether the server says the request does not fit the model's context."""
    if not isinstance(exc, openai.APIStatusError):
        return False
    if exc.status_code != 400 and exc.status_code < 500:
        return False
    # The SDK's message holds the server's error text; the code is in the body for OpenAI.
    code = exc.code if isinstance(getattr(exc, "code", None), str) else ""
    return bool(_CONTEXT_EXCEEDED.search(f"{exc.message} {code}"))


def is_transient(exc: BaseException) -> bool:
    """Whether a failed request may succeed if sent again."""
    if is_context_exceeded(exc):
        return False
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError | UnreadableBody)


class RetryPolicy:
    """tenacity's `retry` predicate for one call: transient errors, and at most
    MAX_TIMEOUT_RETRIES retries after a timeout."""

    def __init__(self) -> None:
        self.timeouts = 0

    def __call__(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        if exc is None or not is_transient(exc):
            return False
        if isinstance(exc, openai.APITimeoutError):
            self.timeouts += 1
            return self.timeouts <= MAX_TIMEOUT_RETRIES
        return True


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


class Wait:
    """Exponential backoff with jitter, unless the server said how long to wait."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._backoff = wait_random_exponential(multiplier=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        requested = retry_after_seconds(exc)
        return requested if requested is not None else float(self._backoff(state))


def tokenize_url(base_url: str) -> str:
    """The /tokenize endpoint of the server behind `base_url`: at the server root, also when
    the OpenAI-compatible API is under /v1."""
    root = base_url.rstrip("/")
    if root.endswith("/v1"):
        root = root[: -len("/v1")]
    return root + "/tokenize"


def read_token_count(data: object) -> int | None:
    """The token count in a /tokenize answer: vLLM's "count", or the length of "tokens"."""
    if not isinstance(data, dict):
        return None
    count, tokens = data.get("count"), data.get("tokens")
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        return count
    return len(tokens) if isinstance(tokens, list) else None


__all__ = [
    "MAX_TIMEOUT_RETRIES",
    "RETRYABLE_STATUS",
    "RetryPolicy",
    "UnreadableBody",
    "Wait",
    "is_context_exceeded",
    "is_transient",
    "read_token_count",
    "retry_after_seconds",
    "tokenize_url",
]
