"""The title pass: which line is the page's own headline, and what sits above it.

The title is the headline-sized line before the lead that carries the date stamp, else the
first; "" when the page opens with its lead or with a list of other articles. Lines above it
(site name, section, breadcrumbs) are navigation.

May import: `lines`, `dates`, `shapes`, `state` and `vocabulary` of this package.
"""

from __future__ import annotations

import re
from collections import Counter

from .dates import opens_with_dateline
from .lines import Unit, ends_sentence, is_name_like, n_sentences, opens_list
from .shapes import is_breadcrumb, is_keyword_list, is_section_pair
from .state import PageState
from .vocabulary import BREADCRUMB_SEP_RE

__all__ = ["find_title"]

_COUNTER_LINE_RE = re.compile(r"^(?=.*\d)[\d\s.,%]+$")


def _title_candidates(units: list[Unit]) -> list[int]:
    """Headline-sized lines (4+ words, not a name) among the first 12 lines no pass has
    labelled, before the first paragraph of running text; [] if the page opens with its lead or
    with a list of other articles. Breadcrumbs on the way become "navigation"."""
    candidates: list[int] = []
    pictured = False  # a photo or its caption came first
    seen = 0  # lines not labelled yet: the title is among the first 12
    for i, u in enumerate(units):
        if opens_list(units, i):
            break  # the page opens with a list of other articles: no title of its own
        if u.label is not None:
            pictured = pictured or u.label in ("caption", "image")
            continue
        seen += 1
        if seen > 12:
            break
        if is_breadcrumb(u) or is_keyword_list(u.text):
            u.label = "navigation"
            continue
        if len(u.text) > 250 or (n_sentences(u.text) >= 2 and len(u.text) > 160):
            break
        if ends_sentence(u.text) and (u.text.count(",") >= 2 or u.words > 30):
            break  # a lead paragraph, not a title: this page has no title line
        if _reads_as_lead(units, i):
            break
        if opens_with_dateline(u.text):
            break  # "Sáng nay, ngày 01/08/2022, ...": the lead
        if pictured and u.words >= 20 and u.text.endswith("."):
            break  # a long sentence under the page's first photo is its lead: titles sit above
        if u.is_prose and candidates:
            break
        if (
            sum(1 for w in u.text.split() if any(c.isalpha() for c in w)) >= 4
            and not is_name_like(u.text)
            and not is_section_pair(u.text)
            and u.text[:1] not in "-–•*+"  # "- Giáo dục nghề nghiệp": a section tag
        ):
            candidates.append(i)
    return candidates


def _reads_as_lead(units: list[Unit], i: int) -> bool:
    """A statement of 20+ words with its full stop, running text right under it: the lead of a
    page with no title line. Not when that running text opens with a dateline ("Chiều ngày
    21/02/2023, ..."): that is the lead, and the line above it a title ending in a period, as
    some sites print them (above a photo, too)."""
    u = units[i]
    if u.words < 20 or not u.text.endswith(".") or ":" in u.text or i + 1 >= len(units):
        return False
    after = units[i + 1]
    return after.label is None and after.is_prose and not opens_with_dateline(after.text)


def _pick_title(units: list[Unit], candidates: list[int]) -> int:
    """The candidate that an earlier line only echoed ("null <title>", "Trang chủ <title>",
    "<title> - <site>"); else the one with the date stamp under it (the last such: an article's
    own stamp is the one nearest its lead); else the first. A short line printed twice up there
    is the site's name, not the title, when another candidate is printed once (a title printed
    twice alone stays one)."""
    for k, b in enumerate(candidates):
        kb = units[b].key
        if any(
            units[a].key != kb and (units[a].key.endswith(kb) or units[a].key.startswith(kb))
            for a in candidates[:k]
        ):
            return b  # also "<title> - Báo Công An Nghệ An điện tử" above "<title>"
    keys = Counter(u.key for u in units[: max(candidates) + 1])
    once = [i for i in candidates if keys[units[i].key] == 1 or units[i].words > 6] or candidates
    stamped = [i for i in once if i + 1 < len(units) and units[i + 1].label == "timestamp"]
    if stamped:
        return stamped[-1]
    return once[0]


