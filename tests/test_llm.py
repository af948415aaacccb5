from __future__ import annotations

import ast
import asyncio
import json
from typing import Any

import httpx2
import openai
import openai.lib
import pytest
from pydantic import BaseModel

from summarizer import llm
from summarizer.cassettes import ReadableYaml
from summarizer.errors import (
    ContentFilterError,
    ModelError,
    ModelOutputError,
    OutputTruncatedError,
    RefusalError,
)
from summarizer.llm import (
    CallSettings,
    ModelCaller,
    Usage,
    is_transient,
    retry_after_seconds,
    strict_response_format,
)
from summarizer.schemas import LLM_MODELS, ArticleExtraction
from summarizer.secrets import redact
from summarizer.testing import Fault, ReferenceServer

from .conftest import CASSETTES, ROOT, TINY_PAGE

FAST = CallSettings(model="gpt-4o-mini", backoff_initial=0.0, backoff_max=0.0, max_attempts=4)


def _messages() -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "Extract facts."},
        {"role": "user", "content": f"<article>\n{TINY_PAGE}\n</article>"},
    ]


def _caller(server: ReferenceServer, settings: CallSettings = FAST, sync: bool = False) -> Any:
    cls = openai.OpenAI if sync else openai.AsyncOpenAI
    client = cls(base_url=server.base_url, api_key="sk-test-0000000000000000")
    return ModelCaller(client, settings)


def _parse(caller: ModelCaller, messages: list[dict[str, str]] | None = None) -> Any:
    return asyncio.run(caller.parse(messages or _messages(), ArticleExtraction))


def test_answer_is_parsed_and_usage_counted(tiny_server: ReferenceServer) -> None:
    answer, usage = _parse(_caller(tiny_server))
    assert answer.facts.figures[0].value == 14245000000
    assert usage.calls == 1 and usage.retries == 0
    assert usage.input_tokens > 0 and usage.output_tokens > 0
    request = tiny_server.requests[0]
    assert request["response_format"]["json_schema"]["strict"] is True
    assert request["response_format"]["json_schema"]["name"] == "ArticleExtraction"


def test_sync_client_works_through_the_same_path(tiny_server: ReferenceServer) -> None:
    answer, usage = _parse(_caller(tiny_server, sync=True))
    assert answer.facts.people[0].name == "Lê Hoài Trung"
    assert usage.calls == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503, 408, 409])
def test_transient_statuses_are_retried(tiny_server: ReferenceServer, status: int) -> None:
    tiny_server.script(Fault.http(status, retry_after="0"), Fault.http(status))
    answer, usage = _parse(_caller(tiny_server))
    assert answer.facts.people
    assert usage.calls == 3 and usage.retries == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_never_retried(tiny_server: ReferenceServer, status: int) -> None:
    tiny_server.script(Fault.http(status))
    with pytest.raises(ModelError, match=f"HTTP {status}") as info:
        _parse(_caller(tiny_server))
    assert len(tiny_server.requests) == 1
    assert isinstance(info.value.usage, Usage) and info.value.usage.calls == 1


def test_retries_are_bounded_and_counted(tiny_server: ReferenceServer) -> None:
    tiny_server.script(*[Fault.http(503)] * 10)
    with pytest.raises(ModelError, match="HTTP 503") as info:
        _parse(_caller(tiny_server))
    assert len(tiny_server.requests) == FAST.max_attempts
    assert isinstance(info.value.usage, Usage)
    assert info.value.usage.calls == 4 and info.value.usage.retries == 3


def test_sdk_retries_are_switched_off(tiny_server: ReferenceServer) -> None:
    caller = _caller(tiny_server)
    assert caller._client.max_retries == 0


def test_body_that_is_not_json_is_retried(tiny_server: ReferenceServer) -> None:
    tiny_server.script(Fault.of("not_json"))
    answer, usage = _parse(_caller(tiny_server))
    assert answer.facts.figures and usage.retries == 1


def test_connection_reset_is_retried(tiny_server: ReferenceServer) -> None:
    tiny_server.script(Fault.of("reset"))
    answer, usage = _parse(_caller(tiny_server))
    assert answer.facts.figures and usage.retries == 1


def test_invalid_answer_is_reasked_on_a_copy(tiny_server: ReferenceServer) -> None:
    tiny_server.script(Fault.of("schema_mismatch"))
    messages = _messages()
    before = [dict(m) for m in messages]
    answer, usage = _parse(_caller(tiny_server), messages)
    assert answer.facts.figures
    assert messages == before  # the caller's list is untouched
    assert usage.reasks == 1 and usage.calls == 2 and usage.retries == 0
    second = tiny_server.requests[1]["messages"]
    assert len(second) == 4
    assert second[2]["role"] == "assistant" and "unexpected" in second[2]["content"]
    assert "does not match the required JSON schema" in second[3]["content"]
    # Both attempts' tokens are counted.
    assert usage.input_tokens > 2 * 50


