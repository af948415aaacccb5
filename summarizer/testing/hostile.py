"""Hostile but plausible answers for the reference server (`summarizer.testing`).

A real server, or a real model behind it, sometimes answers in ways that are legal on the wire
or even valid against the schema, yet unlike anything the happy path sees. Each kind here is
one such answer, built from the reference answer the server would have sent:

- wire-level: `empty_choices` (a 200 whose `choices` is `[]`), `content_null` (a message with
  neither content nor refusal), `never_json` (prose where JSON was asked for), `no_usage` (the
  answer without its `usage`), `repetition` (a model looping on one word until the output limit:
  finish_reason "length", content `{"facts": {"people": [{"name": "PEOPLLE PEOPLLE ...`);
- schema-valid: `value_1e22`, `value_max_float` (1.7e308), `value_negative_zero` (-0.0) as every
  figure's `value` (a figure is added, quoting a real fact's evidence, when there is none);
  `huge_quotes` (every fact's evidence 20,000 words long, the article's words looping);
  `many_people` (3,000 people); `lone_surrogate` (an unpaired UTF-16 surrogate in names, notes
  and the summary: valid JSON, sent escaped as `\\ud800` since UTF-8 cannot carry it);
- `control`: the reference answer, untouched (a hostile mix's baseline).

The server applies `content_for` while building the completion and `wire_body` to the finished
completion (after it has been charged to the token budget). A text no reference matches gets
`empty_answer` as its base, so every kind can be served for any request.

May import: the standard library and `summarizer.tokens`.
"""

from __future__ import annotations

import copy
import itertools
import json
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ..tokens import get_encoding

HostileKind = Literal[
    "control",
    "empty_choices",
    "content_null",
    "never_json",
    "no_usage",
    "repetition",
    "value_1e22",
    "value_max_float",
    "value_negative_zero",
    "huge_quotes",
    "many_people",
    "lone_surrogate",
]

HOSTILE_KINDS: tuple[HostileKind, ...] = get_args(HostileKind)
"""Every hostile answer the reference server can send (`Fault.hostile(kind)`)."""

SCHEMA_VALID_KINDS = frozenset(
    {
        "control",
        "value_1e22",
        "value_max_float",
        "value_negative_zero",
        "huge_quotes",
        "many_people",
        "lone_surrogate",
    }
)
"""The kinds whose content validates against the schema the request sent."""

EXTREME_VALUES: dict[str, float] = {
    "value_1e22": 1e22,
    "value_max_float": 1.7e308,
    "value_negative_zero": -0.0,
}
QUOTE_WORDS = 20_000
MANY_PEOPLE = 3_000
LONE_SURROGATE = "\ud800"
LOOP_WORD = "PEOPLLE"
DEFAULT_OUTPUT_LIMIT = 4096  # when the request names no max_completion_tokens
_FACT_KINDS = ("people", "organizations", "places", "figures", "events", "statements")


@dataclass(frozen=True)
class HostileContent:
    """What the assistant message says: its content and why it stopped."""

    content: str | None
    finish_reason: str = "stop"


def content_for(
    kind: str, answer: dict[str, Any], article_text: str, output_limit: int | None
) -> HostileContent:
    """The message content of a hostile answer of `kind`, from the reference `answer` (the
    parsed JSON the server would send) and the request's article text."""
    if kind in EXTREME_VALUES:
        return _json(_with_values(answer, EXTREME_VALUES[kind]))
    if kind == "huge_quotes":
        return _json(_with_huge_quotes(answer, article_text))
    if kind == "many_people":
        return _json(_with_many_people(answer))
    if kind == "lone_surrogate":
        return _json(_with_surrogate(answer))
    if kind == "content_null":
        return HostileContent(None)
    if kind == "never_json":
        return HostileContent(
            "Sure! Here is a short summary of the article. The article reports on a meeting"
            " and lists several figures; I have left out the JSON because prose reads better."
        )
    if kind == "repetition":
        return HostileContent(_loop(output_limit or DEFAULT_OUTPUT_LIMIT), "length")
    if kind in ("control", "empty_choices", "no_usage"):
        return _json(answer)
    raise ValueError(f"unknown hostile answer {kind!r} (known: {', '.join(HOSTILE_KINDS)})")


def wire_body(kind: str, completion: dict[str, Any]) -> bytes:
    """The response body: the completion without choices or usage for the kinds that say so;
    ASCII-escaped JSON for a lone surrogate (UTF-8 cannot carry one; a JSON escape can)."""
    if kind == "empty_choices":
        completion = {**completion, "choices": []}
    elif kind == "no_usage":
        completion = {k: v for k, v in completion.items() if k != "usage"}
    return json.dumps(completion, ensure_ascii=kind == "lone_surrogate").encode()


