"""The date a fact happened on, read from its evidence with the project's date grammar
(`vietnamese.find_dates`, `find_dates_en`), or from a relative day word ("hôm qua", "sáng nay")
against the publication date — each only when it gives one date and one date only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from ..vietnamese import find_dates, find_dates_en

DateSource = Literal["fact", "evidence", "relative", "event", "published"]
"""Where a date comes from: the fact's own date field, a date its evidence states, a relative
day word of its evidence, the one dated event of the article naming the person, the article's
publication date."""

# Relative day words and their offset from the publication day. Bare "nay" and "qua" are not
# among them: "hiện nay" (nowadays) and "thông qua" (to adopt) are not days.
_RELATIVE = {
    "hôm nay": 0,
    "hôm qua": -1,
    "hôm kia": -2,
    "ngày mai": 1,
    "today": 0,
    "yesterday": -1,
    "tomorrow": 1,
}
_PARTS_OF_DAY = "rạng sáng|sáng|trưa|chiều|tối|đêm|khuya"
_RELATIVE_RE = re.compile(
    r"(?<!\w)(?:(?P<word>hôm\s+nay|hôm\s+qua|hôm\s+kia|ngày\s+mai|today|yesterday|tomorrow)"
    r"|(?P<pod>" + _PARTS_OF_DAY + r")\s+(?P<rel>nay|qua|mai))(?!\w)",
    re.IGNORECASE,
)
_POD_OFFSET = {"nay": 0, "qua": -1, "mai": 1}


def relative_offsets(text: str) -> set[int]:
    """Day offsets from the publication date that `text`'s relative day words state."""
    found: set[int] = set()
    for m in _RELATIVE_RE.finditer(text):
        if m.group("word"):
            found.add(_RELATIVE[" ".join(m.group("word").lower().split())])
        else:
            found.add(_POD_OFFSET[m.group("rel").lower()])
    return found


def evidence_date(text: str, published: dt.date | None) -> tuple[dt.date, DateSource] | None:
    """The one date `text` states (a calendar date, a year-less one resolved against the
    publication date, or a relative day word), or None when it states none or several."""
    values = {m.value for m in find_dates(text, published) + find_dates_en(text, published)}
    if None in values:
        return None  # a year-less date with no publication date: unknown, not absent
    if len(values) == 1:
        (value,) = values
        assert value is not None
        return value, "evidence"
    if values:
        return None
    offsets = relative_offsets(text)
    if published is not None and len(offsets) == 1:
        return published + dt.timedelta(days=offsets.pop()), "relative"
    return None


def iso_date(text: str | None) -> dt.date | None:
    """An ISO date field of a fact ("2023-02-21"), None when absent or not a real date."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
