"""Passes that remove lists of other articles: repeated and stamped headlines with their
teasers, the list under a box header, everything after the article's end, stray headlines
inside a list.

Each pass takes the `PageState` and labels units "related" (see `summarizer.clean` for the
order they run in). May import: `lines`, `state` and `vocabulary` of this package.
"""

from __future__ import annotations

from .lines import (
    BULLET_RE,
    Unit,
    ends_ellipsis,
    is_name_like,
    list_shaped,
    opens_list,
)
from .shapes import (
    is_doubled,
    is_image_caption_line,
)
from .state import PageState
from .vocabulary import DISCOURSE_OPENER_RE

__all__ = [
    "absorb_stray_headlines",
    "cut_after_article_end",
    "mark_boxed_lists",
    "mark_headlines_above_lead",
    "mark_repeated_headlines",
]


def _repeat_starts(units: list[Unit], first: int) -> list[bool]:
    """Where a headline printed twice starts: on two lines, or twice on one line."""
    n = len(units)
    dup_start = [False] * n
    for i in range(first, n):
        u = units[i]
        if u.label not in (None, "related") or len(u.text) < 8:
            continue
        if (
            i + 1 < n
            and units[i + 1].key == u.key
            and units[i + 1].label in (None, "related")
            and u.is_headline
        ) or (u.label is None and is_doubled(u.text)):
            dup_start[i] = True
    return dup_start


def _stamp_floor(units: list[Unit], first: int) -> int:
    """The article's second paragraph of running text (len(units) if none): a headline with a
    stamp is a related item only below it, as the article's own title and date line look the
    same."""
    prose_seen = 0
    for i in range(first, len(units)):
        if units[i].label is None and units[i].is_prose:
            prose_seen += 1
            if prose_seen == 2:
                return i
    return len(units)


def _mark_teaser(units: list[Unit], dup_start: list[bool], j: int, stamped: bool) -> None:
    """Mark the teaser that follows a related headline at units[j-1]."""
    n = len(units)
    # A teaser stands alone: "Khi đó, ..." goes on with the article after the list.
    if (
        j < n
        and units[j].label is None
        and not dup_start[j]
        and not DISCOURSE_OPENER_RE.match(units[j].text)
    ):
        nxt = j + 1
        ends_list = nxt >= n or dup_start[nxt] or units[nxt].label is not None
        if stamped or ends_list or ends_ellipsis(units[j].text):
            units[j].label = "related"


def _is_doubled_caption(units: list[Unit], dup_start: list[bool], i: int) -> bool:
    """A caption printed twice (the image's alt text, then its caption) between the article's
    paragraphs: one pair on its own, with running text above and no other list item below."""
    n = len(units)
    j = i + 2
    return (
        i > 0
        and i + 1 < n
        and units[i + 1].key == units[i].key
        and units[i - 1].label is None
        and units[i - 1].is_prose
        and is_image_caption_line(units[i].text)
        and (j >= n or (units[j].label is None and not dup_start[j]))
    )


def mark_repeated_headlines(state: PageState) -> None:
    """Other articles' headlines printed twice (on two lines, or twice on one line), or followed
    by a "HH:MM , DD/MM/YYYY" stamp well inside the page, with the teaser after them: "related".

    Related-article blocks print each item as a repeated headline or as a headline and its own
    stamp; the article's title repeated the same way is labelled "title" instead.
    """
    units, n, first = state.units, state.n, state.first
    dup_start = _repeat_starts(units, first)
    stamp_floor = _stamp_floor(units, first)
    first_stamp = next((i for i in range(n) if units[i].label == "timestamp"), n)
    i = first
    while i < n:
        if dup_start[i]:
            if units[i].key == state.title.casefold():
                units[i].label = "title"
                if i + 1 < n and units[i + 1].key == units[i].key:
                    units[i + 1].label = "title"
                i += 1
                continue
            if _is_doubled_caption(units, dup_start, i):
                units[i].label = units[i + 1].label = "caption"
                i += 2
                continue
            units[i].label = "related"
            j = i + 1
            if j < n and units[j].key == units[i].key:
                units[j].label = "related"
                j += 1
            stamped = False
            if j < n and units[j].label == "timestamp":
                units[j].label = "related"
                stamped = True
                j += 1
            _mark_teaser(units, dup_start, j, stamped)
            i = j
            continue
        u = units[i]
        if (
            i > stamp_floor
            and i + 1 > first_stamp
            and u.label is None
            and u.is_headline
            and not is_name_like(u.text)
            and i + 1 < n
            and units[i + 1].label == "timestamp"
        ):
            u.label = "related"
            units[i + 1].label = "related"
            _mark_teaser(units, dup_start, i + 2, True)
            i += 2
            continue
        i += 1


