"""The reference server's hostile answers (summarizer.testing.hostile), and what the library
makes of each: `summarize` returns a Digest or raises a SummarizerError, never anything else,
and a Digest renders.

Decided in issue 10: out-of-range numbers are a verification finding (the article is done, the
figure is not verified), never an exception; an answer with nothing usable (no choices, no
content, never JSON) is a ModelError; a model looping to the output limit is not split again and
again (22 calls for one short article before the fix).
"""

from __future__ import annotations

import argparse
import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2
import jsonschema
import openai
import pytest

from summarizer import SummarizerError, load_article, summarize
from summarizer.errors import ModelError
from summarizer.pipeline import Digest
from summarizer.schemas import ArticleExtraction, ChunkExtraction, Summary
from summarizer.testing import (
    HOSTILE_LABELS,
    MIX_LABELS,
    Fault,
    FaultMix,
    ReferenceBook,
    ReferenceServer,
    add_fault_arguments,
    server_options,
)
from summarizer.testing.hostile import (
    EXTREME_VALUES,
    HOSTILE_KINDS,
    LONE_SURROGATE,
    LOOP_WORD,
    MANY_PEOPLE,
    QUOTE_WORDS,
    SCHEMA_VALID_KINDS,
)

from ..conftest import TINY_PAGE, tiny_reference
from ..test_hostile_properties import check_digest
from .conftest import SEEDS

SHORT = SEEDS / "000_69bf44ab3444e1cf.txt"  # one call
LONG = SEEDS / "001_8949947c50df7356.txt"  # two chunks and a reduce call
CALLS = {"backoff_initial": 0.0, "backoff_max": 0.0, "request_timeout": 30.0}
MODELS = {"ArticleExtraction": ArticleExtraction, "ChunkExtraction": ChunkExtraction}


def _body(schema_name: str = "ArticleExtraction", max_tokens: int = 300) -> dict[str, Any]:
    text = f'<article part="1" of="1">\n{TINY_PAGE}\n</article>'
    return {
        "model": "m",
        "max_completion_tokens": max_tokens,
        "messages": [{"role": "system", "content": "x"}, {"role": "user", "content": text}],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": schema_name, "schema": {}, "strict": True},
        },
    }


def _post(kind: str, schema_name: str = "ArticleExtraction") -> tuple[dict[str, Any], Counter[str]]:
    with ReferenceServer(ReferenceBook({"tiny": tiny_reference()})) as server:
        server.script(Fault.hostile(kind))
        with httpx2.Client() as http:
            answer = http.post(server.base_url + "/chat/completions", json=_body(schema_name))
        assert answer.status_code == 200
        return answer.json(), server.faults_injected


@pytest.mark.parametrize("kind", sorted(SCHEMA_VALID_KINDS))
@pytest.mark.parametrize("schema_name", ["ArticleExtraction", "ChunkExtraction"])
def test_schema_valid_kinds_are_instances_of_the_schema(kind: str, schema_name: str) -> None:
    body, injected = _post(kind, schema_name)
    assert injected == Counter({f"hostile_{kind}": 1})
    [choice] = body["choices"]
    assert choice["finish_reason"] == "stop" and body["usage"]["completion_tokens"] > 0
    answer = json.loads(choice["message"]["content"])
    model = MODELS[schema_name]
    jsonschema.validate(answer, model.model_json_schema())
    facts = answer["facts"]
    if kind in EXTREME_VALUES:
        assert facts["figures"] and all(
            json.dumps(f["value"]) == json.dumps(EXTREME_VALUES[kind]) for f in facts["figures"]
        )
    elif kind == "huge_quotes":
        evidence = [f["evidence"] for kind_ in facts.values() for f in kind_]
        assert evidence and all(len(e.split()) == QUOTE_WORDS for e in evidence)
    elif kind == "many_people":
        assert len(facts["people"]) == MANY_PEOPLE
    elif kind == "lone_surrogate":
        assert LONE_SURROGATE in json.dumps(answer, ensure_ascii=False)
        return  # valid JSON and schema-valid, yet no UTF-8 string: pydantic refuses it
    elif kind == "control":
        assert answer["facts"] == tiny_reference().facts.model_dump(mode="json")
    model.model_validate(answer)


def test_lone_surrogate_is_escaped_on_the_wire() -> None:
    with ReferenceServer(ReferenceBook({"tiny": tiny_reference()})) as server:
        server.script(Fault.hostile("lone_surrogate"))
        with httpx2.Client() as http:
            raw = http.post(server.base_url + "/chat/completions", json=_body()).content
    raw.decode("utf-8")  # the body itself is valid UTF-8 ...
    assert b"\\\\ud800" not in raw and b"\\ud800" in raw  # ... carrying a JSON escape


