"""Split an article body into token-bounded chunks on paragraph, then sentence boundaries.

Example: a body of three paragraphs of 900, 700 and 1,200 tokens with `max_tokens=2000` and
`overlap_tokens=200` gives two chunks: paragraphs 1+2 (1,600 tokens), then the last sentences of
paragraph 2 that fit in 200 tokens followed by paragraph 3. Every chunk is a contiguous slice of
the body (`body[chunk.start:chunk.end] == chunk.text`), so evidence found in a chunk is found in
the body at the same place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from .article import Article
from .tokens import encoding_for_model

DEFAULT_MAX_TOKENS = 2500
DEFAULT_OVERLAP_TOKENS = 200

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A sentence ends at . ! ? … (optionally closed by a quote or bracket) followed by white space.
# A dot between digits ("2.793") is not followed by white space, so numbers are never split.
_SENTENCE_END = re.compile(r"""[.!?…]+["'”’)\]]*\s+""")
_SPACE = re.compile(r"\s+")


class Chunk(BaseModel):
    """A contiguous slice of an article body that fits the model's token budget."""

    model_config = ConfigDict(frozen=True)

    index: int
    text: str
    tokens: int
    start: int
    end: int


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    tokens: int
    paragraph_end: bool = False


def _split(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Pieces of text[start:end] cut after each match of `pattern` (the separator stays left)."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.end() < end:
            pieces.append((pos, m.end()))
            pos = m.end()
    pieces.append((pos, end))
    return [p for p in pieces if p[1] > p[0]]


def _units(body: str, max_tokens: int, count: _Counter) -> list[_Unit]:
    """Smallest pieces the packer works with: sentences (word runs for overlong ones), each
    marked when it closes a paragraph, where the packer prefers to cut."""
    units: list[_Unit] = []
    for p_start, p_end in _split(body, 0, len(body), _PARAGRAPH_BREAK):
        for s_start, s_end in _split(body, p_start, p_end, _SENTENCE_END):
            tokens = count(body[s_start:s_end])
            if tokens <= max_tokens:
                units.append(_Unit(s_start, s_end, tokens))
            else:
                units.extend(_word_runs(body, s_start, s_end, max_tokens, count))
        last = units[-1]
        units[-1] = _Unit(last.start, last.end, last.tokens, paragraph_end=True)
    return units


def _word_runs(body: str, start: int, end: int, max_tokens: int, count: _Counter) -> list[_Unit]:
    """A sentence longer than the budget, cut between words (never inside a word or number)."""
    runs: list[_Unit] = []
    run_start = start
    run_tokens = 0
    for w_start, w_end in _split(body, start, end, _SPACE):
        w_tokens = count(body[w_start:w_end])
        if run_tokens and run_tokens + w_tokens > max_tokens:
            runs.append(_Unit(run_start, w_start, count(body[run_start:w_start])))
            run_start, run_tokens = w_start, 0
        run_tokens += w_tokens
    runs.append(_Unit(run_start, end, count(body[run_start:end])))
    return runs


class _Counter:
    def __init__(self, model: str) -> None:
        self._encoding = encoding_for_model(model)

    def __call__(self, text: str) -> int:
        return len(self._encoding.encode(text, disallowed_special=()))


def chunk(
    article: Article | str,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
    *,
    model: str = "gpt-4o-mini",
) -> list[Chunk]:
    """Split `article.body` (or a plain text) into chunks of at most `max_tokens` tokens.

    Consecutive chunks share up to `overlap_tokens` tokens of whole units (paragraphs or
    sentences), so a fact that straddles a boundary is seen whole at least once.
    """
    if max_tokens < 16:
        raise ValueError("max_tokens must be at least 16")
    if not 0 <= overlap_tokens < max_tokens:
        raise ValueError("overlap_tokens must be in [0, max_tokens)")
    body = article.body if isinstance(article, Article) else article
    count = _Counter(model)
    total = count(body)
    if total <= max_tokens:
        return [Chunk(index=0, text=body, tokens=total, start=0, end=len(body))] if body else []

    units = _units(body, max_tokens, count)
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j = i
        budget = 0
        while j < len(units) and budget + units[j].tokens <= max_tokens:
            budget += units[j].tokens
            j += 1
        j = max(j, i + 1)
        if j < len(units):
            # Prefer to end on a paragraph if that keeps most of the budget.
            for k in range(j, i + 1, -1):
                if units[k - 1].paragraph_end:
                    if sum(u.tokens for u in units[i:k]) >= 0.6 * max_tokens:
                        j = k
                    break
        # BPE merges across unit boundaries rarely make the slice longer than the sum; check.
        while j > i + 1 and count(body[units[i].start : units[j - 1].end]) > max_tokens:
            j -= 1
        start, end = units[i].start, units[j - 1].end
        text = body[start:end]
        chunks.append(Chunk(index=len(chunks), text=text, tokens=count(text), start=start, end=end))
        if j >= len(units):
            break
        # Step back over whole units for the overlap, but always move forward.
        k, overlap = j, 0
        while k - 1 > i and overlap + units[k - 1].tokens <= overlap_tokens:
            k -= 1
            overlap += units[k].tokens
        i = k
    return chunks