def mark_boxed_lists(state: PageState) -> None:
    """The headline list under a box header ("Tin liên quan", "Đọc thêm"): "related".

    A numbered or bulleted list takes only numbered or bulleted items; teasers are taken only
    when they trail off ("..."), so that the article text resuming after the box stays.
    """
    units, n = state.units, state.n
    for i, u in enumerate(units):
        if u.header != "box":
            continue
        j = i + 1
        bulleted: bool | None = None
        while j < n:
            v = units[j]
            if v.label == "related":
                j += 1
                continue
            if v.label is not None or is_name_like(v.text):
                break
            is_bullet = bool(BULLET_RE.match(v.text))
            if bulleted is None and v.is_headline:
                bulleted = is_bullet
            listed = v.is_headline and (is_bullet or not bulleted)
            trailing = ends_ellipsis(v.text) and len(v.text) <= 400
            if not (listed or (trailing and units[j - 1].label == "related")):
                break
            v.label = "related"
            j += 1


def cut_after_article_end(state: PageState) -> None:
    """Everything after the article's end: "related".

    The end is an end header ("Ý kiến bạn đọc", "Bài viết cùng chuyên mục", "Tin mới", "Tags")
    when what follows is list-shaped or shorter than the article before it, or the page is
    nothing but other articles' headlines and teasers; or an attribution line ("Nguồn: ...",
    "Theo ...") followed by a list (headline, teaser, headline, teaser). Only the first such
    end cuts.
    """
    units, n = state.units, state.n
    body_chars = [len(u.text) if u.label is None else 0 for u in units]
    suffix = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix[i] = suffix[i + 1] + body_chars[i]
    prefix_before = 0
    for i, u in enumerate(units):
        if u.header in ("terminal", "comment") or u.label == "source":
            after = units[i + 1 :]
            before, remaining = prefix_before, suffix[i + 1]
            if u.header is None:  # an attribution line
                cut = before > 0 and list_shaped(after, 2)
            else:
                cut = (
                    (before > 0 and (list_shaped(after) or before >= remaining))
                    # a page that is nothing but other articles' headlines and teasers
                    or opens_list(units, i)
                )
            if cut:
                for v in units[i + 1 :]:
                    if v.label is None or v.label == "timestamp":
                        v.label = "related"
                break
        prefix_before += body_chars[i]


def absorb_stray_headlines(state: PageState) -> None:
    """One or two unlabelled headlines between two related items belong to the list: "related".

    A list item the passes above missed (no repeat, no stamp) sits between items they found.
    """
    units, n = state.units, state.n
    for i in range(1, n - 1):
        if units[i].label is None and units[i - 1].label == "related":
            k = i + 1
            while k < n and units[k].label is None and k - i < 2:
                k += 1
            if (
                k < n
                and units[k].label == "related"
                and all(units[m].is_headline for m in range(i, k))
            ):
                for m in range(i, k):
                    units[m].label = "related"


def mark_headlines_above_lead(state: PageState) -> None:
    """Two or more headlines between the title's date stamp and the lead: "related".

    Pages printed without blank lines put a box of other articles' headlines there; one line
    alone may be the article's own subtitle, and without a stamp the lines may be its kicker and
    title, so both are left alone.
    """
    units, n = state.units, state.n
    if state.title_idx is None:
        return
    stamped = False
    run: list[int] = []
    for i in range(state.first, n):
        u = units[i]
        if u.label is not None:
            stamped = stamped or u.label == "timestamp"
            continue
        if u.is_prose or not stamped:
            break
        if not (u.is_headline and u.words >= 4) or is_name_like(u.text):
            return
        run.append(i)
    if len(run) >= 2:
        for i in run:
            units[i].label = "related"
