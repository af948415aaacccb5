"""Client-side limits, so that a large batch runs at the account's limit instead of into 429s.

`RateLimiter` bounds the requests in flight and paces requests and tokens per minute with two
token buckets. Token counts are estimated with tiktoken before sending (prompt plus the expected
answer); the real counts from the server's usage are reported back, so the estimate's error
does not accumulate. `TokenBucket` is also the reference server's per-minute budget
(`summarizer.testing.limits`), so the client and the server it is tested against count alike.

May import: the standard library only.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class TokenBucket:
    """A per-minute budget as a token bucket: `per_minute` units, full at start, refilled
    continuously at `per_minute / 60` units a second on `clock` (seconds)."""

    def __init__(self, per_minute: float, clock: Callable[[], float]) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.level = float(per_minute)
        self.clock = clock
        self.stamp = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self, amount: float) -> float:
        """Seconds until `amount` can be taken (0 if now); a request larger than the whole
        bucket waits for a full bucket rather than forever (a caller that must refuse it
        compares `amount` with `capacity`)."""
        self._refill()
        amount = min(amount, self.capacity)
        return 0.0 if self.level >= amount else (amount - self.level) / self.rate

    def take(self, amount: float) -> None:
        self._refill()
        self.level -= amount

    def give_back(self, amount: float) -> None:
        self._refill()
        self.level = min(self.capacity, self.level + amount)

    def reset_seconds(self) -> float:
        """Seconds until the bucket is full again (as of the last refill)."""
        return (self.capacity - self.level) / self.rate if self.rate else 0.0


class RateLimiter:
    """At most `max_in_flight` requests at once, `rpm` requests and `tpm` tokens a minute."""

    def __init__(
        self,
        max_in_flight: int = 8,
        *,
        rpm: float | None = None,
        tpm: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_in_flight = max_in_flight
        self._slots = asyncio.Semaphore(max_in_flight)
        self._requests = TokenBucket(rpm, clock) if rpm else None
        self._tokens = TokenBucket(tpm, clock) if tpm else None
        self._lock = asyncio.Lock()
        self._output_mean: float | None = None

    def expected_output(self, default: int) -> int:
        """Expected answer size: a running mean of the answers seen, `default` before any."""
        return default if self._output_mean is None else round(self._output_mean)

    def observe_output(self, tokens: int) -> None:
        if tokens > 0:
            mean = self._output_mean
            self._output_mean = tokens if mean is None else 0.8 * mean + 0.2 * tokens

    @asynccontextmanager
    async def slot(self, estimated_tokens: int) -> AsyncIterator[Callable[[int], None]]:
        """Hold a request slot; the yielded callback reports the request's real token count."""
        async with self._slots:
            async with self._lock:
                # Waiting under the lock keeps requests in order (no starvation of big ones).
                while True:
                    wait = max(
                        self._requests.wait_time(1) if self._requests else 0.0,
                        self._tokens.wait_time(estimated_tokens) if self._tokens else 0.0,
                    )
                    if wait <= 0:
                        break
                    await asyncio.sleep(wait)
                if self._requests:
                    self._requests.take(1)
                if self._tokens:
                    self._tokens.take(estimated_tokens)

            def actual(tokens: int) -> None:
                if self._tokens:
                    self._tokens.give_back(estimated_tokens - tokens)

            yield actual