_EMPTY_FACTS: dict[str, list[Any]] = {kind: [] for kind in _FACT_KINDS}
_EMPTY_SUMMARY = {
    "headline_vi": "",
    "headline_en": "",
    "summary_vi": "",
    "summary_en": "",
    "key_points_vi": [],
    "key_points_en": [],
}


def empty_answer(schema_name: str) -> dict[str, Any]:
    """A schema-valid answer with nothing in it (the base for a text no reference matches)."""
    if schema_name == "Summary":
        return dict(_EMPTY_SUMMARY)
    if schema_name == "ChunkExtraction":
        return {"facts": copy.deepcopy(_EMPTY_FACTS), "notes": []}
    return {"facts": copy.deepcopy(_EMPTY_FACTS), "summary": dict(_EMPTY_SUMMARY)}


def _json(answer: dict[str, Any]) -> HostileContent:
    return HostileContent(json.dumps(answer, ensure_ascii=False))


def _facts(answer: dict[str, Any]) -> dict[str, list[dict[str, Any]]] | None:
    facts = answer.get("facts")
    return facts if isinstance(facts, dict) else None  # a Summary answer has no facts


def _any_evidence(facts: dict[str, list[dict[str, Any]]]) -> str:
    for kind in _FACT_KINDS:
        for fact in facts.get(kind, []):
            return str(fact["evidence"])
    return ""


def _with_values(answer: dict[str, Any], value: float) -> dict[str, Any]:
    out = copy.deepcopy(answer)
    facts = _facts(out)
    if facts is None:
        return out
    if not facts["figures"]:
        facts["figures"].append(
            {
                "text": "nghìn tỷ nghìn tỷ",
                "value": value,
                "unit": "VND",
                "measure_vi": "tổng vốn",
                "measure_en": "total capital",
                "period": None,
                "evidence": _any_evidence(facts),
            }
        )
    for figure in facts["figures"]:
        figure["value"] = value
    return out


def _with_huge_quotes(answer: dict[str, Any], article_text: str) -> dict[str, Any]:
    out = copy.deepcopy(answer)
    facts = _facts(out)
    if facts is None:
        return out
    words = article_text.split() or ["trích", "dẫn"]
    quote = " ".join(itertools.islice(itertools.cycle(words), QUOTE_WORDS))
    for kind in _FACT_KINDS:
        for fact in facts[kind]:
            fact["evidence"] = quote
    return out


def _with_many_people(answer: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(answer)
    facts = _facts(out)
    if facts is None:
        return out
    people = facts["people"] or [
        {
            "name": "Nguyễn Văn A",
            "role_vi": None,
            "role_en": None,
            "organization": None,
            "evidence": _any_evidence(facts),
        }
    ]
    facts["people"] = [
        {**people[i % len(people)], "name": f"{people[i % len(people)]['name']} {i + 1}"}
        for i in range(MANY_PEOPLE)
    ]
    return out


def _with_surrogate(answer: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(answer)
    facts = _facts(out)
    summary = out.get("summary") if facts is not None else out
    if isinstance(summary, dict) and isinstance(summary.get("headline_en"), str):
        summary["headline_en"] += f" {LONE_SURROGATE}"
    for fact in (f for kind in _FACT_KINDS for f in (facts or {}).get(kind, [])):
        for field in ("name", "what_en", "content_en", "measure_en"):
            if isinstance(fact.get(field), str):
                fact[field] += LONE_SURROGATE
    if isinstance(out.get("notes"), list):
        out["notes"] = [f"{LONE_SURROGATE}{note}" for note in out["notes"]]
    return out


def _loop(output_limit: int) -> str:
    """A JSON answer cut at `output_limit` tokens, looping on one misspelt word."""
    head = '{"facts": {"people": [{"name": "' + LOOP_WORD
    encode = get_encoding().encode
    per_word = len(encode(f" {LOOP_WORD}"))
    words = max((output_limit - len(encode(head))) // per_word, 0)
    return head + f" {LOOP_WORD}" * words


__all__ = [
    "EXTREME_VALUES",
    "HOSTILE_KINDS",
    "SCHEMA_VALID_KINDS",
    "HostileContent",
    "HostileKind",
    "content_for",
    "empty_answer",
    "wire_body",
]
