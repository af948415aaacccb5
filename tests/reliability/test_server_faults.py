"""The fault-injecting reference server: every fault kind, reproducible draws at a rate, the
rate limits with the real API's headers, the fault log, and the command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import subprocess
import sys
from collections import Counter
from typing import Any

import httpx2
import openai
import pytest

from summarizer.errors import ModelError, OutputTruncatedError, RefusalError
from summarizer.llm import CallSettings, ModelCaller, Usage
from summarizer.schemas import ArticleExtraction
from summarizer.testing import (
    MIX_LABELS,
    RATE_LIMIT_REQUESTS,
    RATE_LIMIT_TOKENS,
    Fault,
    FaultMix,
    ReferenceBook,
    ReferenceServer,
    add_fault_arguments,
    request_key,
    server_options,
)

from ..conftest import TINY_PAGE, tiny_reference
from .conftest import REFERENCE, ROOT

# A stall lasts until the server stops, so the client's timeout always ends it, however slow
# the machine; the timeout is long enough that no normal answer (milliseconds) meets it.
SETTINGS = CallSettings(
    backoff_initial=0.0, backoff_max=0.0, request_timeout=2.0, max_attempts=4, reasks=1
)
MIX = FaultMix(rate=0.3, seed=1, stall_seconds=600.0, trickle_seconds=0.05, retry_after="0")


def _tiny() -> ReferenceBook:
    return ReferenceBook({"tiny": tiny_reference()})


def _messages(tag: str = "") -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "Extract facts."},
        {"role": "user", "content": f"<article>\n{TINY_PAGE}{tag}\n</article>"},
    ]


def _parse(server: ReferenceServer, messages: list[dict[str, str]] | None = None) -> Any:
    async def go() -> Any:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="sk-test-faults")
        return await ModelCaller(client, SETTINGS).parse(messages or _messages(), ArticleExtraction)

    return asyncio.run(go())


def _body(tag: str) -> dict[str, Any]:
    schema = {"name": "ArticleExtraction", "schema": {}, "strict": True}
    return {
        "model": "m",
        "messages": _messages(tag),
        "response_format": {"type": "json_schema", "json_schema": schema},
    }


# What the model caller makes of each fault the mix can draw: answered after retries, re-asked,
# or an error the pipeline handles (split on length, gap or failure on refusal).
OUTCOMES = {
    "http_429": "retried",
    "http_429_retry_after": "retried",
    "http_500": "retried",
    "http_502": "retried",
    "http_503": "retried",
    "stall": "retried",  # a read timeout (2 s): the stalled answer never comes
    "reset": "retried",
    "reset_mid": "retried",
    "not_json": "retried",
    "schema_mismatch": "reasked",
    "trickle": "answered",
    "length": OutputTruncatedError,
    "refusal": RefusalError,
    "content_filter": RefusalError,
}


def test_outcomes_cover_every_mix_label() -> None:
    assert set(OUTCOMES) == set(MIX_LABELS)


@pytest.mark.parametrize("label", MIX_LABELS)
def test_each_fault_kind(label: str) -> None:
    with ReferenceServer(_tiny()) as server:
        server.script(MIX.make(label))
        outcome = OUTCOMES[label]
        if isinstance(outcome, type):
            with pytest.raises(outcome) as info:
                _parse(server)
            assert isinstance(info.value, ModelError) and isinstance(info.value.usage, Usage)
            assert info.value.usage.calls == 1
        else:
            answer, usage = _parse(server)
            assert answer == tiny_reference()
            assert (usage.calls, usage.retries, usage.reasks) == {
                "retried": (2, 1, 0),
                "reasked": (2, 0, 1),
                "answered": (1, 0, 0),
            }[str(outcome)]
        assert server.faults_injected == Counter({label: 1})
        assert server.log[0].fault == label
        # Every request the client made reached the server: usage counts what was sent.
        assert server.request_count == len(server.log) >= 1


def test_reset_mid_response_sends_part_of_a_body() -> None:
    with ReferenceServer(_tiny()) as server:
        server.script(Fault.of("reset_mid"))
        with httpx2.Client() as http:
            with pytest.raises(httpx2.TransportError):
                http.post(server.base_url + "/chat/completions", json=_body("x"))
            ok = http.post(server.base_url + "/chat/completions", json=_body("x"))
        assert ok.status_code == 200 and ok.json()["choices"][0]["finish_reason"] == "stop"
        # The server logs an answer once its last byte is out, which may be just after the client
        # has read it: wait for that event rather than read the log at once.
        assert server.wait_for_answers(1, timeout=30.0)
        assert [r.status for r in server.log] == [None, 200]


def test_429_with_and_without_retry_after_headers() -> None:
    with ReferenceServer(_tiny()) as server, httpx2.Client() as http:
        server.script(Fault.http(429), Fault.http(429, "3", retry_after_ms=2500))
        plain = http.post(server.base_url + "/chat/completions", json=_body("a"))
        told = http.post(server.base_url + "/chat/completions", json=_body("a"))
    assert plain.status_code == told.status_code == 429
    assert "retry-after" not in plain.headers and "retry-after-ms" not in plain.headers
    assert told.headers["retry-after"] == "3" and told.headers["retry-after-ms"] == "2500"
    assert server.faults_injected == Counter({"http_429": 1, "http_429_retry_after": 1})


def test_mix_draws_are_reproducible_and_follow_rate_and_weights() -> None:
    keys = [request_key(_body(str(i))) for i in range(3000)]
    mix = FaultMix(rate=0.3, seed=7, weights={"http_503": 3.0, "reset": 1.0, "length": 0.0})
    draws = [mix.draw(k, 0) for k in keys]
    again = [FaultMix(rate=0.3, seed=7, weights=dict(mix.weights)).draw(k, 0) for k in keys]
    assert draws == again
    other = [FaultMix(rate=0.3, seed=8).draw(k, 0) for k in keys]
    assert [d is None for d in draws] != [d is None for d in other]
    labels = Counter(d.label for d in draws if d is not None)
    assert 0.27 < sum(labels.values()) / len(keys) < 0.33
    assert set(labels) == {"http_503", "reset"}  # a zero weight is never drawn
    assert 2.5 < labels["http_503"] / labels["reset"] < 3.5
    # A retry of the same body is a new draw.
    assert [mix.draw(keys[0], n) for n in range(40)].count(None) < 40


def test_rate_faults_do_not_depend_on_arrival_order() -> None:
    bodies = [_body(str(i)) for i in range(40)]
    seen: list[dict[str, str | None]] = []
    mix = FaultMix(rate=0.3, seed=1, weights={k: 1.0 for k in MIX_LABELS if k != "stall"})
    for order in (bodies, bodies[::-1]):
        with ReferenceServer(_tiny(), faults=mix) as server, httpx2.Client() as http:
            for body in order:
                with contextlib.suppress(httpx2.TransportError):
                    http.post(server.base_url + "/chat/completions", json=body, timeout=0.3)
            seen.append({r.key: r.fault for r in server.log})
    assert seen[0] == seen[1]
    assert 3 <= sum(f is not None for f in seen[0].values()) <= 25


def test_rules_match_every_text_and_count_down() -> None:
    with ReferenceServer(_tiny()) as server, httpx2.Client() as http:
        server.add_rule(("Thanh Hóa", "#7"), Fault.http(503), times=2)
        statuses = [
            http.post(server.base_url + "/chat/completions", json=_body(tag)).status_code
            for tag in ("#7", "#8", "#7", "#7")
        ]
    assert statuses == [503, 200, 503, 200]


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_tpm_budget_answers_429_like_the_real_api() -> None:
    with ReferenceServer(_tiny()) as probe, httpx2.Client() as http:
        tokens = http.post(probe.base_url + "/chat/completions", json=_body("0")).json()
    tokens = tokens["usage"]["total_tokens"]
    tpm = int(tokens * 2.5)  # two requests fit in the budget, not three
    clock = _Clock()
    with ReferenceServer(_tiny(), tpm=tpm, clock=clock) as server, httpx2.Client() as http:
        url = server.base_url + "/chat/completions"
        first = http.post(url, json=_body("1"))
        assert first.json()["usage"]["total_tokens"] == tokens
        assert first.headers["x-ratelimit-limit-tokens"] == str(tpm)
        assert first.headers["x-ratelimit-remaining-tokens"] == str(tpm - tokens)
        assert first.headers["x-ratelimit-reset-tokens"].endswith("s")
        assert http.post(url, json=_body("2")).status_code == 200
        refused = http.post(url, json=_body("3"))
        assert refused.status_code == 429
        error = refused.json()["error"]
        assert error["code"] == "rate_limit_exceeded" and "tokens per min (TPM)" in error["message"]
        wait_ms = int(refused.headers["retry-after-ms"])
        remaining = int(refused.headers["x-ratelimit-remaining-tokens"])
        assert wait_ms == pytest.approx((tokens - remaining) / (tpm / 60) * 1000, abs=20)
        assert refused.headers["retry-after"] == str(-(-wait_ms // 1000))
        clock.now += wait_ms / 1000  # the refill the server asked to wait for
        assert http.post(url, json=_body("3")).status_code == 200
    oversized = ReferenceServer(_tiny(), tpm=tokens // 2, clock=clock)
    with oversized, httpx2.Client() as http:
        too_large = http.post(oversized.base_url + "/chat/completions", json=_body("4"))
        assert too_large.status_code == 429 and "too large" in too_large.json()["error"]["message"]
    assert server.faults_injected == Counter({RATE_LIMIT_TOKENS: 1})
    stats = server.stats()
    assert stats["tokens_accepted"] == sum(t for _, t, _ in stats["accepted"]) == 3 * tokens
    assert stats["statuses"] == {"200": 3, "429": 1}


def test_rpm_budget() -> None:
    clock = _Clock()
    with ReferenceServer(_tiny(), rpm=2, clock=clock) as server, httpx2.Client() as http:
        url = server.base_url + "/chat/completions"
        codes = [http.post(url, json=_body(str(i))).status_code for i in range(3)]
        assert codes == [200, 200, 429]
        clock.now += 30.0
        assert http.post(url, json=_body("9")).status_code == 200
    assert server.faults_injected == Counter({RATE_LIMIT_REQUESTS: 1})


def test_stats_endpoint_and_fault_log() -> None:
    with ReferenceServer(_tiny()) as server, httpx2.Client() as http:
        server.script(Fault.http(500), Fault.of("not_json"))
        for tag in "abc":
            http.post(server.base_url + "/chat/completions", json=_body(tag))
        stats = http.get(server.base_url + "/reference/stats").json()
    assert stats["requests"] == 3 and stats["answered"] == 2
    assert stats["faults_injected"] == {"http_500": 1, "not_json": 1}
    assert stats["statuses"] == {"200": 2, "500": 1}


def test_command_line_options() -> None:
    parser = argparse.ArgumentParser()
    add_fault_arguments(parser)
    args = parser.parse_args(
        ["--fault-rate", "0.3", "--fault-seed", "5", "--faults", "http_503=2,reset", "--tpm", "9e4"]
    )
    options = server_options(args)
    assert options["faults"] == FaultMix(
        rate=0.3, seed=5, weights={"http_503": 2.0, "reset": 1.0}, stall_seconds=2.0
    )
    assert options["tpm"] == 90000 and options["rpm"] is None and options["prompt_cache"]
    assert server_options(parser.parse_args([]))["faults"] is None
    with pytest.raises(SystemExit):
        parser.parse_args(["--faults", "meteor_strike"])


@pytest.mark.slow
def test_server_from_the_command_line() -> None:
    process = subprocess.Popen(
        [
            sys.executable, "-m", "summarizer.testing", "--annotations", str(REFERENCE),
            "--port", "0", "--fault-rate", "1", "--faults", "http_502", "--tpm", "100000",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert banner.startswith("reference server on http://127.0.0.1:")
        base_url = banner.split()[3]
        with httpx2.Client() as http:
            answer = http.post(base_url + "/chat/completions", json=_body("x"), timeout=10)
        assert answer.status_code == 502
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    stats = json.loads(out.strip().splitlines()[-1])["stats"]
    assert stats["faults_injected"] == {"http_502": 1} and stats["tpm"] == 100000


def test_failed_call_reports_its_attempts() -> None:
    with ReferenceServer(_tiny()) as server:
        server.script(*[Fault.http(503)] * SETTINGS.max_attempts)
        with pytest.raises(ModelError, match="HTTP 503") as info:
            _parse(server)
    assert isinstance(info.value.usage, Usage)
    assert info.value.usage.calls == SETTINGS.max_attempts == server.request_count
