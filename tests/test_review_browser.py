"""The review page in a real browser: headless Chromium (Debian's `chromium` package) driven by
Playwright, over the seeds' batch output (replayed from the recorded cassettes, no network).

Skipped, with the reason, where /usr/bin/chromium or the playwright package is missing. Set
SUMMARIZER_UPDATE_SCREENSHOT=1 to copy the screenshot to docs/review.png.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.review import ReviewServer, ReviewStore, write_static_review

from .conftest import CASSETTES, ROOT, SEEDS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1600, "height": 1000}


def _unavailable(reason: str) -> None:
    """Elsewhere a missing browser skips these tests; in CI (which installs it) it fails them."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason, allow_module_level=True)


if not CHROMIUM.exists():
    _unavailable(
        f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests"
    )
try:
    from playwright import sync_api
except ImportError as exc:  # not installed, or broken
    _unavailable(f"the playwright package cannot be imported ({exc}): pip install playwright")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The batch output over seeds/, answered by the recorded reference cassettes."""
    from openai import AsyncOpenAI, DefaultAsyncHttpxClient

    from summarizer.batch import run_batch
    from summarizer.cassettes import STABLE_HOST, ReplayTransport

    out = tmp_path_factory.mktemp("out", numbered=False)
    transport = ReplayTransport(sorted((CASSETTES / "reference" / "seeds").glob("*.yaml")))
    client = AsyncOpenAI(
        base_url=STABLE_HOST + "/v1",
        api_key="replay",
        http_client=DefaultAsyncHttpxClient(transport=transport),
    )
    # In a thread of its own: Playwright's sync API keeps an event loop running on this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        report = pool.submit(asyncio.run, run_batch(SEEDS, out, client=client)).result()
    assert not report.failed, report.failed
    return out


class Watch:
    """Console errors, page errors, dialogs and requests of one page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []

        def on_console(m: Any) -> None:
            if m.type == "error":
                self.errors.append(m.text)

        page.on("console", on_console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

        def on_dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)


def marks_of(page: Any, n: int) -> Any:
    """For fact `n`: its highlights' classes and whether the first is scrolled into view."""
    return page.evaluate(
        """(n) => {
            const marks = [...document.querySelectorAll('#page .hl')]
                .filter((m) => m.dataset.f.split(' ').includes(String(n)));
            const box = document.getElementById('page-body').getBoundingClientRect();
            const r = marks.length ? marks[0].getBoundingClientRect() : null;
            return {
                classes: marks.map((m) => m.className),
                visible: !!r && r.top >= box.top && r.bottom <= box.bottom,
            };
        }""",
        n,
    )


