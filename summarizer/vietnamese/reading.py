"""The steps of reading a number token as a figure that differ between the languages,
Vietnamese and English side by side: the token and what may precede it (a currency sign),
the scale words and unit after it, the words before it that make it an ordinal, a date part or a
name part, and the guess of a counted noun outside the lists. `quantities` runs them in order
with the steps both languages share.

May import: `summarizer.vietnamese.numbers`, `.units`, `.context`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from summarizer.vietnamese.context import (
    _CAP_FUNCTION_EN,
    _MODIFIERS_VI,
    _NUMBER_SIGN_EN,
    _SKIPPABLE_EN,
    _STOP_EN,
    _STOP_VI,
    _STRONG_HEADS_EN,
    _STRONG_HEADS_VI,
    _WEAK_HEADS2_VI,
    _WEAK_HEADS_EN,
    _WEAK_HEADS_VI,
)
from summarizer.vietnamese.numbers import (
    _NEXT_WORD,
    _SPACES,
    _glued,
    _interpret_en,
    _interpret_vi,
    _is_year_like,
    _Reading,
)
from summarizer.vietnamese.units import (
    _ATTACHED_SCALE_EN,
    _ATTACHED_UNIT,
    _COUNT_EN_RE,
    _COUNT_VI,
    _CURRENCY_VI,
    _MEASURE_EN,
    _MEASURE_VI,
    _MEASURES,
    _MEASURES_EN,
    _NOT_SCALE_AFTER_TY,
    _PERCENT_EN,
    _PERCENT_VI,
    _PREFIX_CUR_EN,
    _SCALES_EN,
    _SCALES_VI,
    _SUFFIX_CUR_EN,
    _currency_code,
)


def _read_vi(text: str, s: int, e: int) -> _Reading | None:
    if _glued(text, s, e):
        return None
    after = text[e] if e < len(text) else ""
    attached: re.Match[str] | None = None
    if after and (after.isalpha() or after == "%"):
        attached = _ATTACHED_UNIT.match(text, e)
        if attached is None:
            return None
    tok = text[s:e]
    parsed = _interpret_vi(tok)
    if parsed is None:
        return None
    r = _Reading(tok, s, e, *parsed, start=s, pos=e)
    # Currency sign before the number ("US$5 triệu", rare in Vietnamese text).
    if text.endswith("US$", 0, s):
        r.unit, r.start = "USD", s - 3
    elif s > 0 and text[s - 1] == "$":
        r.unit, r.start = "USD", s - 1
    if r.unit is not None:
        r.kind, r.strong = "money", True
    if attached is not None:
        _attached_unit_vi(text, r, attached)
    else:
        _scale_words_vi(text, r)
        if r.unit is None:
            _unit_after_vi(text, r)
    if r.n_scales:
        r.strong = True
    return r


def _read_en(text: str, s: int, e: int) -> _Reading | None:
    prefix = _PREFIX_CUR_EN.search(text, max(0, s - 6), s)
    if _glued(text, s, e, before=prefix is None):
        return None
    # Not English notation but Vietnamese ("US$1,6 billion" copied from the source): read it
    # the Vietnamese way rather than skip it. Three digits after a comma read as English.
    tok = text[s:e]
    parsed = _interpret_en(tok) or _interpret_vi(tok)
    if parsed is None:
        return None
    r = _Reading(tok, s, e, *parsed, start=s, pos=e)
    if prefix is not None:
        r.unit, r.kind, r.start = _currency_code(prefix), "money", prefix.start()
    if not _scale_words_en(text, r):
        return None
    r.strong = r.unit is not None or r.n_scales > 0
    if r.unit is None:
        _unit_after_en(text, r)
    elif r.kind == "money":
        # "VND62,000 billion dong": a redundant currency word after the scale.
        cur = _SUFFIX_CUR_EN.match(text, r.pos)
        if cur is not None and _currency_code(cur) == r.unit:
            r.pos = cur.end()
    return r


def _scale_words_vi(text: str, r: _Reading) -> None:
    while r.n_scales < 3:
        w = _NEXT_WORD.match(text, r.pos)
        if w is None or w.group("w").lower() not in _SCALES_VI:
            break
        word = w.group("w").lower()
        if word in ("tỷ", "tỉ"):
            nxt = _NEXT_WORD.match(text, w.end())
            if nxt is not None and nxt.group("w").lower() in _NOT_SCALE_AFTER_TY:
                break
        if word == "trăm" and r.n_scales == 0 and not r.plain:
            break
        r.scale *= _SCALES_VI[word]
        r.n_scales += 1
        r.pos = w.end()


def _scale_words_en(text: str, r: _Reading) -> bool:
    """Scale words after the number, or glued to it ("5bn"); False when letters glued to it
    are no scale nor percent ("7th", "25B")."""
    e = r.e
    if e < len(text) and text[e].isalpha():
        glued = re.match(r"(bn|tn|k|m)(?!\w)", text[e : e + 3])
        if glued is not None:
            r.scale = Decimal(_ATTACHED_SCALE_EN[glued.group(1)])
            r.n_scales, r.pos = 1, e + len(glued.group(1))
        elif _PERCENT_EN.match(text, e) is None:
            return False
    while r.n_scales < 3:
        w = _NEXT_WORD.match(text, r.pos)
        if w is None or w.group("w").lower() not in _SCALES_EN:
            break
        r.scale *= _SCALES_EN[w.group("w").lower()]
        r.n_scales += 1
        r.pos = w.end()
    return True


def _attached_unit_vi(text: str, r: _Reading, attached: re.Match[str]) -> None:
    """A unit glued to the number: "50.000đ", "100ha", "12%", "5tr đồng"."""
    a = attached.group(0)
    if a == "%":
        r.unit, r.kind = "%", "percent"
    elif a in ("đ", "VNĐ"):
        r.unit, r.kind = "VND", "money"
    elif a == "USD":
        r.unit, r.kind = "USD", "money"
    elif a == "tr":
        r.scale = Decimal(1_000_000)
        r.n_scales = 1
        cur = _CURRENCY_VI.match(text, attached.end())
        if cur is not None:
            r.unit, r.kind = _currency_code(cur), "money"
            attached = cur
    else:
        r.unit, r.kind = _MEASURES[a], "measure"
    r.pos = attached.end()
    r.strong = True


def _unit_after_vi(text: str, r: _Reading) -> None:
    pos = r.pos
    pct = _PERCENT_VI.match(text, pos)
    cur = _CURRENCY_VI.match(text, pos) if pct is None else None
    if pct is not None:
        r.unit, r.kind, r.pos, r.strong = "%", "percent", pct.end(), True
    elif cur is not None and not (cur.group("vnd") == "đ" and r.n_scales == 0):
        r.unit, r.kind, r.pos, r.strong = _currency_code(cur), "money", cur.end(), True
    else:
        meas = _MEASURE_VI.match(text, pos)
        cnt = _COUNT_VI.match(text, pos) if meas is None else None
        if meas is not None:
            r.unit, r.kind, r.pos = _MEASURES[meas.group("m")], "measure", meas.end()
            r.strong = True
        elif cnt is not None:
            r.unit, r.kind, r.pos = cnt.group("n"), "count", cnt.end()
            r.listed_count = True
        elif r.n_scales == 0:
            fb = _fallback_noun_vi(text, pos)
            if fb is not None:
                r.unit, r.kind, r.pos = fb[0], "count", fb[1]
                r.fallback = True


def _unit_after_en(text: str, r: _Reading) -> None:
    pos = r.pos
    pct = _PERCENT_EN.match(text, pos)
    cur = _SUFFIX_CUR_EN.match(text, pos) if pct is None else None
    if pct is not None:
        r.unit, r.kind, r.pos, r.strong = "%", "percent", pct.end(), True
    elif cur is not None:
        r.unit, r.kind, r.pos, r.strong = _currency_code(cur), "money", cur.end(), True
    else:
        meas = _MEASURE_EN.match(text, pos)
        if meas is not None:
            r.unit, r.kind = _MEASURES_EN[meas.group("m")], "measure"
            r.pos, r.strong = meas.end(), True
        else:
            cnt = _count_noun_en(text, pos)
            if cnt is not None:
                r.unit, r.kind, r.pos = cnt[0], "count", cnt[1]
                r.listed_count = cnt[2]
                r.fallback = not cnt[2]


def _head_rejects_vi(text: str, r: _Reading, w1: str | None, w2: str | None) -> bool:
    """Ordinals, dates and name parts: "thứ 5", "tháng 3", "số 5", "giai đoạn 2"."""
    lw1 = w1.lower() if w1 else None
    if lw1 in _STRONG_HEADS_VI:
        return True
    pair = f"{w2.lower()} {lw1}" if w2 and lw1 else None
    weak_head = lw1 in _WEAK_HEADS_VI or pair in _WEAK_HEADS2_VI
    return weak_head and not (r.strong or r.listed_count)


def _head_rejects_en(text: str, r: _Reading, w1: str | None, w2: str | None) -> bool:
    """Years after "in", "since"..., numbers after "No." or "#", name parts ("zone 3")."""
    lw1 = w1.lower() if w1 else None
    if lw1 in _STRONG_HEADS_EN and _is_year_like(r.value, r.decimals, r.plain, r.tok):
        return True
    s = r.s
    if not r.strong and (lw1 in ("no", "number") or _NUMBER_SIGN_EN.search(text, max(0, s - 6), s)):
        return True
    return lw1 in _WEAK_HEADS_EN and not (r.strong or r.listed_count)


def _fallback_noun_vi(text: str, pos: int) -> tuple[str, int] | None:
    m1 = _NEXT_WORD.match(text, pos)
    if m1 is None:
        return None
    w1 = m1.group("w")
    if not w1.islower() or w1 in _STOP_VI or w1 in _SCALES_VI:
        return None
    m2 = _NEXT_WORD.match(text, m1.end())
    if m2 is not None:
        w2 = m2.group("w")
        if w2.islower() and w2 not in _STOP_VI and w2 not in _MODIFIERS_VI:
            return f"{w1} {w2}", m2.end()
    return w1, m1.end()


_EN_WORD = re.compile(r"[A-Za-z][\w-]*")


def _count_noun_en(text: str, pos: int) -> tuple[str, int, bool] | None:
    """(noun as written, end, listed) for the counted noun after a number: a listed noun within
    the next three words (skipping adjectives, acronyms and proper adjectives: "37 Korean FDI
    projects"), else a plural lowercase word right after the number."""
    p = pos
    first: re.Match[str] | None = None
    for i in range(3):
        ws = _SPACES.match(text, p)
        if ws is None:
            return None
        q = ws.end()
        cnt = _COUNT_EN_RE.match(text, q)
        if cnt is not None:
            return cnt.group("n"), cnt.end(), True
        w = _EN_WORD.match(text, q)
        if w is None:
            return None
        word = w.group(0)
        if i == 0:
            first = w
        skippable = word[0].isupper() or word.lower() in _SKIPPABLE_EN
        if not skippable or word in _CAP_FUNCTION_EN:
            break
        p = w.end()
    if first is not None:
        word = first.group(0)
        if (
            word.islower()
            and word.endswith("s")
            and len(word) > 3
            and word not in _STOP_EN
            and word.isalpha()
        ):
            return word, first.end(), False
    return None
