"""A small learned scorer for photo captions that carry no wording cue.

`mark_captions` (passes) asks it about the short one-sentence body lines its rules leave in the
body ("Oanh "Ốc", huyền thoại bền bỉ của điền kinh Việt Nam (3 HCV)", "Thủ tướng Nguyễn Xuân
Phúc tiếp bà Ca-mi-la Mê-lan-đe."). It is a logistic regression over the line's lowercased
syllables (unigrams, bigrams, first and last ones) and its shape (length, final punctuation,
digits, "(giữa)"-style position notes, capitalised syllables). `bench/train_captions.py` trains
it on captions harvested from public pages with their photo credit cut off and on the
paragraphs around them, and writes `summarizer/data/caption_model.json`; this module reads that
file once and scores in pure Python. `features` is shared with the trainer, so the two cannot
drift apart.

May import: `summarizer.article` and nothing else of `summarizer` (the weights are read as a
package resource, not imported).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "FORMAT",
    "CaptionModel",
    "caption_probability",
    "features",
    "load_model",
    "model_from_json",
]

FORMAT = "caption-logreg-1"  # bump when `features` changes: old weights would mean other things
RESOURCE = "data/caption_model.json"

_WORD_RE = re.compile(r"\w+")
_DIGIT_RE = re.compile(r"\d")
_DAY_RE = re.compile(r"\b\d{1,2}[/-]\d{1,2}\b")
# "(giữa)", "(thứ 2 từ trái)", "(ngoài cùng bên phải)", "(áo trắng)": who is where in a photo.
_POSITION_RE = re.compile(
    r"\((?:[^()]*\b(?:giữa|trái|phải|hàng đầu|đứng|ngồi|áo|thứ \d+)\b[^()]*)\)", re.IGNORECASE
)
_SENT_SPLIT_RE = re.compile(r"[.!?…][\"”’)]?\s+(?=[\"“]?[^\W\d_])")
_LENGTHS = (40, 80, 120, 160, 200, 250)
_WORDS = (4, 8, 12, 18, 25, 35)


def _bucket(name: str, value: float, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"{name}<={edge}"
    return f"{name}>{edges[-1]}"


def _token(word: str) -> str:
    return "<num>" if _DIGIT_RE.search(word) else word


def _shape(text: str) -> list[str]:
    """What the line looks like, whatever its words."""
    words = text.split()
    out = [_bucket("len", len(text), _LENGTHS), _bucket("words", len(words), _WORDS)]
    end = text.rstrip("\"”’'»)]")[-1:]
    out.append("end:" + (end if end in ".?!:;,…" else ("alnum" if end.isalnum() else "other")))
    if text.rstrip().endswith(("...", "…")):
        out.append("end:ellipsis")
    if _DIGIT_RE.search(text):
        out.append("has:digit")
    if _DAY_RE.search(text):
        out.append("has:day")
    if "(" in text:
        out.append("has:paren")
    if _POSITION_RE.search(text):
        out.append("has:position")
    if any(q in text for q in '"“”'):
        out.append("has:quote")
    if ":" in text:
        out.append("has:colon")
    if len(_SENT_SPLIT_RE.findall(text)) > 0:
        out.append("sentences:2+")
    out.append(_bucket("commas", text.count(","), (0, 1, 3)))
    if text[:1].isdigit():
        out.append("start:digit")
    caps = [w for w in words if w[:1].isalpha()]
    if caps:
        share = sum(w[0].isupper() for w in caps) / len(caps)
        out.append(_bucket("caps%", round(100 * share), (10, 25, 40, 60)))
    return out


def features(text: str) -> list[str]:
    """The feature names of one line (normalised text, as `Unit.text` holds it)."""
    tokens = [_token(w) for w in _WORD_RE.findall(text.casefold())]
    out = ["bias", *_shape(text)]
    out += [f"w:{t}" for t in tokens]
    out += [f"b:{a} {b}" for a, b in itertools.pairwise(tokens)]
    if tokens:
        out += [f"first:{tokens[0]}", f"last:{tokens[-1]}"]
    if len(tokens) >= 2:
        out.append(f"first2:{tokens[0]} {tokens[1]}")
    return out


@dataclass(frozen=True, slots=True)
class CaptionModel:
    """Logistic-regression weights by feature name, and the decision threshold chosen with them."""

    weights: dict[str, float]
    threshold: float

    def probability(self, text: str) -> float:
        """How likely `text` is a photo caption (0..1)."""
        z = sum(self.weights.get(f, 0.0) for f in features(text))
        if z < -30:  # exp would overflow; the answer is 0 to every digit that matters
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def is_caption(self, text: str) -> bool:
        return self.probability(text) >= self.threshold


def model_from_json(raw: str) -> CaptionModel:
    """A model from the trainer's JSON; `ValueError` if the file is of another format."""
    data = json.loads(raw)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"caption model: expected format {FORMAT!r}")
    weights = data["weights"]
    threshold = data["threshold"]
    if not isinstance(weights, dict) or not isinstance(threshold, int | float):
        raise ValueError("caption model: weights must be an object and threshold a number")
    return CaptionModel({str(k): float(v) for k, v in weights.items()}, float(threshold))


@cache
def load_model() -> CaptionModel:
    """The shipped model, read once per process."""
    raw = resources.files("summarizer").joinpath(RESOURCE).read_text("utf-8")
    return model_from_json(raw)


def caption_probability(text: str) -> float:
    """The shipped model's probability that `text` is a photo caption."""
    return load_model().probability(text)
