"""Date and time stamps as the cleaner reads them: is a line only a date/time, and the first
full date of a text.

May import: the standard library.
"""

from __future__ import annotations

import datetime as dt
import re

DATE_FULL_RE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])")
DATE_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
TIME_RE = re.compile(r"(?<!\d)\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?(?:\s*(?:am|pm|sa|ch))?(?!\d)", re.I)
STAMP_NOISE_RE = re.compile(
    r"thứ\s*(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s*nhật|\bcn\b|gmt\s*[+-]\s*\d+|utc|"
    r"cập nhật|đăng|ngày|lúc|giờ|phút|trước|lượt xem|\bvào\b|[\W\d_]",
    re.IGNORECASE,
)
DAY_MONTH_RE = re.compile(
    r"(?:^|\b)(?:sáng|chiều|tối|trưa|đêm|ngày|hôm|rạng sáng)\s+(?:ngày\s+|qua\s+|nay\s+)?"
    r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"(?<!đến )(?<!tới )(?<!nhìn )\bnăm\s+((?:19|20)\d{2})(?!\s*[-–/]\s*\d)")
RELATIVE_DATE_RE = re.compile(
    r"(?<![\d/])\d{1,2}/\d{1,2}(?![\d/])|hôm (?:nay|qua)|(?:sáng|chiều|tối|trưa) (?:nay|qua)"
)


def is_timestamp(text: str) -> bool:
    """A line that is only a date and/or time ("19:57 , 01/12/2025", "Thứ hai, 6/1/2025")."""
    if len(text) > 90:
        return False
    has_date = bool(DATE_FULL_RE.search(text) or DATE_ISO_RE.search(text))
    has_time = bool(TIME_RE.search(text))
    if not has_date and not has_time:
        return False
    rest = STAMP_NOISE_RE.sub("", text)
    if not has_date:  # a bare "19:52" only with nothing else
        return rest == ""
    return len(rest) <= 3


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_full_date(text: str) -> dt.date | None:
    """The first d/m/yyyy (or yyyy-mm-dd) date in `text`, if it is a valid date."""
    m = DATE_FULL_RE.search(text)
    if m:
        return safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = DATE_ISO_RE.search(text)
    if m:
        return safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None
