"""The real-page corpus (tests/pages) is well formed, and bench/pages.py measures it.

No quality thresholds here beyond a floor: `tests/pages/floor.json` holds the figures measured
when it was last written (`python bench/pages.py --write-floor`); the cleaner must not fall
below them. Raise the floor after an improvement; never lower it to hide a regression.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "pages"


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench" / "pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


@pytest.fixture(scope="module")
def corpus() -> list:  # type: ignore[type-arg]
    return bench.load_corpus(PAGES)


def test_corpus_size_and_labels(corpus: list) -> None:  # type: ignore[type-arg]
    # load_corpus itself checks every page: labels file present, one label per line, every
    # label known, 'blank' on exactly the empty lines (CorpusError otherwise).
    assert len(corpus) >= 80
    assert len({p.site for p in corpus}) >= 40
    for page in corpus:
        assert any(lab in bench.ARTICLE_LABELS for lab in page.labels), page.name
        assert page.text.encode("utf-8") == (PAGES / f"{page.name}.txt").read_bytes()


def test_index_matches_files(corpus: list) -> None:  # type: ignore[type-arg]
    index = bench.load_index(PAGES)
    by_page = {e["page"]: e for e in index}
    assert len(by_page) == len(index), "a page is listed twice in index.json"
    assert set(by_page) == {p.name for p in corpus}
    assert len({e["url"] for e in index}) == len(index), "the same URL is stored twice"
    for page in corpus:
        entry = by_page[page.name]
        assert entry["site"] == page.site
        assert entry["url"].startswith(("http://", "https://"))
        assert entry["collected"] == "2026-12-02"


def test_split_by_site(corpus: list) -> None:  # type: ignore[type-arg]
    halves: dict[str, set[str]] = {h: set() for h in bench.HALVES}
    for page in corpus:
        halves[bench.site_half(page.site)].add(page.site)
    assert halves["dev"] and halves["test"]
    assert not halves["dev"] & halves["test"]
    # the half depends on the site name alone, so adding sites never moves an existing one
    assert bench.site_half("baoquocte.vn") == bench.site_half("baoquocte.vn")


@pytest.mark.parametrize(
    ("labels", "problem"),
    [
        ("title\nbody\n", "2 labels for 3 lines"),
        ("title\nblank\nheadline\n", "unknown label 'headline'"),
        ("title\nbody\nbody\n", "'blank' must label exactly the empty lines"),
    ],
)
def test_malformed_labels_are_refused(tmp_path: Path, labels: str, problem: str) -> None:
    site = tmp_path / "example.vn"
    site.mkdir()
    (site / "01.txt").write_text("Tiêu đề\n\nSáng 1/1, đoàn công tác đến thăm tỉnh.", "utf-8")
    (site / "01.labels").write_text(labels, "utf-8")
    with pytest.raises(bench.CorpusError, match=problem):
        bench.load_corpus(tmp_path)


def test_evaluate_judges_lines() -> None:
    text = (
        "Thứ hai, 14/06/2021\n\nĐoàn công tác tỉnh thăm Lào\n\n"
        "Sáng 6/6, đoàn công tác của tỉnh đã đến thăm và làm việc tại tỉnh bạn. "
        "Hai bên đã trao đổi nhiều nội dung hợp tác trong thời gian tới.\n\n"
        "Tin cùng chuyên mục"
    )
    labels = ("meta", "blank", "title", "blank", "lead", "blank", "clutter")
    res = bench.evaluate(bench.Page("x.vn/01", "x.vn", text, labels))
    by_label = {r.label: r for r in res.scored}
    assert by_label["lead"].in_body and by_label["lead"].ok
    assert not by_label["meta"].in_body
    assert res.title_got == "Đoàn công tác tỉnh thăm Lào" and res.title_ok
    # relabel the lead as clutter: the same cleaner output must now be judged wrong
    relabelled = (*labels[:4], "clutter", *labels[5:])
    wrong = bench.evaluate(bench.Page("x.vn/01", "x.vn", text, relabelled))
    assert not wrong.fully_right


def test_bench_runs_on_a_subset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = bench.load_corpus(PAGES)
    picked = {}
    for page in corpus:  # one page from a site of each half
        picked.setdefault(bench.site_half(page.site), page)
    for page in picked.values():
        dest = tmp_path / page.site
        dest.mkdir()
        for suffix in (".txt", ".labels"):
            shutil.copy(PAGES / f"{page.name}{suffix}", dest / f"{page.name.split('/')[1]}{suffix}")
    assert bench.main(["--pages", str(tmp_path), "--failures"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    pairs = dict(item.split("=") for item in last.split())
    assert pairs["dev_pages"] == "1" and pairs["test_pages"] == "1"
    assert {"test_pages_right", "test_recall", "dev_recall", "test_titles"} <= set(pairs)
    name = next(iter(picked.values())).name
    assert bench.main(["--pages", str(tmp_path), "--show", name]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"== {name}") and "title" in shown


def test_no_worse_than_the_floor(corpus: list) -> None:  # type: ignore[type-arg]
    floor = json.loads((PAGES / bench.FLOOR_NAME).read_text(encoding="utf-8"))
    figures = bench.summarise(bench.evaluate(p) for p in corpus)
    for half in bench.HALVES:
        for key in bench.FLOOR_KEYS:
            assert figures[half][key] >= floor[half][key], (half, key, figures[half][key])
        assert figures[half]["lost_to_captions"] <= floor[half]["lost_to_captions"]


def test_readme_lists_every_page_with_its_url() -> None:
    # The README's table is the corpus's provenance: every page, its half and its URL.
    rows = {}
    text = (PAGES / "README.md").read_text(encoding="utf-8")
    for line in text.partition("\n## Pages\n")[2].splitlines():
        if line.startswith("| `"):
            page, half, url = (c.strip().strip("`") for c in line.strip("|").split("|"))
            rows[page] = (half, url)
    index = bench.load_index(PAGES)
    assert rows == {e["page"]: (bench.site_half(e["site"]), e["url"]) for e in index}


def test_label_agreement_reads_the_blind_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sys.path.insert(0, str(ROOT))
    from bench import label_agreement

    assert label_agreement.main([]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = dict(item.split("=") for item in last.split())
    assert figures["pages"] == "60"  # every sampled page has its second labels, fitting its text
    assert 0 < int(figures["agree"]) < 60
    # An annotation compared with itself agrees everywhere.
    second = str(label_agreement.SECOND_DIR)
    assert label_agreement.main(["--second", second, "--first", second]) == 0
    assert "agree=60 agree_pct=100.0" in capsys.readouterr().out
    # A labels file that does not fit its page is refused, naming the file.
    bad = tmp_path / "vov.vn"
    bad.mkdir()
    (bad / "01.labels").write_text("title\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"01\.labels: 1 labels for"):  # CorpusError
        label_agreement.main(["--second", str(tmp_path)])
