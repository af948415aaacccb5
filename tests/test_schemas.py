"""The LLM-facing models must be accepted by OpenAI's strict structured outputs as they are."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openai.lib._pydantic import to_strict_json_schema
from pydantic import BaseModel

from summarizer.schemas import LLM_MODELS, ArticleExtraction, FactSheet, Figure

# The subset of JSON Schema that strict mode supports (OpenAI structured outputs guide).
SUPPORTED = {
    "type", "properties", "required", "additionalProperties", "items", "anyOf", "enum",
    "const", "$ref", "$defs", "description", "title", "pattern", "format", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
}  # fmt: skip
MAX_DEPTH = 10
MAX_PROPERTIES = 5000


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    assert ref.startswith("#/$defs/"), ref
    return root["$defs"][ref.removeprefix("#/$defs/")]  # type: ignore[no-any-return]


def _problems(schema: dict[str, Any]) -> tuple[list[str], int, int]:
    problems: list[str] = []
    max_depth = 0
    properties = 0

    def walk(node: dict[str, Any], path: str, depth: int) -> None:
        nonlocal max_depth, properties
        for key in node:
            if key not in SUPPORTED:
                problems.append(f"{path}: unsupported keyword {key!r}")
        node = _resolve(node, schema)
        if "anyOf" in node:
            for i, alt in enumerate(node["anyOf"]):
                walk(alt, f"{path}|{i}", depth)
            return
        if node.get("type") == "object":
            max_depth = max(max_depth, depth + 1)
            props = node.get("properties", {})
            properties += len(props)
            if node.get("additionalProperties") is not False:
                problems.append(f"{path}: additionalProperties must be false")
            if sorted(node.get("required", [])) != sorted(props):
                problems.append(f"{path}: every property must be required")
            for name, sub in props.items():
                if "default" in sub:
                    problems.append(f"{path}.{name}: has a default")
                walk(sub, f"{path}.{name}", depth + 1)
        if node.get("type") == "array":
            walk(node["items"], f"{path}[]", depth)
        for key in node:
            if key not in SUPPORTED:
                problems.append(f"{path}: unsupported keyword {key!r}")

    if schema.get("type") != "object":
        problems.append("root must be an object")
    walk(schema, "$", 0)
    return problems, max_depth, properties


@pytest.mark.parametrize("model", LLM_MODELS, ids=lambda m: m.__name__)
def test_llm_models_are_strict_schema_compatible(model: type[BaseModel]) -> None:
    schema = to_strict_json_schema(model)
    problems, depth, properties = _problems(schema)
    assert problems == []
    assert 1 <= depth <= MAX_DEPTH
    assert properties <= MAX_PROPERTIES


def test_checker_catches_a_non_strict_model() -> None:
    class Loose(BaseModel):
        name: str = "x"
        extra: dict[str, int]

    problems, _, _ = _problems(Loose.model_json_schema())
    assert any("required" in p for p in problems)
    assert any("additionalProperties" in p for p in problems)


def test_every_fact_has_evidence_and_nullable_fields_are_required() -> None:
    schema = to_strict_json_schema(ArticleExtraction)
    for name, definition in schema["$defs"].items():
        if name in {"FactSheet", "Summary", "ChunkExtraction"}:
            continue
        assert "evidence" in definition["properties"], name
    figure = to_strict_json_schema(Figure)
    assert {"type": "null"} in figure["properties"]["value"]["anyOf"]
    assert "value" in figure["required"]


def test_fact_sheet_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError):
        FactSheet.model_validate({k: [] for k in FactSheet.model_fields} | {"rumours": ["x"]})


def test_the_digest_schema_documents_the_fields_the_request_schema_does_not_carry() -> None:
    from summarizer.digest import digest_json_schema
    from summarizer.llm import strict_response_format
    from summarizer.schemas import ArticleExtraction

    published = digest_json_schema()["$defs"]["Figure"]["properties"]["value"]
    assert "base units" in published["description"]
    sent = json.dumps(strict_response_format(ArticleExtraction))
    assert '"description"' not in sent and '"title"' not in sent
