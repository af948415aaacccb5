# ruff: noqa: E501  (the embedded CSS and JavaScript keep their own line lengths)
"""The review page: one HTML document with inline CSS and JavaScript, no build step, no network.

The page gets all its data from one JSON block (`<script type="application/json">`), escaped by
`script_json` so that nothing in the data can close the block, and builds every element with
`createElement` / `textContent` (never `innerHTML`): scraped article text can hold `<script>` and
must show as text. The server sends it under a nonce-based Content-Security-Policy; the static
export carries a CSP meta tag with the hashes of its one style and one script.
"""

from __future__ import annotations

import base64
import hashlib
import json
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


def build_page(boot: dict[str, Any], *, nonce: str | None) -> str:
    """The page with `boot` as its data. With a nonce (served): style and script carry it, and
    the server sends the matching CSP header. Without (static file): a CSP meta tag allows
    exactly this style and script by hash, and nothing may be fetched."""
    if nonce is not None:
        attr = f' nonce="{nonce}"'
        meta = ""
    else:
        attr = ""
        meta = (
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            f"script-src 'sha256-{_sha256(_JS)}'; style-src 'sha256-{_sha256(_CSS)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'\">\n"
        )
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        + meta
        + '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'
        "<title>Fact review</title>\n"
        f"<style{attr}>{_CSS}</style>\n"
        "</head>\n<body>\n"
        + _BODY
        + f'<script type="application/json" id="review-data">{script_json(boot)}</script>\n'
        f"<script{attr}>{_JS}</script>\n"
        "</body>\n</html>\n"
    )


_BODY = """\
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true">✓</span> Fact review
    <span class="folder" id="folder"></span></div>
  <div class="mode" id="mode"></div>
  <div class="spacer"></div>
  <div class="overall" id="overall"></div>
  <div class="saved" id="saved" aria-live="polite"></div>
  <button type="button" class="btn help-btn" id="help-btn" title="Keyboard shortcuts (?)">?</button>
</header>
<div id="app">
  <nav id="list" aria-label="Articles">
    <div class="list-head">Articles</div>
    <ul id="articles"></ul>
  </nav>
  <main class="pane" id="page-pane" aria-label="Original page">
    <div class="pane-head">
      <div class="pane-title">Original page</div>
      <div class="legend">
        <span class="lg hl st-verified">verified</span>
        <span class="lg hl st-value_mismatch">value mismatch</span>
        <span class="lg hl st-outside_body">outside body</span>
        <span class="lg clutter">removed by the cleaner</span>
        <span class="lg unc">figure not extracted</span>
      </div>
    </div>
    <div class="pane-body" id="page-body"><div id="page" lang="vi"></div></div>
  </main>
  <section class="pane" id="facts-pane" aria-label="Fact sheet">
    <div class="pane-head" id="art-head"></div>
    <div class="pane-body" id="facts-body"><div id="facts"></div></div>
  </section>
</div>
<div id="help" class="overlay" hidden>
  <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title">
    <h2 id="help-title">Keyboard shortcuts</h2>
    <table>
      <tr><td><kbd>j</kbd> / <kbd>k</kbd></td><td>next / previous fact (shows its quote)</td></tr>
      <tr><td><kbd>a</kbd></td><td>accept the fact as extracted, go to the next</td></tr>
      <tr><td><kbd>r</kbd></td><td>reject the fact, go to the next</td></tr>
      <tr><td><kbd>e</kbd></td><td>correct the fact (value, translation…)</td></tr>
      <tr><td><kbd>n</kbd></td><td>add or edit a note</td></tr>
      <tr><td><kbd>u</kbd></td><td>clear the decision</td></tr>
      <tr><td><kbd>Enter</kbd></td><td>show the quote in the page again</td></tr>
      <tr><td><kbd>f</kbd></td><td>cycle the filter (all, to review, not verified, decided)</td></tr>
      <tr><td><kbd>J</kbd> / <kbd>K</kbd></td><td>next / previous article</td></tr>
      <tr><td><kbd>Ctrl</kbd>+<kbd>Enter</kbd></td><td>save the correction or note</td></tr>
      <tr><td><kbd>Esc</kbd></td><td>cancel editing, close this help</td></tr>
      <tr><td><kbd>?</kbd></td><td>this help</td></tr>
    </table>
    <p class="muted">Click a fact to see its quote in the page; click a highlight to see its
      fact. Every decision is saved at once.</p>
    <div class="dialog-actions"><button type="button" class="btn" id="help-close">Close
      <kbd>Esc</kbd></button></div>
  </div>
</div>
<div id="toast" role="status" aria-live="polite"></div>
"""

