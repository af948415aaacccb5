"""Measure the cleaner on the real-page corpus (tests/pages), split by site.

    python bench/pages.py [--pages DIR] [--half dev|test|all] [--failures] [--show PAGE ...]

Every page of tests/pages/<site>/<nn>.txt is cleaned with `load_article(text)` and its
hand-made line labels (<nn>.labels) are compared with what the cleaner did to each line.
Sites, not pages, are split into a development half and a test half (by a hash of the site
name, so a site never moves when others are added): tune on `dev`, judge on `test`.

A line counts as "in the body" when at least half of its non-space characters are mapped there
by `Article.body_map`. A lead/body line is right when it is in the body; a caption line when it
is out of the body and among `Article.captions` (or removed as a caption, or, when it repeats
the title, as a copy of the title); every other labelled line when it is out of the body. The
title is right when `Article.title` equals the page's title line (NFC, whitespace collapsed);
on a page without a title line, when it is not the text of a
non-article line. A page is fully right when all its lines and its title are right.

Prints a summary per half and a last line of key=value pairs. `--show site/nn` prints every
line of a page with its label, what the cleaner did and whether that was right.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.article import Article  # noqa: E402
from summarizer.errors import ArticleError  # noqa: E402
from summarizer.ingest import load_article  # noqa: E402

PAGES_DIR = ROOT / "tests" / "pages"
LABELS = ("title", "lead", "body", "caption", "credit", "meta", "clutter", "blank")
ARTICLE_LABELS = frozenset({"lead", "body"})
HALVES = ("dev", "test")
FLOOR_NAME = "floor.json"  # figures the cleaner must not fall below (tests/test_pages_corpus.py)
FLOOR_KEYS = ("pages_right", "recall", "precision", "captions", "titles")  # higher is better
_SPACE_RE = re.compile(r"\s+")


def norm(text: str) -> str:
    """NFC, every run of whitespace (no-break spaces included) one space, ends stripped."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def site_half(site: str) -> str:
    """'dev' or 'test': fixed per site, whatever other sites the corpus holds."""
    return HALVES[hashlib.sha256(site.encode("utf-8")).digest()[0] % 2]


@dataclass(frozen=True)
class Page:
    name: str  # "<site>/<nn>"
    site: str
    text: str
    labels: tuple[str, ...]

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


class CorpusError(ValueError):
    """A corpus file is malformed (names the file and the problem)."""


def read_labels(label_path: Path, text: str) -> tuple[str, ...]:
    """The labels of `label_path` for page `text`; `CorpusError` naming the file if they do not
    fit it (one label a line, known labels, `blank` on exactly the empty lines)."""
    if not label_path.is_file():
        raise CorpusError(f"{label_path}: missing")
    labels = tuple(label_path.read_text(encoding="utf-8").splitlines())
    lines = text.split("\n")
    if len(labels) != len(lines):
        raise CorpusError(f"{label_path}: {len(labels)} labels for {len(lines)} lines")
    for number, (label, line) in enumerate(zip(labels, lines, strict=True), 1):
        if label not in LABELS:
            raise CorpusError(f"{label_path}:{number}: unknown label {label!r}")
        if (label == "blank") != (not line.strip()):
            raise CorpusError(f"{label_path}:{number}: 'blank' must label exactly the empty lines")
    return labels


def read_page(txt: Path, root: Path) -> Page:
    """One page and its labels; `CorpusError` naming the file if they do not fit together."""
    text = txt.read_bytes().decode("utf-8")  # bytes: no newline translation, text kept exact
    labels = read_labels(txt.with_suffix(".labels"), text)
    name = txt.relative_to(root).with_suffix("").as_posix()
    return Page(name=name, site=txt.parent.name, text=text, labels=labels)


def load_corpus(root: Path = PAGES_DIR) -> list[Page]:
    return [read_page(txt, root) for txt in sorted(root.glob("*/*.txt"))]


def load_index(root: Path = PAGES_DIR) -> list[dict[str, str]]:
    data: list[dict[str, str]] = json.loads((root / "index.json").read_text(encoding="utf-8"))
    return data


@dataclass
class LineResult:
    number: int
    label: str
    text: str
    in_body: bool
    in_captions: bool
    cleaner: str  # what the cleaner did, for --show
    ok: bool


@dataclass
class PageResult:
    page: Page
    lines: list[LineResult]
    title_expected: str | None
    title_got: str
    title_ok: bool
    error: str | None = None
    scored: list[LineResult] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.scored = [r for r in self.lines if r.label != "blank"]

    @property
    def fully_right(self) -> bool:
        return self.error is None and self.title_ok and all(r.ok for r in self.scored)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _coverage(article: Article, size: int) -> bytearray:
    """1 for every page offset some body character was copied from."""
    covered = bytearray(size)
    for seg in article.body_map.segments:
        covered[seg.page_start : seg.page_end] = b"\x01" * (seg.page_end - seg.page_start)
    return covered


