"""Full `summarize()` runs on two seeds against llama-server, with small budgets.

The models that registry wheels ship are weak (a base 270M and a 135M instruct model): they loop
until the output limit and invent evidence. What must hold whatever they write:
- every request the library sends is accepted (HTTP 200; no schema or parameter rejected);
- the run ends in a Digest or a typed SummarizerError, never anything else;
- nothing is `verified` that is not plainly in the article (checked independently of `verify`);
- the Digest renders as Markdown and round-trips through its JSON form.

With `--record-mode=rewrite` each run is also recorded as cassettes/real/llama-cpp/<model>/<seed>
(replayed offline by test_recorded.py); in record mode none the runs go to the server unrecorded.
"""

from __future__ import annotations

import json

import pytest

from summarizer.digest import Digest
from summarizer.render import render_markdown

from . import serve
from .runs import cassette_name, fact_count, flag_problems, model_calls, run_seed

pytestmark = pytest.mark.interop


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    params = request.node.callspec.params
    return cassette_name(str(params["llama"]), params["prefix"])


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_seed_run(llama: serve.Server, prefix: str) -> None:
    run = run_seed(llama, prefix)
    rejected = [(e.status, str(e.response)[:300]) for e in run.exchanges if e.status != 200]
    assert rejected == []
    assert run.exchanges, "no request reached the server"
    assert (run.digest is None) != (run.error is None)
    if run.digest is None:
        # A typed error naming what failed (run_seed catches only SummarizerError).
        assert str(run.error)
        return
    digest = run.digest
    assert len(digest.verification.facts) == fact_count(digest)
    assert flag_problems(digest) == []
    assert sum(digest.verification.by_status.values()) == fact_count(digest)
    usage = digest.usage
    calls = model_calls(run.exchanges)
    assert usage.calls == len(calls)
    assert usage.output_tokens == sum(e.usage.get("completion_tokens", 0) for e in calls)
    markdown = render_markdown(digest)
    assert digest.article.title in markdown
    text = digest.model_dump_json()
    assert Digest.model_validate_json(text).model_dump_json() == text
    print(
        json.dumps(
            {
                "model": llama.spec.name,
                "seed": run.stem,
                "calls": usage.calls,
                "output_tokens": usage.output_tokens,
                "seconds": round(run.seconds, 1),
                "facts": fact_count(digest),
                "statuses": dict(run.statuses()),
                "summary_numbers": dict(run.summary_numbers()),
                "gaps": len(digest.run.gaps),
            }
        )
    )
