"""Passes that take the article's metadata out of its body: bylines, the attribution line, the
publication date; and the last step, which turns the labelled page into a `PageAnalysis`
(cutting an agency prefix off the lead).

May import: `summarizer.article`, and `dates`, `lines`, `state` and `vocabulary` of this
package.
"""

from __future__ import annotations

import datetime as dt

from ..article import Removed, Span
from .dates import dateline, named_years, parse_full_date
from .lines import (
    BULLET_RE,
    NUMBER_RE,
    SENT_SPLIT_RE,
    Unit,
    byline_names,
    caption_score,
    continues_cut_paragraph,
    ends_clause,
    ends_sentence,
    is_name_like,
)
from .state import PageAnalysis, PageState
from .vocabulary import AFFILIATION_RE, AGENCY_RE, CUT_BYLINE_RE, OUTLINE_RE, URL_ONLY_RE

__all__ = ["find_bylines", "find_published", "find_source", "published_date", "to_analysis"]


def _ends_wrapped_line(units: list[Unit], i: int) -> bool:
    """ "Thanh Hóa." under "... làm việc tại Sở Ngoại vụ tỉnh": the end of a hard-wrapped
    sentence, not a byline."""
    prev = units[i - 1] if i else None
    return (
        prev is not None
        and prev.label is None
        and prev.words >= 8
        and not ends_clause(prev.text)
        and ends_sentence(units[i].text)
    )


def _continues_list(units: list[Unit], body_idx: list[int], i: int) -> bool:
    """ "- 17h đến 19h00: ...", "2. Phố đi bộ ...": an item of a list the article began above
    (an item of the same kind, dash or number, is in the body before it)."""
    m = BULLET_RE.match(units[i].text)
    if m is None:
        return False
    numbered = units[i].text[:1].isdigit()
    return any(
        j < i and BULLET_RE.match(units[j].text) and units[j].text[:1].isdigit() == numbered
        for j in body_idx
    )


def _may_be_byline(units: list[Unit], i: int) -> bool:
    """Names, and neither the end of a wrapped sentence nor a name under a photo (its
    caption)."""
    return (
        is_name_like(units[i].text)
        and not _ends_wrapped_line(units, i)
        and not (i and units[i - 1].label == "image")
    )


def _is_affiliation(u: Unit) -> bool:
    """The author's workplace or title on the line under the byline, not article text."""
    return (
        u.label is None
        and u.words <= 15
        and not ends_clause(u.text)
        and bool(AFFILIATION_RE.match(u.text.lstrip("0123456789*")))  # "1Đại học ..."
    )


def _outline_heading(text: str) -> bool:
    """ "1.1.Kinh tế hợp tác", "2.3. Giải pháp": a sub-heading of the article's outline; not a
    figure going on in lower case ("2.500 người")."""
    match = OUTLINE_RE.match(text)
    return match is not None and match["initial"].isupper()


def _table_cells_after(units: list[Unit], body_idx: list[int], last_prose: int) -> bool:
    """Three or more bare figures ("1.158.211", "30,45") among the lines after the last
    paragraph: the article's table printed a cell a line. No list of headlines holds them."""
    figures = sum(
        1 for i in body_idx if i > last_prose and NUMBER_RE.fullmatch(units[i].text.rstrip(" %"))
    )
    return figures >= 3


def find_bylines(state: PageState) -> None:
    """The byline: a name line among the first three body lines, else one after the article's
    last paragraph of running text, else one of the last two body lines: "byline", its names
    in `state.byline`.

    After the last paragraph of running text, headline-shaped lines are other articles'
    headlines ("related"): an article does not end on a headline. A page cut off in the middle
    of its last paragraph ends on a line without a sentence end; that line is the article going
    on (see `continues_cut_paragraph`), not a headline.
    """
    units = state.units
    # "cell |" lines are a table of the article's (see `passes._keep_tables`): never bylines
    body_idx = [i for i in state.body() if not units[i].piped]
    for k, i in enumerate(body_idx[:3]):
        if _may_be_byline(units, i):
            state.byline = byline_names(units[i].text)
            units[i].label = "byline"
            for j in body_idx[k + 1 : k + 4]:  # more authors, their workplaces, one a line
                if not (_is_affiliation(units[j]) or is_name_like(units[j].text)):
                    break
                units[j].label = "byline"
            break
    last_prose = max((i for i in body_idx if units[i].is_prose), default=None)
    if body_idx and continues_cut_paragraph(units, body_idx):
        last_prose = body_idx[-1]
    if last_prose is not None and units[last_prose].text.rstrip().endswith(":"):
        last_prose = None  # "Các kỳ Đại hội đó là:": the lines after are its list, not headlines
    table = last_prose is not None and _table_cells_after(units, body_idx, last_prose)
    if table:
        last_prose = None  # "Loại đất", "Đất ở", "1.158.211", "30,45": a table, a cell a line
    if last_prose is not None and any(
        i > last_prose and _outline_heading(units[i].text) for i in body_idx
    ):
        last_prose = None  # "1.1. Kinh tế hợp tác": the article's own outline goes on below
    if last_prose is not None:
        for i in body_idx:
            if i <= last_prose or units[i].label is not None:
                continue
            if state.byline is None and _may_be_byline(units, i):
                state.byline = byline_names(units[i].text)
                units[i].label = "byline"
            elif URL_ONLY_RE.match(units[i].text):
                units[i].label = "source"  # "Link bài gốc", then the original's address
            elif (
                units[i].is_headline
                and not _continues_list(units, body_idx, i)
                and len(units[i].text) <= 150
                and not is_name_like(units[i].text)
                and caption_score(units[i])[0] < 2  # a photo's caption under the article
                and units[i - 1].label != "image"  # ditto, right under its photo
            ):
                units[i].label = "related"
    if state.byline is None and not table:  # "LK": a code in the table's last row
        for i in body_idx[-2:][::-1]:
            if units[i].label is None and _may_be_byline(units, i):
                state.byline = byline_names(units[i].text)
                units[i].label = "byline"
                break
    if units and units[-1].label is None and CUT_BYLINE_RE.match(units[-1].text):
        units[-1].label = "byline"  # "Tin, " (ảnh: Minh Anh): the page cut inside its byline


