"""A learned second opinion on the lines every rule left in the body: article, or not?

The rules recognise clutter by its words ("Tin liên quan", "Lượt xem") and by its shape on a
page they know. On a site they have never seen, menus, other stories' headlines and teasers,
bylines and stamps in other wordings stay in the body. This model looks at a body line the way a
reader does, by its words and its place: its syllables and shape (the caption model's
`features`), whether running text comes before and after it, what its neighbours are and what
the rules made of the lines next to it.

`mark_learned_clutter` (the last pass) asks it about every body line but the lead, and labels
"other" the ones it is sure of. It is a logistic regression trained by `bench/train_clutter.py`
on the development half of tests/pages; the weights are `summarizer/data/clutter_model.json`.

May import: `summarizer.article`, and `caption_model`, `lines` and `state` of this package.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from .caption_model import LineModel, features, model_from_json
from .lines import Unit
from .state import PageState

__all__ = ["FORMAT", "context_features", "load_clutter_model", "mark_learned_clutter", "unit_features"]

FORMAT = "clutter-logreg-1"  # bump when the features change
ASK_FIRST = False  # also ask about the first body line (the rules' lead)
RESOURCE = "data/clutter_model.json"


def _shape(u: Unit | None) -> str:
    if u is None:
        return "none"
    if u.is_prose:
        return "prose"
    if u.is_headline:
        return "headline"
    return "short" if u.words < 10 else "other"


def _run_length(units: list[Unit], body_idx: list[int], k: int) -> int:
    """How many body lines in a row, next to each other on the page, are not running text."""
    if units[body_idx[k]].is_prose:
        return 0
    run, j = 1, k - 1
    while j >= 0 and body_idx[j] == body_idx[j + 1] - 1 and not units[body_idx[j]].is_prose:
        run, j = run + 1, j - 1
    j = k + 1
    while (
        j < len(body_idx) and body_idx[j] == body_idx[j - 1] + 1 and not units[body_idx[j]].is_prose
    ):
        run, j = run + 1, j + 1
    return run


def context_features(units: list[Unit], body_idx: list[int], k: int) -> list[str]:
    """Where body line `body_idx[k]` stands: neighbours, running text around it, its run."""
    i = body_idx[k]
    me = _shape(units[i])
    prev = _shape(units[body_idx[k - 1]]) if k > 0 else "none"
    nxt = _shape(units[body_idx[k + 1]]) if k + 1 < len(body_idx) else "none"
    up = (units[i - 1].label or "body") if i > 0 else "top"
    down = (units[i + 1].label or "body") if i + 1 < len(units) else "end"
    before = any(units[j].is_prose for j in body_idx[:k])
    after = any(units[j].is_prose for j in body_idx[k + 1 :])
    run = _run_length(units, body_idx, k)
    run_name = str(run) if run < 3 else ("3-4" if run < 5 else "5+")
    place = "first" if k == 0 else ("last" if k == len(body_idx) - 1 else "mid")
    return [
        f"c:place={place}",
        f"c:me={me}",
        f"c:prev={prev}",
        f"c:next={nxt}",
        f"c:up={up}",
        f"c:down={down}",
        f"c:prose_before={before}",
        f"c:prose_after={after}",
        f"c:run={run_name}",
        f"c:{prev}>{me}>{nxt}",
        f"c:{me} before={before} after={after}",
        f"c:{up}>{me}>{down}",
    ]


def unit_features(units: list[Unit], body_idx: list[int], k: int) -> list[str]:
    """The feature names the model weighs for body line `body_idx[k]`."""
    return [*features(units[body_idx[k]].text), *context_features(units, body_idx, k)]


@cache
def load_clutter_model() -> LineModel:
    """The shipped model, read once per process."""
    raw = resources.files("summarizer").joinpath(RESOURCE).read_text("utf-8")
    return model_from_json(raw, FORMAT)


def mark_learned_clutter(state: PageState) -> None:
    """Label "other" the body lines (never the lead) the model is sure are not article text.

    The threshold is high: an article line cut loses text the summary needs, while a line of
    clutter left in only adds a line the model can ignore."""
    model = load_clutter_model()
    body_idx = state.body()
    units = state.units
    found = [
        i
        for k, i in enumerate(body_idx)
        if (k > 0 or ASK_FIRST) and model.score(unit_features(units, body_idx, k)) >= model.threshold
    ]
    for i in found:
        units[i].label = "other"
