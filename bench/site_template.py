"""What a site's other pages are worth to the cleaner: tests/pages cleaned with and without its
site's template (`summarizer.clean.site_template`).

    python bench/site_template.py [--siblings DIR] [--min-pages 2,3] [--failures]

A user's folder often holds many pages of one site; a line printed on several of them is the
site's menu, header or footer. `bench/data/siblings/<site>/<k>.txt` holds, for corpus sites
where the `pages` search found them, up to three other pages of the same site, unlabelled, as
the crawler returned them (their URLs in `bench/data/siblings/index.json`). For every corpus
page whose site has at least one such page, the template is built from the page itself, the
site's other corpus pages and its sibling pages, and the page is cleaned with it; the figures
are those of `bench/pages.py`, for these pages only, per half, before and after. The last line
is key=value pairs for the default `--min-pages`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import HALVES, Page, evaluate, load_corpus, summarise  # noqa: E402
from summarizer.clean import site_template  # noqa: E402
from summarizer.clean.template import MIN_PAGES  # noqa: E402

SIBLINGS_DIR = ROOT / "bench" / "data" / "siblings"
KEYS = ("pages", "pages_right", "recall", "precision", "clutter_kept", "captions", "titles")


def load_siblings(root: Path = SIBLINGS_DIR) -> dict[str, list[str]]:
    """Sibling page texts by site, as listed in the directory's index.json."""
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    out: dict[str, list[str]] = defaultdict(list)
    for entry in index:
        out[entry["site"]].append((root / entry["file"]).read_bytes().decode("utf-8"))
    return dict(out)


def site_pages(corpus: Sequence[Page], siblings: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every page text of each site that has siblings: its corpus pages, then its siblings."""
    out: dict[str, list[str]] = {site: [] for site in siblings}
    for page in corpus:
        if page.site in out:
            out[page.site].append(page.text)
    for site, texts in siblings.items():
        out[site] += texts
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--siblings", default=str(SIBLINGS_DIR), help="sibling pages directory")
    ap.add_argument("--min-pages", default=f"2,{MIN_PAGES}", help="template thresholds to try")
    ap.add_argument("--failures", action="store_true", help="list pages the template changed")
    args = ap.parse_args(argv)
    corpus = load_corpus()
    siblings = load_siblings(Path(args.siblings))
    texts = site_pages(corpus, siblings)
    pages = [p for p in corpus if p.site in texts]
    print(
        f"sites with sibling pages: {len(siblings)} ({sum(map(len, siblings.values()))} pages);"
        f" corpus pages on those sites: {len(pages)}"
    )
    before = [evaluate(p) for p in pages]
    figures = {"before": summarise(before)}
    last: dict[str, object] = {}
    for min_pages in (int(n) for n in args.min_pages.split(",")):
        templates = {site: site_template(t, min_pages) for site, t in texts.items()}
        after = [evaluate(p, templates[p.site]) for p in pages]
        figures[f"min_pages={min_pages}"] = summarise(after)
        if args.failures:
            for b, a in zip(before, after, strict=True):
                if b.fully_right != a.fully_right:
                    change = f"{b.fully_right} -> {a.fully_right}"
                    print(f"  min_pages={min_pages} {a.page.name}: {change}")
        if min_pages == MIN_PAGES:
            chosen = figures[f"min_pages={min_pages}"]
            last = {f"{h}_{k}": chosen[h][k] for h in HALVES for k in KEYS}
            last |= {f"{h}_right_before": figures["before"][h]["pages_right"] for h in HALVES}
    for name, by_half in figures.items():
        for half in HALVES:
            f = by_half[half]
            print(f"{half:4s} {name:12s} " + " ".join(f"{k}={f[k]}" for k in KEYS))
    print(" ".join(f"{k}={v}" for k, v in last.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
