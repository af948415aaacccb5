"""The review page: one HTML document with inline CSS and JavaScript, no build step, no network.

The page, its style and its script are files in `static/` (review.html, review.css, review.js),
shipped in the package and read with importlib.resources. The page gets all its data from one
JSON block (`<script type="application/json">`), escaped by `script_json` so that nothing in the
data can close the block, and builds every element with `createElement` / `textContent` (never
`innerHTML`): scraped article text can hold `<script>` and must show as text. The server sends it
under a nonce-based Content-Security-Policy; the static export carries a CSP meta tag with the
hashes of its one style and one script.

Imports only the standard library.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from importlib import resources
from string import Template
from typing import Any

__all__ = ["build_page", "script_json"]


def script_json(data: Any) -> str:
    """JSON that is safe inside an HTML <script> element and in a JSON response: `<`, `>`, `&`,
    U+2028 and U+2029 are written as \\u escapes (JSON.parse reads them back unchanged)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@functools.cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text("utf-8")


CORPUS_LINK = (
    '<a class="btn" id="corpus-link" href="/corpus"'
    ' title="The people and events of every article in this folder">Corpus</a>\n  '
)
"""The header's link to the corpus view (summarizer.corpus.view), served at /corpus."""


def build_page(boot: dict[str, Any], *, nonce: str | None, corpus_link: bool = False) -> str:
    """The page with `boot` as its data. With a nonce (served): style and script carry it, and
    the server sends the matching CSP header. Without (static file): a CSP meta tag allows
    exactly this style and script by hash, and nothing may be fetched. `corpus_link`: the
    header links to the corpus view (only where a server answers /corpus)."""
    # The style and script open on a new line inside their elements (the CSP hashes cover it).
    css = "\n" + _asset("review.css")
    js = "\n" + _asset("review.js")
    if nonce is not None:
        attr = f' nonce="{nonce}"'
        meta = ""
    else:
        attr = ""
        meta = (
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            f"script-src 'sha256-{_sha256(js)}'; style-src 'sha256-{_sha256(css)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'\">\n"
        )
    # Template substitutes in one pass: nothing in the data is read again as a placeholder.
    return Template(_asset("review.html")).substitute(
        meta=meta,
        attr=attr,
        css=css,
        js=js,
        data=script_json(boot),
        corpus=CORPUS_LINK if corpus_link else "",
    )
