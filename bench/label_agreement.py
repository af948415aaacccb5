"""How far two annotators of the real-page corpus agree, and what that means for the cleaner.

    python bench/label_agreement.py [--second DIR] [--first DIR] [--pages DIR] [--show]

`tests/pages/<site>/<nn>.labels` is the first annotation. `bench/data/relabel/second/` and
`bench/data/relabel/third/` hold two more, `<site>/<nn>.labels`, for the same random sample of
60 pages of the corpus (30 from each half), each made blind: by an annotator who saw the page
text and the label table of tests/pages/README.md only, never the other labels or what the
cleaner does with the page. `--second` picks the annotation to compare (default: second);
`--first DIR` compares it with another one of the sample instead of the corpus's labels.

Two annotations agree on a line when they put it in the same class of the bench's judge:
article (`lead`/`body`: kept in the body), `caption` (listed among the captions), `title` (the
title text), or out (`credit`, `meta`, `clutter`: kept out of the body). They agree on a page
when they agree on every line. Pages where two careful readers disagree are pages no cleaner
can be "fully right" on for both: the share of pages on which they agree is a ceiling for the
bench's "pages fully right" figure.

Also prints the cleaner's pages fully right on the sample judged by each annotation, and by
"either" (a line is right if it is right under one of the two annotations, the title if it is
right under one of them). Last line: key=value pairs.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402
    HALVES,
    PAGES_DIR,
    Page,
    evaluate,
    load_corpus,
    read_labels,
    site_half,
)

SECOND_DIR = ROOT / "bench" / "data" / "relabel" / "second"
CLASS = {
    "lead": "article",
    "body": "article",
    "caption": "caption",
    "title": "title",
    "credit": "out",
    "meta": "out",
    "clutter": "out",
}


def second_annotation(first: Page, second_dir: Path) -> Page:
    """`first` with the second annotator's labels; `CorpusError` if they do not fit the text."""
    site, nn = first.name.split("/")
    return replace(first, labels=read_labels(second_dir / site / f"{nn}.labels", first.text))


def line_classes(page: Page) -> list[str]:
    return [CLASS.get(label, "blank") for label in page.labels]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--second", default=str(SECOND_DIR), help="the second annotation")
    parser.add_argument("--first", help="compare with this annotation, not the corpus's labels")
    parser.add_argument("--pages", default=str(PAGES_DIR), help="corpus directory")
    parser.add_argument("--show", action="store_true", help="print the lines they disagree on")
    args = parser.parse_args(argv)
    second_dir = Path(args.second)
    sampled = {p.parent.name + "/" + p.stem for p in second_dir.glob("*/*.labels")}
    firsts = [p for p in load_corpus(Path(args.pages)) if p.name in sampled]
    if args.first:
        firsts = [second_annotation(p, Path(args.first)) for p in firsts]
    if not firsts:
        print(f"no second labels in {second_dir}", file=sys.stderr)
        return 2
    confusion: Counter[tuple[str, str]] = Counter()
    stats = {h: Counter[str]() for h in (*HALVES, "all")}
    for first in firsts:
        second = second_annotation(first, second_dir)
        pairs = [
            (a, b)
            for a, b in zip(line_classes(first), line_classes(second), strict=True)
            if a != "blank"
        ]
        confusion.update(pairs)
        agree = all(a == b for a, b in pairs)
        r1, r2 = evaluate(first), evaluate(second)
        either = (r1.title_ok or r2.title_ok) and all(
            x.ok or y.ok for x, y in zip(r1.scored, r2.scored, strict=True)
        )
        for half in (site_half(first.site), "all"):
            s = stats[half]
            s["pages"] += 1
            s["agree"] += agree
            s["lines"] += len(pairs)
            s["lines_agree"] += sum(a == b for a, b in pairs)
            s["right_first"] += r1.fully_right
            s["right_second"] += r2.fully_right
            s["right_either"] += either
        if args.show and not agree:
            lines = first.lines
            print(f"== {first.name} ({site_half(first.site)})")
            for n, (a, b) in enumerate(zip(first.labels, second.labels, strict=True), 1):
                if CLASS.get(a) != CLASS.get(b):
                    print(f"  {n:3d} {a:8s} {b:8s} {lines[n - 1][:100]}")
    for half in (*HALVES, "all"):
        s = stats[half]
        if not s["pages"]:
            continue
        print(
            f"{half:4s} pages={s['pages']} annotators_agree={s['agree']}"
            f" ({100 * s['agree'] / s['pages']:.1f}%) lines_agree="
            f"{100 * s['lines_agree'] / s['lines']:.1f}% cleaner_right: first={s['right_first']}"
            f" second={s['right_second']} either={s['right_either']}"
        )
    print("line classes, first annotation -> second (disagreements):")
    for (a, b), n in confusion.most_common():
        if a != b:
            print(f"  {a:8s} -> {b:8s} {n}")
    s = stats["all"]
    print(
        f"pages={s['pages']} agree={s['agree']} agree_pct={100 * s['agree'] / s['pages']:.1f}"
        f" lines_agree_pct={100 * s['lines_agree'] / s['lines']:.1f}"
        f" cleaner_right_first={s['right_first']} cleaner_right_second={s['right_second']}"
        f" cleaner_right_either={s['right_either']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