def find_source(state: PageState) -> None:
    """`state.source`: the first attribution line left labelled "source" ("Nguồn: ...",
    "Theo ..."), whole."""
    units = state.units
    i = next((i for i, u in enumerate(units) if u.label == "source"), None)
    if i is None:
        return
    state.source = units[i].text
    bare = units[i].key.strip(" :") in ("nguồn", "nguồn tin")
    if bare and i + 1 < len(units) and units[i + 1].words <= 10:
        # "Nguồn" alone, the source's name on the next line ("Truyền hình Cần Thơ")
        state.source = f"{units[i].text.rstrip(' :')}: {units[i + 1].text}"
        units[i + 1].label = "source"


def find_published(state: PageState) -> None:
    """`state.published`: the article's own date (see `published_date`). Labels nothing."""
    body_idx = state.body()
    last_body = body_idx[-1] if body_idx else -1
    state.published = published_date(state.units, body_idx, last_body, state.source)


def published_date(
    units: list[Unit], body_idx: list[int], last_body: int, source: str | None
) -> dt.date | None:
    """The article's own date.

    In order: a date/time line of the page itself (above the article, or under it before any
    related list or comment box); a full date in the attribution line ("Theo Thời sự tối
    6/7/2020"); a full date in the lead's first sentence ("Chiều ngày 21/02/2023"); a day/month
    there ("Ngày 14/9") completed with a year only if the body names exactly one year as
    "năm YYYY" (targets such as "đến năm 2030" and ranges such as "2020-2025" do not count).
    Otherwise None: a guessed year would be a wrong fact.
    """
    for i, u in enumerate(units):
        if i > last_body and u.label in ("related", "comments"):
            break  # past the article: stamps from here on belong to other articles
        if u.label == "timestamp":
            d = parse_full_date(u.text)
            if d is not None:
                return d
    if source is not None:
        d = parse_full_date(source)
        if d is not None:
            return d
    if not body_idx:
        return None
    lead = units[body_idx[0]].text
    m_agency = AGENCY_RE.match(lead)
    if m_agency:
        lead = lead[m_agency.end() :]
    first_sentence = SENT_SPLIT_RE.split(lead, maxsplit=1)[0]
    d = parse_full_date(first_sentence)
    if d is not None:
        return d
    m = dateline(first_sentence)
    if m is None or m.year is not None:  # a dated dateline was read as a full date above
        return None
    years = {y for i in body_idx for y in named_years(units[i].text)}
    if len(years) == 1:
        return _on(years.pop(), m.month, m.day)
    return None


def _on(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29/2 in a year without it
        return None


def to_analysis(state: PageState) -> PageAnalysis:
    """The labelled page as a `PageAnalysis`: every labelled unit a `Removed` with its label as
    the reason, the body units as paragraphs.

    An agency prefix on the lead ("TGVN. ", "(TTV)- ", "TTO - ") is cut off its paragraph and
    recorded as a "source" removal when 40+ characters of lead remain; a title or place
    abbreviation opening a name ("TP. Hồ Chí Minh", "GS. TS. ...") is not one.
    """
    page, units = state.page, state.units
    removed = [
        Removed(span=Span(start=u.start, end=u.end), reason=u.label, text=page[u.start : u.end])
        for u in units
        if u.label is not None
    ]
    body_idx = state.body()
    paragraphs = [Span(start=units[i].start, end=units[i].end) for i in body_idx]
    if paragraphs:
        lead = units[body_idx[0]]
        raw = page[lead.start : lead.end]
        agency = AGENCY_RE.match(raw)
        if agency and len(raw) - agency.end() >= 40:
            cut_at = lead.start + agency.end()
            removed.append(
                Removed(
                    span=Span(start=lead.start, end=cut_at),
                    reason="source",
                    text=raw[: agency.end()],
                )
            )
            paragraphs[0] = Span(start=cut_at, end=lead.end)
    removed.sort(key=lambda r: r.span.start)
    return PageAnalysis(
        units=units,
        paragraphs=paragraphs,
        title=state.title,
        published=state.published,
        byline=state.byline,
        source=state.source,
        captions=state.captions,
        removed=removed,
    )