def test_wire_level_kinds() -> None:
    empty, _ = _post("empty_choices")
    assert empty["choices"] == [] and empty["usage"]["total_tokens"] > 0
    null, _ = _post("content_null")
    [choice] = null["choices"]
    assert choice["message"]["content"] is None and choice["message"]["refusal"] is None
    assert choice["finish_reason"] == "stop"
    prose, _ = _post("never_json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(prose["choices"][0]["message"]["content"])
    unused, _ = _post("no_usage")
    assert "usage" not in unused and unused["choices"][0]["message"]["content"]


def test_repetition_loops_to_the_output_limit() -> None:
    with ReferenceServer(ReferenceBook({"tiny": tiny_reference()})) as server:
        server.script(Fault.hostile("repetition"))
        with httpx2.Client() as http:
            body = http.post(server.base_url + "/chat/completions", json=_body(max_tokens=300))
    [choice] = body.json()["choices"]
    assert choice["finish_reason"] == "length"
    assert 290 <= body.json()["usage"]["completion_tokens"] <= 300
    content = choice["message"]["content"]
    assert content.startswith('{"facts": {"people": [{"name": "')
    assert content.count(LOOP_WORD) > 50


def test_hostile_answers_for_text_no_reference_matches() -> None:
    body = _body("Summary")
    body["messages"][1]["content"] = "<metadata>\ntitle: nothing known\n</metadata>"
    with ReferenceServer(ReferenceBook({"tiny": tiny_reference()})) as server:
        server.script(Fault.hostile("many_people"))
        with httpx2.Client() as http:
            answer = http.post(server.base_url + "/chat/completions", json=body)
            unknown = http.post(server.base_url + "/chat/completions", json=body)
    assert answer.status_code == 200  # an empty Summary as the base answer
    Summary.model_validate_json(answer.json()["choices"][0]["message"]["content"])
    assert unknown.status_code == 400  # without a hostile fault: no reference, as before


def test_hostile_labels_in_a_mix_and_on_the_command_line() -> None:
    assert set(HOSTILE_LABELS) == {f"hostile_{k}" for k in HOSTILE_KINDS}
    assert not set(HOSTILE_LABELS) & set(MIX_LABELS)  # never drawn by a default mix
    mix = FaultMix(rate=1.0, seed=4, weights=dict.fromkeys(HOSTILE_LABELS, 1.0))
    drawn = {mix.draw(str(i), 0) for i in range(400)}
    assert {f.label for f in drawn if f is not None} == set(HOSTILE_LABELS)
    assert FaultMix(rate=1.0).make("hostile_value_1e22") == Fault.hostile("value_1e22")
    with pytest.raises(ValueError, match="unknown hostile answer"):
        Fault.hostile("meteor")

    parser = argparse.ArgumentParser()
    add_fault_arguments(parser)
    everything = server_options(parser.parse_args(["--hostile"]))["faults"]
    assert everything.rate == 1.0 and set(everything.weights) == set(HOSTILE_LABELS)
    some = server_options(
        parser.parse_args(["--fault-rate", "0.5", "--faults", "hostile_empty_choices=2,reset"])
    )["faults"]
    assert some.rate == 0.5 and some.weights == {"hostile_empty_choices": 2.0, "reset": 1.0}
    assert server_options(parser.parse_args([]))["faults"] is None


def test_a_held_answer_waits_for_its_gate() -> None:
    gate = threading.Event()
    with ReferenceServer(ReferenceBook({"tiny": tiny_reference()})) as server:
        server.script(Fault.held(gate))
        statuses: list[int] = []

        def ask() -> None:
            with httpx2.Client(timeout=30) as http:
                statuses.append(
                    http.post(server.base_url + "/chat/completions", json=_body()).status_code
                )

        asker = threading.Thread(target=ask)
        asker.start()
        assert server.wait_for_requests(1, timeout=30)
        assert server.answered_count == 0 and not statuses  # received, held
        gate.set()
        assert server.wait_for_answers(1, timeout=30)
        asker.join()
    assert statuses == [200] and server.faults_injected == Counter({"held": 1})


# -- what the library makes of each ---------------------------------------------------------

NOTHING_USABLE = {"empty_choices", "content_null", "never_json"}
A_FINDING = set(EXTREME_VALUES)  # done: the figures are not verified, with a reason
ANSWERED = {"control", "no_usage"}

# Left out on the long article, for time: 3,000 people in each of two chunks take the merge 84 s
# (merge.merge compares every pair of facts: reported), and 20,000-word quotes in two chunks take
# 5-13 s to summarise and 2 s to verify again.
SLOW = {("many_people", LONG), ("huge_quotes", LONG)}
CASES = [(k, s) for k in HOSTILE_KINDS for s in (SHORT, LONG) if (k, s) not in SLOW]


def _outcome(book: ReferenceBook, seed: Path, kind: str) -> tuple[Digest | SummarizerError, int]:
    with ReferenceServer(book) as server:
        server.add_rule("<metadata>", Fault.hostile(kind))
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="sk-test-hostile")
        try:
            result: Digest | SummarizerError = summarize(load_article(seed), client=client, **CALLS)
        except SummarizerError as exc:
            result = exc
        return result, server.request_count


@pytest.mark.parametrize(("kind", "seed"), CASES, ids=[f"{k}-{s.name[:3]}" for k, s in CASES])
def test_each_hostile_answer_ends_in_a_digest_or_a_summarizer_error(
    book: ReferenceBook, kind: str, seed: Path
) -> None:
    result, requests = _outcome(book, seed, kind)
    if kind in NOTHING_USABLE:
        assert isinstance(result, ModelError), result
        return
    if kind in ANSWERED | A_FINDING:
        assert isinstance(result, Digest), result
    if isinstance(result, Digest):
        check_digest(result)
    if kind in A_FINDING:
        assert isinstance(result, Digest)
        checks = {c.index: c for c in result.verification.facts if c.kind == "figures"}
        assert checks
        for check in checks.values():
            assert check.status != "verified" and check.problems, check
    if kind == "repetition":
        # Detected, not split again and again: a few calls per chunk at most.
        chunks = 1 if seed == SHORT else 2
        assert requests <= 3 * chunks + 1, f"{requests} requests for a looping model"
