"""Human review of a batch's fact sheets: a local review page, decisions on disk, export.

    summarizer review OUT_DIR [--port P] [--open]     serve the review page on 127.0.0.1
    summarizer review OUT_DIR --static report.html    one self-contained, read-only HTML file
    summarizer export OUT_DIR                         OUT_DIR/reviewed.json and reviewed.csv

Decisions live beside the digests, one file per article: `OUT_DIR/<stem>.review.json` beside
`OUT_DIR/<stem>.json`, where the stem is the input file's full name (`x.txt.review.json` for
`x.txt`; folders from before that scheme, `x.review.json` beside `x.json`, are read the same
way), written atomically on every change. They are keyed by the stable `fact_id`, so re-running
the batch keeps them: a fact that comes back with the same id keeps its decision; if its content
changed (a field outside its identity, e.g. a person's role) the decision is kept but marked
*stale* until the reviewer decides again; a decision whose fact_id is no longer in the sheet is
kept in the file and shown as *orphaned* (never silently dropped; the reviewer may discard it).

The server is the standard library's ThreadingHTTPServer bound to 127.0.0.1. Article text is
untrusted (scraped from the web): the page builds its DOM with textContent only, JSON in the page
and in API answers escapes `<`, `>`, `&`, U+2028 and U+2029, and a Content-Security-Policy allows
only the page's own script and style. Every request must carry `Host: 127.0.0.1:PORT` or
`localhost:PORT` (which also stops DNS rebinding); every write must come from that origin and
carry the per-session token embedded in the page; article ids are looked up among the digests
listed in OUT_DIR, never joined into a path.

Modules: `decisions` (the decisions file, rows, corrections), `view` (what the page shows, pure
functions), `store` (one folder's digests and decisions), `server`
(the HTTP server, also serving the corpus view), `page` (the HTML page from `static/`),
`static_export` and `export`. The package may import the stages below it (article, schemas,
digest, render, align, verify, store) and, from the server only, the corpus view.
"""

from __future__ import annotations

from .decisions import CORRECTABLE, Decision, ReviewError, ReviewFile
from .export import EXPORT_COLUMNS, export_reviewed
from .server import ReviewServer, serve_review
from .static_export import static_review_html, write_static_review
from .store import ReviewStore

__all__ = [
    "CORRECTABLE",
    "EXPORT_COLUMNS",
    "Decision",
    "ReviewError",
    "ReviewFile",
    "ReviewServer",
    "ReviewStore",
    "export_reviewed",
    "serve_review",
    "static_review_html",
    "write_static_review",
]
