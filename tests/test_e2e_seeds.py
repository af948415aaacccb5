"""End to end over the five seeds, by cassette replay.

The cassettes were recorded against the reference server (see cassettes/README.md), which answers
from the hand-written reference annotations in tests/reference/. With those answers coming back,
the pipeline must reproduce each reference fact sheet exactly after chunking and merging (so
chunking and merging lose nothing and invent nothing), with every fact verified.

Two recordings per seed: with the default chunk budget (most seeds in one call), and with a
small budget that sends every seed through map → merge → reduce.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from openai import AsyncOpenAI

from summarizer import summarize
from summarizer.cassettes import STABLE_HOST
from summarizer.digest import Digest
from summarizer.errors import SummarizerError
from summarizer.llm import Usage
from summarizer.render import render_markdown
from summarizer.schemas import FACT_KINDS, ArticleExtraction

from .conftest import CASSETTES, REFERENCE, SEEDS
from .interop.runs import COMMON_OPTIONS, RUN_OPTIONS, flag_problems, replayed_calls

STEMS = sorted(p.stem for p in SEEDS.glob("*.txt"))
MODES = {"seeds": {}, "seeds-map": {"max_chunk_tokens": 300, "overlap_tokens": 60}}


REAL_MODEL = os.environ.get("SUMMARIZER_RECORD_MODEL", "gpt-4o-mini")
# Recordings of real models: (model name in the requests, options the recording was made with).
# The llama.cpp sets are recorded by the interop tier (tests/interop/test_seeds.py).
REAL_SETS: dict[str, tuple[str, dict[str, Any]]] = {
    REAL_MODEL: (REAL_MODEL, {}),
    **{
        f"llama-cpp/{model}": (model, {**COMMON_OPTIONS, **options})
        for model, options in RUN_OPTIONS.items()
    },
}


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    params = request.node.callspec.params
    if "mode" in params:
        return f"reference/{params['mode']}/{params['stem']}"
    return f"real/{params['real_set']}/{params['stem']}"


def _key(fact: Any) -> str:
    return json.dumps(fact.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def _run(stem: str, mode: str, client: AsyncOpenAI) -> Digest:
    return summarize(SEEDS / f"{stem}.txt", client=client, backoff_initial=0.0, **MODES[mode])


@pytest.mark.vcr
@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("stem", STEMS)
def test_seed_reproduces_reference(stem: str, mode: str, model_client: AsyncOpenAI) -> None:
    digest = _run(stem, mode, model_client)
    reference = ArticleExtraction.model_validate_json((REFERENCE / f"{stem}.json").read_bytes())
    for kind in FACT_KINDS:
        got = sorted(_key(f) for f in getattr(digest.facts, kind))
        want = sorted(_key(f) for f in getattr(reference.facts, kind))
        assert got == want, kind
    assert digest.summary == reference.summary
    assert digest.run.gaps == []
    statuses = {c.status for c in digest.verification.facts}
    assert statuses == {"verified"}, [
        (c.kind, c.index, c.problems) for c in digest.verification.facts if c.status != "verified"
    ]
    if mode == "seeds-map":
        assert digest.run.chunks > 1
    assert digest.usage.calls >= 1 and digest.usage.input_tokens > 0
    assert digest.usage.cost_usd is not None and digest.usage.cost_usd > 0
    # The Digest round-trips through its published JSON form.
    text = digest.model_dump_json()
    assert Digest.model_validate_json(text).model_dump_json() == text


@pytest.mark.vcr
@pytest.mark.parametrize("real_set", sorted(REAL_SETS))
@pytest.mark.parametrize("stem", STEMS)
def test_seed_against_real_model(stem: str, real_set: str, record_mode: str, vcr: Any) -> None:
    """A real model's recorded answers (cassettes/real/): structure and verification, not
    equality with the reference. Skipped where no such recording exists."""
    model, options = REAL_SETS[real_set]
    name = f"real/{real_set}/{stem}.yaml"
    if record_mode == "none" and not (CASSETTES / name).exists():
        pytest.skip(f"no recording of {real_set} for this seed (see cassettes/README.md)")
    if record_mode != "none" and real_set != REAL_MODEL:
        pytest.skip("llama.cpp recordings are made by tests/interop/test_seeds.py")
    if record_mode != "none" and not os.environ.get("OPENAI_API_KEY"):
        pytest.skip("recording against a real endpoint needs OPENAI_API_KEY")
    base_url = None if real_set == REAL_MODEL else STABLE_HOST + "/v1"
    key = os.environ.get("OPENAI_API_KEY") or "sk-replay-not-a-real-key"
    client = AsyncOpenAI(base_url=base_url, api_key=key)
    try:
        digest = summarize(SEEDS / f"{stem}.txt", model=model, client=client, **options)
    except SummarizerError as exc:
        # A weak local model may end the article with a typed error (a loop, a spent budget),
        # but not for want of a recorded answer; a hosted model is expected to produce a Digest.
        assert real_set != REAL_MODEL and str(exc)
        played, recorded = replayed_calls(vcr)
        usage = getattr(exc, "usage", None)
        assert isinstance(usage, Usage) and usage.calls == played == recorded
        return
    if real_set == REAL_MODEL:
        assert digest.summary is not None
    facts = sum(len(getattr(digest.facts, k)) for k in FACT_KINDS)
    assert facts > 0 or real_set != REAL_MODEL
    assert len(digest.verification.facts) == facts
    # Verification flags what a model invented; the batch gate flags a run that verifies badly.
    assert flag_problems(digest) == []
    assert digest.article.title in render_markdown(digest)
