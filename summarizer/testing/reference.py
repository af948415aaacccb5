"""What the reference server answers: the reference annotations, and the completions built
from them.

`ReferenceBook` answers a structured-output request from hand-written reference annotations
(`{"facts": FactSheet, "summary": Summary}` per article): an `ArticleExtraction` request gets
the facts and summary of the best-matching reference; a `ChunkExtraction` request the reference
facts whose evidence lies in the chunk's text, with notes made of those facts' evidence; a
`Summary` (reduce) request the reference summary of the article its facts came from.
`Completions` wraps an answer in a Chat Completions body (usage with cached tokens,
finish_reason, refusal), with the answer faults (refusal, length, hostile, ...) applied.

May import: the standard library, `summarizer.schemas`, `summarizer.tokens` and the testing
package's `faults` and `hostile`.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..schemas import FACT_KINDS, ArticleExtraction
from ..tokens import get_encoding
from . import hostile
from .faults import Fault

_TAG = re.compile(r"<(article|captions|facts|notes)\b[^>]*>(.*?)</\1>", re.DOTALL)
_CACHE_BLOCK = 128
_CACHE_MIN = 1024


def spacing_free(text: str) -> str:
    """`text` in NFC with all white space removed, for finding reference evidence in an
    article whatever spacing the cleaner fixed (not `summarizer.folding.fold`, which keeps
    spaces and folds dashes, quotes and tone marks: a different meaning)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def request_key(request: Mapping[str, Any]) -> str:
    """The hash a request body is known by (its answer's id is chatcmpl-ref-<key[:24]>)."""
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


@dataclass
class _Reference:
    name: str
    answer: ArticleExtraction
    folded_evidence: list[str] = field(default_factory=list)


def numbered_variant(page: str, number: int) -> str:
    """`page` with its title line (the first line with letters, past a hotline header) numbered
    "(bản N)": a distinct article for load tests, whose facts are the original's."""
    lines = page.splitlines(keepends=True)
    for j, line in enumerate(lines):
        if any(c.isalpha() for c in line) and not line.startswith("Đường dây nóng"):
            lines[j] = line.rstrip("\n") + f" (bản {number})\n"
            break
    return "".join(lines)


class ReferenceBook:
    """The reference annotations, and the rules for answering a request from them."""

    def __init__(self, references: Mapping[str, ArticleExtraction]) -> None:
        self.references = [
            _Reference(
                name,
                answer,
                [
                    spacing_free(f.evidence)
                    for kind in FACT_KINDS
                    for f in getattr(answer.facts, kind)
                ],
            )
            for name, answer in sorted(references.items())
        ]

    @classmethod
    def from_dir(cls, folder: str | Path) -> ReferenceBook:
        files = sorted(Path(folder).glob("*.json"))
        return cls({f.stem: ArticleExtraction.model_validate_json(f.read_bytes()) for f in files})

    def _best(self, folded_text: str) -> _Reference | None:
        scores = [(sum(e in folded_text for e in r.folded_evidence), r) for r in self.references]
        score, best = max(scores, key=lambda s: s[0], default=(0, None))
        return best if score else None

    def answer(self, schema_name: str, user_text: str) -> dict[str, Any]:
        sections: dict[str, str] = {}
        for m in _TAG.finditer(user_text):
            sections[m.group(1)] = sections.get(m.group(1), "") + m.group(2)
        source = spacing_free(sections.get("article", "") + sections.get("captions", ""))
        if schema_name == "Summary":
            ref = self._best(spacing_free(user_text))
            if ref is None:
                raise LookupError("no reference article matches these facts")
            return ref.answer.summary.model_dump(mode="json")
        ref = self._best(source)
        if ref is None:
            raise LookupError("no reference article matches this text")
        facts = {
            kind: [
                f.model_dump(mode="json")
                for f in getattr(ref.answer.facts, kind)
                if spacing_free(f.evidence) in source
            ]
            for kind in FACT_KINDS
        }
        if schema_name == "ArticleExtraction":
            return {"facts": facts, "summary": ref.answer.summary.model_dump(mode="json")}
        if schema_name == "ChunkExtraction":
            notes = [s["evidence"] for s in facts["statements"] + facts["events"]][:6]
            return {"facts": facts, "notes": notes}
        raise LookupError(f"no reference answer for schema {schema_name!r}")


