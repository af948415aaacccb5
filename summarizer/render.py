"""Readable forms of a Digest: the Markdown fact sheet and the rows of facts.csv.

The English column is English throughout: a figure is written from its value, unit and the
qualifier of its text ("trên 51.000 tỷ đồng", 51e12 VND -> "over VND51 trillion"), its period
in English where the wording is a common one ("năm 2022" -> "2022", "6 tháng đầu năm nay" ->
"first six months of this year"; other periods stay as written), an event's place by the
English name the sheet gives that place, and a country only where the name does not already
say it ("Japan", not "Japan (Japan)").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from .align import fold
from .chars import alternation
from .digest import Digest
from .schemas import FACT_KINDS, Event, Figure, Organization, Person, Place, Statement
from .vietnamese import format_value_en, parse_quantity

KIND_TITLES = {
    "people": "People",
    "organizations": "Organisations",
    "places": "Places",
    "figures": "Figures",
    "events": "Events",
    "statements": "Statements",
}
STATUS_MARKS = {
    "verified": "✅ verified",
    "evidence_not_found": "❌ evidence not found",
    "value_mismatch": "⚠️ value mismatch",
    "implausible_value": "❌ implausible value",
    "outside_body": "⚠️ outside body",
}

# --------------------------------------------------------------------------------------------
# English wording of figures and periods

_MONTHS_EN = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)
_COUNTS_EN = (
    *("one", "two", "three", "four", "five", "six"),
    *("seven", "eight", "nine", "ten", "eleven", "twelve"),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Lead words of a period -> English ("lũy kế đến hết năm 2022" -> "cumulative to the end of").
_PERIOD_LEADS = {
    "lũy kế đến hết": "cumulative to the end of",
    "luỹ kế đến hết": "cumulative to the end of",
    "lũy kế đến": "cumulative to",
    "luỹ kế đến": "cumulative to",
    "tính đến hết": "to the end of",
    "đến hết": "to the end of",
    "đến cuối": "to the end of",
    "tính đến ngày": "as of",
    "tính đến": "as of",
    "đến ngày": "as of",
    "đến": "as of",
    "trong": "",
    "cả": "",
    "vào": "",
}
_LEAD_RE = re.compile("^(?:" + alternation(_PERIOD_LEADS) + ") ")
_RELATIVE_YEARS = {
    "nay": "this year",
    "ngoái": "last year",
    "trước": "last year",
    "tới": "next year",
}
_YEAR = r"(?:19|20)\d\d"
_CORES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (rf"từ đầu năm(?: (?P<y>{_YEAR}))? đến nay", "ytd"),
        (rf"(?P<n>\d{{1,2}}) tháng(?: đầu)? năm (?P<y>{_YEAR}|nay|ngoái|trước)", "months"),
        (rf"(?:năm )?(?P<y>{_YEAR})", "year"),
        (r"năm (?P<y>nay|ngoái|trước|tới)", "year"),
        (rf"quý (?P<q>iv|i{{1,3}}|[1-4])(?:/| năm )(?P<y>{_YEAR})", "quarter"),
        (rf"tháng (?P<m>\d{{1,2}})(?:/| năm )(?P<y>{_YEAR})", "month"),
        (rf"(?:ngày )?(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>{_YEAR})", "date"),
        (rf"(?:giai đoạn |thời kỳ )?(?P<y>{_YEAR}) ?[-–—] ?(?P<y2>{_YEAR})", "range"),
    )
)


def _year_en(y: str) -> str:
    return _RELATIVE_YEARS.get(y, y)


def _period_core_en(core: str) -> str | None:
    for pattern, kind in _CORES:
        m = pattern.fullmatch(core)
        if m is None:
            continue
        g = m.groupdict()
        y = _year_en(g["y"]) if g.get("y") else None
        if kind == "ytd":
            return f"{y} to date" if y else "year to date"
        if kind == "months":
            n = int(g["n"])
            if not 1 <= n <= 12:
                return None
            of = y if y and y[0].isdigit() else (y or "")
            return f"first {_COUNTS_EN[n - 1]} months of {of}".rstrip()
        if kind == "year":
            return y
        if kind == "quarter":
            q = _ROMAN.get(g["q"]) or int(g["q"])
            return f"Q{q} {y}"
        month = int(g["m"]) if g.get("m") else 0
        if kind in ("month", "date") and not 1 <= month <= 12:
            return None
        if kind == "month":
            return f"{_MONTHS_EN[month - 1]} {y}"
        if kind == "date":
            return f"{int(g['d'])} {_MONTHS_EN[month - 1]} {y}"
        return f"{y}–{g['y2']}"
    return None


def period_en(period: str) -> str:
    """A Figure's period in English when it is worded a common way ("năm 2022" -> "2022",
    "đến ngày 31/12/2022" -> "as of 31 December 2022", "Lũy kế đến hết năm 2022" ->
    "cumulative to the end of 2022"), else as written."""
    text = fold(period).strip().casefold()
    lead = ""
    m = _LEAD_RE.match(text)
    if m is not None:
        lead = _PERIOD_LEADS[m.group(0)[:-1]]
        text = text[m.end() :]
    core = _period_core_en(text)
    if core is None:
        return period.strip()
    return f"{lead} {core}" if lead else core


def figure_en(fig: Figure) -> str:
    """A Figure in English, from its value and unit and the qualifier its text writes ("trên
    51.000 tỷ đồng" -> "over VND51 trillion"); the text as written when neither the value nor
    the text holds a number."""
    like = parse_quantity(fig.text)
    value = fig.value if fig.value is not None else (like.value if like else None)
    if value is None:
        return fig.text
    unit = fig.unit or (like.unit if like else None)
    # A counted noun the map does not know is left out: the measure already names it in English.
    return format_value_en(value, unit, like=like, foreign_nouns=False)


_NON_WORD = re.compile(r"\W+")


def _words(text: str) -> str:
    return " " + " ".join(_NON_WORD.split(text.casefold())).strip() + " "


def _with_country(name: str, country: str | None) -> str:
    """`name (country)`, unless the name already says the country."""
    if not country or not country.strip() or _words(country) in _words(name):
        return name
    return f"{name} ({country})"


# Administrative words before a place's name: "tỉnh Thanh Hóa" is "Thanh Hóa" to an event.
_ADMIN_LEAD = re.compile(
    r"^(?:tỉnh|thành phố|tp\.?|huyện|quận|thị xã|xã|phường|bang|vùng|khu|liên bang) "
)


def _key(name: str) -> str:
    return fold(name).strip().casefold()


def english_places(places: list[Place]) -> dict[str, str]:
    """Place name as written (folded, with and without "tỉnh", "thành phố"...) -> its English
    name, for the sheet's events."""
    out: dict[str, str] = {}
    for p in places:
        if p.name_en and p.name_en.strip():
            key = _key(p.name)
            out.setdefault(key, p.name_en)
            out.setdefault(_ADMIN_LEAD.sub("", key), p.name_en)
    return out


def _place_en(where: str, what_en: str, places: Mapping[str, str]) -> str:
    """ " (place)" for an event's English line: the sheet's English name for it, else as
    written; nothing when the line already names it."""
    key = _key(where)
    name = places.get(key) or places.get(_ADMIN_LEAD.sub("", key)) or where
    return "" if _words(name) in _words(what_en) else f" ({name})"


def describe(fact: BaseModel, places: Mapping[str, str] | None = None) -> tuple[str, str]:
    """One line in Vietnamese and one in English saying what the fact states; `places`
    (`english_places` of the sheet) gives events' places their English names."""
    if isinstance(fact, Person):
        return (
            ", ".join(x for x in (fact.name, fact.role_vi, fact.organization) if x),
            ", ".join(x for x in (fact.name, fact.role_en) if x),
        )
    if isinstance(fact, Organization | Place):
        return fact.name, _with_country(fact.name_en or fact.name, fact.country)
    if isinstance(fact, Figure):
        period_vi = f" ({fact.period})" if fact.period else ""
        period = f" ({period_en(fact.period)})" if fact.period else ""
        return (
            f"{fact.measure_vi}: {fact.text}{period_vi}",
            f"{fact.measure_en}: {figure_en(fact)}{period}",
        )
    if isinstance(fact, Event):
        when = f"{fact.date}: " if fact.date else ""
        where_vi = f" ({fact.where})" if fact.where else ""
        where_en = _place_en(fact.where, fact.what_en, places or {}) if fact.where else ""
        return f"{when}{fact.what_vi}{where_vi}", f"{when}{fact.what_en}{where_en}"
    if isinstance(fact, Statement):
        to = f" → {fact.addressee}" if fact.addressee else ""
        return (
            f"{fact.speaker} [{fact.kind}]{to}: {fact.content_vi}",
            f"{fact.speaker} [{fact.kind}]{to}: {fact.content_en}",
        )
    raise TypeError(f"not a fact: {type(fact).__name__}")


def fact_rows(digest: Digest) -> Iterator[dict[str, Any]]:
    """One row per fact, in sheet order, with its verification."""
    checks = {(c.kind, c.index): c for c in digest.verification.facts}
    places = english_places(digest.facts.places)
    for kind in FACT_KINDS:
        for index, fact in enumerate(getattr(digest.facts, kind)):
            check = checks.get((kind, index))
            vi, en = describe(fact, places)
            yield {
                "fact_id": check.fact_id if check else "",
                "kind": kind,
                "status": check.status if check else "",
                "text_vi": vi,
                "text_en": en,
                "value": getattr(fact, "value", None),
                "unit": getattr(fact, "unit", None),
                "evidence": getattr(fact, "evidence", ""),
                "problems": "; ".join(check.problems) if check else "",
            }


# RFC 4180's line end: with "\n" the csv module leaves a cell holding a lone CR unquoted, and a
# spreadsheet then splits that fact's row in two.
CSV_LINE_END = "\r\n"


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (the text is from the web)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _cell(text: object) -> str:
    """Markdown table cell: no pipes or line breaks from the article can break the table."""
    return str("" if text is None else text).replace("|", "\\|").replace("\n", " ")


def render_markdown(digest: Digest) -> str:
    a = digest.article
    lines = [f"# {_cell(a.title)}", ""]
    meta = [
        f"published {a.published.isoformat()}" if a.published else "date unknown",
        a.byline or "",
        a.source or "",
        f"`{a.source_path}`" if a.source_path else "",
    ]
    lines += [" · ".join(m for m in meta if m), ""]
    s = digest.summary
    if s is None:
        lines += ["*No summary: the summary call failed (see gaps below).*", ""]
    else:
        lines += [f"## {_cell(s.headline_vi)}", "", s.summary_vi, ""]
        lines += [f"- {p}" for p in s.key_points_vi] + [""]
        lines += [f"## {_cell(s.headline_en)}", "", s.summary_en, ""]
        lines += [f"- {p}" for p in s.key_points_en] + [""]
    v = digest.verification
    verified = sum(1 for c in v.facts if c.status == "verified")
    lines += [f"**Verification:** {verified}/{len(v.facts)} facts verified.", ""]
    rows = list(fact_rows(digest))
    for kind in FACT_KINDS:
        of_kind = [r for r in rows if r["kind"] == kind]
        if not of_kind:
            continue
        lines += [f"## {KIND_TITLES[kind]}", "", "| Vietnamese | English | Evidence | Status |"]
        lines += ["|---|---|---|---|"]
        for r in of_kind:
            status = STATUS_MARKS.get(r["status"], r["status"])
            if r["problems"]:
                status += f" ({r['problems']})"
            lines.append(
                f"| {_cell(r['text_vi'])} | {_cell(r['text_en'])} "
                f"| “{_cell(r['evidence'])}” | {_cell(status)} |"
            )
        lines.append("")
    if digest.run.gaps:
        lines += ["## Gaps", ""]
        lines += [f"- part {g.chunk + 1}: {g.reason}: {_cell(g.error)}" for g in digest.run.gaps]
        lines.append("")
    u = digest.usage
    cost = "n/a" if u.cost_usd is None else f"${u.cost_usd:.5f}"
    lines += [
        f"*{digest.run.model}, {digest.run.chunks} chunk(s), {u.calls} call(s), "
        f"{u.input_tokens} input tokens ({u.cached_tokens} cached), "
        f"{u.output_tokens} output tokens, est. {cost}.*",
        "",
    ]
    return "\n".join(lines)
