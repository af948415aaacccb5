"""Passes that label lines by what they are: each line on its own (boilerplate, image residue,
credits, stamps, headers), source citations kept in the body, photo captions (the title has
its own module, `title`).

Each pass takes the `PageState` (see `summarizer.clean` for the order they run in). May import:
`summarizer.article`, and `caption_model`, `dates`, `lines`, `state` and `vocabulary` of this
package.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from ..article import RemovalReason
from .caption_model import load_model
from .dates import is_timestamp
from .lines import (
    Unit,
    caption_score,
    ends_clause,
    ends_ellipsis,
    ends_sentence,
    head_key,
    n_sentences,
    numbers,
    states_own_number,
)
from .photo_words import (
    CREDIT_ONLY_RE,
    CREDIT_RE,
    PHOTO_POINTER_RE,
    SOURCE_CREDIT_RE,
)
from .shapes import (
    glued_headlines,
    glued_stamp,
    has_caps_credit,
    has_glued_caps_credit,
    has_named_credit,
    is_foreign_ui,
    is_image_caption_line,
    is_image_residue,
    is_portal_name,
    is_vietnamese_page,
    stamp_trail,
)
from .state import PageState
from .vocabulary import (
    ACCOUNT_RE,
    AGENCY_CREDIT_RE,
    BOX_HEADERS,
    BRACKETED_LINK_RE,
    COMMENT_FORM_RE,
    COMMENT_LINES,
    COMMENT_TERMINAL,
    CONNECTIVE_RE,
    CONTACT_RE,
    COUNTER_RE,
    FOLLOW_RE,
    FONT_SIZE_RE,
    FOOTER_RE,
    HASHTAGS_RE,
    HOTLINE_RE,
    INLINE_RELATED_RE,
    MOBILE_LINES,
    NAV_COMBO_RE,
    NAV_LINES,
    POSTED_BY_RE,
    READING_TIME_RE,
    SECTION_NAMES,
    SITE_DOMAIN_RE,
    SITE_NAMED_DOMAIN_RE,
    SOURCE_RE,
    TAG_HEADERS,
    TAGS_RE,
    TEMPLATE_TOKEN_RE,
    TERMINAL_HEADERS,
    THEO_RE,
    VISITS_RE,
    WEATHER_RE,
    WELCOME_RE,
)

__all__ = ["keep_cited_sources", "label_lines", "line_label", "mark_captions"]

# A line the learned model may take as a caption: what `caption_score` leaves in the body with
# exactly its one point for a short single sentence (no cue, no penalty for a date, quote,
# colon or opening connective).
MODEL_SCORE = 1
MODEL_MAX_CHARS = 200
# Context the model's lines must stand in: "prose" (the line right before is a paragraph of
# running text: captions sit under the paragraph their photo illustrates), "between" (any body
# lines on both sides) or "lone" (neither neighbour is itself a short candidate line).
MODEL_CONTEXT = "prose"


def line_label(u: Unit, vietnamese: bool) -> tuple[RemovalReason | None, str | None]:
    """(label, header kind) of a line recognised on its own, or (None, None)."""
    t, k = u.text, u.key
    if not any(c.isalnum() for c in t):  # "![]() |", "***", "---", "…"
        return ("image" if u.has_image or "|" in t else "other"), None
    if u.has_image and is_image_caption_line(t):
        return "caption", None  # "![](...) | Caption of the image"
    hk = head_key(k)
    if is_image_residue(t, vietnamese):
        return "image", None
    if len(t) <= 600 and ("ảnh" in k or "photo" in k or "hình" in k) and CREDIT_RE.search(k):
        return "caption", None
    if len(t) <= 600 and PHOTO_POINTER_RE.search(k):
        return "caption", None
    if len(t) <= 250 and (has_caps_credit(t) or has_glued_caps_credit(t)):
        return "caption", None
    if len(t) <= 600 and has_named_credit(t):
        return "caption", None
    if POSTED_BY_RE.match(t):
        return "byline", None
    if len(t) <= 2 and t.isalpha() and not t.isupper():
        return "other", None  # "zf": a stray fragment of the template
    if vietnamese and ACCOUNT_RE.match(t):
        return "other", None  # "chinhtribt": an account's handle; too long for one syllable
    if len(t) <= 100 and HOTLINE_RE.match(t):
        return "hotline", None
    if hk in MOBILE_LINES:
        return "mobile", None
    if len(t) <= 90 and FOLLOW_RE.match(t):
        return "follow", None
    if hk in COMMENT_LINES:
        return "comments", ("comment" if hk in COMMENT_TERMINAL else None)
    if len(t) <= 300 and COMMENT_FORM_RE.search(k):
        return "comments", None
    if hk in TERMINAL_HEADERS:
        return ("navigation" if hk in TAG_HEADERS else "related"), "terminal"
    if hk in BOX_HEADERS:
        return "related", "box"
    if len(t) <= 300 and (INLINE_RELATED_RE.match(t) or BRACKETED_LINK_RE.match(t)):
        return "related", None
    if len(t) <= 600 and glued_headlines(t):
        return "related", None
    if _is_navigation(t, k, hk, vietnamese):
        return "navigation", None
    if is_timestamp(t) or stamp_trail(t) or glued_stamp(t):
        return "timestamp", None
    if len(t) <= 150 and READING_TIME_RE.search(t):
        return "timestamp", None  # "catovina Tác giả catovina 05/10/2024 20 phút đọc"
    if hk in ("nguồn", "nguồn tin"):
        return "source", None  # the source's name on the next line (`find_source`)
    if len(t) <= 200 and (
        SOURCE_RE.match(t) or (u.words <= 12 and THEO_RE.match(t)) or AGENCY_CREDIT_RE.match(t)
    ):
        return "source", None
    if len(t) <= 400 and SOURCE_CREDIT_RE.search(k):
        return "caption", None
    if u.piped and len(t) <= 250 and n_sentences(t) == 1 and not CONNECTIVE_RE.match(t):
        return "caption", None  # "Chương trình nghệ thuật khai mạc lễ hội |": an image's cell
    return None, None


def _is_navigation(t: str, k: str, hk: str, vietnamese: bool) -> bool:
    """The site's furniture: menus, share bars, tags, the site's name, weather, counters,
    contacts, font-size buttons, footers, an English interface on a Vietnamese page."""
    if hk in NAV_LINES or (len(t) <= 300 and TAGS_RE.match(t)) or is_portal_name(t):
        return True
    if len(t) <= 120 and (
        SITE_DOMAIN_RE.match(t)
        or SITE_NAMED_DOMAIN_RE.match(t)
        or WEATHER_RE.match(t)
        or WELCOME_RE.match(t)
        or TEMPLATE_TOKEN_RE.match(t)
        or (vietnamese and is_foreign_ui(t))
    ):
        return True
    if len(k) <= 80 and NAV_COMBO_RE.match(k):  # "Chia sẻ Facebook Zalo Copy link"
        return True
    if len(t) <= 200 and (
        HASHTAGS_RE.match(t)
        or COUNTER_RE.match(t)
        or CONTACT_RE.match(t)
        or (FONT_SIZE_RE.match(t) and any(c.isalpha() for c in t))
        or VISITS_RE.match(t)
    ):
        return True
    return len(t) <= 250 and bool(FOOTER_RE.search(k))


def _keep_tables(units: list[Unit]) -> None:
    """Three or more "cell |" lines in a row are a table's cells, not captions under images."""
    i = 0
    while i < len(units):
        j = i
        while j < len(units) and units[j].piped:
            j += 1
        if j - i >= 3:
            for u in units[i:j]:
                if u.label == "caption":
                    u.label = None
        i = max(j, i + 1)


