"""Estimated cost of a run from token counts: a small, dated price table that callers override.

Prices are US dollars per million tokens, as published by OpenAI on the date given. They change:
pass your own table (`summarize(..., prices={...})`) rather than trusting these for billing.
"""

from __future__ import annotations

from dataclasses import dataclass

PRICES_AS_OF = "2025-08-07"


@dataclass(frozen=True)
class Price:
    input: float
    cached_input: float
    output: float


PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(input=0.15, cached_input=0.075, output=0.60),
    "gpt-4o": Price(input=2.50, cached_input=1.25, output=10.00),
    "gpt-4.1": Price(input=2.00, cached_input=0.50, output=8.00),
    "gpt-4.1-mini": Price(input=0.40, cached_input=0.10, output=1.60),
    "gpt-4.1-nano": Price(input=0.10, cached_input=0.025, output=0.40),
    "gpt-5": Price(input=1.25, cached_input=0.125, output=10.00),
    "gpt-5-mini": Price(input=0.25, cached_input=0.025, output=2.00),
    "gpt-5-nano": Price(input=0.05, cached_input=0.005, output=0.40),
}


BATCH_DISCOUNT = 0.5
"""OpenAI's Batch API bills every token (input, cached input, output) at half the synchronous
price; Azure OpenAI's global batch likewise."""


def batch_prices(table: dict[str, Price] | None = None) -> dict[str, Price]:
    """The price table for requests run through a provider's batch engine."""
    table = PRICES if table is None else table
    return {
        model: Price(
            input=p.input * BATCH_DISCOUNT,
            cached_input=p.cached_input * BATCH_DISCOUNT,
            output=p.output * BATCH_DISCOUNT,
        )
        for model, p in table.items()
    }


def price_for(model: str, table: dict[str, Price] | None = None) -> Price | None:
    """The price of `model`, matching dated snapshots ("gpt-4o-mini-2024-07-18") to their family."""
    table = PRICES if table is None else table
    name = model.rsplit("/", 1)[-1]
    best = max((k for k in table if name == k or name.startswith(k + "-")), key=len, default=None)
    return table[best] if best else None


def estimate_cost(
    model: str,
    input_tokens: int,
    cached_tokens: int,
    output_tokens: int,
    table: dict[str, Price] | None = None,
) -> float | None:
    """US dollars, or None for a model not in the table (a local server, say)."""
    price = price_for(model, table)
    if price is None:
        return None
    uncached = max(input_tokens - cached_tokens, 0)
    dollars = (
        uncached * price.input + cached_tokens * price.cached_input + output_tokens * price.output
    )
    return round(dollars / 1_000_000, 8)
