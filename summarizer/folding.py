"""Folding: the normalised form of a text that tolerant matching compares, with a map from
every folded character back to the original (the rules are listed in `summarizer.align`).

`fold_source` keeps the folds of recent source texts (bodies, pages, joined captions), so that
aligning many quotes against one article folds it once.

May import: the standard library only.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Folded", "fold", "fold_source"]

from .chars import ZERO_WIDTH as _ZW

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def _special(ws: str, first: str = "") -> re.Pattern[str]:
    """The folding regex, its whitespace alternative being `ws`; behind a lookahead for
    `first` (a character class body holding every character a match can start with) if given:
    the same matches, found faster."""
    pattern = (
        rf"(?P<dash>[\s{_ZW}]*(?P<d>[{_DASHES}])[\s{_ZW}]*)"
        rf"|(?P<ws>{ws})"
        r"|(?P<dq>[“”„‟«»″])"
        r"|(?P<sq>[‘’‚‛′`´])"
        r"|(?P<ell>…)"
        r"|(?P<eth>[ÐðƉ])"
        r"|(?P<tone>[òóỏõọÒÓỎÕỌ][aeAE]|[ùúủũụÙÚỦŨỤ][yY])"
    )
    return re.compile(rf"(?=[{first}])(?:{pattern})" if first else pattern)


# Every character a `_special` match can start with.
_SPECIAL_FIRST = rf"{_DASHES}\s{_ZW}“”„‟«»″‘’‚‛′`´…ÐðƉòóỏõọÒÓỎÕỌùúủũụÙÚỦŨỤ"
_SPECIAL = _special(rf"[\s{_ZW}]+", _SPECIAL_FIRST)
# The same matches but those of a lone space (which folds to itself): substituting them gives
# the same text as `_SPECIAL` does, with far fewer callbacks.
_SPECIAL_CHANGES = _special(rf"[\s{_ZW}]{{2,}}|[^\S ]|[{_ZW}]", _SPECIAL_FIRST)
_ETH = {"Ð": "Đ", "ð": "đ", "Ɖ": "Đ"}
_TONES = "\u0300\u0301\u0303\u0309\u0323"


@functools.lru_cache(maxsize=64)
def _move_tone(pair: str) -> str:
    first = unicodedata.normalize("NFD", pair[0])
    tone = "".join(c for c in first if c in _TONES)
    base = "".join(c for c in first if c not in _TONES)
    return unicodedata.normalize("NFC", base) + unicodedata.normalize("NFC", pair[1] + tone)


@dataclass(frozen=True)
class Folded:
    text: str
    starts: list[int]
    """Original start offset of each folded char (non-decreasing)."""
    ends: list[int]
    """Original end offset of each folded char."""

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]

    def from_original(self, offset: int) -> int:
        """First folded index whose original start is >= offset."""
        return bisect.bisect_left(self.starts, offset)


def _compose(text: str) -> tuple[str, list[int], list[int]]:
    """NFC with an index map (identity when the text is already NFC)."""
    n = len(text)
    if unicodedata.is_normalized("NFC", text):
        return text, list(range(n)), list(range(1, n + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        out.append(cluster)
        starts.extend([i] * len(cluster))
        ends.extend([j] * len(cluster))
        i = j
    return "".join(out), starts, ends


def _fold_uncached(text: str) -> Folded:
    composed, cstarts, cends = _compose(text)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0

    def emit(chars: str, s: int, e: int) -> None:
        parts.append(chars)
        starts.extend([s] * len(chars))
        ends.extend([e] * len(chars))

    for m in _SPECIAL.finditer(composed):
        ms, me = m.span()
        if ms > last:
            parts.append(composed[last:ms])
            starts.extend(range(last, ms))
            ends.extend(range(last + 1, ms + 1))
        group = m.lastgroup
        if group == "dash":
            d = m.start("d")
            emit("-", d, d + 1)
        elif group == "ws":
            if any(c not in _ZW for c in m.group("ws")):
                emit(" ", ms, me)
        elif group == "dq":
            emit('"', ms, me)
        elif group == "sq":
            emit("'", ms, me)
        elif group == "ell":
            emit("...", ms, me)
        elif group == "eth":
            emit(_ETH[m.group(0)], ms, me)
        else:  # tone
            moved = _move_tone(m.group(0))
            emit(moved[0], ms, ms + 1)
            emit(moved[1], ms + 1, me)
        last = me
    if last < len(composed):
        parts.append(composed[last:])
        starts.extend(range(last, len(composed)))
        ends.extend(range(last + 1, len(composed) + 1))
    if len(cstarts) == len(composed) and composed is text:
        return Folded("".join(parts), starts, ends)
    return Folded(
        "".join(parts),
        [cstarts[k] for k in starts],
        [cends[k - 1] for k in ends],
    )


fold_source = functools.lru_cache(maxsize=64)(_fold_uncached)
"""Folds of source texts (bodies, pages, captions), reused across quotes."""


# Any character or pair `_SPECIAL` would rewrite (a lone space is kept as it is): when a text
# holds none of them, folding leaves it unchanged.
_FOLD_CHANGES = re.compile(
    rf"[{_DASHES}{_ZW}“”„‟«»″‘’‚‛′`´…ÐðƉ]|[^\S ]| {{2}}"
    r"|[òóỏõọÒÓỎÕỌ][aeAE]|[ùúủũụÙÚỦŨỤ][yY]"
)


def _fold_match(m: re.Match[str]) -> str:
    """What `_fold_uncached` emits for one `_SPECIAL` match."""
    group = m.lastgroup
    if group == "dash":
        return "-"
    if group == "ws":
        return " " if any(c not in _ZW for c in m.group("ws")) else ""
    if group == "dq":
        return '"'
    if group == "sq":
        return "'"
    if group == "ell":
        return "..."
    if group == "eth":
        return _ETH[m.group(0)]
    moved = _move_tone(m.group(0))
    return moved[0] + moved[1]


def fold(text: str) -> str:
    """The folded form of `text` used for tolerant matching (see the module doc)."""
    if len(text) <= _FOLD_RECENT_MAX_CHARS:
        return _fold_recent(text)
    return _fold_text(text)


def _fold_text(text: str) -> str:
    """`_fold_uncached(text).text`, without building the offset map when it can."""
    if not unicodedata.is_normalized("NFC", text):
        return _fold_uncached(text).text
    if _FOLD_CHANGES.search(text) is None:
        return text
    return _SPECIAL_CHANGES.sub(_fold_match, text)


# The same short text (an evidence quote, a name) is folded a few times in a row: for its fact
# id, to align it, to look for a name in it. A handful of recent folds covers that.
_FOLD_RECENT_MAX_CHARS = 2000
_fold_recent = functools.lru_cache(maxsize=4)(_fold_text)
