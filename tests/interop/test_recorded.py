"""Recordings of real models (cassettes/real/llama-cpp/<model>/<seed>.yaml), replayed offline.

The replay runs in the ordinary suite: the same `summarize()` call as the recording, answered
from the cassette, must end in a Digest or a typed error, and verification must flag what a weak
model invented (nothing not plainly in the article is `verified`). It checks structure and
verification, not equality with the reference annotations.

They are written by the interop tier's seed runs (tests/interop/test_seeds.py) when it runs
with record mode rewrite:

    python -m pytest -m interop tests/interop/test_seeds.py --record-mode=rewrite
"""

from __future__ import annotations

from typing import Any

import pytest
from openai import AsyncOpenAI

from summarizer import summarize
from summarizer.cassettes import STABLE_HOST
from summarizer.digest import Digest
from summarizer.errors import SummarizerError
from summarizer.llm import Usage
from summarizer.render import render_markdown

from ..conftest import CASSETTES
from .runs import (
    COMMON_OPTIONS,
    RUN_OPTIONS,
    cassette_name,
    fact_count,
    flag_problems,
    replayed_calls,
    seed_path,
)

PREFIXES = ["000", "001"]


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    params = request.node.callspec.params
    return cassette_name(params["model"], params["prefix"])


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
    assert flag_problems(outcome) == []
    assert outcome.article.title in render_markdown(outcome)
    assert outcome.usage.calls >= 1 and outcome.usage.input_tokens > 0


@pytest.mark.vcr
@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("model", sorted(RUN_OPTIONS))
def test_replay(model: str, prefix: str, record_mode: str, vcr: Any) -> None:
    if record_mode != "none":
        pytest.skip("replay only (record with test_record)")
    if not (CASSETTES / f"{cassette_name(model, prefix)}.yaml").exists():
        pytest.skip(f"no llama.cpp recording of {model} for seed {prefix}")
    client = AsyncOpenAI(base_url=STABLE_HOST + "/v1", api_key="sk-replay-not-a-real-key")
    outcome = _run(model, prefix, client)
    _check(outcome)
    # A request the recording lacks ends the run in a typed ModelError too, which _check
    # accepts: every call the library made must have been answered from the recording, and
    # (the recordings are made with the current library) every recorded answer used.
    usage = outcome.usage if isinstance(outcome, Digest) else getattr(outcome, "usage", None)
    assert isinstance(usage, Usage)
    played, recorded = replayed_calls(vcr)
    assert usage.calls == played == recorded >= 1, (
        f"{usage.calls} calls made, {played} of {recorded} recorded answers replayed"
    )