def _mark_menus(units: list[Unit]) -> None:
    """Five or more short lines in a row above the article's first paragraph (a menu of
    sections or provinces): "navigation"."""
    run: list[Unit] = []
    for u in [*units, None]:
        if u is not None and u.is_prose:
            u = None  # the first paragraph: no menu below it is looked for
        short = u is not None and u.label is None and u.words <= 4 and not ends_clause(u.text)
        if short and u is not None:
            run.append(u)
            continue
        if len(run) >= 5:
            for v in run:
                v.label = "navigation"
        run = []
        if u is None:
            break


def _mark_tickers(units: list[Unit]) -> None:
    """A ticker of other headlines above the first paragraph, each followed by its " -"
    separator ("Quảng Trị xác định khu vực ... 2 dự án lớn -"): three or more in a row are
    "related", and so is the headline that ends the ticker without a separator when a
    labelled line (a photo, a section) comes right after it."""
    i = 0
    while i < len(units) and not units[i].is_prose:
        j = i
        while j < len(units) and _ticker_item(units[j]):
            j += 1
        if j - i >= 3:
            last = units[j] if j < len(units) else None
            after = units[j + 1] if j + 1 < len(units) else None
            if (
                last is not None
                and last.label is None
                and not last.is_prose
                and not ends_sentence(last.text)
                and (after is None or after.label is not None)
            ):
                j += 1
            for u in units[i:j]:
                u.label = "related"
        i = max(j, i + 1)


