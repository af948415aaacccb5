"""Keeps API keys out of everything we write: error messages, logs, cassettes, outputs."""

from __future__ import annotations

import os
import re

_KEY_PATTERNS = re.compile(
    r"(sk-[A-Za-z0-9_\-]{8,})"
    r"|((?i:bearer)\s+[A-Za-z0-9._\-]{8,})"
    r"|((?i:api[-_]?key)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9._\-]{8,})"
)
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "api-key",
        "x-api-key",
        "openai-organization",
        "openai-project",
        "cookie",
        "set-cookie",
    }
)


def redact(text: str) -> str:
    """`text` with key-like strings, and the configured OPENAI_API_KEY, replaced by '[redacted]'."""
    key = os.environ.get("OPENAI_API_KEY")
    if key and len(key) >= 8:
        text = text.replace(key, "[redacted]")
    return _KEY_PATTERNS.sub("[redacted]", text)
