"""Date and time stamps as the cleaner reads them: is a line only a date/time, the first full
date of a text, a lead's dateline, the years a body names.

The dates themselves are read by the project's one date grammar (`summarizer.vietnamese`:
`find_dates`, `find_years`); this module holds the cleaner's policy on top of it (which lines
are stamps, which dates and years may date the article).

May import: the standard library and `summarizer.vietnamese`.
"""

from __future__ import annotations

import datetime as dt
import re

from ..vietnamese import DateMention, find_dates, find_years

TIME_RE = re.compile(r"(?<!\d)\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?(?:\s*(?:am|pm|sa|ch))?(?!\d)", re.I)
STAMP_NOISE_RE = re.compile(
    r"thứ\s*(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s*nhật|\bcn\b|gmt\s*[+-]\s*\d+|utc|"
    r"cập nhật|đăng|ngày|lúc|giờ|phút|trước|lượt xem|lượt đọc|\bvào\b|xuất bản|phát hành|"
    r"\btháng\b|\bnăm\b|[\W\d_]|"
    # an icon's name glued to the stamp ("ClockThứ Bảy, ..."), AM/PM, the print link after it
    r"^clock|\b[ap]m\b|\b(?:sa|ch)\b|in bài viết|bản in|"  # SA/CH: sáng/chiều, the vi AM/PM
    r"\bpost(?:ed)?(?: date| on)?\b|\bdate\b|\bpublished\b|\bupdated\b",
    re.IGNORECASE,
)
# Days named relative to today: a sentence using them reports an event (body, not a caption).
RELATIVE_DAY_RE = re.compile(r"hôm (?:nay|qua)|(?:sáng|chiều|tối|trưa) (?:nay|qua)")
# Words before a year-less day/month that make it the lead's dateline ("Ngày 14/9", "hôm 6/7").
_DATELINE_WORDS = frozenset({"ngày", "hôm"})
# "năm YYYY" naming a target ("đến năm 2030") or opening a range ("năm 2020-2025", "2024/2025").
_TARGET_YEAR = ("đến năm ", "tới năm ", "nhìn năm ")
_RANGE_AFTER_RE = re.compile(r"\s*[-–/]\s*\d")
_PLAUSIBLE_YEARS = range(1900, 2101)
# Stamps print "01 / 12 / 2025" too; the grammar reads dates written without those spaces.
_SPACED_SLASH_RE = re.compile(r"(?<=\d) */ *(?=\d)")


def full_dates(text: str) -> list[dt.date]:
    """The valid dates with a written year (1900-2100) in `text`, in order: "01/12/2025",
    "01 / 12 / 2025", "2025-12-11", "6.7.2020", "ngày 8 tháng 8 năm 2022"."""
    if " /" in text or "/ " in text:
        text = _SPACED_SLASH_RE.sub("/", text)
    return [
        m.value
        for m in find_dates(text)
        if m.value is not None and m.year is not None and m.year in _PLAUSIBLE_YEARS
    ]


# A date stamp with the month in words, as WordPress prints it in Vietnamese: "Thứ sáu, Tháng
# mười hai 27, 2024".
_MONTH_WORDS = "một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười|mười một|mười hai"
_WORDED_STAMP_RE = re.compile(
    r"^(?:(?:thứ\s+\w+|chủ\s+nhật),?\s+)?"
    rf"(?:tháng\s+(?:{_MONTH_WORDS}|\d{{1,2}})\s+\d{{1,2}}"  # "Tháng mười hai 27, 2024"
    r"|(?:ngày\s+)?\d{1,2}\s+tháng\s+\d{1,2}),\s*(?:năm\s+)?\d{4}$",  # "26 tháng 11, 2019"
    re.IGNORECASE,
)


# An official letter's place and date: "Hải Phòng, ngày 21 tháng 01 năm 2020".
_PLACE_DATE_RE = re.compile(
    r"^[^\W\d_][^\d,]{1,30},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\.?$", re.IGNORECASE
)


def is_timestamp(text: str) -> bool:
    """A line that is only a date and/or time ("19:57 , 01/12/2025", "Thứ hai, 6/1/2025")."""
    if len(text) > 90:
        return False
    if _WORDED_STAMP_RE.match(text) or _PLACE_DATE_RE.match(text):
        return True
    has_date = bool(full_dates(text))
    has_time = bool(TIME_RE.search(text))
    if not has_date and not has_time:
        return False
    rest = STAMP_NOISE_RE.sub("", text)
    if not has_date:  # a bare "19:52" only with nothing else
        return rest == ""
    return len(rest) <= 3


def parse_full_date(text: str) -> dt.date | None:
    """The first valid date with a written year in `text` (see `full_dates`), if any."""
    dates = full_dates(text)
    return dates[0] if dates else None


def mentions_day(text: str) -> bool:
    """Does `text` name a day: a date the grammar reads, or "hôm nay", "sáng qua", ...?"""
    return bool(find_dates(text)) or bool(RELATIVE_DAY_RE.search(text.casefold()))


# "Sáng nay, ..." / "Chiều 4/8, ..." / "Ngày 25/7, ..." / "Chiều ngày 21/02/2023, ..." /
# "Trong hai ngày 19 và 20-12, ...": how a lead opens, never a title.
_DATELINE_OPENING_RE = re.compile(
    r"^(?:(?:sáng|chiều|tối|trưa|đêm|hôm)\s+(?:ngày\s+)?|ngày\s+|trong (?:hai|ba|\d) ngày\s+)"
    r"(?:nay|qua|mai|\d{1,2}(?:\s*(?:và|-|–)\s*\d{1,2})?(?:[/.-]\d{1,2})?(?:[/.-]\d{4})?)"
    r"(?:\s*\(\d{1,2}[/.-]\d{1,2}\))?,",
    re.IGNORECASE,
)


def opens_with_dateline(text: str) -> bool:
    """Does `text` open on a dateline and its comma, as a lead does?"""
    return bool(_DATELINE_OPENING_RE.match(text))


def dateline(sentence: str) -> DateMention | None:
    """The first day/month of `sentence` written as a dateline: after a part of day ("Sáng 6/7",
    "Chiều ngày 21/02"), "ngày" or "hôm" ("Ngày 14/9", "hôm qua 6/7")."""
    for m in find_dates(sentence):
        if m.part_of_day is not None:
            return m
        before = sentence[: m.span.start].casefold().split()
        if before and (
            before[-1] in _DATELINE_WORDS
            or (before[-1] in ("qua", "nay") and before[-2:-1] == ["hôm"])
        ):
            return m
    return None


def named_years(text: str) -> list[int]:
    """The years `text` names as "năm YYYY", targets ("đến năm 2030") and range starts
    ("năm 2020-2025") left out."""
    out: list[int] = []
    for year, span in find_years(text):
        before = text[: span.start]
        if (
            before.endswith("năm ")
            and (len(before) == 4 or not before[-5].isalnum())
            and not before.endswith(_TARGET_YEAR)
            and not _RANGE_AFTER_RE.match(text, span.end)
        ):
            out.append(year)
    return out
