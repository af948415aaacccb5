"""The Digest: everything known about one article after summarisation, and how it is stored.

A Digest is what `summarize()` returns and what the batch writes as `<input name>.json`; the
render, review, corpus and batch stages read it. It sits below all of them and imports only the
data models of the stages before it (article, schemas, verify, usage), never a stage that runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from .article import Article
from .schemas import FactSheet, Summary
from .usage import Usage
from .verify import Verification

DIGEST_SCHEMA_VERSION = 1

GapReason = Literal["refusal", "content_filter", "failed"]


class Gap(BaseModel):
    """A part of the body that no fact sheet covers, because its model call failed; chunk -1
    (with an empty span) is the summary (reduce) call."""

    chunk: int
    start: int
    end: int
    reason: GapReason
    error: str


class RunInfo(BaseModel):
    model: str
    prompt_version: str
    chunks: int
    gaps: list[Gap] = Field(default_factory=list)
    dropped_unverified: int = 0


class Digest(BaseModel):
    """Everything known about one article after summarisation. Its JSON Schema is published
    (`Digest.model_json_schema()`, and `summarizer schema` on the command line)."""

    schema_version: int = DIGEST_SCHEMA_VERSION
    article: Article
    summary: Summary | None
    facts: FactSheet
    verification: Verification
    usage: Usage
    run: RunInfo


def load_digest(path: Path) -> Digest:
    """The Digest stored at `path` (raises pydantic.ValidationError or OSError)."""
    return Digest.model_validate_json(path.read_bytes())


def dump_digest(digest: Digest) -> str:
    """The Digest as the batch stores it (indented JSON, a final newline)."""
    return digest.model_dump_json(indent=2) + "\n"


def digest_json_schema() -> dict[str, Any]:
    return Digest.model_json_schema()


__all__ = [
    "DIGEST_SCHEMA_VERSION",
    "Digest",
    "Gap",
    "GapReason",
    "RunInfo",
    "digest_json_schema",
    "dump_digest",
    "load_digest",
]