def test_reasks_are_bounded(tiny_server: ReferenceServer) -> None:
    tiny_server.script(*[Fault.of("schema_mismatch")] * 3)
    with pytest.raises(ModelOutputError, match="did not validate"):
        _parse(_caller(tiny_server))
    assert len(tiny_server.requests) == FAST.reasks + 1


def test_length_is_a_truncation_error(tiny_server: ReferenceServer) -> None:
    tiny_server.script(Fault.of("length"))
    with pytest.raises(OutputTruncatedError):
        _parse(_caller(tiny_server))


@pytest.mark.parametrize("kind", ["refusal", "content_filter"])
def test_refusal_and_content_filter(tiny_server: ReferenceServer, kind: Any) -> None:
    tiny_server.script(Fault.of(kind))
    with pytest.raises(RefusalError) as info:
        _parse(_caller(tiny_server))
    assert isinstance(info.value, ContentFilterError) == (kind == "content_filter")
    assert len(tiny_server.requests) == 1


def _status_error(status: int, headers: dict[str, str]) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, headers=headers, request=request)
    return openai.APIStatusError("x", response=response, body=None)


def test_retry_after_is_honoured() -> None:
    assert retry_after_seconds(_status_error(429, {"retry-after": "7"})) == 7.0
    assert retry_after_seconds(_status_error(429, {"retry-after-ms": "250"})) == 0.25
    assert retry_after_seconds(_status_error(429, {"retry-after": "999"})) == 60.0
    date = "Wed, 21 Oct 2015 07:28:00 GMT"  # in the past: no wait
    assert retry_after_seconds(_status_error(429, {"retry-after": date})) == 0.0
    assert retry_after_seconds(_status_error(429, {})) is None
    assert retry_after_seconds(ValueError()) is None


def test_transient_classification() -> None:
    assert is_transient(_status_error(429, {}))
    assert is_transient(_status_error(503, {}))
    assert not is_transient(_status_error(400, {}))
    assert not is_transient(_status_error(401, {}))
    assert not is_transient(ValueError())


def test_secrets_are_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "my-very-own-key-123")
    text = "bad key sk-proj-AbCdEf1234567890 and my-very-own-key-123, Bearer abcdefghijkl"
    cleaned = redact(text)
    assert (
        "AbCdEf" not in cleaned and "my-very-own" not in cleaned and "abcdefghijkl" not in cleaned
    )


def test_usage_adds_up() -> None:
    a = Usage(input_tokens=10, output_tokens=2, calls=1, cost_usd=0.5)
    b = Usage(input_tokens=5, cached_tokens=3, calls=2, retries=1)
    total = a + b
    assert (total.input_tokens, total.cached_tokens, total.calls, total.retries) == (15, 3, 3, 1)
    assert total.cost_usd == 0.5
    priced = Usage(input_tokens=1_000_000, cached_tokens=0, output_tokens=1_000_000).priced(
        "gpt-4o-mini-2024-07-18"
    )
    assert priced.cost_usd == pytest.approx(0.75)
    assert Usage(input_tokens=10).priced("llama-3").cost_usd is None


# -- the SDK: public API only, its one helper behind one function ------------------------------


def test_no_private_sdk_module_is_imported() -> None:
    private = []
    for path in sorted((ROOT / "summarizer").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            private += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith("openai") and any(p.startswith("_") for p in n.split("."))
            ]
    assert private == [], "private openai modules change without notice; use public API"


@pytest.mark.parametrize("model", LLM_MODELS, ids=lambda m: m.__name__)
def test_sdk_still_builds_the_schema_the_cassettes_hold(model: type[BaseModel]) -> None:
    recorded = None
    for cassette in sorted((CASSETTES / "reference").glob("*/*.yaml")):
        for interaction in ReadableYaml.deserialize(cassette.read_text("utf-8"))["interactions"]:
            sent = json.loads(interaction["request"]["body"])["response_format"]
            if sent["json_schema"]["name"] == model.__name__:
                recorded = sent
                break
        if recorded is not None:
            break
    assert recorded is not None
    assert strict_response_format(model) == recorded, (
        f"openai {openai.__version__} builds another strict schema for {model.__name__} than the"
        " one recorded: the cassettes and every cache key depend on it. Check the new schema,"
        " then re-record the cassettes (cassettes/README.md)."
    )


def test_an_sdk_change_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openai.lib, "type_to_response_format_param", lambda m: {"type": "text"})
    llm._strict_response_format.cache_clear()
    try:
        with pytest.raises(RuntimeError, match=r"changed openai\.lib\.type_to_response_format"):
            strict_response_format(ArticleExtraction)
    finally:
        monkeypatch.undo()
        llm._strict_response_format.cache_clear()
    assert strict_response_format(ArticleExtraction)["json_schema"]["strict"] is True
