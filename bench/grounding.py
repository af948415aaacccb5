"""Grounding speed: `align` and `verify` over the five seeds' reference answers.

Loads each seed page with `summarizer.ingest.load_article` and its reference answer from
`tests/reference/<stem>.json`, runs everything once untimed (regexes compiled, per-article caches
such as the body's fold filled), then times `--repeat` rounds over the seeds in turn (as a batch
would go through articles, so no seed's texts stay in a small cache between its own runs):

* `align(evidence, article)` for every evidence quote of the seed's reference fact sheet;
* `verify(facts, article, summary)` for the seed's reference fact sheet and summary.

Prints one line per seed (best and median ms per verify call, ms per aligned quote) and, last,
the headline figures as key=value pairs (best of the rounds, summed over the seeds):

    python bench/grounding.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from summarizer.align import align
from summarizer.article import Article
from summarizer.ingest import load_article
from summarizer.schemas import FACT_KINDS, ArticleExtraction
from summarizer.verify import verify

ROOT = Path(__file__).resolve().parent.parent


def _ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed rounds over the seeds")
    args = parser.parse_args()

    seeds: list[tuple[str, ArticleExtraction, Article, list[str]]] = []
    for path in sorted((ROOT / "tests" / "reference").glob("*.json")):
        ref = ArticleExtraction.model_validate_json(path.read_text(encoding="utf-8"))
        article = load_article(ROOT / "seeds" / f"{path.stem}.txt")
        quotes = [f.evidence for kind in FACT_KINDS for f in getattr(ref.facts, kind)]
        seeds.append((path.stem, ref, article, quotes))

    def align_all(article: Article, quotes: list[str]) -> None:
        for q in quotes:
            align(q, article)

    # Warm-up, and the results the timed runs reproduce.
    results = {}
    for stem, ref, article, quotes in seeds:
        align_all(article, quotes)
        results[stem] = verify(ref.facts, article, ref.summary)

    verify_ms: dict[str, list[float]] = {stem: [] for stem, *_ in seeds}
    align_ms: dict[str, list[float]] = {stem: [] for stem, *_ in seeds}
    for _ in range(args.repeat):
        for stem, ref, article, quotes in seeds:
            align_ms[stem].append(_ms(functools.partial(align_all, article, quotes)))
            verify_ms[stem].append(_ms(functools.partial(verify, ref.facts, article, ref.summary)))

    for stem, _, _, quotes in seeds:
        v = results[stem]
        print(
            f"{stem}: verify {min(verify_ms[stem]):7.2f} ms"
            f" (median {statistics.median(verify_ms[stem]):7.2f};"
            f" {v.total} facts, {v.summary_checked} summary checks, ok={v.ok})"
            f"  align {min(align_ms[stem]) / max(1, len(quotes)):6.3f} ms/quote"
            f" ({len(quotes)} quotes)"
        )
    n = len(seeds)
    n_quotes = sum(len(quotes) for *_, quotes in seeds)
    verify_total = sum(min(t) for t in verify_ms.values())
    verify_median = sum(statistics.median(t) for t in verify_ms.values())
    align_total = sum(min(t) for t in align_ms.values())
    print(
        f"seeds={n} facts={sum(v.total for v in results.values())} quotes={n_quotes}"
        f" repeat={args.repeat} verify_ms_total={verify_total:.2f}"
        f" verify_ms_total_median={verify_median:.2f}"
        f" verify_ms_per_article={verify_total / max(1, n):.2f}"
        f" align_ms_per_quote={align_total / max(1, n_quotes):.3f}"
        f" all_ok={all(v.ok for v in results.values())}"
    )


if __name__ == "__main__":
    main()
