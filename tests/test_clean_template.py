"""A site's template (clean/template.py): lines several pages of one site share are cut."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from summarizer.clean import analyse_page, site_template
from summarizer.ingest import load_article

# Menu items and a footer in words no rule knows.
ROOT = Path(__file__).resolve().parent.parent
MENU = ["Đất và người", "Chuyện làng quê", "Lượt xem: 1250"]
FOOTER = "Bản tin của Ban biên tập xã"
LEADS = [
    "Sáng 12/3, Chủ tịch UBND tỉnh đã tiếp Đại sứ và đoàn doanh nghiệp đến tìm hiểu cơ hội đầu "
    "tư tại tỉnh, hai bên trao đổi về hợp tác kinh tế, thương mại và giáo dục.",
    "Chiều 14/3, Sở Ngoại vụ tỉnh tổ chức hội nghị triển khai công tác đối ngoại năm 2024 với "
    "sự tham dự của lãnh đạo các sở, ngành và địa phương trong tỉnh.",
    "Ngày 20/3, đoàn công tác của tỉnh đã làm việc với Tổng Lãnh sự quán về việc thúc đẩy hợp "
    "tác lao động, du lịch và giao lưu nhân dân giữa hai địa phương.",
]
TITLES = [
    "Lãnh đạo tỉnh tiếp Đại sứ và đoàn doanh nghiệp",
    "Triển khai công tác đối ngoại năm 2024",
    "Thúc đẩy hợp tác lao động và du lịch",
]


def page(n: int, views: str = "1250", extra_tail: tuple[str, ...] = ()) -> str:
    menu = [*MENU[:-1], f"Lượt xem: {views}"]
    lines = [*menu, TITLES[n], LEADS[n], "Bình luận của bạn", *extra_tail, FOOTER]
    return "\n\n".join(lines) + "\n"


def test_lines_on_three_pages_are_the_template_digits_masked() -> None:
    template = site_template([page(0, "1250"), page(1, "3"), page(2, "77")])
    assert "head|đất và người" in template
    assert "head|lượt xem: 0" in template  # counters differ only by their digits
    assert f"tail|{FOOTER.casefold()}" in template
    assert not any(title.casefold() in key for title in TITLES for key in template)
    assert not any("sáng 0/0" in key for key in template)  # running text is never template


def test_two_pages_are_not_enough_at_the_default_threshold() -> None:
    assert site_template([page(0), page(1)]) == frozenset()
    assert "head|đất và người" in site_template([page(0), page(1)], min_pages=2)


def test_template_lines_are_cut_and_named_the_article_kept() -> None:
    template = site_template([page(0), page(1), page(2)])
    alone = load_article(page(0))
    with_site = load_article(page(0), template=template)
    cut = {r.text for r in with_site.removed if r.reason == "template"}
    # The rules cut these lines too, by their shape; the template names them for what they are.
    assert {r.reason for r in alone.removed if r.text == "Đất và người"} == {"navigation"}
    assert {"Đất và người", "Chuyện làng quê", FOOTER} <= cut
    assert with_site.title == TITLES[0]
    assert LEADS[0] in with_site.body
    assert FOOTER not in with_site.body
    assert with_site.body.startswith(LEADS[0][:40])


def test_a_line_right_above_running_text_is_never_template() -> None:
    # A journal prints "TÓM TẮT:" over every paper's abstract: a sub-heading, not a menu.
    tail = ("TÓM TẮT:", LEADS[1].replace("Chiều 14/3", "Bài viết phân tích"))
    pages = [page(n, extra_tail=tail) for n in range(3)]
    template = site_template(pages)
    assert "tail|tóm tắt:" in template
    analysis = analyse_page(pages[0], template)
    kept = [pages[0][p.start : p.end] for p in analysis.paragraphs]
    assert "TÓM TẮT:" in kept


def test_a_headline_in_other_pages_lists_stays_this_pages_title() -> None:
    # Page 0's headline is printed below the article of three other pages ("Đọc nhiều").
    listing = ("Đọc nhiều", TITLES[0])
    others = [page(n, extra_tail=listing) for n in (1, 2, 1)]
    template = site_template([page(0), *others])
    assert f"tail|{TITLES[0].casefold()}" in template
    assert f"head|{TITLES[0].casefold()}" not in template
    article = load_article(page(0), template=template)
    assert article.title == TITLES[0]
    assert TITLES[0] not in load_article(others[0], template=template).body


def test_the_site_template_bench_runs_on_the_sibling_pages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Sibling pages of corpus sites: the template does not lower the pages fully right."""
    sys.path.insert(0, str(ROOT))
    from bench import site_template as bench

    assert bench.main(["--min-pages", "3"]) == 0
    figures = dict(item.split("=") for item in capsys.readouterr().out.splitlines()[-1].split())
    for half in ("dev", "test"):
        assert int(figures[f"{half}_pages"]) >= 50
        assert int(figures[f"{half}_pages_right"]) >= int(figures[f"{half}_right_before"])
