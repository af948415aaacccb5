"""The static, read-only export: the whole review of a folder as one self-contained HTML file
(`summarizer review OUT --static FILE`), its style and script inline.

Imports the review's store and page, and store.write_atomic."""

from __future__ import annotations

from pathlib import Path

from ..store import write_atomic
from .decisions import _now
from .page import build_page
from .store import ReviewStore

# --------------------------------------------------------------------------------------------
# Static, read-only export


def static_review_html(out_dir: Path) -> str:
    """The whole review of `out_dir` as one self-contained, read-only HTML page."""
    store = ReviewStore(out_dir)
    views = {stem: store.article_view(stem) for stem in store.stems()}
    boot = {**store.boot(), "mode": "static", "views": views, "exported": _now()}
    return build_page(boot, nonce=None)


def write_static_review(out_dir: Path, target: Path) -> Path:
    """Write the read-only review page of `out_dir` to `target` (atomically); returns it."""
    target = Path(target)
    write_atomic(target, static_review_html(out_dir))
    return target
