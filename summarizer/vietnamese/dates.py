"""The one date grammar: calendar dates and years in Vietnamese and English text, and the masks
that keep dates, times and phone numbers from being read as figures.

`parse_date` / `find_dates` read day-first dates and keep the part of day ("Sáng", "Chiều"...).
A date without a year takes the latest year that does not put it after the reference date.

May import: `summarizer.vietnamese.numbers`, `summarizer.vietnamese.units`, `summarizer.article`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

from summarizer.article import Span
from summarizer.vietnamese.numbers import (
    _MARGIN,
    _SPACES,
    _WS,
    _digit_windows,
    _near_digits,
    _prev_words,
    _Spans,
    _starting_with,
    _words,
)
from summarizer.vietnamese.units import _COUNT_EN_RE, _COUNT_VI, _SCALES_EN, _SCALES_VI

PartOfDay = Literal["dawn", "morning", "noon", "afternoon", "evening", "night"]


class DateMention(BaseModel):
    """A calendar date mentioned in a text."""

    model_config = ConfigDict(frozen=True)

    value: dt.date | None
    """The date, or None when no year is written and there is no reference date."""
    day: int
    month: int
    year: int | None
    """The year as written (two-digit years expanded to 20xx), None when not written."""
    year_inferred: bool
    part_of_day: PartOfDay | None
    time: dt.time | None
    text: str
    span: Span


# --------------------------------------------------------------------------------------------
# Masks: spans that look numeric but are dates, times or phone numbers.

_DATE_MASK_VI = _starting_with(
    r"\dn",
    r"(?<![\d/.,])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/])"
    r"|(?<![\d/.,])\d{1,2}/\d{4}(?![\d/])"
    r"|(?<![\d.,-])\d{1,2}-\d{1,2}-\d{4}(?![\d-])"
    r"|(?<![\d.,])\d{1,2}\.\d{1,2}\.\d{4}(?![\d.])"
    r"|(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])"
    r"|(?<!\w)ngày" + _WS + r"+\d{1,2}" + _WS + r"+tháng" + _WS + r"+\d{1,2}"
    r"(?:" + _WS + r"+năm" + _WS + r"+\d{4})?",
    re.IGNORECASE,
    words=r"\d|ngày",
)
_TIME_MASK = _starting_with(
    r"\d", r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])|(?<!\w)\d{1,2}[hg]\d{2}(?!\w)"
)
_PHONE_MASK = _starting_with(
    r"đhstfp+0",
    r"(?:(?:đường dây nóng|hotline|điện thoại|đt|sđt|tel|fax|phone)\.?"
    + _WS
    + r"*:?"
    + _WS
    + r"*(?P<cue>\+?[\d(][\d .()-]{4,}\d))"
    r"|(?<![\d.,])(?:\+84|0)\d{2,3}[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\d,])",
    re.IGNORECASE,
    words=r"đường|hotline|điện|đt|sđt|tel|fax|phone|\+84|0",
)


_MONTHS_EN: dict[str, int] = {
    "January": 1,
    "February": 2,
    "March": 3,
    "April": 4,
    "May": 5,
    "June": 6,
    "July": 7,
    "August": 8,
    "September": 9,
    "October": 10,
    "November": 11,
    "December": 12,
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
_DATE_EN_SRC = (
    r"(?:(?:on"
    + _WS
    + r"+)?(?:the"
    + _WS
    + r"+)?(?P<pod>morning|afternoon|evening|night)"
    + _WS
    + r"+of"
    + _WS
    + r"+)?"
    r"(?:(?P<mon>" + _MONTH_ALT + r")\.?" + _WS + r"+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
    r"(?:,?" + _WS + r"+(?P<y>\d{4})(?!\d))?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
    + _WS
    + r"+(?:of"
    + _WS
    + r"+)?(?P<mon2>"
    + _MONTH_ALT
    + r")\.?(?:,?"
    + _WS
    + r"+(?P<y2>\d{4})(?!\d))?"
    r"|(?<![\d-])(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?![\d-]))"
    r"(?!\w)"
)
# A match starts with a digit, "on", "the", a part of day or a month name.
_DATE_EN_FIRST = r"\dotmaenJFMASOND"
_DATE_EN_WORDS = r"\d|on|the|morning|afternoon|evening|night|" + "|".join(
    {m[:3]: None for m in _MONTHS_EN}
)
_DATE_EN = _starting_with(_DATE_EN_FIRST, _DATE_EN_SRC, words=_DATE_EN_WORDS)
_DATE_MASK_EN = _starting_with(
    _DATE_EN_FIRST,
    _DATE_EN_SRC
    + r"|(?:"
    + _MONTH_ALT
    + r")\.?"
    + _WS
    + r"+\d{4}(?!\d)|(?<![\d/.,])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/])",
    words=_DATE_EN_WORDS,
)
_TIME_MASK_EN = _starting_with(
    r"\d",
    r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])(?:" + _WS + r"*[ap]\.?m\.?)?"
    r"|(?<!\w)\d{1,2}" + _WS + r"*(?:a\.m\.|p\.m\.|am|pm)(?!\w)",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------------------------
# Dates

_POD_VI: dict[str, PartOfDay] = {
    "rạng sáng": "dawn",
    "sáng sớm": "dawn",
    "sáng": "morning",
    "trưa": "noon",
    "chiều tối": "evening",
    "chiều": "afternoon",
    "tối": "evening",
    "đêm": "night",
    "khuya": "night",
}
_POD_ALT = "|".join(
    re.escape(k).replace(r"\ ", _WS + "+") for k in sorted(_POD_VI, key=len, reverse=True)
)
# A match starts with a digit, "ngày" or a part of day (rạng sáng, sáng, trưa, chiều, tối, đêm,
# khuya).
_DATE_VI = _starting_with(
    r"\dnrstcđk",
    r"(?:(?P<th>\d{1,2})[:h](?P<tm>\d{2})" + _WS + r"*,?" + _WS + r"*)?"
    r"(?:(?<!\w)(?P<pod>"
    + _POD_ALT
    + r")(?:"
    + _WS
    + r"+(?:hôm"
    + _WS
    + r"+)?(?:qua|nay|mai))?"
    + _WS
    + r"+(?:ngày"
    + _WS
    + r"+)?)?"
    r"(?:(?<![\d/.,])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/%])"
    r"|(?<![\d.,-])(?P<d2>\d{1,2})-(?P<m2>\d{1,2})-(?P<y2>\d{4})(?![\d-])"
    r"|(?<![\d.,])(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4})(?![\d.])"
    r"|(?<!\w)ngày" + _WS + r"+(?P<d4>\d{1,2})" + _WS + r"+tháng" + _WS + r"+(?P<m4>\d{1,2})"
    r"(?:" + _WS + r"+năm" + _WS + r"+(?P<y4>\d{4}))?(?!\d)"
    r"|(?<![\d-])(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?![\d-]))"
    r"(?:" + _WS + r"+(?:lúc" + _WS + r"+)?(?P<hh>\d{1,2})[:h](?P<mm>\d{2})(?!\d))?",
    re.IGNORECASE,
    words=r"\d|ngày|rạng|sáng|trưa|chiều|tối|đêm|khuya",
)
# A year-less "d/m" is a date only after one of these words, a part of day, or at the start.
_DATE_CUES_VI = _words("ngày hôm qua nay mai vào từ đến tới trước sau hết cuối đầu lúc và hoặc")


def _resolve(
    day: int, month: int, year: int | None, reference: dt.date | None
) -> tuple[dt.date | None, bool] | None:
    """(date, year_inferred), (None, False) when unresolvable, None when not a valid date."""
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if year is not None:
        try:
            return dt.date(year, month, day), False
        except ValueError:
            return None
    if reference is None:
        # Valid in some year? (29/2 is.)
        try:
            dt.date(2000, month, day)
        except ValueError:
            return None
        return None, False
    for y in range(reference.year, reference.year - 9, -1):
        try:
            d = dt.date(y, month, day)
        except ValueError:
            continue
        if d <= reference:
            return d, True
    return None


def _int_or_none(s: str | None) -> int | None:
    return int(s) if s is not None else None


# A date as written, before its year is resolved: (start, end, day, month, year as written,
# part-of-day word, time of day).
_RawDate = tuple[int, int, int, int, int | None, str | None, dt.time | None]


def _raw_dates_vi(text: str, windows: list[tuple[int, int]]) -> list[_RawDate]:
    """The dates `find_dates` reads in `text`, whatever the reference (it only resolves them)."""
    out: list[_RawDate] = []
    for m in _near_digits(_DATE_VI, text, windows):
        g = m.group
        if g("d") is not None:
            day, month = int(g("d")), int(g("m"))
            ys = g("y")
            year = (2000 + int(ys) if len(ys) == 2 else int(ys)) if ys else None
        elif g("d2") is not None:
            day, month, year = int(g("d2")), int(g("m2")), int(g("y2"))
        elif g("d3") is not None:
            day, month, year = int(g("d3")), int(g("m3")), int(g("y3"))
        elif g("d4") is not None:
            day, month, year = int(g("d4")), int(g("m4")), _int_or_none(g("y4"))
        else:
            day, month, year = int(g("id")), int(g("im")), int(g("iy"))
        pod_word = g("pod")
        if year is None and g("d") is not None and pod_word is None:
            start = m.start("d")
            w1, _ = _prev_words(text, start)
            at_start = not text[:start].strip(" \t\n([\"'“")
            if not at_start and (w1 is None or w1.lower() not in _DATE_CUES_VI):
                continue
        time: dt.time | None = None
        hh, mm = g("hh") or g("th"), g("mm") or g("tm")
        if hh is not None and mm is not None and int(hh) < 24 and int(mm) < 60:
            time = dt.time(int(hh), int(mm))
        out.append((m.start(), m.end(), day, month, year, pod_word, time))
    return out


def _raw_dates_en(text: str, windows: list[tuple[int, int]]) -> list[_RawDate]:
    """The dates `find_dates_en` reads in `text`, whatever the reference."""
    out: list[_RawDate] = []
    for m in _near_digits(_DATE_EN, text, windows):
        g = m.group
        if g("mon") is not None:
            day, month, year = int(g("d")), _MONTHS_EN[g("mon")], _int_or_none(g("y"))
        elif g("mon2") is not None:
            day, month, year = int(g("d2")), _MONTHS_EN[g("mon2")], _int_or_none(g("y2"))
        else:
            day, month, year = int(g("id")), int(g("im")), int(g("iy"))
        out.append((m.start(), m.end(), day, month, year, g("pod"), None))
    return out


def _mentions(
    text: str, raw: list[_RawDate], reference: dt.date | None, lang: Literal["vi", "en"]
) -> list[DateMention]:
    out: list[DateMention] = []
    for start, end, day, month, year, pod_word, time in raw:
        resolved = _resolve(day, month, year, reference)
        if resolved is None:
            continue
        part: PartOfDay | None = None
        if pod_word is not None:
            if lang == "vi":
                part = _POD_VI.get(" ".join(pod_word.lower().split()))
            else:
                part = pod_word.lower()  # type: ignore[assignment]
        out.append(
            DateMention(
                value=resolved[0],
                day=day,
                month=month,
                year=year,
                year_inferred=resolved[1],
                part_of_day=part,
                time=time,
                text=text[start:end],
                span=Span(start=start, end=end),
            )
        )
    return out


def find_dates(text: str, reference: dt.date | None = None) -> list[DateMention]:
    """Calendar dates in Vietnamese `text`, day first: "02/03/2023" is 2 March 2023. A date
    without a year is resolved against `reference` (the article's publication date) to the
    latest year that does not put it after the reference; without a reference its `value` is
    None. A year-less "d/m" counts only after a part of day ("Sáng 6/7"), a cue word ("ngày
    14/9", "vào 8/1") or at the very start of the text, so that fractions are not dates."""
    return _mentions(text, _raw_dates_vi(text, _digit_windows(text)), reference, "vi")


def parse_date(text: str, reference: dt.date | None = None) -> dt.date | None:
    """The first date in Vietnamese `text` ("Chiều ngày 21/02/2023", "Sáng 6/7", "6/7/2020",
    "2023-03-02"), resolved against `reference`; None when there is none or no year can be
    known."""
    for mention in find_dates(text, reference):
        return mention.value
    return None


def parse_full_date(text: str) -> dt.date | None:
    """The first date in Vietnamese `text` written with its year ("19:57, 01/12/2025",
    "Thứ hai, 6-1-2025", "ngày 21 tháng 2 năm 2023", "2023-03-02"), None when there is none:
    the date of a stamp line or an attribution, which needs no reference date. Dates written
    without a year ("Sáng 6/7") are skipped, not guessed."""
    for mention in find_dates(text):
        if mention.year is not None and mention.value is not None:
            return mention.value
    return None


def find_dates_en(text: str, reference: dt.date | None = None) -> list[DateMention]:
    """Calendar dates in English `text`: "July 6", "6 July 2020", "March 2, 2023", "2023-03-02",
    "the afternoon of July 5". Slash dates are ambiguous in English and are not read."""
    return _mentions(text, _raw_dates_en(text, _digit_windows(text)), reference, "en")


_YEAR_CUES = "năm|niên khóa|nhiệm kỳ|giai đoạn|thời kỳ|mùa|in|since|by|until|from|of|year"
_YEAR_CUED = _starting_with(
    "ngtmisbufoy",
    rf"(?<!\w)(?:{_YEAR_CUES})" + _WS + r"+(?P<y>(?:19|20)\d{2})(?!\d|%|[.,/]\d)",
    re.IGNORECASE,
)
# A `_YEAR_CUED` match starting before a digit window (whose first digit, the year, is _MARGIN
# characters in) has spaces over at least the window's first _MARGIN - (longest cue) characters.
_CUE_REACH = _MARGIN - max(len(c) for c in _YEAR_CUES.split("|"))
_ALL_SPACES = re.compile(_WS + r"*")
_YEAR_BARE = _starting_with("12", r"(?<![\w.,/:$€¥-])(?P<y>(?:19|20)\d{2})(?![\w%/]|[.,:]\d)")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_YEAR_RANGE_END = re.compile(r"\s*[-–—]\s*(?P<y>(?:19|20)\d{2})(?![\w%/]|[.,]\d)")
_NOT_A_YEAR_AFTER = re.compile(
    _WS
    + r"*(?:%|phần"
    + _WS
    + r"trăm|percent|per cent|"
    + "|".join(sorted((*_SCALES_VI, *_SCALES_EN), key=len, reverse=True))
    + r"|USD|VND|VNĐ|đồng|dong|dollars?)(?!\w)",
    re.IGNORECASE,
)


def find_years(text: str) -> list[tuple[int, Span]]:
    """Years stated in `text` (either language): four-digit 1900-2100 integers standing alone
    ("năm 2022", "in 2022", "Hội nghị 2024", both ends of "2021 - 2030") unless a unit, scale
    word or listed counted noun follows (then they are quantities), and the years of full dates
    ("21/02/2023", "6 July 2020")."""
    windows = _digit_windows(text)
    return _years(text, windows, _raw_dates_vi(text, windows), _raw_dates_en(text, windows))


def find_dates_and_years(
    text: str, reference: dt.date | None = None, *, lang: Literal["vi", "en"] = "vi"
) -> tuple[list[DateMention], list[tuple[int, Span]]]:
    """`(find_dates(text, reference), find_years(text))`, or with `find_dates_en` for `lang`
    "en": the same results, reading the dates of `text` once for both."""
    return _dates_and_years(text, _digit_windows(text), reference, lang)


def _dates_and_years(
    text: str,
    windows: list[tuple[int, int]],
    reference: dt.date | None,
    lang: Literal["vi", "en"],
) -> tuple[list[DateMention], list[tuple[int, Span]]]:
    if not windows:
        return [], []  # no digit, no date nor year
    raw_vi, raw_en = _raw_dates_vi(text, windows), _raw_dates_en(text, windows)
    dates = _mentions(text, raw_vi if lang == "vi" else raw_en, reference, lang)
    return dates, _years(text, windows, raw_vi, raw_en)


def _years(
    text: str, windows: list[tuple[int, int]], raw_vi: list[_RawDate], raw_en: list[_RawDate]
) -> list[tuple[int, Span]]:
    out: dict[int, tuple[int, Span]] = {}

    def add(m: re.Match[str]) -> None:
        out[m.start("y")] = (int(m.group("y")), Span(start=m.start("y"), end=m.end("y")))

    # Both year patterns need four digits, 19xx or 20xx: skip them when the text has none.
    if any(_YEAR_DIGITS.search(text, lo, hi) for lo, hi in windows):
        # Their matches lie in the digit windows, but for a cue word that many spaces keep
        # from its year: scan the whole text for cued years if some window may start so.
        cued_in_windows = all(
            lo == 0 or _ALL_SPACES.fullmatch(text, lo + _MARGIN - _CUE_REACH, lo + _MARGIN) is None
            for lo, _ in windows
        )
        cued: Iterator[re.Match[str]] = (
            _near_digits(_YEAR_CUED, text, windows)
            if cued_in_windows
            else _YEAR_CUED.finditer(text)
        )
        for m in cued:
            add(m)
        for m in _near_digits(_YEAR_BARE, text, windows):
            end = m.end("y")
            if m.start("y") in out:
                continue
            if _NOT_A_YEAR_AFTER.match(text, end) or _COUNT_VI.match(text, end):
                continue
            nxt = _SPACES.match(text, end)
            if nxt is not None and _COUNT_EN_RE.match(text, nxt.end()):
                continue
            add(m)
    for start in list(out):
        rng = _YEAR_RANGE_END.match(text, out[start][1].end)
        if rng is not None:
            add(rng)
    # The dates `find_dates(text)` and `find_dates_en(text)` report (no reference).
    dates = [
        (start, end, year)
        for start, end, day, month, year, _, _ in (*raw_vi, *raw_en)
        if _resolve(day, month, year, None) is not None
    ]
    in_dates = _Spans([(start, end) for start, end, _ in dates])
    for k in [k for k in out if in_dates.overlaps(k, k + 1)]:
        del out[k]
    for start, end, year in dates:
        if year is not None:
            ym = re.search(rf"(?<!\d){year}(?!\d)|(?<=/){year % 100:02d}(?!\d)", text[start:end])
            if ym is not None:
                ystart = start + ym.start()
                out[ystart] = (year, Span(start=ystart, end=start + ym.end()))
    return [out[k] for k in sorted(out)]
