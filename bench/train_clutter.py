"""Train the clutter model that `summarizer.clean.clutter_model` ships, and measure it.

    python bench/train_clutter.py [--folds] [--thresholds 0.9,0.95,...] [--write]

Training lines: every line of the development half of tests/pages after the title (never the
test half), with what the rules before the learned pass made of the page around it: the lines
they left in the body, and the lines they cut, each seen as if it had been left in (its
neighbours as the rules left them). Label 1: the line is not article text (`clutter`, `meta`,
`credit`, `title`); 0: it is (`lead`, `body`). Captions are left out: the caption model and
rules deal with them, and a caption cut as clutter would be lost from `Article.captions`.

`--folds` measures it the honest way: the development sites are split in ten folds by a hash
of their name; each fold is cleaned with a model trained on the other nine. `--write` trains on
the whole development half and writes `summarizer/data/clutter_model.json` with `THRESHOLD`.
The last line printed is key=value pairs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import Page, PageResult, evaluate, load_corpus, site_half, summarise  # noqa: E402
from bench.train_captions import fit, prune  # noqa: E402
from summarizer.clean import PASSES, clutter_model  # noqa: E402
from summarizer.clean.caption_model import LineModel  # noqa: E402
from summarizer.clean.lines import split_units  # noqa: E402
from summarizer.clean.state import PageState  # noqa: E402

MODEL_OUT = ROOT / "summarizer" / "data" / "clutter_model.json"
OUT_LABELS = frozenset({"clutter", "meta", "credit", "title"})
IN_LABELS = frozenset({"lead", "body"})
FOLDS = 10
THRESHOLD = 0.97


@dataclass(frozen=True)
class Example:
    features: list[str]
    label: int
    site: str


def rule_state(page: Page) -> PageState:
    """The page as every pass but the learned clutter pass leaves it."""
    state = PageState(page=page.text, units=split_units(page.text))
    for run_pass in PASSES:
        if run_pass is not clutter_model.mark_learned_clutter:
            run_pass(state)
    return state


def unit_labels(page: Page, state: PageState) -> list[str]:
    """The hand label of the page line each unit starts on."""
    starts, pos = [], 0
    for line in page.lines:
        starts.append(pos)
        pos += len(line) + 1
    out, j = [], 0
    for u in state.units:
        while j + 1 < len(starts) and starts[j + 1] <= u.start:
            j += 1
        out.append(page.labels[j])
    return out


def page_examples(page: Page) -> list[Example]:
    state = rule_state(page)
    gold = unit_labels(page, state)
    body = state.body()
    out = []
    for i in range(state.first, state.n):
        if gold[i] not in OUT_LABELS | IN_LABELS:
            continue
        idx = body if i in body else sorted([*body, i])
        k = idx.index(i)
        if k == 0 and not clutter_model.ASK_FIRST:
            continue  # the pass never asks about the lead
        feats = clutter_model.unit_features(state.units, idx, k)
        out.append(Example(feats, int(gold[i] in OUT_LABELS), page.site))
    return out


def fold_of(site: str) -> int:
    return hashlib.sha256(site.encode("utf-8")).digest()[1] % FOLDS


@contextmanager
def using(model: LineModel | None) -> Iterator[None]:
    """Clean with `model` instead of the shipped one (None: a model that never fires)."""
    never = LineModel({"bias": -100.0}, 1.0)
    namespace = vars(clutter_model)  # `mark_learned_clutter` looks the loader up here
    saved = namespace["load_clutter_model"]
    namespace["load_clutter_model"] = lambda: model or never
    try:
        yield
    finally:
        namespace["load_clutter_model"] = saved


def by_folds(
    examples: Sequence[Example], pages: Sequence[Page], thresholds: Sequence[float]
) -> dict[float, dict[str, float | int]]:
    results: dict[float, list[PageResult]] = {t: [] for t in thresholds}
    for fold in range(FOLDS):
        weights = prune(fit([(e.features, e.label) for e in examples if fold_of(e.site) != fold]))
        held = [p for p in pages if fold_of(p.site) == fold]
        for t in thresholds:
            with using(LineModel(weights, t)):
                results[t] += [evaluate(p) for p in held]
    return {t: summarise(rs)["dev"] for t, rs in results.items()}


def _show(name: str, figures: dict[str, float | int]) -> None:
    keys = ("pages_right", "recall", "precision", "clutter_kept", "captions", "titles")
    print(f"{name:30s} " + " ".join(f"{k}={figures[k]}" for k in keys))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="write summarizer/data/clutter_model.json")
    ap.add_argument("--folds", action="store_true", help="ten-fold by site on the dev half")
    ap.add_argument("--thresholds", default="0.9,0.95,0.97,0.99", help="for --folds")
    ap.add_argument("--ask-first", action="store_true", help="try asking about the lead too")
    args = ap.parse_args(argv)
    clutter_model.ASK_FIRST = clutter_model.ASK_FIRST or args.ask_first
    dev = [p for p in load_corpus() if site_half(p.site) == "dev"]
    examples = [e for p in dev for e in page_examples(p)]
    pos = sum(e.label for e in examples)
    print(f"training lines: not_article={pos} article={len(examples) - pos}")
    with using(None):
        before = summarise(evaluate(p) for p in dev)["dev"]
    _show("dev without the model", before)
    last: dict[str, object] = {"dev_right_before": before["pages_right"]}
    if args.folds:
        grid = [float(t) for t in args.thresholds.split(",")]
        for t, figs in by_folds(examples, dev, grid).items():
            _show(f"dev ten-fold by site t={t}", figs)
            if t == THRESHOLD:
                last |= {"folds_right": figs["pages_right"], "folds_recall": figs["recall"]}
    if args.write:
        weights = prune(fit([(e.features, e.label) for e in examples]))
        doc = {
            "format": clutter_model.FORMAT,
            "threshold": THRESHOLD,
            "trained_on": {"not_article": pos, "article": len(examples) - pos},
            "weights": weights,
        }
        text = json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
        MODEL_OUT.write_text(text, encoding="utf-8")
        print(f"wrote {MODEL_OUT.relative_to(ROOT)}: {len(weights)} weights")
        last |= {"weights": len(weights)}
    print(" ".join(f"{k}={v}" for k, v in last.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
