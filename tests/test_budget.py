"""The per-article budget of calls and output tokens, and looping answers that are not split.

Calls are counted at the fake server (requests received), never timed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summarizer import load_article, summarize
from summarizer.errors import BudgetExceededError, DegenerateOutputError, ModelError
from summarizer.pipeline import default_budget
from summarizer.schemas import FACT_KINDS
from summarizer.testing import ReferenceBook, ReferenceServer
from summarizer.tokens import count_tokens

from .conftest import REFERENCE, SEEDS
from .fake_chat import FakeChat, completion

SHORT = SEEDS / "004_0b7d40f7952fcebe.txt"  # one chunk at the default chunk size
LONG = SEEDS / "001_8949947c50df7356.txt"
SMALL = {"max_chunk_tokens": 600, "overlap_tokens": 120}
FAST = {"backoff_initial": 0.0, "backoff_max": 0.0}
LOOP = completion("PEOPLLE " * 1500, finish_reason="length")


def _truncated(request: dict[str, Any]) -> dict[str, Any]:
    """A cut answer that repeats nothing (every request gets different facts), cut at a small
    output limit (about 1,000 tokens, so that the call budget is the one reached)."""
    seed = len(request["messages"][-1]["content"])
    people = ",".join(f'{{"name": "Người {seed * 31 + i * 7919}"}}' for i in range(80))
    return completion('{"facts": {"people": [' + people, finish_reason="length")


def _user(request: dict[str, Any]) -> str:
    return str(request["messages"][-1]["content"])


@pytest.fixture(scope="module")
def book() -> ReferenceBook:
    return ReferenceBook.from_dir(REFERENCE)


def test_looping_answer_is_not_split_single_chunk() -> None:
    """Regression: a server that always loops to the output limit cost 26 calls on this
    one-chunk article (the split recursion); now one call and a typed failure."""
    fake = FakeChat(lambda _: LOOP)
    with pytest.raises(DegenerateOutputError, match="repeated 'PEOPLLE '") as info:
        summarize(SHORT, client=fake.client(), **FAST)
    assert len(fake.requests) == 1
    assert info.value.unit == "PEOPLLE "
    assert info.value.usage.calls == 1  # type: ignore[attr-defined]


def test_looping_answer_on_every_chunk_costs_one_call_per_chunk() -> None:
    """Regression: 112 calls before for this article in 600-token chunks (5 chunks)."""
    fake = FakeChat(lambda _: LOOP)
    with pytest.raises(ModelError, match="no part of the article could be processed") as info:
        summarize(LONG, client=fake.client(), **FAST, **SMALL)
    chunks = len(set(map(_user, fake.requests)))
    assert len(fake.requests) == chunks == 5
    assert "repeated 'PEOPLLE '" in str(info.value)


def test_one_looping_chunk_is_a_gap(book: ReferenceBook) -> None:
    def answer(request: dict[str, Any]) -> dict[str, Any]:
        if 'part="2"' in _user(request):
            return LOOP
        name = request["response_format"]["json_schema"]["name"]
        return completion(json.dumps(book.answer(name, _user(request)), ensure_ascii=False))

    fake = FakeChat(answer)
    digest = summarize(LONG, client=fake.client(), **FAST, **SMALL)
    (gap,) = digest.run.gaps
    assert gap.chunk == 1 and gap.reason == "failed" and "repeated" in gap.error
    assert digest.summary is not None and sum(len(getattr(digest.facts, k)) for k in FACT_KINDS)
    assert len(fake.requests) == digest.run.chunks + 1  # no split of the looping chunk


def test_truncation_on_every_call_is_stopped_by_the_call_budget() -> None:
    """A cut answer that does not loop is split, but only as far as the budget goes
    (before: 26 calls on this article; the default budget of one chunk is 7)."""
    fake = FakeChat(_truncated)
    with pytest.raises(BudgetExceededError, match="model calls is spent: 7 of 7") as info:
        summarize(SHORT, client=fake.client(), **FAST)
    assert len(fake.requests) == 7 == default_budget(1, 0)[0]
    assert (info.value.resource, info.value.spent, info.value.limit) == ("calls", 7, 7)
    assert info.value.usage.calls == 7  # type: ignore[attr-defined]


@pytest.mark.parametrize(("limit", "requests"), [(3, 3), (None, 26)])
def test_call_budget_option(limit: int | None, requests: int) -> None:
    fake = FakeChat(_truncated)
    with pytest.raises(ModelError):
        summarize(
            SHORT,
            client=fake.client(),
            max_calls_per_article=limit,
            max_output_tokens_per_article=None if limit is None else "auto",
            **FAST,
        )
    # None: no budget, only the split depth bounds it (the 26 calls of before).
    assert len(fake.requests) == requests


def test_output_token_budget(book: ReferenceBook) -> None:
    """A server whose every answer costs 50,000 output tokens: no call starts after the first
    answer has spent the default budget."""

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        name = request["response_format"]["json_schema"]["name"]
        body = completion(json.dumps(book.answer(name, _user(request)), ensure_ascii=False))
        body["usage"] = {"prompt_tokens": 10, "completion_tokens": 50_000, "total_tokens": 50_010}
        return body

    fake = FakeChat(answer)
    with pytest.raises(BudgetExceededError, match="output tokens is spent: 50,000 of") as info:
        summarize(LONG, client=fake.client(), concurrency=1, **FAST, **SMALL)
    assert len(fake.requests) == 1 and info.value.resource == "output_tokens"
    fake.requests.clear()
    digest = summarize(
        LONG, client=fake.client(), concurrency=1, max_output_tokens_per_article=None, **FAST
    )
    assert digest.usage.output_tokens == 50_000 * len(fake.requests)


def test_transport_retries_are_not_budget_calls(book: ReferenceBook) -> None:
    """Retries are bounded per call (max_attempts), apart from the budget: a flaky server does
    not spend an article's budget, and a dead one ends in its HTTP error, not a budget error."""
    flaky = iter([503, 503])

    def answer(request: dict[str, Any]) -> Any:
        status = next(flaky, 200)
        if status != 200:
            return httpx2.Response(status, json={"error": {"message": "busy"}})
        name = request["response_format"]["json_schema"]["name"]
        return completion(json.dumps(book.answer(name, _user(request)), ensure_ascii=False))

    fake = FakeChat(answer)
    digest = summarize(SHORT, client=fake.client(), max_calls_per_article=1, **FAST)
    assert len(fake.requests) == digest.usage.calls == 3 and digest.usage.retries == 2
    dead = FakeChat(lambda _: httpx2.Response(503, json={"error": {"message": "busy"}}))
    with pytest.raises(ModelError, match="HTTP 503"):
        summarize(SHORT, client=dead.client(), max_calls_per_article=2, max_attempts=4, **FAST)
    assert len(dead.requests) == 4


@pytest.mark.parametrize("value", [0, -1, 2.5, "lots", True])
def test_budget_options_are_checked(value: object) -> None:
    with pytest.raises(ValueError, match="max_calls_per_article"):
        summarize("x", max_calls_per_article=value)


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer.from_dir(REFERENCE) as s:
        yield s


@pytest.mark.parametrize("chunking", [{}, {"max_chunk_tokens": 300, "overlap_tokens": 60}])
@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_reference_answers_fit_the_default_budget_twice(
    server: ReferenceServer, seed: Path, chunking: dict[str, int]
) -> None:
    """Every seed's reference answers, in one call or in 300-token chunks, spend at most half of
    the default budget (the smallest headroom is 3.1x for output tokens, 2.8x for calls)."""
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url=server.base_url, api_key="sk-test-budget")
    digest = summarize(seed, client=client, **FAST, **chunking)
    article = load_article(seed)
    size = count_tokens(article.body) + count_tokens("\n".join(article.captions))
    max_calls, max_tokens = default_budget(digest.run.chunks, size)
    assert digest.run.gaps == []
    assert 2 * digest.usage.calls <= max_calls
    assert 2 * digest.usage.output_tokens <= max_tokens
