"""Hostile 2xx answers: each ends in a typed ModelError (or a valid answer), never IndexError,
KeyError, TypeError or UnicodeError; usage counts every attempt."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import pytest

from summarizer import summarize
from summarizer.answers import printable, repeated_unit
from summarizer.errors import (
    DegenerateOutputError,
    ModelError,
    ModelOutputError,
    OutputTruncatedError,
    RefusalError,
    SummarizerError,
)
from summarizer.llm import CallSettings, ModelCaller, Usage
from summarizer.schemas import ArticleExtraction
from summarizer.tokens import count_tokens

from .conftest import SEEDS, TINY_PAGE, tiny_reference
from .fake_chat import FakeChat, completion

FAST = CallSettings(backoff_initial=0.0, backoff_max=0.0, max_attempts=3, reasks=2)
GOOD = tiny_reference().model_dump_json()
SURROGATE_BODY = (
    b'{"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": [{"index":'
    b' 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{\\"facts\\":'
    b' \\"\\ud800\\"}"}}], "usage": {"prompt_tokens": 5, "completion_tokens": 5}}'
)


def _ask(fake: FakeChat, settings: CallSettings = FAST) -> tuple[ArticleExtraction, Usage]:
    messages = [
        {"role": "system", "content": "Extract facts."},
        {"role": "user", "content": f"<article>\n{TINY_PAGE}\n</article>"},
    ]
    caller = ModelCaller(fake.client(), settings)
    return asyncio.run(caller.parse(messages, ArticleExtraction))


def _fails(fake: FakeChat, error: type[ModelError], match: str) -> ModelError:
    with pytest.raises(error, match=match) as info:
        _ask(fake)
    exc = info.value
    str(exc).encode("utf-8")  # the message can be written to index.json
    assert isinstance(exc.usage, Usage) and exc.usage.calls == len(fake.requests)
    return exc


# Each hostile body, the typed error it ends in, and how many requests that takes (a re-ask
# for content that may yet validate; a retry for a body that is not a chat completion).
RE_ASKED = FAST.reasks + 1
HOSTILE: dict[str, tuple[Any, type[ModelError], str, int]] = {
    "empty choices": ({**completion(GOOD), "choices": []}, ModelOutputError, "no choices", 1),
    "content null": (completion(None), ModelOutputError, "answer was empty", RE_ASKED),
    "never JSON": (completion("Sure! The facts:"), ModelOutputError, "did not validate", RE_ASKED),
    "lone surrogate": (SURROGATE_BODY, ModelOutputError, "did not validate", RE_ASKED),
    "not a chat completion": ({"object": "error", "detail": "x"}, ModelError, "not a chat", 3),
    "a JSON list": (b"[1, 2]", ModelError, "not a chat completion", 3),
    "choice not an object": ({**completion(GOOD), "choices": [7]}, ModelOutputError, "message", 1),
    "content a number": (completion(42), ModelOutputError, "not text but int", 1),
    "length, cut JSON": (
        completion(GOOD[: len(GOOD) // 2], finish_reason="length"),
        OutputTruncatedError,
        "output token limit",
        1,
    ),
    "length, looping": (
        completion("PEOPLLE " * 500, finish_reason="length"),
        DegenerateOutputError,
        "repeated 'PEOPLLE '",
        1,
    ),
    "refusal with a surrogate": (
        completion(None, refusal="no \ud800 way"),
        RefusalError,
        "refused: no \\? way",
        1,
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_answer_is_a_typed_error(name: str) -> None:
    body, error, match, requests = HOSTILE[name]
    fake = FakeChat(lambda _: body)
    _fails(fake, error, match)
    assert len(fake.requests) == requests


def test_reask_after_a_lone_surrogate_is_sendable_and_can_succeed() -> None:
    answers = iter([SURROGATE_BODY, completion(GOOD)])
    fake = FakeChat(lambda _: next(answers))
    answer, usage = _ask(fake)
    assert answer == tiny_reference()
    assert (usage.calls, usage.reasks) == (2, 1)
    sent_back = fake.requests[1]["messages"][2]
    assert sent_back["role"] == "assistant" and sent_back["content"] == '{"facts": "?"}'


@pytest.mark.parametrize(
    "usage",
    [None, {"prompt_tokens": "many", "completion_tokens": -5}, {"completion_tokens": 9}, []],
)
def test_missing_or_garbled_usage_is_estimated(usage: Any) -> None:
    body = completion(GOOD, usage=False)
    if usage is not None:
        body["usage"] = usage
    fake = FakeChat(lambda _: body)
    answer, counted = _ask(fake)
    assert answer == tiny_reference()
    assert counted.output_tokens == count_tokens(GOOD)
    assert counted.input_tokens > count_tokens(TINY_PAGE)  # messages and schema, estimated


def test_usage_is_summed_over_every_attempt_without_usage() -> None:
    fake = FakeChat(lambda _: completion("not json", usage=False))
    exc = _fails(fake, ModelOutputError, "did not validate")
    assert isinstance(exc.usage, Usage)
    assert exc.usage.output_tokens == RE_ASKED * count_tokens("not json")
    assert exc.usage.reasks == FAST.reasks


def test_missing_finish_reason_is_judged_by_the_content() -> None:
    fake = FakeChat(lambda _: completion(GOOD, finish_reason=None))
    assert _ask(fake)[0] == tiny_reference()
    cut = FakeChat(lambda _: completion(GOOD[:100], finish_reason=None))
    _fails(cut, ModelOutputError, "did not validate")
    assert len(cut.requests) == RE_ASKED


def test_content_as_a_list_of_text_parts() -> None:
    parts = [{"type": "text", "text": GOOD[:50]}, {"type": "text", "text": GOOD[50:]}]
    fake = FakeChat(lambda _: completion(parts))
    assert _ask(fake)[0] == tiny_reference()


def test_a_200_that_is_not_utf8_is_retried_then_typed() -> None:
    fake = FakeChat(lambda _: httpx2.Response(200, content=b"\xff\xfe{"))
    _fails(fake, ModelError, "not a chat completion")
    assert len(fake.requests) == FAST.max_attempts


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_summarize_raises_only_summarizer_errors(name: str) -> None:
    """The same bodies through summarize(): a one-chunk article fails with a typed error."""
    body = HOSTILE[name][0]
    fake = FakeChat(lambda _: body)
    seed = SEEDS / "004_0b7d40f7952fcebe.txt"
    with pytest.raises(SummarizerError) as info:
        summarize(seed, client=fake.client(), backoff_initial=0.0, backoff_max=0.0)
    assert isinstance(info.value, ModelError) and isinstance(info.value.usage, Usage)
    assert info.value.usage.calls == len(fake.requests) <= 7  # the default budget of one chunk
    json.dumps({"error": str(info.value)}, ensure_ascii=False).encode("utf-8")


def test_repeated_unit() -> None:
    assert repeated_unit("PEOPLLE " * 300) == "PEOPLLE "
    assert repeated_unit('{"value": 1' + "0" * 5000) == "0"
    obj = '{"name": "Lê Hoài Trung", "role_vi": null}, '
    assert repeated_unit('{"people": [' + obj * 60) == obj
    # An ordinary answer cut at the limit repeats nothing.
    assert repeated_unit(GOOD[: len(GOOD) // 2]) is None
    assert repeated_unit(json.dumps([f"fact {i}: {i * 7919 % 1000}" for i in range(900)])) is None
    assert repeated_unit("") is None and repeated_unit("ab" * 10) is None  # too short to tell
    # A loop that fills only a small end of a long answer does not dominate it.
    assert repeated_unit(GOOD * 3 + "ha" * 100) is None


def test_printable() -> None:
    assert printable("a\ud800b") == "a?b"
    assert printable("x" * 10, 5) == "xxxx…"
    assert printable("x" * 10, None) == "x" * 10
