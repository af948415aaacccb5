"""Tokens sent and received per article, against the reference server at default settings.

Runs `summarize` (default chunk budget, model gpt-4o-mini) over the throughput workload (numbered
variants of the five seeds, `summarizer.testing.numbered_variant`) against an in-process reference
server, then reads every request the server received:

- input tokens per article (the server's usage: o200k_base over schema, system and user text);
- the fixed prefix of each request kind: system prompt + response schema, counted with o200k_base
  (`summarizer.tokens`); the largest is `fixed_prefix_tokens`;
- cacheable share: the part of all input that is such a byte-stable prefix, and the part the
  reference server's cache model (OpenAI's: a prefix of ≥ 1,024 tokens seen before, in blocks of
  128) reported as cached;
- output tokens per fact, requests per article, cost per article at list and batch prices
  (`summarizer.pricing`; batch prices halve every token, cached ones too).

    python bench/tokens.py [--articles 100] [--max-chunk-tokens 2500]

The last line holds the headline figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from openai import AsyncOpenAI

from summarizer.chunking import DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP_TOKENS
from summarizer.digest import Digest
from summarizer.pipeline import gather_limited, summarize_async
from summarizer.pricing import PRICES, batch_prices, estimate_cost
from summarizer.schemas import FACT_KINDS
from summarizer.testing import ReferenceServer, numbered_variant
from summarizer.tokens import count_tokens

ROOT = Path(__file__).resolve().parent.parent
MODEL = "gpt-4o-mini"
KINDS = {"ArticleExtraction": "extract_article", "ChunkExtraction": "extract_chunk",
         "Summary": "reduce"}  # fmt: skip


def variants(count: int) -> list[str]:
    """The throughput workload's pages: the seeds in turn, each with a numbered title."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    return [
        numbered_variant(seeds[i % len(seeds)].read_text(encoding="utf-8"), i + 1)
        for i in range(count)
    ]


@functools.cache
def _prefix_tokens(system: str, schema_json: str) -> int:
    return count_tokens(system, MODEL) + count_tokens(schema_json, MODEL)


def fixed_prefix(request: dict[str, Any]) -> tuple[str, int]:
    """The request's kind and the tokens of its byte-stable prefix (system + schema)."""
    name = request["response_format"]["json_schema"]["name"]
    system = "".join(m["content"] for m in request["messages"] if m["role"] == "system")
    # The response_format as JSON with ASCII escapes, the larger of the two spellings (the
    # issue's 4,455-token figure was counted this way).
    schema_json = json.dumps(request["response_format"])
    return KINDS.get(name, name), _prefix_tokens(system, schema_json)


async def run(pages: list[str], base_url: str, **options: Any) -> list[Digest]:
    client = AsyncOpenAI(base_url=base_url, api_key="sk-bench-not-a-key")
    jobs = [
        functools.partial(summarize_async, page.encode(), model=MODEL, client=client, **options)
        for page in pages
    ]
    return await gather_limited(jobs, 8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--max-chunk-tokens", type=int, default=DEFAULT_MAX_TOKENS)
    args = parser.parse_args()
    # The default overlap, scaled down with a smaller chunk (as chunk() requires it smaller).
    overlap = min(DEFAULT_OVERLAP_TOKENS, args.max_chunk_tokens // 5)

    pages = variants(args.articles)
    with ReferenceServer.from_dir(ROOT / "tests" / "reference") as server:
        digests = asyncio.run(
            run(
                pages,
                server.base_url,
                max_chunk_tokens=args.max_chunk_tokens,
                overlap_tokens=overlap,
            )
        )
        requests = list(server.requests)

    n = len(digests)
    usage = [d.usage for d in digests]
    sent = sum(u.input_tokens for u in usage)
    cached = sum(u.cached_tokens for u in usage)
    out = sum(u.output_tokens for u in usage)
    calls = sum(u.calls for u in usage)
    facts = sum(len(getattr(d.facts, k)) for d in digests for k in FACT_KINDS)
    verified = sum(c.status == "verified" for d in digests for c in d.verification.facts)
    prefixes: dict[str, int] = {}
    per_kind: Counter[str] = Counter()
    prefix_sent = 0
    for request in requests:
        kind, tokens = fixed_prefix(request)
        prefixes[kind] = max(prefixes.get(kind, 0), tokens)
        per_kind[kind] += 1
        prefix_sent += tokens
    list_cost = estimate_cost(MODEL, sent, cached, out) or 0.0
    batch_cost = estimate_cost(MODEL, sent, cached, out, batch_prices(PRICES)) or 0.0
    largest = max(prefixes.values())
    body = statistics.mean(count_tokens(d.article.body, MODEL) for d in digests)

    print(f"articles: {n} ({args.articles} seed variants), {calls} requests, {facts} facts")
    print(f"verified facts: {verified}/{facts}")
    print("requests by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(per_kind.items())))
    print(
        "fixed prefix (system + schema, o200k_base): "
        + ", ".join(f"{k} {v}" for k, v in sorted(prefixes.items()))
    )
    print(f"input tokens per article: {sent / n:.0f} (cleaned body: {body:.0f})")
    print(
        f"cacheable share of input (fixed prefixes): {prefix_sent / sent:.1%};"
        f" reported cached by the reference server: {cached / sent:.1%}"
    )
    print(f"output tokens per fact: {out / facts:.1f}; per article: {out / n:.0f}")
    print(f"requests per article: {calls / n:.2f}")
    print(
        f"cost per article ({MODEL}, prices of {PRICES[MODEL]}): list ${list_cost / n:.6f},"
        f" batch ${batch_cost / n:.6f}"
    )
    print(
        f"articles={n} max_chunk_tokens={args.max_chunk_tokens} requests={calls}"
        f" fixed_prefix_tokens={largest} "
        + " ".join(f"prefix_{k}={v}" for k, v in sorted(prefixes.items()))
        + f" input_tokens_per_article={sent / n:.0f} body_tokens_per_article={body:.0f}"
        f" cacheable_share={prefix_sent / sent:.3f} cached_share={cached / sent:.3f}"
        f" output_tokens_per_fact={out / facts:.2f} requests_per_article={calls / n:.2f}"
        f" cost_per_article_usd={list_cost / n:.6f} batch_cost_per_article_usd={batch_cost / n:.6f}"
    )
    if verified != facts:
        sys.exit(1)


if __name__ == "__main__":
    main()
