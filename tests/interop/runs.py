"""One `summarize()` run on a seed against the interop server, and what to say about it."""

from __future__ import annotations

import asyncio
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer import summarize
from summarizer.digest import Digest
from summarizer.errors import SummarizerError
from summarizer.schemas import FACT_KINDS, Figure, Organization, Person, Place

from . import serve
from .exchanges import Exchange, recording_client

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Small budgets, per model: a weak model loops until the output limit, so the limit bounds
# every call; chunks are sized so that the model's own tokenizer (not o200k) fits them in the
# server's context with the system prompt and the answer.
RUN_OPTIONS: dict[str, dict[str, Any]] = {
    "gemma-3-270m": {"max_completion_tokens": 256, "max_chunk_tokens": 1200},
    # SmolLM2's tokenizer takes about 3x o200k's tokens for Vietnamese (1,437 vs 479 on seed 000).
    "smollm2-135m": {"max_completion_tokens": 256, "max_chunk_tokens": 600},
}
COMMON_OPTIONS: dict[str, Any] = {
    "max_attempts": 2,
    "reasks": 1,
    "request_timeout": 600.0,
    "backoff_initial": 0.0,
    "concurrency": 1,  # the server has one slot
}


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def cassette_name(model: str, prefix: str) -> str:
    """Where a seed run's recording goes (cassettes/real/llama-cpp/<model>/<seed>.yaml)."""
    return f"real/llama-cpp/{model}/{seed_path(prefix).stem}"


@dataclass
class SeedRun:
    stem: str
    digest: Digest | None
    error: SummarizerError | None
    exchanges: list[Exchange]
    seconds: float

    def statuses(self) -> Counter[str]:
        if self.digest is None:
            return Counter()
        return Counter(c.status for c in self.digest.verification.facts)

    def summary_numbers(self) -> Counter[str]:
        if self.digest is None:
            return Counter()
        checks = self.digest.verification.summary
        return Counter("supported" if s.supported else "unsupported" for s in checks)


def run_seed(server: serve.Server, prefix: str, **overrides: Any) -> SeedRun:
    path = seed_path(prefix)
    options = {**COMMON_OPTIONS, **RUN_OPTIONS.get(server.spec.name, {}), **overrides}
    client, transport = recording_client(server.base_url)
    started = time.monotonic()
    digest: Digest | None = None
    error: SummarizerError | None = None
    try:
        digest = summarize(path, model=server.spec.name, client=client, **options)
    except SummarizerError as exc:
        error = exc
    seconds = time.monotonic() - started
    asyncio.run_coroutine_threadsafe(client.close(), _loop()).result()
    return SeedRun(path.stem, digest, error, transport.exchanges, seconds)


def _loop() -> asyncio.AbstractEventLoop:
    # summarize() runs its coroutines on one background loop; the client's connections live there.
    from summarizer.pipeline import _background_loop

    return _background_loop()


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def ungrounded_verified(digest: Digest) -> list[str]:
    """Verified facts that are not plainly in the article, by a check independent of `verify`:
    the matched text must be the article's own text at the recorded place, and a fact's name
    (or a figure's text) must be written in it."""
    problems: list[str] = []
    facts = {kind: getattr(digest.facts, kind) for kind in FACT_KINDS}
    article = digest.article
    for check in digest.verification.facts:
        if check.status != "verified":
            continue
        label = f"{check.kind}[{check.index}]"
        alignment = check.alignment
        if alignment is None or not alignment.text.strip():
            problems.append(f"{label}: verified without matched text")
            continue
        if check.where == "body":
            span = alignment.body_span
            if span is None or article.body[span.start : span.end] != alignment.text:
                problems.append(f"{label}: matched text is not the body at its span")
        elif check.where == "caption":
            index = alignment.index if alignment.index is not None else -1
            if (
                not 0 <= index < len(article.captions)
                or alignment.text not in article.captions[index]
            ):
                problems.append(f"{label}: matched text is not in caption {index}")
        else:
            problems.append(f"{label}: verified from {check.where}")
        fact = facts[check.kind][check.index]
        anchor = (
            fact.name
            if isinstance(fact, Person | Organization | Place)
            else fact.text
            if isinstance(fact, Figure)
            else None
        )
        if anchor is not None and _fold(anchor) not in _fold(alignment.text):
            problems.append(f"{label}: {anchor!r} is not in its evidence {alignment.text!r}")
    return problems


def fact_count(digest: Digest) -> int:
    return sum(len(getattr(digest.facts, kind)) for kind in FACT_KINDS)
