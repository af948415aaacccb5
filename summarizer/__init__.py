"""summarizer: faithful bilingual summaries and checkable fact sheets of Vietnamese news.

    from pathlib import Path
    from summarizer import summarize
    digest = summarize(Path("seeds/001_8949947c50df7356.txt"))   # OPENAI_API_KEY / OPENAI_BASE_URL
    # A str is the article text itself, never a file name: summarize(page_text) is safe for
    # text that comes from users.
    print(digest.summary.summary_en)
    for check in digest.verification.facts: ...

Stages, one module each: ingest/clean → chunking → llm (the only module that talks to the
model) → merge → verify → render.
"""

from __future__ import annotations

from .align import align
from .article import Article, Span
from .chunking import Chunk, chunk
from .digest import Digest
from .errors import (
    AnswerProcessingError,
    ArticleError,
    BudgetExceededError,
    DegenerateOutputError,
    ModelError,
    ModelOutputError,
    RefusalError,
    SummarizerError,
)
from .ingest import load_article
from .llm import Usage
from .pipeline import summarize, summarize_async
from .schemas import FactSheet, Summary
from .verify import Verification, verify
from .vietnamese import Quantity, find_quantities, format_quantity_en, parse_date, parse_quantity

__version__ = "0.1.0"

__all__ = [
    "AnswerProcessingError",
    "Article",
    "ArticleError",
    "BudgetExceededError",
    "Chunk",
    "DegenerateOutputError",
    "Digest",
    "FactSheet",
    "ModelError",
    "ModelOutputError",
    "Quantity",
    "RefusalError",
    "Span",
    "SummarizerError",
    "Summary",
    "Usage",
    "Verification",
    "align",
    "chunk",
    "find_quantities",
    "format_quantity_en",
    "load_article",
    "parse_date",
    "parse_quantity",
    "summarize",
    "summarize_async",
    "verify",
]