def _share(text: str, start: int, covered: bytearray) -> float:
    idx = [i for i, ch in enumerate(text) if not ch.isspace()]
    if not idx:
        return 0.0
    return sum(covered[start + i] for i in idx) / len(idx)


def _removal_reason(article: Article, start: int, end: int) -> str | None:
    reasons = [r.reason for r in article.removed if r.span.start < end and r.span.end > start]
    return max(set(reasons), key=reasons.count) if reasons else None


def _judge(label: str, in_body: bool, in_captions: bool) -> bool:
    if label in ARTICLE_LABELS:
        return in_body
    if label == "caption":
        return in_captions and not in_body
    return not in_body


def _title_ok(page: Page, got: str) -> tuple[str | None, bool]:
    titles = [line for line, lab in zip(page.lines, page.labels, strict=True) if lab == "title"]
    if titles:
        expected = norm(" ".join(titles))
        return expected, norm(got) == expected
    others = {
        norm(line)
        for line, lab in zip(page.lines, page.labels, strict=True)
        if lab not in ARTICLE_LABELS and lab != "blank"
    }
    return None, norm(got) not in others


def evaluate(page: Page, template: frozenset[str] = frozenset()) -> PageResult:
    """Clean one page (with its site's `template`, if given) and judge every line."""
    try:
        article = load_article(page.text, template=template)
    except ArticleError as exc:
        lines = [
            LineResult(n, lab, line, False, False, "error", _judge(lab, False, False))
            for n, (lab, line) in enumerate(zip(page.labels, page.lines, strict=True), 1)
        ]
        expected, _ = _title_ok(page, "")
        return PageResult(page, lines, expected, "", False, error=str(exc))
    if article.page != page.text:  # the cleaner turned the page into something else (HTML)
        raise CorpusError(f"{page.name}: load_article changed the page text; cannot map lines")
    covered = _coverage(article, len(page.text))
    captions = [norm(c) for c in article.captions if norm(c)]
    lines = []
    for n, ((start, end), lab, line) in enumerate(
        zip(_line_spans(page.text), page.labels, page.lines, strict=True), 1
    ):
        in_body = _share(line, start, covered) >= 0.5
        reason = _removal_reason(article, start, end)
        text = norm(line)
        in_caps = bool(text) and (
            reason == "caption"
            # (a line of a few letters is inside many captions by chance: not matched)
            or any((len(text) > 8 and text in c) or (len(c) > 8 and c in text) for c in captions)
            # A caption that repeats the title under its photo, cut as a copy of the title:
            # accepted, as it says nothing the title does not, and a title printed twice with
            # or without a photo between reads the same in text.
            or (lab == "caption" and reason == "title" and text == norm(article.title))
        )
        cleaner = "body" if in_body else ("caption" if in_caps else f"cut:{reason or '?'}")
        lines.append(
            LineResult(n, lab, line, in_body, in_caps, cleaner, _judge(lab, in_body, in_caps))
        )
    expected, ok = _title_ok(page, article.title)
    return PageResult(page, lines, expected, article.title, ok)


@dataclass
class Summary:
    pages: int = 0
    right: int = 0
    article_lines: int = 0
    article_kept: int = 0
    body_lines: int = 0  # labelled lines the cleaner kept in the body
    body_article: int = 0
    captions: int = 0
    captions_ok: int = 0
    titles_ok: int = 0
    lost_to_captions: int = 0
    errors: int = 0

    def add(self, res: PageResult) -> None:
        self.pages += 1
        self.right += res.fully_right
        self.titles_ok += res.title_ok
        self.errors += res.error is not None
        for r in res.scored:
            article = r.label in ARTICLE_LABELS
            self.article_lines += article
            self.article_kept += article and r.in_body
            self.lost_to_captions += article and not r.in_body and r.in_captions
            self.body_lines += r.in_body
            self.body_article += r.in_body and article
            self.captions += r.label == "caption"
            self.captions_ok += r.label == "caption" and r.ok

    def figures(self) -> dict[str, float | int]:
        def pct(a: int, b: int) -> float:
            return round(100.0 * a / b, 1) if b else 100.0

        return {
            "pages": self.pages,
            "pages_right": self.right,
            "pages_right_pct": pct(self.right, self.pages),
            "recall": pct(self.article_kept, self.article_lines),
            "precision": pct(self.body_article, self.body_lines),
            "clutter_kept": self.body_lines - self.body_article,
            "captions": pct(self.captions_ok, self.captions),
            "titles": pct(self.titles_ok, self.pages),
            "lost_to_captions": self.lost_to_captions,
            "errors": self.errors,
        }


