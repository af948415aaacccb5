"""Recordings of real models (cassettes/real/llama-cpp/<model>/<seed>.yaml), replayed offline.

The replay runs in the ordinary suite: the same `summarize()` call as the recording, answered
from the cassette, must end in a Digest or a typed error, and verification must flag what a weak
model invented (nothing not plainly in the article is `verified`). It checks structure and
verification, not equality with the reference annotations.

Recording needs the interop server and record mode rewrite:

    python -m pytest -m interop tests/interop/test_recorded.py --record-mode=rewrite
"""

from __future__ import annotations

from typing import Any

import pytest
from openai import AsyncOpenAI

from summarizer import summarize
from summarizer.cassettes import STABLE_HOST
from summarizer.errors import SummarizerError
from summarizer.pipeline import Digest
from summarizer.render import render_markdown

from ..conftest import CASSETTES
from . import serve
from .runs import COMMON_OPTIONS, RUN_OPTIONS, fact_count, seed_path, ungrounded_verified

PREFIXES = ["000", "001"]


def _cassette(model: str, prefix: str) -> str:
    return f"real/llama-cpp/{model}/{seed_path(prefix).stem}"


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    params = request.node.callspec.params
    model = params["llama"].spec.name if "llama" in params else params["model"]
    return _cassette(model, params["prefix"])


def _run(model: str, prefix: str, client: AsyncOpenAI) -> Digest | SummarizerError:
    options: dict[str, Any] = {**COMMON_OPTIONS, **RUN_OPTIONS[model]}
    try:
        return summarize(seed_path(prefix), model=model, client=client, **options)
    except SummarizerError as exc:
        return exc


def _check(outcome: Digest | SummarizerError) -> None:
    if isinstance(outcome, SummarizerError):
        assert str(outcome)
        return
    assert len(outcome.verification.facts) == fact_count(outcome)
    assert ungrounded_verified(outcome) == []
    assert outcome.article.title in render_markdown(outcome)
    assert outcome.usage.calls >= 1 and outcome.usage.input_tokens > 0


@pytest.mark.interop
@pytest.mark.vcr
@pytest.mark.parametrize("prefix", PREFIXES)
def test_record(llama: serve.Server, prefix: str, record_mode: str) -> None:
    if record_mode == "none":
        pytest.skip("recording needs --record-mode=rewrite (replay is test_replay)")
    client = AsyncOpenAI(base_url=llama.base_url, api_key="sk-local-server-needs-no-key")
    _check(_run(llama.spec.name, prefix, client))


@pytest.mark.vcr
@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("model", sorted(RUN_OPTIONS))
def test_replay(model: str, prefix: str, record_mode: str) -> None:
    if record_mode != "none":
        pytest.skip("replay only (record with test_record)")
    if not (CASSETTES / f"{_cassette(model, prefix)}.yaml").exists():
        pytest.skip(f"no llama.cpp recording of {model} for seed {prefix}")
    client = AsyncOpenAI(base_url=STABLE_HOST + "/v1", api_key="sk-replay-not-a-real-key")
    _check(_run(model, prefix, client))
