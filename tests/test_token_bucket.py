"""The one token bucket, shared by the client's limiter and the reference server's budgets."""

from __future__ import annotations

import math

import pytest

from summarizer.ratelimit import TokenBucket
from summarizer.testing.limits import _wait


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_refill_take_give_back_and_reset() -> None:
    clock = Clock()
    bucket = TokenBucket(600, clock)  # 10 a second
    bucket.take(600)
    assert bucket.wait_time(100) == pytest.approx(10.0)
    assert bucket.reset_seconds() == pytest.approx(60.0)
    clock.now += 6.0
    assert bucket.wait_time(60) == 0.0 and bucket.level == pytest.approx(60.0)
    bucket.give_back(10_000)
    assert bucket.level == bucket.capacity == 600.0 and bucket.reset_seconds() == 0.0


def test_larger_than_the_bucket_waits_for_a_full_one_or_never() -> None:
    clock = Clock()
    bucket = TokenBucket(60, clock)
    bucket.take(30)
    assert bucket.wait_time(1000) == pytest.approx(30.0)  # the client's limiter: a full bucket
    assert math.isinf(_wait(bucket, 1000))  # the reference server: refused outright
    assert _wait(bucket, 40) == pytest.approx(10.0)