_CSS = """
:root {
  --bg: #f3f4f6; --panel: #fff; --ink: #1f2328; --muted: #656d76; --line: #d8dee4;
  --soft: #eef1f4; --accent: #0969da; --accent-bg: #ddf4ff;
  --ok: #1a7f37; --ok-bg: #dafbe1; --ok-hl: rgba(46, 160, 67, .16);
  --bad: #cf222e; --bad-bg: #ffebe9;
  --warn: #9a6700; --warn-bg: #fff8c5; --warn-hl: rgba(212, 167, 44, .28);
  --out: #8250df; --out-bg: #fbefff; --out-hl: rgba(130, 80, 223, .16);
  --corr: #0969da; --corr-bg: #ddf4ff;
}
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body {
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--bg); display: flex; flex-direction: column;
  overflow: hidden;
}
[hidden] { display: none !important; }
kbd {
  font: 11px/1 ui-monospace, "DejaVu Sans Mono", monospace; padding: 2px 5px;
  border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px;
  background: #f6f8fa; color: var(--muted);
}
.muted { color: var(--muted); }
.small { font-size: 12px; }
.spacer { flex: 1; }

header.top {
  flex: none; display: flex; align-items: center; gap: 16px; padding: 0 16px; height: 46px;
  background: #1f2933; color: #e6edf3;
}
.brand { font-weight: 650; font-size: 15px; display: flex; align-items: center; gap: 8px; }
.logo {
  display: inline-grid; place-items: center; width: 22px; height: 22px; border-radius: 6px;
  background: #2da44e; color: #fff; font-size: 13px;
}
.folder { font-weight: 400; color: #9aa6b2; font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 12.5px; }
.mode { font-size: 12px; background: #9a6700; color: #fff; border-radius: 999px; padding: 2px 10px; }
.mode:empty { display: none; }
.overall { color: #c9d1d9; font-size: 13px; }
.overall b { color: #fff; }
.overall .failed-count { color: #ff8182; }
.saved { font-size: 12px; color: #8ddb8c; min-width: 90px; text-align: right; }
.saved.err { color: #ff8182; }
.help-btn { background: transparent; border-color: #57606a; color: #e6edf3; font-weight: 700;
  width: 26px; height: 26px; padding: 0; justify-content: center; border-radius: 50%; }
.help-btn:hover { background: #2d3a46; }

#app {
  flex: 1; min-height: 0; display: grid;
  grid-template-columns: 250px minmax(0, 1fr) minmax(0, 1.05fr);
}
nav#list { overflow: auto; background: var(--panel); border-right: 1px solid var(--line); }
.list-head, .pane-head {
  position: sticky; top: 0; z-index: 4; background: rgba(255, 255, 255, .97);
  border-bottom: 1px solid var(--line);
}
.list-head {
  padding: 10px 14px; font-size: 12px; font-weight: 650; text-transform: uppercase;
  letter-spacing: .06em; color: var(--muted);
}
#articles { list-style: none; margin: 0; padding: 0; }
.art { padding: 10px 14px 11px; border-bottom: 1px solid var(--soft); cursor: pointer; }
.art:hover { background: #f6f8fa; }
.art:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.art.active { background: var(--accent-bg); box-shadow: inset 3px 0 var(--accent); }
.art .t {
  font-weight: 600; font-size: 13px; line-height: 1.35; display: -webkit-box;
  -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;
}
.art .meta { display: flex; justify-content: space-between; gap: 8px; margin: 5px 0 4px;
  font-size: 11.5px; color: var(--muted); }
.art .rate.good { color: var(--ok); font-weight: 600; }
.art .rate.poor { color: var(--warn); font-weight: 600; }
.art.failed { cursor: default; opacity: .8; }
.art.failed .meta { color: var(--bad); }
.art .chips { display: flex; gap: 4px; flex-wrap: wrap; margin-top: 5px; }
.bar { height: 6px; border-radius: 3px; background: var(--soft); display: flex; overflow: hidden; }
.bar > span { display: block; height: 100%; }
.bar .a { background: var(--ok); } .bar .c { background: var(--corr); }
.bar .r { background: var(--bad); } .bar .s { background: #d4a72c; }

.pane { display: flex; flex-direction: column; min-height: 0; min-width: 0; }
.pane-head { position: static; flex: none; padding: 10px 18px; }
.pane-body { flex: 1; overflow: auto; min-height: 0; }
#page-pane { border-right: 1px solid var(--line); background: var(--panel); }
.pane-title { font-size: 12px; font-weight: 650; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 12px; margin-top: 6px; font-size: 12px; }
.legend .lg { padding: 0 4px; cursor: default; }

#page {
  white-space: pre-wrap; overflow-wrap: anywhere; padding: 18px 26px 45vh;
  font: 15.5px/1.75 "Noto Serif", "DejaVu Serif", Georgia, serif; max-width: 80ch;
}
.hl { border-radius: 3px; cursor: pointer; transition: background-color .15s; }
.hl.st-verified, .lg.st-verified { background: var(--ok-hl); box-shadow: inset 0 -2px rgba(26, 127, 55, .45); }
.hl.st-value_mismatch, .lg.st-value_mismatch { background: var(--warn-hl); box-shadow: inset 0 -2px var(--warn); }
.hl.st-implausible_value, .lg.st-implausible_value { background: var(--bad-bg); box-shadow: inset 0 -2px var(--bad); }
.hl.st-outside_body, .lg.st-outside_body { background: var(--out-hl); box-shadow: inset 0 -2px var(--out); }
#page .hl.multi { background-image: linear-gradient(rgba(0, 0, 0, .06), rgba(0, 0, 0, .06)); }
#page .hl:hover { filter: brightness(.93); }
#page .hl.done { box-shadow: inset 0 -2px var(--ok); }
#page .hl.rej { background: #eaeef2; box-shadow: inset 0 -2px #8c959f; color: #57606a; }
#page .hl.current { background: #ffe58f; box-shadow: inset 0 -2px #bf8700, 0 0 0 1px #e3b341; }
.clutter { color: #8c959f; }
#page .clutter { font-size: 13.5px; }
.unc, .lg.unc { text-decoration: underline wavy #d4a72c; text-underline-offset: 3px; }
@keyframes flash {
  0% { background-color: #ffd33d; box-shadow: 0 0 0 6px rgba(255, 211, 61, .75); }
  100% { box-shadow: 0 0 0 0 rgba(255, 211, 61, 0); }
}
#page .flash { animation: flash 1.3s ease-out; }
@keyframes pulse { 0% { box-shadow: 0 0 0 4px rgba(9, 105, 218, .45); } 100% { box-shadow: 0 0 0 2px var(--accent); } }
.fact.pulse { animation: pulse .8s ease-out; }
@media (prefers-reduced-motion: reduce) { #page .flash, .fact.pulse { animation-duration: .01s; } }

#facts-pane { background: var(--bg); }
#art-head h1 { font-size: 17px; line-height: 1.3; margin: 0 0 3px; }
#art-head .meta { font-size: 12px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 12px; }
.stats { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 6px; align-items: center; }
.progress { display: flex; align-items: center; gap: 10px; font-size: 12.5px; color: var(--muted); }
.progress .bar { flex: 0 0 180px; height: 8px; border-radius: 4px; }
.progress b { color: var(--ink); }
.filters { display: flex; gap: 6px; margin-top: 8px; }
.chip {
  display: inline-flex; align-items: center; gap: 4px; font-size: 11.5px; font-weight: 600;
  padding: 1px 8px; border-radius: 999px; background: var(--soft); color: var(--muted);
  white-space: nowrap;
}
.chip.good { background: var(--ok-bg); color: var(--ok); }
.chip.bad { background: var(--bad-bg); color: var(--bad); }
.chip.warn { background: var(--warn-bg); color: var(--warn); }
.chip.orphan { background: #f6e8ff; color: var(--out); }
button.chip { border: 1px solid transparent; cursor: pointer; font-family: inherit; padding: 3px 10px; }
button.chip[aria-pressed="true"] { background: var(--ink); color: #fff; }
button.chip .n { opacity: .75; font-weight: 500; }

.pill { display: inline-block; font-size: 11px; font-weight: 650; padding: 1px 8px;
  border-radius: 999px; white-space: nowrap; }
.pill.st-verified { background: var(--ok-bg); color: var(--ok); }
.pill.st-evidence_not_found { background: var(--bad-bg); color: var(--bad); }
.pill.st-value_mismatch { background: var(--warn-bg); color: var(--warn); }
.pill.st-implausible_value { background: var(--bad-bg); color: var(--bad); }
.pill.st-outside_body { background: var(--out-bg); color: var(--out); }

#facts { padding: 4px 0 45vh; }
.card, .fact {
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  margin: 10px 16px;
}
.notice { margin: 10px 16px; padding: 8px 12px; border-radius: 8px; font-size: 13px; }
.notice.bad { background: var(--bad-bg); color: var(--bad); }
.notice.warn { background: var(--warn-bg); color: var(--warn); }
details.summary > summary {
  cursor: pointer; padding: 9px 14px; display: flex; align-items: center; gap: 10px;
  list-style: none; border-bottom: 1px solid transparent;
}
details.summary[open] > summary { border-bottom-color: var(--soft); }
details.summary > summary::before { content: "▸"; color: var(--muted); }
details.summary[open] > summary::before { content: "▾"; }
details.summary .h { font-weight: 650; }
.sum-grid { display: grid; grid-template-columns: 1fr 1fr; }
.sum-col { padding: 10px 14px 12px; font-size: 13.5px; }
.sum-col + .sum-col { border-left: 1px solid var(--soft); }
.sum-col h3 { font-size: 14px; margin: 2px 0 6px; line-height: 1.35; }
.sum-col p { margin: 0 0 6px; }
.sum-col ul { margin: 0; padding-left: 18px; }
.lang-tag { font-size: 10.5px; font-weight: 700; letter-spacing: .08em; text-transform: uppercase;
  color: var(--muted); margin-bottom: 4px; }
.num { border-radius: 3px; padding: 0 2px; font-weight: 600; }
.num.ok { background: var(--ok-bg); color: #116329; }
.num.bad { background: var(--bad-bg); color: var(--bad); text-decoration: underline wavy var(--bad); }
.num.link { cursor: pointer; }

.group-head {
  position: sticky; top: 0; z-index: 3; margin: 0; padding: 8px 18px;
  background: #eef0f3;
  font-size: 12.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em;
  display: flex; align-items: center; gap: 8px; border-bottom: 1px solid var(--line);
}
.group-head .count { background: var(--soft); border: 1px solid var(--line); border-radius: 999px;
  padding: 0 7px; font-size: 11px; color: var(--muted); }
.group-head .gprog { margin-left: auto; font-weight: 500; text-transform: none; letter-spacing: 0;
  color: var(--muted); }
.fact {
  padding: 10px 14px 10px 13px; border-left: 4px solid var(--st, var(--line)); cursor: pointer;
  scroll-margin: 48px 0 24px;
}
.fact.st-verified { --st: #4ac26b; }
.fact.st-evidence_not_found { --st: var(--bad); }
.fact.st-value_mismatch { --st: #d4a72c; }
.fact.st-implausible_value { --st: var(--bad); }
.fact.st-outside_body { --st: var(--out); }
.fact:hover { border-color: #afb8c1; border-left-color: var(--st); }
.fact.sel { box-shadow: 0 0 0 2px var(--accent); border-color: var(--accent); border-left-color: var(--st); }
.fact-top { display: flex; align-items: center; gap: 6px; margin-bottom: 4px; flex-wrap: wrap; }
.tag { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; }
.decision { font-size: 11.5px; font-weight: 700; border-radius: 4px; padding: 1px 7px; }
.decision.d-accepted { background: var(--ok); color: #fff; }
.decision.d-rejected { background: var(--bad); color: #fff; }
.decision.d-corrected { background: var(--corr); color: #fff; }
.decision.d-stale { background: #d4a72c; color: #fff; }
.fact .vi { font-weight: 600; font-size: 14px; }
.fact .en { color: #424a53; font-size: 13.5px; }
.fact.dec-rejected:not(.stale) .lines { text-decoration: line-through; text-decoration-color: rgba(207, 34, 46, .6); color: var(--muted); }
.fact.dec-rejected:not(.stale) .lines .vi, .fact.dec-rejected:not(.stale) .lines .en { color: var(--muted); }
.lines.superseded { text-decoration: line-through; color: var(--muted); }
.lines.superseded .vi, .lines.superseded .en { color: var(--muted); font-weight: 500; }
.corrected { margin-top: 6px; padding: 6px 10px; background: var(--corr-bg); border-radius: 6px; }
.corr-head { font-size: 11.5px; font-weight: 700; color: var(--corr); display: flex; gap: 8px; align-items: center; }
blockquote.ev {
  margin: 7px 0 0; padding: 3px 10px; border-left: 3px solid var(--soft); color: #57606a;
  font: italic 13px/1.5 "Noto Serif", "DejaVu Serif", Georgia, serif;
}
.problems, .notes { margin: 6px 0 0; padding-left: 18px; font-size: 12.5px; }
.problems { color: var(--bad); }
.notes { color: var(--muted); }
.note { margin-top: 6px; padding: 5px 9px; background: #fff8c5; border-radius: 6px; font-size: 13px;
  white-space: pre-wrap; }
.actions { display: flex; gap: 6px; margin-top: 8px; flex-wrap: wrap; }
body.static .actions { display: none; }
.btn {
  display: inline-flex; align-items: center; gap: 6px; font: 500 12.5px/1.2 inherit;
  font-family: inherit; color: var(--ink); background: #f6f8fa; border: 1px solid var(--line);
  border-radius: 6px; padding: 4px 10px; cursor: pointer;
}
.btn:hover { background: #eef1f4; }
.btn kbd { padding: 1px 4px; font-size: 10px; }
.btn.accept[aria-pressed="true"] { background: var(--ok); border-color: var(--ok); color: #fff; }
.btn.reject[aria-pressed="true"] { background: var(--bad); border-color: var(--bad); color: #fff; }
.btn.correct[aria-pressed="true"] { background: var(--corr); border-color: var(--corr); color: #fff; }
.btn[aria-pressed="true"] kbd { background: rgba(255, 255, 255, .2); color: #fff; border-color: rgba(255, 255, 255, .4); }
.btn.primary { background: #1f883d; border-color: #1a7f37; color: #fff; }
.btn.primary kbd { background: rgba(255, 255, 255, .2); color: #fff; border-color: rgba(255, 255, 255, .4); }
.btn.ghost { background: transparent; border-color: transparent; color: var(--muted); }
form.edit { margin-top: 10px; padding: 10px; background: #f6f8fa; border: 1px solid var(--line);
  border-radius: 8px; cursor: default; }
.edit-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 12px; }
form.edit label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; font-weight: 600; }
form.edit input, form.edit select, form.edit textarea {
  font: 13px/1.4 inherit; font-family: inherit; padding: 5px 7px; border: 1px solid var(--line);
  border-radius: 6px; background: #fff; color: var(--ink); width: 100%;
}
form.edit input:focus, form.edit textarea:focus, form.edit select:focus {
  outline: 2px solid var(--accent); outline-offset: -1px; }
form.edit .orig { font-weight: 400; color: var(--muted); overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.note-label { margin-top: 8px; }
.edit-help { font-size: 12px; color: var(--muted); margin-top: 6px; }
.form-error { color: var(--bad); font-size: 12.5px; margin-top: 4px; }
.form-error:empty { display: none; }
.orphans .group-head { color: var(--out); }
.fact.orphan { --st: var(--out); cursor: default; }
.empty { margin: 30px 16px; color: var(--muted); text-align: center; }

.overlay { position: fixed; inset: 0; background: rgba(31, 35, 40, .45); display: grid;
  place-items: center; z-index: 20; }
.dialog { background: #fff; border-radius: 12px; padding: 18px 22px; width: min(520px, 92vw);
  box-shadow: 0 12px 40px rgba(0, 0, 0, .25); }
.dialog h2 { margin: 0 0 10px; font-size: 16px; }
.dialog table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
.dialog td { padding: 5px 6px; border-bottom: 1px solid var(--soft); }
.dialog td:first-child { white-space: nowrap; width: 1%; padding-right: 14px; }
.dialog-actions { text-align: right; margin-top: 8px; }
#toast { position: fixed; right: 18px; bottom: 18px; z-index: 30; background: #1f2933; color: #fff;
  padding: 8px 14px; border-radius: 8px; font-size: 13px; opacity: 0; transform: translateY(8px);
  transition: opacity .2s, transform .2s; pointer-events: none; max-width: 480px; }
#toast.show { opacity: 1; transform: none; }
#toast.error { background: var(--bad); }

@media (max-width: 1100px) {
  #app { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  nav#list { display: none; }
}
@media (max-width: 760px) {
  body { overflow: auto; }
  #app { display: block; }
  .pane-body { overflow: visible; }
  .sum-grid, .edit-grid { grid-template-columns: 1fr; }
}
"""

