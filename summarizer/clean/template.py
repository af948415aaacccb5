"""A site's template: the lines its pages share, found by comparing several pages of the site.

One page alone cannot tell its site's menu, header and footer from a short article line, which
is why the rules need words ("Trang chủ", "Tin liên quan") and shapes. Several pages of the same
site can: a line printed on several of them is the site's, not an article's. `site_template`
collects the lines that recur on at least `min_pages` of the pages given; `mark_template_lines`,
the first pass after `label_lines`, labels "template" every still-unlabelled line of a page
that is in it.

A line is compared by its key: casefolded, digits masked ("Lượt xem: 125" and "Lượt xem: 3" are
one line), and its zone, above the page's first paragraph of running text or below it. The zone
keeps a page's own headline, printed under other pages' articles in their "Đọc nhiều" lists,
from counting as template on its own page, where it stands above the article. Running text is
never template: a lead quoted as a teaser on other pages of the site is still its article's.
Nor is a line right above running text: that is where a headline or an article's sub-heading
stands ("TÓM TẮT:", "1. Đặt vấn đề" on every paper of a journal), not a menu.

May import: `summarizer.article`, and `lines` and `state` of this package.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .lines import Unit, split_units
from .state import PageState

__all__ = ["MIN_PAGES", "mark_template_lines", "page_template_keys", "site_template"]

MIN_PAGES = 3  # a line on three pages of one site is its template; on two it may be a topic
_DIGITS_RE = re.compile(r"\d+")


def template_keys(units: list[Unit]) -> list[str | None]:
    """The key each line is compared by across pages; None for running text, never template."""
    keys: list[str | None] = []
    zone = "head"
    for u in units:
        if u.is_prose:
            zone = "tail"
            keys.append(None)
        else:
            keys.append(f"{zone}|{_DIGITS_RE.sub('0', u.key)}")
    return keys


def page_template_keys(page: str) -> set[str]:
    """The keys of one page's lines that could be template (`site_template` counts them)."""
    return {k for k in template_keys(split_units(page)) if k}


def site_template(pages: Iterable[str], min_pages: int = MIN_PAGES) -> frozenset[str]:
    """The keys of the lines found on at least `min_pages` of `pages` (texts of one site)."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update(page_template_keys(page))
    return frozenset(k for k, n in counts.items() if n >= min_pages)


def mark_template_lines(state: PageState) -> None:
    """Label "template" the unlabelled lines whose key is in the page's site template."""
    if not state.template:
        return
    units = state.units
    for i, key in enumerate(template_keys(units)):
        heads_text = i + 1 < len(units) and units[i + 1].is_prose
        if units[i].label is None and key in state.template and not heads_text:
            units[i].label = "template"
