"""Character sets and patterns shared by ingestion, cleaning and folding: the one home of the
zero-width set, the control characters, the markdown image and link patterns, and the way a
list of literal words becomes a regex alternation.

Data only: imports nothing from the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "CONTROL_CHARS",
    "MD_IMAGE",
    "MD_IMAGE_RE",
    "MD_LINK_RE",
    "ZERO_WIDTH",
    "ZERO_WIDTH_TABLE",
    "alternation",
]

# Invisible characters a scraped page carries inside words and lines (zero-width space,
# non-joiner, joiner, word joiner, BOM, soft hyphen): dropped from text, never meaningful.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# `str.translate` table deleting them.
ZERO_WIDTH_TABLE = dict.fromkeys(map(ord, ZERO_WIDTH))
# C0 and C1 control characters other than tab and line breaks, as a regex class body.
CONTROL_CHARS = r"\x00-\x08\x0e-\x1f\x7f-\x9f"

# A markdown image on one line, "![alt](url)", as a pattern source (to build on) and compiled.
MD_IMAGE = r"!\[[^\]\n]*\]\([^)\n]*\)"
MD_IMAGE_RE = re.compile(MD_IMAGE)
# A markdown link on one line, "[text](url)"; group 1 is its text.
MD_LINK_RE = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")


def alternation(words: Iterable[str]) -> str:
    """The words as a regex alternation of literals, longest first, so that a longer phrase
    wins over its own beginning ("không quá" over "không", "kWh" over "kW")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