def test_review_page_in_a_browser(browser: Any, seeds_out: Path, tmp_path: Path) -> None:
    with ReviewServer(seeds_out) as server:
        page = browser.new_page(viewport=VIEWPORT)
        watch = Watch(page)
        page.goto(server.url)
        page.wait_for_selector("#facts .fact")
        assert page.locator("#articles .art").count() == 5
        assert page.locator("#articles .art.active").count() == 1
        first_stem = page.locator("#articles .art.active").get_attribute("data-stem")
        # Open the second article from the list.
        page.locator("#articles .art").nth(1).click()
        page.wait_for_function(
            "(first) => document.querySelector('#articles .art.active').dataset.stem !== first",
            arg=first_stem,
        )
        stem = page.locator("#articles .art.active").get_attribute("data-stem")
        assert stem and stem != first_stem
        page.wait_for_selector(f"#facts .fact[data-n='{10}']")

        # Click a fact far down the sheet: its quote is scrolled into view and flashes.
        card = page.locator(".fact[data-n='40']")
        card.locator(".vi").click()
        assert "sel" in (card.get_attribute("class") or "")
        state = marks_of(page, 40)
        assert state["classes"], "fact 40 has no highlight"
        assert all("current" in c for c in state["classes"])
        assert any("flash" in c for c in state["classes"])
        assert state["visible"]

        # Click a highlight of another fact: its card is selected and scrolled to.
        page.locator("#page-body").evaluate("(b) => { b.scrollTop = 0; }")
        mark = page.locator("#page .hl").first
        facts_of_mark = [int(x) for x in (mark.get_attribute("data-f") or "").split()]
        mark.click()
        selected = page.locator(".fact.sel")
        assert int(selected.get_attribute("data-n") or -1) in facts_of_mark
        assert selected.is_visible()

        # Accept one fact with the mouse, reject another with the keyboard (j, then r).
        accepted = page.locator(".fact[data-n='3']")
        accepted_id = accepted.get_attribute("data-id")
        accepted.locator("button.accept").click()
        page.wait_for_selector(".fact[data-n='3'].dec-accepted")
        page.locator(".fact[data-n='5'] .vi").click()
        page.keyboard.press("j")
        assert page.locator(".fact.sel").get_attribute("data-n") == "6"
        rejected_id = page.locator(".fact[data-n='6']").get_attribute("data-id")
        page.keyboard.press("r")
        page.wait_for_selector(".fact[data-n='6'].dec-rejected")
        # After r the next fact is selected.
        page.wait_for_selector(".fact[data-n='7'].sel")

        # Correct a fact's translation: e opens the form, Ctrl+Enter saves.
        page.keyboard.press("e")
        english = page.locator(".fact[data-n='7'] form.edit input[name$='_en']")
        field = english.first if english.count() else page.locator("form.edit input").first
        field.fill(field.input_value() + " (corrected)")
        page.locator(".fact[data-n='7'] form.edit textarea").fill("fixed by the reviewer")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector(".fact[data-n='7'].dec-corrected .corrected")
        corrected_id = page.locator(".fact[data-n='7']").get_attribute("data-id")

        saved = json.loads((seeds_out / f"{stem}.review.json").read_text("utf-8"))
        assert saved["decisions"][accepted_id]["decision"] == "accepted"
        assert saved["decisions"][rejected_id]["decision"] == "rejected"
        assert saved["decisions"][corrected_id]["decision"] == "corrected"
        assert saved["decisions"][corrected_id]["note"] == "fixed by the reviewer"

        # Help opens with ? and closes with Esc.
        page.keyboard.press("?")
        assert page.locator("#help").is_visible()
        page.keyboard.press("Escape")
        assert not page.locator("#help").is_visible()

        # Reload: the same article opens, and the decisions are shown.
        page.reload()
        page.wait_for_selector(f".fact[data-id='{accepted_id}'].dec-accepted")
        assert page.locator(f".fact[data-id='{rejected_id}']").get_attribute("class")
        assert "dec-rejected" in (
            page.locator(f".fact[data-id='{rejected_id}']").get_attribute("class") or ""
        )
        assert page.locator(f".fact[data-id='{corrected_id}'] .corrected").count() == 1
        active = page.locator("#articles .art.active")
        assert active.get_attribute("data-stem") == stem
        assert "3/" in (active.locator(".meta").inner_text())

        # The screenshot: a fact with its quote shown, a few decisions made.
        page.locator(".fact[data-n='8'] .vi").click()
        page.wait_for_timeout(1400)  # let the flash fade for a calm picture
        shot = tmp_path / "review.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        if os.environ.get("SUMMARIZER_UPDATE_SCREENSHOT") == "1":
            docs = ROOT / "docs"
            docs.mkdir(exist_ok=True)
            shutil.copyfile(shot, docs / "review.png")

        assert watch.errors == [] and watch.dialogs == []
        page.close()


def test_untrusted_article_text_renders_as_text(browser: Any, tmp_path: Path) -> None:
    from .test_review import EVIL_PAGE, XSS, make_digest, write_digest

    out = tmp_path / "evil"
    out.mkdir()
    digest = make_digest(EVIL_PAGE)
    write_digest(out, "evil", digest)
    ReviewStore(out).decide(
        "evil", digest.verification.facts[0].fact_id, "accepted", note=f"</script>{XSS}"
    )
    with ReviewServer(out) as server:
        page = browser.new_page(viewport=VIEWPORT)
        watch = Watch(page)
        page.goto(server.url)
        page.wait_for_selector("#facts .fact")
        # Waits for the text itself (not a moment): rendered on a loaded machine too.
        expect = sync_api.expect
        expect(page.locator("#page")).to_contain_text(XSS)
        expect(page.locator("#art-head h1")).to_contain_text(XSS)
        expect(page.locator(".fact .note").first).to_contain_text(f"</script>{XSS}")
        page.wait_for_timeout(200)  # a grace for a script that would run late (none may)
        assert page.locator("#page script, #page img, #facts script, #facts img").count() == 0
        assert watch.dialogs == []
        assert all(u.startswith(server.url) for u in watch.requests), watch.requests
        assert watch.errors == []
        page.close()


def test_static_export_works_offline_and_read_only(
    browser: Any, seeds_out: Path, tmp_path: Path
) -> None:
    report = write_static_review(seeds_out, tmp_path / "report.html")
    page = browser.new_page(viewport=VIEWPORT)
    watch = Watch(page)
    page.goto(report.as_uri())
    page.wait_for_selector("#facts .fact")
    assert page.locator("#articles .art").count() == 5
    assert "read-only" in page.locator("#mode").inner_text()
    assert page.locator(".fact button.accept:visible").count() == 0
    page.locator(".fact[data-n='2'] .vi").click()
    assert any("current" in c for c in marks_of(page, 2)["classes"])
    before = page.locator(".fact.dec-accepted").count()
    page.keyboard.press("a")  # no effect in a read-only page
    # Keys are handled in order: once "?" has opened the help, "a" has been handled.
    page.keyboard.press("?")
    page.wait_for_selector("#help", state="visible")
    page.keyboard.press("Escape")
    assert page.locator(".fact.dec-accepted").count() == before
    # Nothing but the file itself was loaded (the CSP would block anything else, and say so).
    assert watch.requests == [report.as_uri()]
    assert watch.errors == []
    page.close()
