"""The review page's corpus view in headless Chromium, over the seeds' batch output (the
browser is the review page's browser-test fixture, the batch output the corpus tests')."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from summarizer.review import ReviewServer

from .test_corpus import make_digest, person, seeds_batch, write  # noqa: F401
from .test_review_browser import VIEWPORT, Watch, browser  # noqa: F401

XSS = '<img src=x onerror="alert(1)">'


def test_corpus_view_links_appearances_to_their_evidence(
    browser: Any,  # noqa: F811
    seeds_batch: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    shutil.copytree(seeds_batch, out, ignore=shutil.ignore_patterns("*.review.json"))
    page_text = (
        f"Tin địa phương\n\nÔng Lê Văn {XSS} Tâm phát biểu tại hội nghị tỉnh Nghệ An. Hội nghị "
        "bàn về công tác y tế, phòng chống dịch bệnh và chăm sóc sức khỏe người dân năm 2024.\n"
    )
    s1 = page_text.split("\n\n")[1].split(". ")[0] + "."
    write(out, "evil", make_digest(page_text, "2024-01-02", {
        "people": [person(f"Lê Văn {XSS} Tâm", f"Giám đốc {XSS}", "Sở Y tế", s1)]}))  # fmt: skip
    with ReviewServer(out) as server:
        page = browser.new_page(viewport=VIEWPORT)
        watch = Watch(page)
        # The review page's header links to the corpus view.
        page.goto(server.url)
        page.locator("a#corpus-link").click()
        page.wait_for_url(server.url + "corpus")
        page.wait_for_selector(".person")
        son = page.locator(".person[data-name='Bùi Thanh Sơn']")
        assert son.count() == 1
        assert son.locator(".appearance").count() == 3
        assert son.locator(".role-change").inner_text() == (
            "Thứ trưởng Thường trực → Bộ trưởng Bộ Ngoại giao"
        )
        # Untrusted text is text: the name shows as written, and no element came of it.
        evil = page.locator(".person h2", has_text="Tâm")
        assert XSS in evil.inner_text()
        assert page.locator("main img, main script").count() == 0

        # Filtering without diacritics.
        page.fill("#filter", "do trong hung")
        assert page.locator(".person:visible").count() == 1
        page.fill("#filter", "")

        # Events: the one told by two articles is shown, with its reasons.
        page.locator(".tab[data-tab='events']").click()
        group = page.locator(".event:visible")
        assert group.count() == 1
        assert group.locator(".told").count() == 2
        assert "2023-02-21" in group.locator("h2").inner_text()
        assert "9 day(s) after" in group.locator(".reasons").inner_text()

        # An appearance opens its article in the review page, its quote highlighted.
        page.locator(".tab[data-tab='people']").click()
        link = son.locator("a.open").nth(1)
        stem, fid = link.get_attribute("data-article"), link.get_attribute("data-fact")
        link.click()
        page.wait_for_selector(f".fact.sel[data-id='{fid}']")
        assert page.locator("#articles .art.active").get_attribute("data-stem") == stem
        marks = page.locator("#page .hl.current")
        assert marks.count() >= 1
        assert "Bùi Thanh Sơn" in " ".join(marks.all_inner_texts())
        assert watch.errors == [] and watch.dialogs == []
        assert all(u.startswith(server.url) for u in watch.requests), watch.requests
        page.close()
