"""Grounding speed: `align` and `verify` over the five seeds' reference answers.

Loads each seed page with `summarizer.ingest.load_article` and its reference answer from
`tests/reference/<stem>.json`, runs everything once untimed (regexes compiled, per-article caches
such as the body's fold filled), then times `--repeat` rounds over the seeds in turn (as a batch
would go through articles, so no seed's texts stay in a small cache between its own runs):

* `align(evidence, article)` for every evidence quote of the seed's reference fact sheet;
* `verify(facts, article, summary)` for the seed's reference fact sheet and summary.

Then times hostile answers once each (verify + render_markdown, seconds): 3,000 people; five
figures whose quotes have 20,000 words; a summary stating 10,000 numbers and 10,000 dates
against an article of 2,000 of each; 3,000 quotes that are nowhere, against a page of 3,000
captioned images.

Prints one line per seed (best and median ms per verify call, ms per aligned quote), one per
hostile answer and, last, the headline figures as key=value pairs (best of the rounds, summed
over the seeds):

    python bench/grounding.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from summarizer.align import align
from summarizer.article import Article
from summarizer.digest import Digest, RunInfo
from summarizer.ingest import load_article
from summarizer.llm import Usage
from summarizer.render import render_markdown
from summarizer.schemas import FACT_KINDS, ArticleExtraction, FactSheet, Person, Summary
from summarizer.verify import verify

ROOT = Path(__file__).resolve().parent.parent


def _ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _grounded_s(facts: FactSheet, article: Article, summary: Summary | None = None) -> float:
    t0 = time.perf_counter()
    v = verify(facts, article, summary)
    render_markdown(
        Digest(
            article=article,
            summary=summary,
            facts=facts,
            verification=v,
            usage=Usage(),
            run=RunInfo(model="bench", prompt_version="bench", chunks=1),
        )
    )
    return time.perf_counter() - t0


def hostile(ref: ArticleExtraction, article: Article) -> dict[str, float]:
    """Seconds to verify and render each hostile answer (see the module doc)."""
    rng = random.Random(10)
    words = article.body.split()
    none = FactSheet(people=[], organizations=[], places=[], figures=[], events=[], statements=[])
    out: dict[str, float] = {}
    quotes = [p.evidence for p in ref.facts.people] or [article.body[:80]]
    people = [
        Person(name=f"Người {i}", role_vi=None, role_en="Minister", organization=None,
               evidence=rng.choice(quotes))
        for i in range(3000)
    ]  # fmt: skip
    out["people_3000_s"] = _grounded_s(none.model_copy(update={"people": people}), article)
    long_quote = " ".join(rng.choice(words) for _ in range(20_000))
    figures = [f.model_copy(update={"evidence": long_quote}) for f in ref.facts.figures[:5]]
    out["quotes_20000_words_s"] = _grounded_s(none.model_copy(update={"figures": figures}), article)

    def numbers(n: int) -> str:
        return " ".join(
            f"{rng.randint(1, 999)},{rng.randint(1, 9)} tỷ USD ngày {rng.randint(1, 28)}/"
            f"{rng.randint(1, 12)}/{rng.randint(1990, 2030)},"
            for _ in range(n)
        )

    numeric = load_article("Bài báo nhiều con số\n\n" + numbers(2000) + "\n")
    summary = Summary(headline_vi="x", headline_en="x", summary_vi=numbers(10_000), summary_en="x",
                      key_points_vi=[], key_points_en=[])  # fmt: skip
    out["summary_10000_numbers_s"] = _grounded_s(none, numeric, summary)
    lines = ["Bài báo nhiều ảnh"]
    for i in range(3000):
        lines.append(f"Đoạn {i} của bài báo nói về kinh tế và xã hội của tỉnh trong năm nay.")
        lines.append(f"![](https://cdn.example.vn/{i}.jpg) | Ảnh {i}: đại biểu dự hội nghị.")
    pictures = load_article("\n\n".join(lines) + "\n")
    nowhere = [p.model_copy(update={"evidence": f"câu không có ở đâu số {i}"}) for i, p in
               enumerate(people)]  # fmt: skip
    out["captions_3000_quotes_3000_s"] = _grounded_s(
        none.model_copy(update={"people": nowhere}), pictures
    )
    return out


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
    hostile_s = hostile(seeds[0][1], seeds[0][2])
    for name, seconds in hostile_s.items():
        print(f"hostile {name.removesuffix('_s')}: {seconds:.2f} s (verify + render)")
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
        f" all_ok={all(v.ok for v in results.values())} "
        + " ".join(f"hostile_{k}={v:.2f}" for k, v in hostile_s.items())
    )


if __name__ == "__main__":
    main()