_JS = r"""
"use strict";
(() => {
  const boot = JSON.parse(document.getElementById("review-data").textContent);
  const STATIC = boot.mode === "static";
  const KINDS = boot.kinds;
  const STATUS = {
    verified: "verified", evidence_not_found: "evidence not found",
    value_mismatch: "value mismatch", implausible_value: "implausible value", outside_body: "outside body",
  };
  const RANK = { verified: 0, outside_body: 1, value_mismatch: 2, implausible_value: 3, evidence_not_found: 4 };
  const DECIDED = { accepted: "✓ Accepted", rejected: "✗ Rejected", corrected: "✎ Corrected" };
  const LABELS = {
    name: "Name", role_vi: "Role (vi)", role_en: "Role (en)", organization: "Organisation",
    name_en: "Name (en)", country: "Country", text: "Text as written", value: "Value",
    unit: "Unit", measure_vi: "Measure (vi)", measure_en: "Measure (en)", period: "Period",
    what_vi: "What (vi)", what_en: "What (en)", date: "Date (YYYY-MM-DD)", where: "Where",
    speaker: "Speaker", kind: "Kind", content_vi: "Content (vi)", content_en: "Content (en)",
    addressee: "Addressee",
  };
  const FILTERS = [["all", "All"], ["todo", "To review"], ["unverified", "Not verified"],
    ["decided", "Decided"]];
  const S = {
    articles: boot.articles, stem: null, view: null, sel: -1, filter: "all", editing: -1,
    marks: new Map(), allMarks: [], numMarks: new Map(), cards: new Map(), seq: 0,
  };
  const $ = (id) => document.getElementById(id);

  // Every element is built here; text always goes in as text nodes, never as HTML.
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") e.className = v;
        else if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of kids.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }
  // append() would write null as the text "null": skip empty children.
  const put = (node, ...kids) => { for (const c of kids.flat()) if (c !== null && c !== undefined && c !== false) node.append(c); return node; };
  const push = (map, key, value) => { if (!map.has(key)) map.set(key, []); map.get(key).push(value); };

  // ---- data -----------------------------------------------------------------------------
  async function request(path, init) {
    const res = await fetch(path, init);
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) throw new Error((body && body.error) || res.status + " " + res.statusText);
    return body;
  }
  function getArticle(stem) {
    if (STATIC) {
      const v = boot.views[stem];
      return v ? Promise.resolve(v) : Promise.reject(new Error("no such article"));
    }
    return request("/api/article/" + encodeURIComponent(stem), { headers: { Accept: "application/json" } });
  }
  function post(stem, action, payload) {
    return request("/api/article/" + encodeURIComponent(stem) + "/" + action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Review-Token": boot.token },
      body: JSON.stringify(payload),
    });
  }

  // ---- feedback -------------------------------------------------------------------------
  let toastTimer = 0;
  function toast(message, kind) {
    const t = $("toast");
    t.textContent = message;
    t.className = "show " + (kind || "");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.className = ""; }, kind === "error" ? 6000 : 1400);
  }
  function saved(text, error) {
    const s = $("saved");
    s.textContent = text;
    s.classList.toggle("err", !!error);
  }

  // ---- article list ---------------------------------------------------------------------
  function bar(p) {
    const b = el("div", { class: "bar", title: `${p.accepted} accepted, ${p.corrected} corrected, ${p.rejected} rejected, ${p.stale} changed since review` });
    for (const [key, cls] of [["accepted", "a"], ["corrected", "c"], ["rejected", "r"], ["stale", "s"]]) {
      const s = el("span", { class: cls });
      s.style.width = (p.total ? (100 * p[key]) / p.total : 0) + "%";
      b.append(s);
    }
    return b;
  }
  function renderList() {
    const ul = $("articles");
    ul.replaceChildren();
    let total = 0, reviewed = 0;
    for (const a of S.articles) {
      if (a.status !== "done") {
        ul.append(el("li", { class: "art failed", title: a.error || "" },
          el("div", { class: "t" }, a.file || a.stem),
          el("div", { class: "meta" }, "failed: " + (a.error || "unknown error"))));
        continue;
      }
      const p = a.progress;
      total += p.total;
      reviewed += p.reviewed;
      const active = a.stem === S.stem;
      const li = el("li", { class: "art" + (active ? " active" : ""), tabindex: "0",
        "aria-current": active ? "true" : null, "data-stem": a.stem });
      li.addEventListener("click", () => openArticle(a.stem));
      li.addEventListener("keydown", (e) => { if (e.key === "Enter") openArticle(a.stem); });
      const chips = [];
      if (p.stale) chips.push(el("span", { class: "chip warn" }, `${p.stale} changed`));
      if (p.orphaned) chips.push(el("span", { class: "chip orphan" }, `${p.orphaned} orphaned`));
      if (a.summary_unsupported) chips.push(el("span", { class: "chip bad" }, `${a.summary_unsupported} summary number(s) unsupported`));
      if (a.error) chips.push(el("span", { class: "chip bad", title: a.error }, "review file unreadable"));
      put(li,
        el("div", { class: "t", title: a.title, lang: "vi" }, a.title || a.stem),
        el("div", { class: "meta" },
          el("span", { class: "rate " + (a.verified === a.facts ? "good" : "poor") },
            `${a.verified}/${a.facts} verified`),
          el("span", null, `${p.reviewed}/${p.total} reviewed`)),
        bar(p),
        chips.length ? el("div", { class: "chips" }, chips) : null);
      ul.append(li);
    }
    const failed = S.articles.filter((a) => a.status !== "done").length;
    $("overall").replaceChildren();
    put($("overall"), el("b", null, `${reviewed}/${total}`), " facts reviewed · ",
      el("b", null, String(S.articles.length - failed)), " articles",
      failed ? el("span", { class: "failed-count" }, ` · ${failed} failed`) : null);
  }

  // ---- one article ----------------------------------------------------------------------
  async function openArticle(stem, fid) {
    const seq = ++S.seq;
    let v;
    try { v = await getArticle(stem); } catch (e) { toast("Cannot open: " + e.message, "error"); return; }
    if (seq !== S.seq) return;
    S.stem = stem; S.view = v; S.sel = -1; S.editing = -1;
    renderHead(); renderPage(); renderFacts(); renderList();
    $("page-body").scrollTop = 0;
    $("facts-body").scrollTop = 0;
    const f = (fid && v.facts.find((x) => x.id === fid)) || v.facts[0];
    if (f) select(f.n, { page: !!fid, card: !!fid }); else writeHash();
    const li = document.querySelector(".art.active");
    if (li) li.scrollIntoView({ block: "nearest" });
  }

  function renderHead() {
    const v = S.view, vv = v.verification, h = $("art-head");
    const file = v.source_path ? v.source_path.split(/[\\/]/).pop() : null;
    const meta = [v.published ? "published " + v.published : "date unknown", v.byline, v.source,
      file, `${v.model}, ${v.chunks} chunk(s)`].filter(Boolean);
    const stats = [];
    for (const st of Object.keys(STATUS)) {
      const n = vv.by_status[st] || 0;
      if (n || st === "verified") stats.push(el("span", { class: "pill st-" + st }, `${n} ${STATUS[st]}`));
    }
    if (v.uncovered.length) {
      stats.push(el("span", { class: "chip warn", title: "Money and percent quantities of the body that no figure states: " + v.uncovered.join(", ") },
        `${v.uncovered.length} figure(s) not extracted`));
    }
    h.replaceChildren();
    put(h,
      el("h1", { lang: "vi" }, v.title || v.stem),
      el("div", { class: "meta" }, meta.map((m) => el("span", { title: m === file ? v.source_path : null }, m))),
      el("div", { class: "stats" }, stats),
      el("div", { class: "progress", id: "art-progress" }),
      el("div", { class: "filters", id: "filters", role: "toolbar", "aria-label": "Filter facts" }),
      v.error ? el("div", { class: "notice bad" }, v.error) : null,
      v.gaps.length ? el("div", { class: "notice bad" }, `${v.gaps.length} part(s) of the article could not be processed; no facts come from them.`) : null);
    renderProgress();
  }

  function renderProgress() {
    const p = S.view.progress;
    const parts = [el("b", null, `${p.reviewed}/${p.total}`), " reviewed"];
    for (const [k, label] of [["accepted", "accepted"], ["corrected", "corrected"], ["rejected", "rejected"], ["stale", "changed since review"], ["orphaned", "orphaned"]]) {
      if (p[k]) parts.push(" · " + p[k] + " " + label);
    }
    $("art-progress").replaceChildren(bar(p), el("span", null, parts));
    const f = $("filters");
    f.replaceChildren(...FILTERS.map(([key, label]) => el("button", {
      type: "button", class: "chip", "aria-pressed": String(S.filter === key),
      onclick: () => setFilter(key),
    }, label, el("span", { class: "n" }, String(S.view.facts.filter((x) => matches(x, key)).length)))));
  }

  // The original page, cut (server side) into pieces that each list the marks over them.
  function renderPage() {
    const v = S.view, box = $("page");
    S.marks = new Map(); S.allMarks = []; S.numMarks = new Map();
    const frag = document.createDocumentFragment();
    for (const seg of v.page) {
      if (!seg.f && !seg.c && !seg.u && !seg.n) { frag.append(document.createTextNode(seg.t)); continue; }
      const span = el("span", null, seg.t);
      const cls = [];
      if (seg.c) { cls.push("clutter"); span.title = "Removed by the cleaner: " + seg.c[0]; }
      if (seg.u) { cls.push("unc"); span.title = "A money or percent quantity that no figure states"; }
      if (seg.n) { for (const i of seg.n) push(S.numMarks, i, span); }
      span.className = cls.join(" ");
      if (seg.f) {
        span.dataset.f = seg.f.join(" ");
        span._facts = seg.f;
        span._base = cls.concat("hl").join(" ");
        S.allMarks.push(span);
        for (const n of seg.f) push(S.marks, n, span);
      }
      frag.append(span);
    }
    box.replaceChildren(frag);
    paintMarks();
  }

  function decisionOf(f) { return (S.view && S.view.decisions[f.id]) || null; }
  function decided(f) { const d = decisionOf(f); return !!(d && d.decision && !d.stale); }

  function paintMarks() {
    for (const m of S.allMarks) {
      const facts = m._facts.map((n) => S.view.facts[n]);
      let worst = facts[0];
      for (const f of facts) if (RANK[f.status] > RANK[worst.status]) worst = f;
      const cls = [m._base, "st-" + worst.status];
      if (facts.length > 1) cls.push("multi");
      const ds = facts.map(decisionOf);
      if (ds.every((d) => d && !d.stale && d.decision === "rejected")) cls.push("rej");
      else if (ds.every((d) => d && !d.stale && d.decision)) cls.push("done");
      if (m._facts.includes(S.sel)) cls.push("current");
      m.className = cls.join(" ");
      m.title = facts.map((f) => `${KINDS[f.kind]} · ${STATUS[f.status]}: ${f.en}`).join("\n");
    }
  }

  function flash(node) {
    node.classList.remove("flash");
    void node.offsetWidth;
    node.classList.add("flash");
    setTimeout(() => node.classList.remove("flash"), 1500);
  }

  function renderSummary() {
    const s = S.view.summary;
    if (!s) return el("div", { class: "notice warn" }, "No summary: the summary call failed.");
    const bad = s.checks.filter((c) => !c.supported).length;
    const det = el("details", { class: "summary card", open: true });
    det.append(el("summary", null, el("span", { class: "h" }, "Summary"),
      el("span", { class: "chip " + (bad ? "bad" : "good") },
        `${s.checks.length} number(s) checked · ${bad} unsupported`)));
    const grid = el("div", { class: "sum-grid" });
    for (const lang of ["vi", "en"]) {
      const col = el("div", { class: "sum-col", lang });
      col.append(el("div", { class: "lang-tag" }, lang === "vi" ? "Tiếng Việt" : "English"));
      let ul = null;
      for (const f of s.fields.filter((x) => x.lang === lang)) {
        const node = el(f.role === "headline" ? "h3" : f.role === "summary" ? "p" : "li");
        for (const part of f.parts) node.append(part.k ? numSpan(part, s.checks) : document.createTextNode(part.t));
        if (f.role === "point") {
          if (!ul) { ul = el("ul"); col.append(ul); }
          ul.append(node);
        } else col.append(node);
      }
      grid.append(col);
    }
    det.append(grid);
    return det;
  }
  function numSpan(part, checks) {
    const cs = part.k.map((i) => checks[i]);
    const ok = cs.every((c) => c.supported);
    const title = cs.map((c) => c.supported
      ? `✓ ${c.text}: supported by the ${c.where}` + (c.matched ? ` (“${c.matched}”)` : "")
      : `✗ ${c.problem}`).join("\n");
    const span = el("span", { class: "num " + (ok ? "ok" : "bad"), title, "data-check": part.k.join(" ") }, part.t);
    const target = part.k.find((i) => checks[i].target);
    if (target !== undefined) {
      span.classList.add("link");
      span.addEventListener("click", () => {
        const ms = S.numMarks.get(target) || [];
        if (!ms.length) return;
        ms[0].scrollIntoView({ block: "center" });
        ms.forEach(flash);
      });
    }
    return span;
  }

  function renderFacts() {
    const v = S.view, box = $("facts");
    S.cards = new Map();
    const nodes = [renderSummary()];
    for (const kind of Object.keys(KINDS)) {
      const facts = v.facts.filter((f) => f.kind === kind);
      if (!facts.length) continue;
      nodes.push(el("section", { class: "group", "data-kind": kind },
        el("h2", { class: "group-head" }, KINDS[kind], el("span", { class: "count" }, String(facts.length)),
          el("span", { class: "gprog" })),
        facts.map(renderCard)));
    }
    if (!v.facts.length) nodes.push(el("p", { class: "empty" }, "This article has no facts."));
    nodes.push(el("section", { class: "orphans", id: "orphans" }));
    box.replaceChildren(...nodes);
    renderOrphans();
    applyFilter();
  }

  function renderCard(f) {
    const d = decisionOf(f);
    const corr = d && d.decision === "corrected" && !d.stale ? S.view.corrected[f.id] : null;
    const cls = ["fact", "st-" + f.status];
    if (d && d.decision) cls.push("dec-" + d.decision);
    if (d && d.stale) cls.push("stale");
    if (f.n === S.sel) cls.push("sel");
    const card = el("article", { class: cls.join(" "), "data-n": String(f.n), "data-id": f.id, tabindex: "-1" });
    const top = el("div", { class: "fact-top" }, el("span", { class: "pill st-" + f.status }, STATUS[f.status]));
    if (f.where === "caption") top.append(el("span", { class: "tag" }, "photo caption"));
    if (f.where === "clutter") top.append(el("span", { class: "tag" }, "in removed text: " + (f.reason || "other")));
    if (!f.onpage && f.status !== "evidence_not_found") top.append(el("span", { class: "tag" }, "not on the page"));
    top.append(el("span", { class: "spacer" }));
    if (d && d.decision) top.append(el("span", { class: "decision d-" + d.decision }, DECIDED[d.decision]));
    if (d && d.stale) top.append(el("span", { class: "decision d-stale", title: "The fact changed since it was decided (the batch was re-run): decide again." }, "changed since review"));
    card.append(top);
    card.append(el("div", { class: "lines" + (corr ? " superseded" : "") },
      el("div", { class: "vi", lang: "vi" }, f.vi), el("div", { class: "en", lang: "en" }, f.en)));
    if (corr) {
      card.append(el("div", { class: "corrected" },
        el("div", { class: "corr-head" }, "Corrected", el("span", { class: "pill st-" + corr.status }, STATUS[corr.status])),
        el("div", { class: "vi", lang: "vi" }, corr.vi), el("div", { class: "en", lang: "en" }, corr.en),
        corr.problems.length ? el("ul", { class: "problems" }, corr.problems.map((p) => el("li", null, p))) : null));
    }
    card.append(el("blockquote", { class: "ev", lang: "vi" }, "“" + f.evidence + "”"));
    if (f.matched) card.append(el("div", { class: "small muted" }, "matched in the article as: “" + f.matched + "”"));
    if (f.problems.length) card.append(el("ul", { class: "problems" }, f.problems.map((p) => el("li", null, p))));
    if (f.notes.length) card.append(el("ul", { class: "notes" }, f.notes.map((p) => el("li", null, p))));
    if (d && d.note) card.append(el("div", { class: "note" }, el("b", null, "Note: "), d.note));
    if (!STATIC) card.append(actions(f, d));
    if (!STATIC && S.editing === f.n) card.append(editor(f, d));
    card.addEventListener("click", (e) => {
      if (e.target.closest("button, input, textarea, select, form, summary")) return;
      select(f.n, { page: true, flash: true, card: false });
    });
    S.cards.set(f.n, card);
    return card;
  }

  function actions(f, d) {
    const cur = d && !d.stale ? d.decision : null;
    const b = (label, key, cls, handler, pressed) => el("button", {
      type: "button", class: "btn " + cls, "aria-pressed": pressed === null ? null : String(pressed),
      onclick: handler,
    }, label, el("kbd", null, key));
    return el("div", { class: "actions" },
      b("Accept", "a", "accept", () => decide(f, "accepted", false), cur === "accepted"),
      b("Reject", "r", "reject", () => decide(f, "rejected", false), cur === "rejected"),
      b("Correct", "e", "correct", () => edit(f.n, false), cur === "corrected"),
      b("Note", "n", "", () => edit(f.n, true), null),
      d ? b("Clear", "u", "ghost", () => discard(f.id), null) : null);
  }

  function editor(f, d) {
    const corr = d && d.decision === "corrected" ? d.correction : {};
    const inputs = {};
    const grid = el("div", { class: "edit-grid" });
    for (const [name, orig] of Object.entries(f.fields)) {
      const cur = name in corr ? corr[name] : orig;
      let input;
      if (f.kind === "statements" && name === "kind") {
        input = el("select", { name }, boot.statement_kinds.map((k) => el("option", { value: k }, k)));
        input.value = cur;
      } else {
        input = el("input", { name, type: "text", autocomplete: "off", placeholder: "(empty)",
          inputmode: name === "value" ? "decimal" : null, lang: name.endsWith("_en") ? "en" : "vi" });
        input.value = cur === null || cur === undefined ? "" : String(cur);
      }
      inputs[name] = input;
      grid.append(el("label", null, el("span", null, LABELS[name] || name), input,
        el("small", { class: "orig", title: orig === null ? "" : String(orig) }, "extracted: " + (orig === null ? "—" : String(orig)))));
    }
    const note = el("textarea", { name: "note", rows: "2", placeholder: "A note on this fact (optional)" });
    note.value = d ? d.note : "";
    const err = el("div", { class: "form-error", role: "alert" });
    const form = el("form", { class: "edit", novalidate: true }, grid,
      el("label", { class: "note-label" }, el("span", null, "Note"), note),
      el("div", { class: "edit-help" }, "Change a field to record a correction; save with no change to keep only the note."),
      el("div", { class: "actions" },
        el("button", { type: "submit", class: "btn primary" }, "Save", el("kbd", null, "Ctrl+Enter")),
        el("button", { type: "button", class: "btn", onclick: () => cancelEdit() }, "Cancel", el("kbd", null, "Esc"))),
      err);
    form.addEventListener("submit", (e) => { e.preventDefault(); saveEdit(f, inputs, note, err); });
    form.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); cancelEdit(); }
      else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    });
    return form;
  }

  function rerender(n) {
    const f = S.view.facts[n], old = S.cards.get(n);
    if (!f || !old) return null;
    const card = renderCard(f);
    old.replaceWith(card);
    card.hidden = !matches(f, S.filter);
    return card;
  }
  function edit(n, focusNote) {
    if (STATIC || n < 0) return;
    const prev = S.editing;
    S.editing = n;
    if (prev >= 0 && prev !== n) rerender(prev);
    if (S.sel !== n) select(n, { page: true, flash: false });
    const card = rerender(n);
    if (!card) return;
    card.hidden = false;
    const target = focusNote ? card.querySelector("textarea") : card.querySelector("form input, form select");
    if (target) target.focus();
    card.scrollIntoView({ block: "nearest" });
  }
  function cancelEdit() {
    const n = S.editing;
    S.editing = -1;
    const card = rerender(n);
    if (card) card.focus({ preventScroll: true });
  }
  async function saveEdit(f, inputs, note, err) {
    const changed = {};
    for (const [name, input] of Object.entries(inputs)) {
      const orig = f.fields[name];
      const value = input.value.trim();
      if (value !== (orig === null ? "" : String(orig))) changed[name] = value;
    }
    const d = decisionOf(f);
    const payload = Object.keys(changed).length
      ? { fact_id: f.id, decision: "corrected", correction: changed, note: note.value }
      : { fact_id: f.id, decision: d && !d.stale && d.decision !== "corrected" ? d.decision : null, note: note.value };
    if (await send("decision", payload, err)) {
      S.editing = -1;
      const card = rerender(f.n);
      if (card) card.focus({ preventScroll: true });
    }
  }
  async function decide(f, decision, advance) {
    if (STATIC) return;
    if (await send("decision", { fact_id: f.id, decision }, null)) {
      if (S.editing === f.n) S.editing = -1;
      rerender(f.n);
      if (advance) move(1);
    }
  }
  async function discard(fid) {
    if (STATIC) return;
    if (await send("discard", { fact_id: fid }, null)) {
      const f = S.view.facts.find((x) => x.id === fid);
      if (f) rerender(f.n);
    }
  }
  async function send(action, payload, errBox) {
    const stem = S.stem;
    saved("Saving…");
    try {
      const state = await post(stem, action, payload);
      const a = S.articles.find((x) => x.stem === stem);
      if (a) a.progress = state.progress;
      if (S.stem === stem) {
        Object.assign(S.view, state);
        renderProgress(); paintMarks(); renderOrphans(); applyFilter();
      }
      renderList();
      saved("✓ Saved");
      return S.stem === stem;
    } catch (e) {
      saved("Not saved", true);
      if (errBox) errBox.textContent = e.message;
      toast("Not saved: " + e.message, "error");
      return false;
    }
  }

  function renderOrphans() {
    const sec = $("orphans"), list = S.view.orphans;
    if (!sec) return;
    sec.replaceChildren();
    if (!list.length) return;
    sec.append(el("h2", { class: "group-head" }, "Orphaned decisions", el("span", { class: "count" }, String(list.length))),
      el("p", { class: "notice warn" }, "These facts are no longer in the sheet: the batch was re-run and they changed or went away. Their decisions stay in the review file until you discard them."));
    for (const o of list) {
      const card = el("article", { class: "fact orphan" },
        el("div", { class: "fact-top" }, el("span", { class: "tag" }, KINDS[o.fact.kind] || o.fact.kind),
          el("span", { class: "tag", title: o.id }, o.id), el("span", { class: "spacer" }),
          o.decision ? el("span", { class: "decision d-" + o.decision }, DECIDED[o.decision]) : null),
        el("div", { class: "lines" }, el("div", { class: "vi", lang: "vi" }, o.fact.text_vi), el("div", { class: "en", lang: "en" }, o.fact.text_en)),
        el("blockquote", { class: "ev", lang: "vi" }, "“" + o.fact.evidence + "”"),
        o.note ? el("div", { class: "note" }, el("b", null, "Note: "), o.note) : null,
        el("div", { class: "small muted" }, "decided " + o.updated),
        STATIC ? null : el("div", { class: "actions" }, el("button", { type: "button", class: "btn", onclick: () => discard(o.id) }, "Discard")));
      sec.append(card);
    }
  }

  // ---- selection, filters, navigation ---------------------------------------------------
  function matches(f, key) {
    switch (key) {
      case "todo": return !decided(f);
      case "unverified": return f.status !== "verified";
      case "decided": return decided(f);
      default: return true;
    }
  }
  function setFilter(key) {
    S.filter = key;
    applyFilter();
    renderProgress();
    const card = S.cards.get(S.sel);
    if (card && !card.hidden) card.scrollIntoView({ block: "nearest" });
  }
  function applyFilter() {
    if (!S.view) return;
    for (const f of S.view.facts) {
      const card = S.cards.get(f.n);
      if (card) card.hidden = !matches(f, S.filter) && f.n !== S.editing;
    }
    for (const sec of document.querySelectorAll("#facts section.group")) {
      const facts = S.view.facts.filter((f) => f.kind === sec.dataset.kind);
      sec.hidden = facts.every((f) => S.cards.get(f.n).hidden);
      const done = facts.filter(decided).length;
      sec.querySelector(".gprog").textContent = `${done}/${facts.length} reviewed`;
    }
    renderFilterCounts();
  }
  function renderFilterCounts() {
    for (const [i, btn] of Array.from($("filters").children).entries()) {
      const key = FILTERS[i][0];
      btn.setAttribute("aria-pressed", String(S.filter === key));
      btn.lastChild.textContent = String(S.view.facts.filter((x) => matches(x, key)).length);
    }
  }

  function select(n, opts) {
    const o = Object.assign({ page: false, flash: false, card: true }, opts || {});
    const prev = S.cards.get(S.sel);
    if (prev) prev.classList.remove("sel");
    S.sel = n;
    const card = S.cards.get(n);
    if (!card) return;
    if (card.hidden) { S.filter = "all"; applyFilter(); renderProgress(); }
    card.classList.add("sel");
    if (o.card) card.scrollIntoView({ block: "nearest" });
    paintMarks();
    const ms = S.marks.get(n) || [];
    if (o.page && ms.length) {
      ms[0].scrollIntoView({ block: "center" });
      if (o.flash) ms.forEach(flash);
    }
    writeHash();
  }
  function visible() { return S.view ? S.view.facts.filter((f) => !S.cards.get(f.n).hidden) : []; }
  function move(delta) {
    const vis = visible();
    if (!vis.length) return;
    let next;
    if (delta > 0) next = vis.find((f) => f.n > S.sel) || vis[vis.length - 1];
    else next = [...vis].reverse().find((f) => f.n < S.sel) || vis[0];
    select(next.n, { page: true, flash: true });
  }
  function nextArticle(delta) {
    const done = S.articles.filter((a) => a.status === "done");
    const i = done.findIndex((a) => a.stem === S.stem);
    const a = done[i + delta];
    if (a) openArticle(a.stem);
  }
  function writeHash() {
    if (!S.stem) return;
    const f = S.view && S.view.facts[S.sel];
    const h = "#/a/" + encodeURIComponent(S.stem) + (f ? "/" + encodeURIComponent(f.id) : "");
    if (location.hash !== h) {
      try { history.replaceState(null, "", h); } catch (e) { /* some file: URLs refuse */ }
    }
  }
  function readHash() {
    const m = /^#\/a\/([^/]*)(?:\/([^/]*))?$/.exec(location.hash);
    if (!m) return null;
    try { return { stem: decodeURIComponent(m[1]), fid: m[2] ? decodeURIComponent(m[2]) : null }; }
    catch (e) { return null; }
  }
  function toggleHelp(show) {
    $("help").hidden = !show;
    if (show) $("help-close").focus();
  }

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (!$("help").hidden) {
      if (e.key === "Escape" || e.key === "?") { e.preventDefault(); toggleHelp(false); }
      return;
    }
    const t = e.target;
    if (t && t.closest && t.closest("input, textarea, select")) return;
    const f = S.view && S.sel >= 0 ? S.view.facts[S.sel] : null;
    switch (e.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "J": nextArticle(1); break;
      case "K": nextArticle(-1); break;
      case "a": if (f) decide(f, "accepted", true); break;
      case "r": if (f) decide(f, "rejected", true); break;
      case "e": if (f) edit(f.n, false); break;
      case "n": if (f) edit(f.n, true); break;
      case "u": if (f && decisionOf(f)) discard(f.id); break;
      case "f": { const i = FILTERS.findIndex(([k]) => k === S.filter); setFilter(FILTERS[(i + 1) % FILTERS.length][0]); break; }
      case "Enter": if (f && !(t && t.closest && t.closest("button, .art"))) select(f.n, { page: true, flash: true }); else return; break;
      case "?": toggleHelp(true); break;
      case "Escape": if (S.editing >= 0) cancelEdit(); else return; break;
      default: return;
    }
    e.preventDefault();
  });

  $("page").addEventListener("click", (e) => {
    const m = e.target.closest(".hl");
    if (!m || !m._facts) return;
    const list = m._facts;
    const i = list.indexOf(S.sel);
    const n = i >= 0 ? list[(i + 1) % list.length] : list[0];
    select(n, { page: false });
    const card = S.cards.get(n);
    if (card) { card.classList.remove("pulse"); void card.offsetWidth; card.classList.add("pulse"); }
  });
  $("help-btn").addEventListener("click", () => toggleHelp(true));
  $("help-close").addEventListener("click", () => toggleHelp(false));
  $("help").addEventListener("click", (e) => { if (e.target === $("help")) toggleHelp(false); });
  // A batch may have run again while the page was open: refresh the list on coming back.
  window.addEventListener("focus", async () => {
    if (STATIC) return;
    try { S.articles = (await request("/api/articles")).articles; renderList(); } catch (e) { /* offline */ }
  });
  window.addEventListener("hashchange", () => {
    const h = readHash();
    if (h && h.stem !== S.stem) openArticle(h.stem, h.fid);
  });

  document.title = "Fact review · " + boot.folder;
  $("folder").textContent = boot.folder;
  if (STATIC) {
    document.body.classList.add("static");
    $("mode").textContent = "read-only snapshot · " + boot.exported;
  }
  renderList();
  const h = readHash();
  const start = h && S.articles.some((a) => a.stem === h.stem && a.status === "done")
    ? h : (S.articles.find((a) => a.status === "done") || null);
  if (start) openArticle(start.stem, start.fid || null);
  else $("facts").replaceChildren(el("p", { class: "empty" }, "No summarised article in this folder."));
})();
"""
