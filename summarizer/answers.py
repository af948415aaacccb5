"""Reading a chat completion that a server sent, trusting nothing in it.

A 2xx body is untrusted data: `choices` may be empty, `content` null, a list of parts, text that
never becomes JSON or holds a lone surrogate; `usage` may be missing or hold strings; the finish
reason may be missing. Everything here returns a plain value or raises a typed `ModelError`,
never IndexError, KeyError, TypeError or UnicodeError. `summarizer.llm` decides what each outcome
means (re-ask, split, gap, failure); this module only reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .errors import ModelOutputError

# A count above this is not a token count any server could mean; it is treated as missing.
_MAX_COUNT = 10**9


@dataclass(frozen=True)
class Completion:
    """The first choice of a chat completion, as far as it could be read."""

    content: str | None
    refusal: str | None
    finish_reason: str | None


@dataclass(frozen=True)
class TokenCounts:
    prompt: int
    completion: int
    cached: int


def is_chat_completion(body: object) -> bool:
    """Whether a decoded body has the shape of a chat completion (an object with a list of
    choices). Anything else (a proxy's JSON error page, a list, a string) is unreadable."""
    return isinstance(body, dict) and isinstance(body.get("choices"), list)


def read_completion(body: dict[str, Any], chunk: int | None = None) -> Completion:
    """The first choice's content, refusal and finish reason; ModelOutputError when there is no
    usable choice."""
    choices = body.get("choices")
    if not isinstance(choices, list):
        raise ModelOutputError("the answer is not a chat completion (no choices)", chunk=chunk)
    if not choices:
        raise ModelOutputError("the answer had no choices", chunk=chunk)
    choice = choices[0]
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(message, dict):
        raise ModelOutputError("the answer's choice has no message", chunk=chunk)
    finish = choice.get("finish_reason")
    refusal = message.get("refusal")
    return Completion(
        content=_text_content(message.get("content"), chunk),
        refusal=refusal if isinstance(refusal, str) and refusal.strip() else None,
        finish_reason=finish if isinstance(finish, str) else None,
    )


def _text_content(content: object, chunk: int | None) -> str | None:
    if content is None or isinstance(content, str):
        return content
    # Some servers send content as a list of parts ({"type": "text", "text": ...}).
    if isinstance(content, list) and all(
        isinstance(p, dict) and isinstance(p.get("text"), str) for p in content
    ):
        return "".join(p["text"] for p in content)
    raise ModelOutputError(
        f"the answer's content is not text but {type(content).__name__}", chunk=chunk
    )


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0 or value > _MAX_COUNT:
        return None
    return int(value)


def reported_tokens(body: dict[str, Any]) -> TokenCounts | None:
    """The server's token counts, or None when it sent none that can be believed (then the
    caller estimates them)."""
    usage = body.get("usage")
    if not isinstance(usage, dict):
        return None
    prompt, completion = _count(usage.get("prompt_tokens")), _count(usage.get("completion_tokens"))
    if prompt is None or completion is None:
        return None
    details = usage.get("prompt_tokens_details")
    cached = _count(details.get("cached_tokens")) if isinstance(details, dict) else None
    return TokenCounts(prompt, completion, min(cached or 0, prompt))


def printable(text: str, limit: int | None = 500) -> str:
    """Server text made safe to keep in an error, a re-ask or a file: lone surrogates (which
    cannot be written as UTF-8) become "?", and the text is cut at `limit` characters."""
    clean = text.encode("utf-8", "replace").decode("utf-8")
    return clean if limit is None or len(clean) <= limit else clean[: limit - 1] + "…"


def repeated_unit(
    text: str,
    *,
    window: int = 8192,
    max_period: int = 512,
    min_repeats: int = 8,
    min_share: float = 0.5,
) -> str | None:
    """The string whose back-to-back repetition fills the end of `text`, if one does.

    "Fills" means: within the last `window` characters, a suffix of at least `min_share` of
    them (and at least 32 characters) repeats one unit of at most `max_period` characters at
    least `min_repeats` times ("PEOPLLE PEOPLLE …", "1000000…", the same JSON object again and
    again). That is a looping model: the output limit, not the answer, ended it. A truncated
    but ordinary answer (facts that differ from one another) never has such a suffix.
    """
    tail = text[-window:]
    n = len(tail)
    z = _z_function(tail[::-1])
    for period in range(1, min(max_period, n // min_repeats) + 1):
        run = period + z[period]  # the suffix of `tail` that has this period
        if run >= max(min_share * n, 32, min_repeats * period):
            start = n - run
            return tail[start : start + period]
    return None


def _z_function(s: str) -> list[int]:
    """z[i] = length of the longest common prefix of s and s[i:] (linear time)."""
    n = len(s)
    z = [0] * n
    left = right = 0
    for i in range(1, n):
        if i < right:
            z[i] = min(right - i, z[i - left])
        while i + z[i] < n and s[z[i]] == s[i + z[i]]:
            z[i] += 1
        if i + z[i] > right:
            left, right = i, i + z[i]
    return z