def _ticker_item(u: Unit) -> bool:
    return u.label is None and not u.is_prose and u.words >= 4 and u.text.endswith(" -")


def label_lines(state: PageState) -> None:
    """Every line recognised on its own gets its label (and header kind, for list and comment
    headers): whole-line boilerplate (hotline, share/print bars, tags, hashtags, counters,
    "follow us", mobile links, contact and copyright footers), image residue (markdown stubs,
    file names, unaccented slugs on an accented page, "... - Ảnh 2." alt texts, bare credits),
    captions with a photo credit or next to an image, date/time lines, attribution lines.

    These lines say what they are without context; the later passes read their neighbours.
    """
    state.vietnamese = is_vietnamese_page(state.units)
    units = state.units
    for u in units:
        u.label, u.header = line_label(u, state.vietnamese)
    for i, u in enumerate(units):
        if u.label is None and u.key.strip(" .:") in SECTION_NAMES:
            between_paragraphs = 0 < i < len(units) - 1 and (
                units[i - 1].is_prose and units[i + 1].is_prose
            )
            if not between_paragraphs:
                u.label = "navigation"
    _keep_tables(units)
    _mark_menus(units)
    _mark_tickers(units)
    for u, nxt in pairwise(units):  # "Ngày 28/10/2021 tại Hà ..." over the paragraph it opens
        stem = u.text.rstrip(".… ")
        if (
            u.label is None
            and ends_ellipsis(u.text)
            and len(stem) >= 15
            and nxt.text.startswith(stem)
        ):
            u.label = "related"
    for u, nxt in pairwise(units):  # "- Giáo dục nghề nghiệp" over its stamp
        if u.label is None and nxt.label == "timestamp" and u.text[:2] == "- " and u.words <= 5:
            u.label = "navigation"
    for u in units:  # "0", "215" above the lead: the page's like and view counters
        if u.is_prose:
            break
        if u.label is None and len(u.text) <= 9 and u.text.strip(".,").replace(".", "").isdigit():
            u.label = "navigation"
    # A gallery: photo, line, photo, line, photo...: each line is its photo's caption. One line
    # between two photos alone may be a paragraph the page set between them.
    sandwiched = [
        i
        for i in range(1, len(units) - 1)
        if units[i].label is None
        and units[i - 1].label == "image"
        and units[i + 1].label == "image"
        and not CREDIT_ONLY_RE.match(units[i + 1].text)  # a credit: no second photo
        and is_image_caption_line(units[i].text)
    ]
    if len(sandwiched) >= 2:
        for i in sandwiched:
            units[i].label = "caption"


def keep_cited_sources(state: PageState) -> None:
    """A "Nguồn:"/"Theo ..." line with running text before and after it cites a source (under a
    table, for instance): its "source" label is taken back, so it stays in the body. The
    attribution line at the article's end, or above its first paragraph, is metadata."""
    units = state.units
    first_prose = next((i for i, u in enumerate(units) if u.is_prose), len(units))
    prose_after = False
    for i in reversed(range(len(units))):
        u = units[i]
        if u.label == "source" and prose_after and i > first_prose:
            u.label = None
        elif u.label is None and u.is_prose:
            prose_after = True


