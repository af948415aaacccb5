"""The reference server's per-minute budgets, enforced like the real API's.

`Budgets` holds a token bucket per minute for tokens (`tpm`) and one for requests (`rpm`), full
at start and refilled continuously; it charges each answered request, says how long a request
past the budget must wait, and writes the `x-ratelimit-*` headers every answer carries and the
429 message a request past the budget gets (`rate_limit_message`).

May import: the standard library, `summarizer.ratelimit` (its `TokenBucket`, the one the
client's limiter uses) and `summarizer.testing.faults`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..ratelimit import TokenBucket
from .faults import RequestRecord

RATE_LIMIT_TOKENS = "rate_limit_tokens"
RATE_LIMIT_REQUESTS = "rate_limit_requests"


def _duration(seconds: float) -> str:
    """A duration the way OpenAI's x-ratelimit-reset-* headers write it: 20ms, 1.5s, 6m0s."""
    if seconds < 1.0:
        return f"{max(round(seconds * 1000), 0)}ms"
    if seconds < 60.0:
        return f"{round(seconds, 3):g}s"
    minutes, rest = divmod(seconds, 60.0)
    return f"{int(minutes)}m{round(rest, 3):g}s"


class Budgets:
    """The TPM and RPM budgets (either may be None: no limit) on the server's clock."""

    def __init__(self, tpm: float | None, rpm: float | None, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.tokens = TokenBucket(tpm, clock) if tpm else None
        self.requests = TokenBucket(rpm, clock) if rpm else None

    @property
    def active(self) -> bool:
        return self.tokens is not None or self.requests is not None

    def headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, bucket in (("requests", self.requests), ("tokens", self.tokens)):
            if bucket is not None:
                headers[f"x-ratelimit-limit-{name}"] = str(int(bucket.capacity))
                headers[f"x-ratelimit-remaining-{name}"] = str(max(int(bucket.level), 0))
                headers[f"x-ratelimit-reset-{name}"] = _duration(bucket.reset_seconds())
        return headers

    def charge(self, record: RequestRecord, tokens: int) -> tuple[float, dict[str, str]]:
        """Take one request and `tokens` from the budgets (0.0), or say how long to wait (and
        name the budget in `record.fault`). The caller holds the server's lock."""
        now = self.clock()
        waits: dict[str, float] = {}
        if self.requests is not None:
            waits[RATE_LIMIT_REQUESTS] = _wait(self.requests, 1)
        if self.tokens is not None:
            waits[RATE_LIMIT_TOKENS] = _wait(self.tokens, tokens)
        worst = max(waits, key=lambda k: waits[k])
        if waits[worst] > 0:
            record.fault = worst
            return waits[worst], self.headers()
        if self.requests is not None:
            self.requests.take(1)
        if self.tokens is not None:
            self.tokens.take(tokens)
            record.budget_left = self.tokens.level
        record.tokens = tokens
        record.charged = now
        return 0.0, self.headers()


def _wait(bucket: TokenBucket, amount: float) -> float:
    """Seconds until `amount` fits (0: it fits now; inf: it never will). The real API refuses
    a request larger than the whole budget outright, where the client's limiter would wait."""
    wait = bucket.wait_time(amount)
    return math.inf if amount > bucket.capacity else wait


def rate_limit_message(
    record: RequestRecord, tokens: int, wait: float, headers: dict[str, str]
) -> str:
    """The 429 message for a request past a budget (`wait` from `Budgets.charge`; inf: larger
    than the whole budget); adds the retry-after headers when waiting helps."""
    if math.isinf(wait):
        return (
            f"Request too large for {record.schema or 'this model'}: Limit "
            f"{headers.get('x-ratelimit-limit-tokens')}, Requested {tokens}."
        )
    headers["retry-after-ms"] = str(math.ceil(wait * 1000))
    headers["retry-after"] = str(math.ceil(wait))
    if record.fault == RATE_LIMIT_TOKENS:
        on = f"tokens per min (TPM): Limit {headers.get('x-ratelimit-limit-tokens')}"
    else:
        on = f"requests per min (RPM): Limit {headers.get('x-ratelimit-limit-requests')}"
    return f"Rate limit reached on {on}, Requested {tokens}. Please try again in {_duration(wait)}."
