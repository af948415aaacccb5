"""The review page's corpus view: one page (static/corpus.html, .js, .css, shipped in the
package) and its data, served by the review server at /corpus and /corpus.json."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from .export import corpus_document
from .index import INDEX_NAME, CorpusError, connect, update_index


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text("utf-8")


def corpus_page(nonce: str) -> str:
    """The page, its one style and one script carrying `nonce` (the server sends the matching
    Content-Security-Policy, as for the review page)."""
    page = _asset("corpus.html")
    # Assets are ours, but the substitution goes in one pass so no asset text is re-read as a
    # placeholder.
    parts = {"{nonce}": nonce, "{css}": _asset("corpus.css"), "{js}": _asset("corpus.js")}
    out, i = [], 0
    while i < len(page):
        j = page.find("{", i)
        if j < 0:
            out.append(page[i:])
            break
        key = next((k for k in parts if page.startswith(k, j)), None)
        out.append(page[i:j] + (parts[key] if key else "{"))
        i = j + (len(key) if key else 1)
    return "".join(out)


def corpus_data(out_dir: Path) -> dict[str, Any]:
    """The corpus of `out_dir` (its index brought up to date first), or {"error": ...}."""
    try:
        update_index(out_dir)
        conn = connect(out_dir / INDEX_NAME)
    except (CorpusError, OSError) as exc:
        return {"error": str(exc)}
    try:
        return corpus_document(conn)
    finally:
        conn.close()
