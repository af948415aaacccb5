"""The client-side limiter, on a fake clock (no real waiting)."""

from __future__ import annotations

import asyncio

import pytest

from summarizer import ratelimit
from summarizer.ratelimit import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(ratelimit.asyncio, "sleep", fake.sleep)
    return fake


def _take(limiter: RateLimiter, tokens: int, actual: int | None = None) -> None:
    async def go() -> None:
        async with limiter.slot(tokens) as report:
            if actual is not None:
                report(actual)

    asyncio.run(go())


def test_requests_per_minute_are_paced(clock: FakeClock) -> None:
    limiter = RateLimiter(4, rpm=60, clock=clock)  # one request a second, burst of 60
    for _ in range(60):
        _take(limiter, 10)
    assert clock.slept == []
    _take(limiter, 10)
    assert clock.slept == [pytest.approx(1.0)]


def test_tokens_per_minute_are_paced(clock: FakeClock) -> None:
    limiter = RateLimiter(4, tpm=6000, clock=clock)  # 100 tokens a second
    _take(limiter, 6000)
    _take(limiter, 500)
    assert sum(clock.slept) == pytest.approx(5.0)


def test_real_usage_is_given_back(clock: FakeClock) -> None:
    limiter = RateLimiter(4, tpm=6000, clock=clock)
    _take(limiter, 6000, actual=1000)  # estimated high, used little: 5,000 come back
    _take(limiter, 5000)
    assert clock.slept == []


def test_a_request_larger_than_the_budget_waits_for_a_full_bucket(clock: FakeClock) -> None:
    limiter = RateLimiter(4, tpm=600, clock=clock)
    _take(limiter, 600)
    _take(limiter, 10_000)
    assert sum(clock.slept) == pytest.approx(60.0)


def test_in_flight_requests_are_bounded() -> None:
    limiter = RateLimiter(3)
    running = 0
    peak = 0

    async def job() -> None:
        nonlocal running, peak
        async with limiter.slot(1):
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0)
            running -= 1

    async def main() -> None:
        await asyncio.gather(*(job() for _ in range(20)))

    asyncio.run(main())
    assert peak == 3
