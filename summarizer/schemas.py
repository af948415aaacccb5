"""The fact sheet and summary models the model is asked to fill.

These are LLM-facing: they are handed as they are to OpenAI's strict structured outputs, so every
field is required (optional values are `X | None`, never defaults), there are no extra keys and
no keywords outside the supported subset. `tests/test_schemas.py` checks that rule by rule.

Every fact carries `evidence`: a verbatim quote from the article that a reviewer can find and
read. Verification (`summarizer.verify`) checks each quote against the source text.

The schema names and types the fields; the rules for filling them live in the prompt
(`prompts/fact_rules.md`, `prompts/extract_article.md`...), each said once: every schema token
is sent with every request, so a description here repeats what the prompt says. No titles
either (pydantic's "title" repeats the field's name) and no class docstrings (they become the
schema's description): notes for readers are comments.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


def _without_titles(schema: dict[str, Any]) -> None:
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


_STRICT = ConfigDict(extra="forbid", json_schema_extra=_without_titles)


class Person(BaseModel):
    model_config = _STRICT

    name: str
    role_vi: str | None
    role_en: str | None
    organization: str | None
    evidence: str


class Organization(BaseModel):
    model_config = _STRICT

    name: str
    name_en: str | None
    country: str | None
    evidence: str


class Place(BaseModel):
    model_config = _STRICT

    name: str
    name_en: str | None
    country: str | None
    evidence: str


class Figure(BaseModel):
    model_config = _STRICT

    text: str
    value: float | None
    unit: str | None
    measure_vi: str
    measure_en: str
    period: str | None
    evidence: str


class Event(BaseModel):
    model_config = _STRICT

    what_vi: str
    what_en: str
    date: str | None
    where: str | None
    evidence: str


StatementKind = Literal[
    "requests", "commits", "directs", "assesses", "agrees", "proposes", "informs"
]


class Statement(BaseModel):
    model_config = _STRICT

    speaker: str
    kind: StatementKind
    content_vi: str
    content_en: str
    addressee: str | None
    evidence: str


class FactSheet(BaseModel):
    model_config = _STRICT

    people: list[Person]
    organizations: list[Organization]
    places: list[Place]
    figures: list[Figure]
    events: list[Event]
    statements: list[Statement]


class Summary(BaseModel):
    # Bilingual summary: the same content in Vietnamese and in English.

    model_config = _STRICT

    headline_vi: str
    headline_en: str
    summary_vi: str
    summary_en: str
    key_points_vi: list[str]
    key_points_en: list[str]


class ArticleExtraction(BaseModel):
    # Answer for an article that fits in one chunk: facts and summary in one call.

    model_config = _STRICT

    facts: FactSheet
    summary: Summary


class ChunkExtraction(BaseModel):
    # Answer for one chunk of a long article (map step).

    model_config = _STRICT

    facts: FactSheet
    notes: list[str]


FactKind = Literal["people", "organizations", "places", "figures", "events", "statements"]
FACT_KINDS: tuple[FactKind, ...] = (
    "people",
    "organizations",
    "places",
    "figures",
    "events",
    "statements",
)
Fact = Person | Organization | Place | Figure | Event | Statement

LLM_MODELS: tuple[type[BaseModel], ...] = (ArticleExtraction, ChunkExtraction, Summary)