class Completions:
    """Chat completion bodies for requests, answered from `book`. `prompt_cache`: report cached
    prompt tokens like OpenAI's prompt cache (off: usage independent of request order)."""

    def __init__(self, book: ReferenceBook, prompt_cache: bool = True) -> None:
        self.book = book
        self.prompt_cache = prompt_cache
        self._lock = threading.Lock()
        self._seen_prefixes: dict[str, int] = {}  # static prefix hash → its token count

    def complete(self, request: dict[str, Any], fault: Fault | None) -> dict[str, Any]:
        messages: list[dict[str, Any]] = request.get("messages", [])
        schema = (request.get("response_format") or {}).get("json_schema") or {}
        schema_name = str(schema.get("name", ""))
        user_text = "\n".join(
            str(m.get("content", "")) for m in messages if m.get("role") == "user"
        )
        finish = "stop"
        refusal: str | None = None
        content: str | None
        if fault is not None and fault.kind == "refusal":
            content, refusal = None, "I'm sorry, I can't help with that request."
        else:
            try:
                answer = self.book.answer(schema_name, user_text)
            except LookupError:
                if fault is None or fault.kind != "hostile":
                    raise
                answer = hostile.empty_answer(schema_name)
            content = json.dumps(answer, ensure_ascii=False)
            if fault is not None and fault.kind == "schema_mismatch":
                content = json.dumps({"unexpected": True, "facts": "none"})
            elif fault is not None and fault.kind == "length":
                content, finish = content[: len(content) // 2], "length"
            elif fault is not None and fault.kind == "content_filter":
                content, finish = None, "content_filter"
            elif fault is not None and fault.kind == "hostile" and fault.variant:
                article = "".join(m.group(2) for m in _TAG.finditer(user_text) if m[1] == "article")
                limit = request.get("max_completion_tokens") or request.get("max_tokens")
                made = hostile.content_for(fault.variant, answer, article, limit)
                content, finish = made.content, made.finish_reason
        prompt_tokens, cached = self._prompt_tokens(messages, schema)
        completion_tokens = len(
            get_encoding().encode(content or refusal or "", disallowed_special=())
        )
        digest = request_key(request)
        return {
            "id": f"chatcmpl-ref-{digest[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(request.get("model", "reference")),
            "system_fingerprint": "reference-server",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": content,
                        "refusal": refusal,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": finish,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
            },
        }

    def _prompt_tokens(
        self, messages: Iterable[dict[str, Any]], schema: dict[str, Any]
    ) -> tuple[int, int]:
        """Prompt tokens, and how many of them a prompt cache would have served.

        Like OpenAI's cache: a prefix of at least 1,024 tokens seen before is served from the
        cache in blocks of 128 tokens. The static prefix is the schema and the system message.
        """
        encode = get_encoding().encode
        messages = list(messages)
        static = json.dumps(schema, sort_keys=True) + "".join(
            str(m.get("content", "")) for m in messages if m.get("role") == "system"
        )
        dynamic = "".join(str(m.get("content", "")) for m in messages if m.get("role") != "system")
        key = hashlib.sha256(static.encode()).hexdigest()
        with self._lock:
            static_tokens = self._seen_prefixes.get(key)
            seen = static_tokens is not None
        if static_tokens is None:
            static_tokens = len(encode(static, disallowed_special=()))
            with self._lock:
                self._seen_prefixes[key] = static_tokens
        total = static_tokens + len(encode(dynamic, disallowed_special=())) + 4 * len(messages)
        cached = 0
        if self.prompt_cache and seen and static_tokens >= _CACHE_MIN:
            cached = static_tokens // _CACHE_BLOCK * _CACHE_BLOCK
        return total, cached


# -- command line --------------------------------------------------------------------------
