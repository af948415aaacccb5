"""Clutter detection: tell a scraped news page's article apart from everything around it.

`analyse_page(page)` splits the decoded page into line units, labels the clutter among them and
returns what is left as page spans, together with the metadata found on the way (title, date,
byline, attribution, captions). It never rewrites text: `summarizer.ingest` turns the kept spans
into the NFC body and its map back to the page.

The signals are structural first, so that pages from sites other than the seeds clean too:

* whole-line boilerplate: hotline, breadcrumbs and section labels above the title, share/print
  bars, tags, hashtags, view counters, comment boxes, "follow us on", mobile-version links,
  copyright and contact footers;
* image residue: markdown images, bare file names, unaccented URL slugs on an accented page,
  "<title> - Ảnh 2." alt texts, lines holding nothing alphanumeric;
* related-article lists: a headline printed twice (on two lines, or twice on one line), a
  headline followed by a "HH:MM , DD/MM/YYYY" stamp well inside the page, the teaser after such a
  headline, the headlines under a box header ("Tin liên quan", "Đọc thêm"; a numbered box takes
  numbered items only), everything after an end header ("Ý kiến bạn đọc", "Bài viết cùng chuyên
  mục", "Tin mới", "Tags", the English "You may also like", ...) when it is list-shaped or
  shorter than the article, everything after an attribution line when it is list-shaped
  (headline, teaser, headline, teaser), and headline-shaped lines after the article's last
  paragraph of running text;
* captions: a line with a photo credit ("(Ảnh: ...)", "Ảnh: Báo Nhân Dân.", "... GIA HÂN"), the
  text next to an image on the same line, or a short one-sentence line that reads like a
  caption ("Quang cảnh buổi làm việc.", "... phát biểu tại buổi làm việc.") or follows an image
  on a page whose images are captioned. The lead is never a caption; sentences that are dated,
  quoted, or open with a connective or a reporting phrase ("Trước đó, ...", "Dự hội nghị có
  ...") stay in the body; on a page that shows no image, so does a line with caption wording
  that states a number no other paragraph states.

Decisions where the input is ambiguous: the title is the first headline-sized line (4+ words,
not a name) before the first paragraph of running text, or "" if the page opens with its lead;
the byline holds the names only ("Tin, ảnh: Minh Anh" -> "Minh Anh"); `source` is the whole
attribution line at the end ("Nguồn: ...", "Theo ..."), while a "Nguồn:" line followed by more
article text is a citation and stays in the body; an agency prefix on the lead ("TGVN. ",
"(TTV)- ", "TTO - ") is cut and recorded as a "source" removal, while a title or place
abbreviation opening a name ("TP. Hồ Chí Minh", "GS. TS. ...") is not one; repeated captions
are listed once. For the date rules see
`metadata.published_date`.

The work is a sequence of passes over one `PageState` (`PASSES`, in order); each pass is a
function of its own module that can be run and tested alone:

* `label_lines` (passes): lines recognised on their own (boilerplate, image residue, credited
  captions, stamps, list/comment headers, attribution lines);
* `mark_template_lines` (template): lines of the site's template, when other pages of the site
  were given (`site_template`);
* `find_title` (title): the title line; navigation above it (a bulleted menu, too, on a page
  without a title line);
* `mark_repeated_headlines`, `mark_boxed_lists`, `mark_headlines_above_lead`,
  `cut_after_article_end`, `absorb_stray_headlines` (lists): lists of other articles;
* `keep_cited_sources` (passes): a "Nguồn:" line with article text before and after it stays;
* `find_bylines` (metadata): bylines, and headlines after the last paragraph;
* `mark_captions` (passes): photo captions;
* `find_source`, `find_published` (metadata): the attribution line and the date;

then `to_analysis` (metadata) cuts the lead's agency prefix and builds the `PageAnalysis`.

Modules: `vocabulary` (words and line shapes, data only), `photo_words` (image residue,
credits and caption wording, data only), `dates` (stamps and dates), `lines`
(units and their features), `shapes` (what a line is on its own), `caption_model` (the learned
caption classifier, weights in `summarizer/data/caption_model.json`, trained by
`bench/train_captions.py`), `state` (`PageState`, `PageAnalysis`), `passes`, `title`, `lists`,
`metadata`, `template` (the lines several pages of one site share). The package may import
`summarizer.article` and `summarizer.chars`, nothing else of `summarizer`.
"""

from __future__ import annotations

from collections.abc import Callable

from .dates import is_timestamp, parse_full_date
from .lines import Unit, byline_names, is_name_like, normalize_text, split_units
from .lists import (
    absorb_stray_headlines,
    cut_after_article_end,
    mark_boxed_lists,
    mark_headlines_above_lead,
    mark_repeated_headlines,
)
from .metadata import find_bylines, find_published, find_source, to_analysis
from .passes import keep_cited_sources, label_lines, mark_captions
from .state import PageAnalysis, PageState
from .template import mark_template_lines, site_template
from .title import find_title

__all__ = [
    "PASSES",
    "PageAnalysis",
    "PageState",
    "Unit",
    "analyse_page",
    "byline_names",
    "is_name_like",
    "is_timestamp",
    "normalize_text",
    "parse_full_date",
    "site_template",
    "split_units",
]

PASSES: tuple[Callable[[PageState], None], ...] = (
    label_lines,
    mark_template_lines,
    find_title,
    mark_repeated_headlines,
    mark_boxed_lists,
    mark_headlines_above_lead,
    cut_after_article_end,
    absorb_stray_headlines,
    keep_cited_sources,
    find_bylines,
    mark_captions,
    find_source,
    find_published,
)


def analyse_page(page: str, template: frozenset[str] = frozenset()) -> PageAnalysis:
    """Split `page` into units, label the clutter, pick the metadata; keep the rest as body.

    `template`: the keys of its site's template lines (`site_template` of several pages of the
    site), when the caller has other pages of the site; they are cut as "template"."""
    state = PageState(page=page, units=split_units(page), template=template)
    for run_pass in PASSES:
        run_pass(state)
    return to_analysis(state)