def failure_causes(res: PageResult) -> set[str]:
    """Why a page is not fully right, one word per kind of error."""
    causes = set() if res.title_ok else {"title"}
    if res.error:
        causes.add("error")
    for r in res.scored:
        if r.ok:
            continue
        if r.label in ARTICLE_LABELS:
            causes.add("article_lost")
        elif r.label == "caption":
            causes.add("caption_in_body" if r.in_body else "caption_cut")
        elif r.label == "title":
            causes.add("title_in_body")
        else:
            causes.add(f"{r.label}_in_body")
    return causes


def summarise(results: Iterable[PageResult]) -> dict[str, dict[str, float | int]]:
    sums = {half: Summary() for half in (*HALVES, "all")}
    for res in results:
        sums[site_half(res.page.site)].add(res)
        sums["all"].add(res)
    return {half: s.figures() for half, s in sums.items()}


def show(res: PageResult) -> str:
    out = [f"== {res.page.name} ({site_half(res.page.site)})  fully right: {res.fully_right}"]
    if res.error:
        out.append(f"   error: {res.error}")
    mark = "ok" if res.title_ok else "XX"
    out.append(f"   title {mark}: got {res.title_got!r}, expected {res.title_expected!r}")
    for r in res.lines:
        if r.label == "blank":
            out.append(f"{r.number:4d}")
            continue
        mark = "  " if r.ok else "XX"
        out.append(f"{r.number:4d} {mark} {r.label:8s} {r.cleaner:16s} {r.text[:110]}")
    return "\n".join(out)


def _failure_line(res: PageResult) -> str:
    bad = [f"{r.number}:{r.label}->{r.cleaner}" for r in res.scored if not r.ok]
    title = "" if res.title_ok else f" title={res.title_got[:40]!r}"
    return f"  {res.page.name:40s} {' '.join(bad)[:150]}{title}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=str(PAGES_DIR), help="corpus directory")
    parser.add_argument("--half", choices=(*HALVES, "all"), default="all")
    parser.add_argument("--failures", action="store_true", help="list the pages not fully right")
    parser.add_argument("--show", nargs="+", metavar="PAGE", help="site/nn of pages to show")
    parser.add_argument(
        "--write-floor", action="store_true", help=f"record the figures in {FLOOR_NAME}"
    )
    args = parser.parse_args(argv)
    root = Path(args.pages)
    corpus = load_corpus(root)
    if args.show:
        by_name = {p.name: p for p in corpus}
        for name in args.show:
            key = name.removesuffix(".txt").removesuffix(".labels")
            key = Path(key).relative_to(root).as_posix() if Path(key).is_absolute() else key
            if key not in by_name:
                print(f"no page {name!r} in {root}", file=sys.stderr)
                return 2
            print(show(evaluate(by_name[key])))
        return 0
    pages = [p for p in corpus if args.half == "all" or site_half(p.site) == args.half]
    results = [evaluate(p) for p in pages]
    if args.failures:
        print("pages not fully right:")
        for res in results:
            if not res.fully_right:
                print(_failure_line(res))
    figures = summarise(results)
    causes = {half: Counter[str]() for half in (*HALVES, "all")}
    for res in results:
        for half in (site_half(res.page.site), "all"):
            causes[half].update(failure_causes(res))
    for half in (*HALVES, "all"):
        f = figures[half]
        if not f["pages"]:
            continue
        sites = len({p.site for p in pages if half == "all" or site_half(p.site) == half})
        print(
            f"{half:4s} sites={sites:3d} pages={f['pages']:3d} right={f['pages_right']:3d}"
            f" ({f['pages_right_pct']}%) recall={f['recall']}% precision={f['precision']}%"
            f" clutter_kept={f['clutter_kept']} captions={f['captions']}% titles={f['titles']}%"
            f" lost_to_captions={f['lost_to_captions']} errors={f['errors']}"
        )
        if causes[half]:
            why = " ".join(f"{k}={v}" for k, v in causes[half].most_common())
            print(f"     failing pages by cause: {why}")
    if args.write_floor and args.half == "all":
        floor = {h: {k: figures[h][k] for k in (*FLOOR_KEYS, "lost_to_captions")} for h in HALVES}
        (root / FLOOR_NAME).write_text(json.dumps(floor, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {root / FLOOR_NAME}", file=sys.stderr)
    keys = ("pages", "pages_right", "recall", "precision", "captions", "titles", "lost_to_captions")
    print(" ".join(f"{h}_{k}={figures[h][k]}" for h in HALVES for k in keys if figures[h]["pages"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
