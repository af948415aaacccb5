"""Keeps API keys out of everything we write: error messages, logs, cassettes, outputs.

Two strengths, for two kinds of text:

* `redact` is for messages (errors, logs): besides the configured key, anything shaped like a
  key after a word boundary goes: `sk-…` keys, `Bearer <token>`, `api-key: <value>`. A
  message may lose a word that looked like a token; it never keeps a key.
* `redact_keys` is for recorded bodies, which hold article text: only the configured key and
  tokens with a key's shape (`sk-` or `sk-proj-`, `sk-svcacct-`… then a long random tail:
  20+ characters with a digit or both cases) go. Ordinary words never do: "risk-management",
  "task-force", "desk-top", "Bearer of news", "sk-management-consulting".
"""

from __future__ import annotations

import os
import re

# Not glued to a word or to a hyphenated word before it: "risk-management" holds no "sk-" key.
_START = r"(?<![A-Za-z0-9_\-])"
_TAIL = r"[A-Za-z0-9_\-]"
_MESSAGE_KEYS = re.compile(
    rf"{_START}sk-{_TAIL}{{8,}}"
    rf"|{_START}(?i:bearer)\s+[A-Za-z0-9._~+/\-]{{8,}}=*"
    rf"|(?<![A-Za-z0-9_])(?i:api[-_ ]?key)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9._\-]{{8,}}"
)
_SK_TOKEN = re.compile(rf"{_START}sk-(?P<tail>{_TAIL}{{20,}})")


def _key_shaped(m: re.Match[str]) -> str:
    """A key's random tail holds a digit, or upper- and lower-case letters; a hyphenated run
    of words does not."""
    tail = m.group("tail")
    random = any(c.isdigit() for c in tail) or (tail.lower() != tail and tail.upper() != tail)
    return REDACTED if random else m.group(0)


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
REDACTED = "[redacted]"


def _configured(text: str) -> str:
    key = os.environ.get("OPENAI_API_KEY")
    if key and len(key) >= 8:
        text = text.replace(key, REDACTED)
    return text


def redact(text: str) -> str:
    """`text` (a message) with key-like strings, and the configured OPENAI_API_KEY, replaced
    by '[redacted]'."""
    return _MESSAGE_KEYS.sub(REDACTED, _configured(text))


def redact_keys(text: str) -> str:
    """`text` (a body that may hold article text) with the configured OPENAI_API_KEY and
    key-shaped tokens replaced by '[redacted]', and nothing else changed."""
    return _SK_TOKEN.sub(_key_shaped, _configured(text))
