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
from summarizer.verify import review_reasons

from . import serve
from .exchanges import Exchange, recording_client

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Per model: the server's context size (serve.py's --ctx-size), so chunks are fitted to it;
# SmolLM2's tokenizer takes about 3x o200k's tokens for Vietnamese (1,437 vs 479 on seed 000),
# so its chunks are sized in its own tokens (POST /tokenize, once per run); Gemma 3's is about
# 1x, and o200k counts are close enough.
RUN_OPTIONS: dict[str, dict[str, Any]] = {
    "gemma-3-270m": {"context_tokens": serve.MODELS["gemma-3-270m"].context},
    "smollm2-135m": {
        "context_tokens": serve.MODELS["smollm2-135m"].context,
        "tokenizer": "server",
    },
}
COMMON_OPTIONS: dict[str, Any] = {
    # Room for a short fact sheet and summary; a looping answer is stopped by loop detection
    # and the per-article budget ("auto": 4 + 3 calls per chunk), not by a tiny limit.
    "max_completion_tokens": 1024,
    "max_attempts": 2,
    "reasks": 1,
    # ~20 tok/s generation with one thread: 1,024 tokens take ~50 s, an uncached 5k-token prompt
    # ~80 s; twice that for a loaded machine.
    "request_timeout": 300.0,
    "backoff_initial": 0.0,
    "concurrency": 1,  # the server has one slot
}


def model_calls(exchanges: list[Exchange]) -> list[Exchange]:
    """The chat completions among a run's exchanges (not the /tokenize requests)."""
    return [e for e in exchanges if _is_call(e.path)]


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


def flag_problems(digest: Digest, min_verified: float = 0.8) -> list[str]:
    """What verification should have flagged in a weak model's Digest and did not: a fact not
    verified without a reason, an ungrounded fact marked verified (`ungrounded_verified`), or
    a run below `min_verified` that the batch gate would let through."""
    v = digest.verification
    problems = ungrounded_verified(digest)
    problems += [
        f"{c.kind}[{c.index}]: {c.status} with no reason"
        for c in v.facts
        if c.status != "verified" and not c.problems
    ]
    verified = sum(1 for c in v.facts if c.status == "verified")
    if (not v.facts or verified < min_verified * len(v.facts)) and not review_reasons(
        v, min_verified
    ):
        problems.append(f"{verified} of {len(v.facts)} facts verified, yet not flagged for review")
    return problems


def replayed_calls(cassette: Any) -> tuple[int, int]:
    """(model calls answered from a vcrpy cassette, model calls it holds): /tokenize requests
    (tokenizer="server") are played too but are not model calls."""
    chat = [i for i, (request, _) in enumerate(cassette.data) if _is_call(request.path)]
    return sum(cassette.play_counts[i] for i in chat), len(chat)


def _is_call(path: str) -> bool:
    return path.endswith("/chat/completions")
