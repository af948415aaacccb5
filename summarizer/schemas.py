"""The fact sheet and summary models the model is asked to fill.

These are LLM-facing: they are handed as they are to OpenAI's strict structured outputs, so every
field is required (optional values are `X | None`, never defaults), there are no extra keys and
no keywords outside the supported subset. `tests/test_schemas.py` checks that rule by rule.

Every fact carries `evidence`: a verbatim quote from the article that a reviewer can find and
read. Verification (`summarizer.verify`) checks each quote against the source text.

The descriptions here document the published Digest schema (`docs/digest.schema.json`) for
readers. They are not sent to the model: the request schema (`summarizer.llm`
`strict_response_format`) drops every description and title, because the rules for filling the
fields live in the prompt (`prompts/fact_rules.md`, ...), each said once, and every schema token
is sent with every request.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_STRICT = ConfigDict(extra="forbid")

EVIDENCE = (
    "A verbatim quote copied character for character from the article that states this fact:"
    " one sentence or clause, never paraphrased, never translated."
)


class Person(BaseModel):
    model_config = _STRICT

    name: str = Field(description="Full name exactly as written in the article.")
    role_vi: str | None = Field(description="Role or title as written in the article (Vietnamese).")
    role_en: str | None = Field(description="English role title, following the glossary.")
    organization: str | None = Field(description="Organisation the role belongs to, as written.")
    evidence: str = Field(description=EVIDENCE)


class Organization(BaseModel):
    model_config = _STRICT

    name: str = Field(description="Name exactly as written in the article.")
    name_en: str | None = Field(description="English name, following the glossary.")
    country: str | None = Field(description="Country in English, for foreign organisations.")
    evidence: str = Field(description=EVIDENCE)


class Place(BaseModel):
    model_config = _STRICT

    name: str = Field(description="Name exactly as written, e.g. 'tỉnh Hủa Phăn'.")
    name_en: str | None = Field(description="English name, e.g. 'Houaphanh Province'.")
    country: str | None = Field(
        description="Country in English, e.g. 'Laos'; 'Vietnam' if domestic."
    )
    evidence: str = Field(description=EVIDENCE)


class Figure(BaseModel):
    model_config = _STRICT

    text: str = Field(description="The quantity exactly as written, e.g. '14,245 tỷ USD'.")
    value: float | None = Field(
        description="Value in base units (dollars, đồng, percent points, items): '14,245 tỷ USD'"
        " is 14245000000. Vietnamese uses '.' for thousands and ',' for decimals."
    )
    unit: str | None = Field(description="'USD', 'VND', '%', or the counted noun, e.g. 'dự án'.")
    measure_vi: str = Field(description="What the number measures, in Vietnamese.")
    measure_en: str = Field(description="What the number measures, in English.")
    period: str | None = Field(description="Period or date it refers to, as written, if any.")
    evidence: str = Field(description=EVIDENCE)


class Event(BaseModel):
    model_config = _STRICT

    what_vi: str = Field(description="What happened, in Vietnamese.")
    what_en: str = Field(description="What happened, in English.")
    date: str | None = Field(description="ISO date YYYY-MM-DD, if the article gives the day.")
    where: str | None = Field(description="Place as written, if given.")
    evidence: str = Field(description=EVIDENCE)


StatementKind = Literal[
    "requests", "commits", "directs", "assesses", "agrees", "proposes", "informs"
]


class Statement(BaseModel):
    model_config = _STRICT

    speaker: str = Field(description="Who speaks, as written (a person or an organisation).")
    kind: StatementKind = Field(description="What the speaker does.")
    content_vi: str = Field(description="What is requested, committed, directed... (Vietnamese).")
    content_en: str = Field(description="The same in English.")
    addressee: str | None = Field(description="Towards whom, as written, if stated.")
    evidence: str = Field(description=EVIDENCE)


class FactSheet(BaseModel):
    model_config = _STRICT

    people: list[Person]
    organizations: list[Organization]
    places: list[Place]
    figures: list[Figure]
    events: list[Event]
    statements: list[Statement]


class Summary(BaseModel):
    """Bilingual summary: the same content in Vietnamese and in English."""

    model_config = _STRICT

    headline_vi: str
    headline_en: str
    summary_vi: str = Field(description="3 to 5 sentences in Vietnamese.")
    summary_en: str = Field(description="The same summary in English.")
    key_points_vi: list[str] = Field(description="3 to 6 key points in Vietnamese.")
    key_points_en: list[str] = Field(description="The same key points in English, same order.")


class ArticleExtraction(BaseModel):
    """Answer for an article that fits in one chunk: facts and summary in one call."""

    model_config = _STRICT

    facts: FactSheet
    summary: Summary


class ChunkExtraction(BaseModel):
    """Answer for one chunk of a long article (map step)."""

    model_config = _STRICT

    facts: FactSheet
    notes: list[str] = Field(description="Short notes (Vietnamese) on what this part says.")


def without_docs(schema: object) -> object:
    """A JSON Schema without its documentation ("description", "title" of every schema node):
    what the model is sent. Property names are data, never dropped (a field may be called
    "title")."""
    if isinstance(schema, list):
        return [without_docs(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, object] = {}
    for key, value in schema.items():
        if key in ("description", "title"):
            continue
        if key in ("properties", "$defs"):
            out[key] = {name: without_docs(sub) for name, sub in value.items()}
        else:
            out[key] = without_docs(value)
    return out


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