def mark_captions(state: PageState) -> None:
    """Photo captions among the body lines (never the lead): "caption"; `state.captions` lists
    every caption of the page once, in page order.

    A line is a caption when `caption_score` reaches 2 (a short single sentence with caption
    wording, not dated, quoted or opening with a connective), or when it is a short single
    sentence without such wording that the learned model (`caption_model`) takes for a caption
    in a caption's place (see `_learned_captions`). A short line right after an image
    gets 2 more if this page captions its images (most lines after its images are captions by
    other evidence). On a page that shows no image, a line is a caption by its wording alone,
    so it stays in the body if it states a number no other paragraph states: its figure would
    otherwise leave the text.
    """
    units, n, first = state.units, state.n, state.first
    body_idx = state.body()
    lead_idx = body_idx[0] if body_idx else -1
    scores = {i: caption_score(units[i]) for i in body_idx if i != lead_idx}
    after_image = [
        i + 1
        for i in range(first, n - 1)
        if units[i].label == "image" and (units[i + 1].label == "caption" or i + 1 in scores)
    ]
    captioned = sum(1 for j in after_image if units[j].label == "caption" or scores[j][0] >= 2)
    page_captions_images = bool(after_image) and 2 * captioned >= len(after_image)
    pictured = any(u.label in ("image", "caption") or u.has_image for u in units)
    body_numbers = (
        None if pictured else Counter(t for i in body_idx for t in numbers(units[i].text))
    )
    learned = _learned_captions(units, body_idx, scores) | _between_image_and_credit(units, first)
    seen: set[str] = set()
    for i in range(first, n):
        u = units[i]
        if i in scores:
            score, short = scores[i]
            if page_captions_images and short and units[i - 1].label == "image":
                score += 2
            if score < 2 and i in learned:
                score = 2
            if score >= 2 and (body_numbers is None or not states_own_number(u.text, body_numbers)):
                u.label = "caption"
        if u.label == "caption" and u.key not in seen:
            seen.add(u.key)
            state.captions.append(u.text)


def _between_image_and_credit(units: list[Unit], first: int) -> set[int]:
    """One or two short lines between an image and its credit alone on a line ("hinh1.png",
    "Đoàn cán bộ, công chức, viên chức", "ngành VHTTDL Tây Ninh tham gia Hội thao", "Ảnh: Phạm
    Thị Hòa"): the image's caption, broken over lines or not."""
    found: set[int] = set()
    for i in range(first, len(units)):
        if units[i].label != "image" or CREDIT_ONLY_RE.match(units[i].text):
            continue
        j = i + 1
        while j < len(units) and j - i <= 2 and units[j].label is None and units[j].words <= 30:
            j += 1
        credit = (
            j < len(units) and units[j].label == "image" and CREDIT_ONLY_RE.match(units[j].text)
        )
        if j > i + 1 and credit:
            found.update(range(i + 1, j))
    return found


def _learned_captions(
    units: list[Unit], body_idx: list[int], scores: dict[int, tuple[int, bool]]
) -> set[int]:
    """Body lines (never the lead, never a labelled line) that the learned model takes for
    captions: short single sentences with no caption cue (`MODEL_SCORE`), standing between two
    other body lines in the place a caption takes (`MODEL_CONTEXT`), scoring at least the
    model's threshold. The threshold is high: a paragraph taken out of the body loses article
    text, while a caption left in it only adds a line."""
    model = load_model()
    candidates = {
        i
        for i, (score, single) in scores.items()
        if score == MODEL_SCORE and single and len(units[i].text) <= MODEL_MAX_CHARS
    }
    found: set[int] = set()
    for k in range(1, len(body_idx) - 1):
        i = body_idx[k]
        if i not in candidates:
            continue
        prev, nxt = body_idx[k - 1], body_idx[k + 1]
        if MODEL_CONTEXT == "prose" and not units[prev].is_prose:
            continue
        if MODEL_CONTEXT == "lone" and (prev in candidates or nxt in candidates):
            continue
        if model.is_caption(units[i].text):
            found.add(i)
    return found
