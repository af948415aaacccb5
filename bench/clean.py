"""Time load + clean + chunk (`load_article` then `chunk`) on the seed pages.

    python bench/clean.py [--repeat N] [SEED_DIR]

Prints one line per seed (best-of-N milliseconds, page size, share of clutter removed) and a
last line of key=value pairs, e.g. `seeds=5 total_ms=12.3 max_ms=4.1 repeat=20`, where
total_ms is the best time of one full pass over all seeds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.chunking import chunk  # noqa: E402
from summarizer.ingest import load_article  # noqa: E402
from summarizer.tokens import get_encoding  # noqa: E402


def _pass(path: Path) -> None:
    chunk(load_article(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed_dir", nargs="?", default=str(ROOT / "seeds"))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    paths = sorted(Path(args.seed_dir).glob("*.txt"))
    if not paths:
        print(f"no seeds in {args.seed_dir}", file=sys.stderr)
        return 1
    get_encoding()  # the tokenizer is loaded once per process, outside the timing
    for path in paths:  # warm up imports and regex caches
        _pass(path)
    best = {p: float("inf") for p in paths}
    best_pass = float("inf")
    for _ in range(max(args.repeat, 1)):
        pass_start = time.perf_counter()
        for path in paths:
            t0 = time.perf_counter()
            _pass(path)
            best[path] = min(best[path], time.perf_counter() - t0)
        best_pass = min(best_pass, time.perf_counter() - pass_start)
    for path in paths:
        article = load_article(path)
        page_chars = len(article.page)
        removed = sum(r.span.end - r.span.start for r in article.removed)
        text_chars = sum(1 for c in article.page if not c.isspace())
        removed_nonspace = sum(1 for r in article.removed for c in r.text if not c.isspace())
        share = 100.0 * removed_nonspace / text_chars if text_chars else 0.0
        print(
            f"{path.name:28s} {best[path] * 1000:7.2f} ms  page={page_chars:6d} chars"
            f"  body={len(article.body):6d} chars  removed={removed:6d} chars ({share:4.1f}%)"
        )
    slowest = max(best.values())
    print(
        f"seeds={len(paths)} total_ms={best_pass * 1000:.2f} max_ms={slowest * 1000:.2f}"
        f" repeat={args.repeat}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
