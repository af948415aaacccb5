"""What model calls cost (`Usage`) and what one article may spend on them (`Budget`)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .errors import BudgetExceededError
from .pricing import Price, estimate_cost


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


@dataclass
class Budget:
    """What one article may spend on model calls; None is unlimited.

    Shared by the article's calls and checked before every call the pipeline decides on (a
    chunk, a half of a split chunk, a re-ask, the reduce call), so none starts once `calls` or
    `output_tokens` has reached its limit. Transport retries of a call are not budget calls:
    they cost no answer, depend on the server's health rather than on the article, and are
    bounded per call apart (`max_attempts`, `max_retry_seconds`); `Usage.calls` counts them,
    so it can exceed the budget's `calls`. Answers already in flight still arrive: with N calls
    in flight, the output tokens can pass their limit by at most N answers. Answers replayed
    from the cache count as what they cost.
    """

    max_calls: int | None = None
    max_output_tokens: int | None = None
    calls: int = 0
    output_tokens: int = 0

    def check(self, chunk: int | None = None) -> None:
        if self.max_calls is not None and self.calls >= self.max_calls:
            raise BudgetExceededError("calls", self.calls, self.max_calls, chunk=chunk)
        if self.max_output_tokens is not None and self.output_tokens >= self.max_output_tokens:
            raise BudgetExceededError(
                "output_tokens", self.output_tokens, self.max_output_tokens, chunk=chunk
            )

    def start_call(self, chunk: int | None = None) -> None:
        self.check(chunk)
        self.calls += 1
