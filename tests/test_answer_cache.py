"""The answer cache: only validated answers are kept (failures are asked again on the next run),
the key holds the endpoint without credentials, a re-asked answer replays whole, and damaged or
stale entries are misses."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from summarizer.cache import SqliteCache
from summarizer.errors import ModelError
from summarizer.llm import (
    CachedAnswer,
    CallSettings,
    ModelCaller,
    Usage,
    answer_cache_key,
    build_request,
    endpoint_id,
)
from summarizer.schemas import ArticleExtraction

from .conftest import TINY_PAGE, tiny_reference
from .fake_chat import FAKE_URL, FakeChat, completion

FAST = CallSettings(backoff_initial=0.0, backoff_max=0.0, max_attempts=2, reasks=1)
GOOD = tiny_reference().model_dump_json()
MESSAGES = [
    {"role": "system", "content": "Extract facts."},
    {"role": "user", "content": f"<article>\n{TINY_PAGE}\n</article>"},
]

FAILURES: dict[str, dict[str, Any]] = {
    "refusal": completion(None, refusal="I can't help with that."),
    "content_filter": completion(None, finish_reason="content_filter"),
    "length": completion(GOOD[:200], finish_reason="length"),
    "never valid": completion('{"facts": "none"}'),
    "empty choices": {**completion(GOOD), "choices": []},
}


def _ask(fake: FakeChat, cache: SqliteCache, base_url: str = FAKE_URL) -> tuple[Any, Usage]:
    caller = ModelCaller(fake.client(base_url), FAST, cache=cache)
    return asyncio.run(caller.parse(MESSAGES, ArticleExtraction))


@pytest.fixture
def cache(tmp_path: Path) -> SqliteCache:
    return SqliteCache(tmp_path / "cache.sqlite")


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_failures_are_not_cached_and_asked_again(cache: SqliteCache, failure: str) -> None:
    server_fails = True
    fake = FakeChat(lambda _: FAILURES[failure] if server_fails else completion(GOOD))
    with pytest.raises(ModelError):
        _ask(fake, cache)
    assert len(cache) == 0
    server_fails = False
    before = len(fake.requests)
    answer, _ = _ask(fake, cache)  # the next run asks again and gets a good answer
    assert answer == tiny_reference() and len(fake.requests) == before + 1
    assert len(cache) == 1
    _ask(fake, cache)  # and the good answer is replayed: no request
    assert len(fake.requests) == before + 1


def test_reasked_answer_replays_whole_with_its_usage(cache: SqliteCache) -> None:
    answers = [completion('{"facts": "none"}'), completion(GOOD)]
    fake = FakeChat(lambda _: answers.pop(0))
    answer, first = _ask(fake, cache)
    assert (first.calls, first.reasks) == (2, 1)
    again, replayed = _ask(fake, cache)
    assert again == answer and len(fake.requests) == 2
    assert replayed == first


def test_two_endpoints_serving_the_same_model_do_not_share_answers(cache: SqliteCache) -> None:
    other = tiny_reference().model_copy(deep=True)
    other.summary.headline_en = "Another server's answer"
    one = FakeChat(lambda _: completion(GOOD))
    two = FakeChat(lambda _: completion(other.model_dump_json()))
    a, _ = _ask(one, cache, "http://server-one.test/v1")
    b, _ = _ask(two, cache, "http://server-two.test/v1")
    assert a.summary.headline_en != b.summary.headline_en
    assert len(one.requests) == len(two.requests) == 1 and len(cache) == 2
    # The same endpoint written differently (credentials, case, a trailing slash) is the same.
    _ask(one, cache, "http://user:secret@SERVER-ONE.test/v1/")
    assert len(one.requests) == 1


def test_endpoint_id_drops_credentials() -> None:
    url = "https://me:pa55word@Example.COM:8443/openai/v1/?api_key=sk-abc&api-version=2024-10&x=1"
    assert endpoint_id(url) == "https://example.com:8443/openai/v1?api-version=2024-10&x=1"
    assert endpoint_id("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080/v1"
    assert endpoint_id("http://[::1]:80/v1?token=t&sig=s") == "http://[::1]:80/v1"


def test_cache_key_is_one_stable_function_of_endpoint_and_request() -> None:
    request = build_request(FAST, MESSAGES, ArticleExtraction)
    key = answer_cache_key(FAKE_URL, request)
    assert len(key) == 64 and int(key, 16) >= 0
    assert key == answer_cache_key(FAKE_URL + "/", dict(reversed(request.items())))
    assert key != answer_cache_key("http://elsewhere.test/v1", request)
    for change in ({"model": "other"}, {"temperature": 0.5}, {"max_completion_tokens": 10}):
        assert key != answer_cache_key(FAKE_URL, {**request, **change})
    hostile = {**request, "messages": [{"role": "user", "content": "\ud800"}]}
    assert len(answer_cache_key(FAKE_URL, hostile)) == 64  # no UnicodeEncodeError


def test_stale_failure_in_the_cache_is_not_replayed(cache: SqliteCache) -> None:
    """An entry holding a refusal (as older versions stored every 2xx) is validated on read."""
    request = build_request(FAST, [dict(m) for m in MESSAGES], ArticleExtraction)
    key = answer_cache_key(FAKE_URL, request)
    refusal = FAILURES["refusal"]
    cache.put(key, CachedAnswer(body=refusal, usage=Usage(calls=1)))
    fake = FakeChat(lambda _: completion(GOOD))
    answer, usage = _ask(fake, cache)
    assert answer == tiny_reference() and len(fake.requests) == 1 and usage.calls == 1
    stored = cache.get(key)
    assert stored is not None and stored.body["choices"][0]["message"]["content"] == GOOD


def test_damaged_rows_are_misses(cache: SqliteCache, tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "cache.sqlite")
    db.execute("INSERT INTO answers (key, answer) VALUES ('a', 'not json'), ('b', '{\"x\": 1}')")
    db.commit()
    db.close()
    assert cache.get("a") is None and cache.get("b") is None
    assert (cache.hits, cache.misses) == (0, 2)
