"""Local-server options and the quality gate: context size, server tokenizer, timeouts,
context-exceeded answers, form checks, --min-verified. Requests are counted; nothing sleeps."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path
from typing import Any

import httpx2
import pytest
from openai import AsyncOpenAI, DefaultAsyncHttpxClient

from summarizer import cli
from summarizer.article import Article
from summarizer.batch import EXIT_NEEDS_REVIEW
from summarizer.errors import ContextExceededError, ContextTooSmallError, RequestTimeoutError
from summarizer.fitting import TokenCalibration, chunk_budget
from summarizer.ingest import load_article
from summarizer.llm import CallSettings, ModelCaller
from summarizer.pipeline import summarize
from summarizer.schemas import ArticleExtraction, Event
from summarizer.verification.quality import KEY_POINTS, SUMMARY_SENTENCES, quality_findings
from summarizer.verify import verify

from .conftest import TINY_PAGE, tiny_reference
from .fake_chat import FakeChat, completion

ROOT = Path(__file__).resolve().parents[1]
NO_WAIT = {"backoff_initial": 0.0, "backoff_max": 0.0}
LLAMA_CONTEXT = {"error": {"code": 500, "message": "Context size has been exceeded."}}


def _client(handler: Any, base: str = "http://local.test/v1") -> AsyncOpenAI:
    http = DefaultAsyncHttpxClient(transport=httpx2.MockTransport(handler))
    return AsyncOpenAI(base_url=base, api_key="sk-test-local", http_client=http)


def _parse(client: AsyncOpenAI, **settings: Any) -> Any:
    caller = ModelCaller(client, CallSettings(**{**NO_WAIT, **settings}))
    messages = [{"role": "user", "content": TINY_PAGE}]
    return asyncio.run(caller.parse(messages, ArticleExtraction))


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, LLAMA_CONTEXT),
        (400, {"error": {"message": "the request exceeds the available context size"}}),
        (400, {"error": {"message": "too long", "code": "context_length_exceeded"}}),
        (400, {"object": "error", "message": "This model's maximum context length is 2048"}),
    ],
)
def test_context_exceeded_is_not_retried(status: int, body: dict[str, Any]) -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(status, json=body)

    with pytest.raises(ContextExceededError, match="does not fit"):
        _parse(_client(handler))
    assert len(seen) == 1  # a plain 500 would be retried max_attempts (6) times


def test_a_timeout_is_retried_once_then_named() -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        raise httpx2.ReadTimeout("read timed out", request=request)

    with pytest.raises(RequestTimeoutError, match=r"twice after 7 s.*--timeout") as info:
        _parse(_client(handler), request_timeout=7.0)
    assert len(seen) == 2 and info.value.timeout == 7.0
    assert info.value.usage.calls == 2


def test_a_single_timeout_is_retried() -> None:
    seen: list[httpx2.Request] = []
    good = json.dumps(tiny_reference().model_dump())

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        if len(seen) == 1:
            raise httpx2.ReadTimeout("read timed out", request=request)
        return httpx2.Response(200, json=completion(good))

    answer, usage = _parse(_client(handler))
    assert answer == tiny_reference() and len(seen) == 2 and usage.retries == 1


def test_pipeline_splits_a_chunk_the_server_cannot_fit() -> None:
    """Prompts longer than the server's context get its error; the pipeline splits the chunk
    instead of sending it again, until the halves fit (or the splits run out)."""
    good = json.dumps({"facts": tiny_reference().facts.model_dump(), "notes": ["ghi chú"]})
    summary = json.dumps(tiny_reference().summary.model_dump())
    page = TINY_PAGE + "\n\n" + "\n\n".join(f"Đoạn văn thêm số {i} về kinh tế." for i in range(60))
    # too long: the whole article in one request; half of it fits
    limit = len(page) * 3 // 4

    def answer(body: dict[str, Any]) -> Any:
        user = body["messages"][-1]["content"]
        if len(user) > limit:
            return httpx2.Response(500, json=LLAMA_CONTEXT)
        name = body["response_format"]["json_schema"]["name"]
        return completion(summary if name == "Summary" else good)

    fake = FakeChat(answer)
    digest = summarize(page, client=fake.client(), **NO_WAIT)
    names = fake.schema_names()
    assert names[0] == "ArticleExtraction"  # refused once, not sent again
    assert "ArticleExtraction" not in names[1:]
    assert names.count("ChunkExtraction") >= 2 and names[-1] == "Summary"
    assert digest.summary is not None and digest.run.gaps == []


def _loaded(title: str, captions: list[str]) -> Article:
    doc = load_article(TINY_PAGE)
    return doc.model_copy(update={"title": title, "captions": captions})


def test_context_budget_shrinks_chunks_and_names_what_does_not_fit() -> None:
    doc = _loaded("T", [])
    calls = CallSettings(max_completion_tokens=1000)
    assert chunk_budget(doc, 2500, None, calls, None) == 2500
    roomy = chunk_budget(doc, 2500, 32_000, calls, None)
    tight = chunk_budget(doc, 2500, 6000, calls, None)
    assert roomy == 2500 and 64 <= tight < 2500
    # Twice the server tokens per o200k token: half the text fits in the same context.
    calibration = TokenCalibration()
    calibration.ratio, calibration.measured = 2.0, True
    # (a cap above what fits, so that the context, not max_chunk_tokens, sets both budgets)
    wide = chunk_budget(doc, 50_000, 12_000, calls, None)
    assert wide < 50_000
    assert chunk_budget(doc, 50_000, 12_000, calls, calibration) < wide // 2 + 1
    with pytest.raises(ContextTooSmallError, match=r"context_tokens=3,000.*1,000"):
        chunk_budget(doc, 2500, 3000, calls, None)


def test_context_tokens_makes_more_chunks() -> None:
    long = TINY_PAGE + "\n\n" + "\n\n".join(f"Đoạn {i}: doanh thu tăng {i}%." for i in range(300))
    good = json.dumps({"facts": tiny_reference().facts.model_dump(), "notes": ["n"]})
    summary = json.dumps(tiny_reference().summary.model_dump())

    def answer(body: dict[str, Any]) -> Any:
        name = body["response_format"]["json_schema"]["name"]
        return completion(summary if name == "Summary" else good)

    plain, fitted = FakeChat(answer), FakeChat(answer)
    one = summarize(long, client=plain.client(), max_completion_tokens=1000)
    many = summarize(long, client=fitted.client(), max_completion_tokens=1000, context_tokens=4500)
    assert many.run.chunks > one.run.chunks
    assert all(r["max_completion_tokens"] == 1000 for r in fitted.requests)
    with pytest.raises(ContextTooSmallError):
        summarize(long, client=FakeChat(answer).client(), context_tokens=2000)


def _tokenizing(server: str, seen: list[httpx2.Request]) -> Any:
    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        if request.url.path != "/tokenize":
            return httpx2.Response(404, json={"error": "not found"})
        body = json.loads(request.content)
        if server == "llama.cpp":
            return httpx2.Response(200, json={"tokens": list(range(len(body["content"])))})
        return httpx2.Response(200, json={"count": len(body["prompt"]), "max_model_len": 4096})

    return handler


@pytest.mark.parametrize("server", ["llama.cpp", "vllm"])
def test_server_tokenizer_is_asked_once_per_run_at_the_root(server: str) -> None:
    seen: list[httpx2.Request] = []
    caller = ModelCaller(_client(_tokenizing(server, seen)), CallSettings())
    calibration = TokenCalibration()

    async def twice() -> None:
        await calibration.measure(caller, "Hà Nội " * 50)
        await calibration.measure(caller, "other text")

    asyncio.run(twice())
    # the sample and the fixed prompt, once; the URL drops the /v1 of the base URL
    assert [r.url.path for r in seen] == ["/tokenize", "/tokenize"]
    assert calibration.ratio is not None and calibration.ratio > 1.0  # one "token" per char
    assert calibration.fixed_server_tokens is not None


def test_no_tokenize_endpoint_falls_back_with_a_notice(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(404, json={"error": "Not Found"})

    caller = ModelCaller(_client(handler), CallSettings())
    calibration = TokenCalibration()
    with caplog.at_level(logging.WARNING, logger="summarizer"):
        asyncio.run(calibration.measure(caller, "Hà Nội"))
    assert calibration.measured and calibration.ratio is None and len(seen) == 1
    assert "no usable /tokenize" in caplog.text and "o200k_base" in caplog.text


def test_default_requests_are_unchanged_by_the_new_options() -> None:
    good = json.dumps(tiny_reference().model_dump())
    fake = FakeChat(lambda body: completion(good))
    summarize(TINY_PAGE, client=fake.client())
    assert set(fake.requests[0]) == {
        "model",
        "messages",
        "temperature",
        "max_completion_tokens",
        "response_format",
        "stream",
    }
    assert fake.requests[0]["temperature"] == 0.0
    assert fake.requests[0]["max_completion_tokens"] == 8192


# --------------------------------------------------------------------------------------------
# The quality gate


def test_prompts_ask_for_the_counts_the_check_holds() -> None:
    for name in ("extract_article", "reduce"):
        text = (ROOT / "prompts" / f"{name}.md").read_text(encoding="utf-8")
        assert f"key_points_vi: {KEY_POINTS[0]} to {KEY_POINTS[1]} short points" in text
        assert re.search(
            rf"summary_vi: {SUMMARY_SENTENCES[0]} to {SUMMARY_SENTENCES[1]} sent", text
        )


def test_form_findings() -> None:
    ref = tiny_reference()
    three = "Câu một. Câu hai nói 14,2 tỷ USD. Câu ba."
    ref.summary = ref.summary.model_copy(
        update={
            "summary_vi": three,
            "summary_en": "One. Two says US$14.2 billion. Three.",
            "key_points_vi": ["Ý một.", "Ý hai.", "Ý ba."],
            "key_points_en": ["One.", "Two.", "Three."],
        }
    )
    assert quality_findings(ref.facts, ref.summary) == []
    summary = ref.summary.model_copy(
        update={
            "key_points_vi": ["", "Một ý.", "một  Ý", "Ý khác."],
            "key_points_en": ["Point.", "Point two."],
            "summary_en": "One sentence only.",
        }
    )
    event = Event(what_vi="Họp", what_en="Meeting", date="2024-13-45", where=None, evidence="x")
    facts = ref.facts.model_copy(update={"events": [event]})
    found = {(f.kind, f.field) for f in quality_findings(facts, summary)}
    assert found == {
        ("blank_field", "key_points_vi[0]"),
        ("duplicate_key_point", "key_points_vi[2]"),
        ("count_out_of_range", "key_points_en"),
        ("count_mismatch", "key_points_en"),
        ("count_out_of_range", "summary_en"),
        ("not_a_date", "events[0].date"),
    }
    doc = _loaded("T", [])
    v = verify(facts, doc, summary)
    assert not v.ok and len(v.quality) == 6


def _run_cli(tmp_path: Path, answer: dict[str, Any], *extra: str) -> tuple[int, dict[str, Any]]:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text(TINY_PAGE, encoding="utf-8")
    fake = FakeChat(lambda body: completion(json.dumps(answer)))
    original = cli._client
    cli._client = lambda args, err: (fake.client(), False)  # type: ignore[assignment]
    try:
        code = cli.main(["batch", str(folder), "--out", str(out), "--quiet", *extra])
    finally:
        cli._client = original  # type: ignore[assignment]
    return code, json.loads((out / "index.json").read_text(encoding="utf-8"))


def test_min_verified_flags_review_and_sets_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = tiny_reference().model_dump()
    for kind in ref["facts"]:
        for fact in ref["facts"][kind]:
            fact["evidence"] = "a sentence the article never wrote"
    code, index = _run_cli(tmp_path, ref)
    entry = index["articles"][0]
    assert code == EXIT_NEEDS_REVIEW == 4
    assert entry["status"] == "done" and entry["needs_review"] is True
    assert "below the minimum 80%" in entry["review_reasons"][0]
    assert (tmp_path / "out" / "a.txt.json").exists()  # the outputs are written all the same
    assert "REVIEW a.txt" in capsys.readouterr().err


def test_a_verified_run_passes_the_gate(tmp_path: Path) -> None:
    code, index = _run_cli(tmp_path, tiny_reference().model_dump(), "--min-verified", "0.5")
    assert code == 0 and index["articles"][0]["needs_review"] is False


def test_no_facts_needs_review_even_with_the_gate_off(tmp_path: Path) -> None:
    ref = tiny_reference().model_dump()
    ref["facts"] = {kind: [] for kind in ref["facts"]}
    code, index = _run_cli(tmp_path, ref, "--min-verified", "0")
    assert code == 4 and index["articles"][0]["review_reasons"] == [
        "no facts: nothing could be verified"
    ]