def find_title(state: PageState) -> None:
    """The title: the headline-sized line before the lead that carries the date stamp, else the
    first (see `_title_candidates`, `_pick_title`); "" if the page opens with its lead or with a
    list of other articles. A long sentence (20+ words, ending in ".") under the page's first
    photo or caption is the lead: titles sit above the photo.

    The unlabelled lines above it (site name, section, breadcrumbs) become "navigation", and so
    do their copies below it; copies of the title below it are labelled "title" too.
    """
    units = state.units
    _mark_counters_above_lead(units)
    echoed = _breadcrumb_echo(units)
    if echoed is not None:
        title_idx = echoed
    else:
        candidates = _title_candidates(units)
        if not candidates:
            _mark_bulleted_menu(units)
            return
        title_idx = _pick_title(units, candidates)
    pending = [i for i in range(title_idx) if units[i].label is None]
    state.title_idx, state.first = title_idx, title_idx + 1
    state.title = units[title_idx].text
    units[title_idx].label = "title"
    nav_keys = {units[i].key for i in pending}
    for i in pending:
        units[i].label = "navigation"
    for u in units[title_idx + 1 :]:  # the site's name printed again under the title
        if u.label is None and u.key in nav_keys:
            u.label = "navigation"
    title_key = _dashes_alike(units[title_idx].key)
    for u in units:  # copies of the title, also as a breadcrumb's bullet ("• <title>")
        if u.label is None and _dashes_alike(u.key.lstrip("•*-–» ")) == title_key:
            u.label = "title"


def _breadcrumb_echo(units: list[Unit]) -> int | None:
    """The line a breadcrumb ends on, printed again right under it ("Tin tức & Sự kiện >> Chợ
    Sa Pa tại Praha", then "Chợ Sa Pa tại Praha"): the title, however far down the page's
    menus push it. None if no line above the first paragraph is echoed so."""
    for i, u in enumerate(units):
        if u.is_prose:
            return None
        if u.label is not None or len(u.text) > 200:
            continue
        parts = [p for p in BREADCRUMB_SEP_RE.split(u.text) if p.strip()]
        if len(parts) < 2 or len(parts[-1].split()) < 2:
            continue
        tail = parts[-1].strip().casefold()
        following = [j for j in range(i + 1, len(units)) if units[j].label is None][:3]
        for j in following:
            if units[j].key == tail and not units[j].is_prose:
                return j
    return None


def _mark_counters_above_lead(units: list[Unit]) -> None:
    """Bare figures above the first paragraph ("0 106": comments and views; "100%": a zoom
    button): the page's widgets, "navigation". Not three or more in a row: a table."""
    for i, u in enumerate(units):
        if u.is_prose:
            return
        if u.label is None and _COUNTER_LINE_RE.match(u.text):
            run = [v for v in units[max(0, i - 2) : i + 3] if _COUNTER_LINE_RE.match(v.text)]
            if len(run) < 3:
                u.label = "navigation"


def _mark_bulleted_menu(units: list[Unit]) -> None:
    """On a page without a title line, two or more bulleted headlines above the lead ("- 1. Đi
    Xem Nghị Sĩ Thề", "- 2. ..."): the site's menu of other articles, "navigation", as they
    would be above a title."""
    bulleted: list[int] = []
    for i, u in enumerate(units):
        if u.label is not None:
            continue
        if u.is_prose:
            break
        if u.text[:2] in ("- ", "• ", "* ", "+ ") and u.words <= 25:
            bulleted.append(i)
    if len(bulleted) >= 2:
        for i in bulleted:
            units[i].label = "navigation"


def _dashes_alike(key: str) -> str:
    """A copy of the title may print its dash as another dash ("thăm - làm việc" / "thăm –
    làm việc")."""
    return key.replace("–", "-").replace("—", "-")
