"""The learned caption model: the shipped weights load, read harvested captions as captions and
harvested article lines as article lines, are what the trainer writes, and are used by
`mark_captions` only where a caption without a cue stands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from summarizer.clean import analyse_page
from summarizer.clean.caption_model import (
    FORMAT,
    RESOURCE,
    CaptionModel,
    features,
    load_model,
    model_from_json,
)
from summarizer.clean.lines import caption_score, split_units

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import train_captions  # noqa: E402

SHIPPED = ROOT / "summarizer" / RESOURCE
HARVEST = ROOT / "bench" / "data" / "caption_lines.jsonl"

# From bench/data/caption_lines.jsonl (captions with their photo credit cut off, and lines of
# the articles around them), never from tests/pages.
CAPTIONS = [
    "Bí thư Tỉnh ủy Phạm Đại Dương thăm hỏi một cụ tròn 100 tuổi ở huyện Tuy An.",
    "Quang cảnh Kỳ họp thứ 21, HĐND tỉnh khóa XIII.",
    "Hai nhà lãnh đạo bắt tay tại buổi gặp.",
    "Các đại biểu tham dự tại điểm cầu Đông Anh, Hà Nội.",
]
ARTICLE_LINES = [
    "Nguyên nhân vụ việc đang được làm rõ.",
    "Hiện Công an TP.HCM đang tiếp tục điều tra, làm rõ.",
    "Lũ vây bốn bề",
    "Hình ảnh thu hút sự chú ý của dân mạng",
]


def _harvest() -> list[dict[str, object]]:
    return [json.loads(line) for line in HARVEST.read_text(encoding="utf-8").splitlines()]


def test_the_shipped_model_loads_once_and_is_small() -> None:
    model = load_model()
    assert load_model() is model
    assert 0.5 <= model.threshold < 1.0
    assert "bias" in model.weights and len(model.weights) > 100
    assert SHIPPED.stat().st_size < 300_000  # one weight a line, readable diffs: 268 KB now


@pytest.mark.parametrize("text", CAPTIONS)
def test_known_captions_score_above_the_threshold(text: str) -> None:
    model = load_model()
    assert any(row["text"] == text and row["label"] == 1 for row in _harvest())
    assert model.is_caption(text), model.probability(text)


@pytest.mark.parametrize("text", ARTICLE_LINES)
def test_known_article_lines_score_below_the_threshold(text: str) -> None:
    model = load_model()
    assert any(row["text"] == text and row["label"] == 0 for row in _harvest())
    assert not model.is_caption(text), model.probability(text)


def test_the_harvest_is_read_as_labelled() -> None:
    """In-sample, but a model that got its own training lines wrong would be broken."""
    model = load_model()
    rows = [(train_captions.unit_text(str(r["text"])), r["label"]) for r in _harvest()]
    article_taken = [t for t, label in rows if label == 0 and model.is_caption(t)]
    captions_kept = [t for t, label in rows if label == 1 and not model.is_caption(t)]
    assert article_taken == []
    assert len(captions_kept) <= len(rows) // 20


def test_harvest_rows_name_a_development_site_and_their_source() -> None:
    rows = _harvest()
    assert len(rows) >= 150
    assert {tuple(sorted(r)) for r in rows} == {("label", "site", "text", "url")}
    examples = train_captions.load_harvest()  # raises on a test-half site or a wrong site
    assert len(examples) == len(rows)


def test_the_weights_file_is_in_the_trainers_format() -> None:
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert set(doc) == {"format", "threshold", "trained_on", "weights"}
    assert doc["format"] == FORMAT
    assert doc["threshold"] == train_captions.THRESHOLD
    text = train_captions.to_json({"bias": -1.0, "w:ảnh": 2.0}, 0.9, {"n": 1})
    assert model_from_json(text) == CaptionModel({"bias": -1.0, "w:ảnh": 2.0}, 0.9)
    with pytest.raises(ValueError):
        model_from_json(json.dumps({"format": "other", "threshold": 0.5, "weights": {}}))


def test_the_trainer_reproduces_the_shipped_weights() -> None:
    pages = train_captions.load_corpus()
    examples = train_captions.load_harvest() + train_captions.page_examples(pages)
    weights = train_captions.prune(train_captions.train(examples))
    assert weights == load_model().weights


def test_features_are_lowercased_syllables_and_shape() -> None:
    feats = features("Ông A (giữa) trao quà cho 20 hộ nghèo.")
    assert {"w:ông", "b:trao quà", "w:<num>", "first:ông", "last:nghèo"} <= set(feats)
    assert {"has:position", "has:digit", "end:."} <= set(feats)


PARAGRAPHS = [
    "Trước tính chất manh động, nguy hiểm của đối tượng, lực lượng Cảnh sát cơ động đã chủ "
    "động áp dụng các biện pháp nghiệp vụ, khống chế thành công đối tượng mà không để xảy ra "
    "thiệt hại về người và tài sản của nhân dân trong khu vực.",
    "Tại buổi gặp, hai bên đã trao đổi về tình hình hợp tác trên các lĩnh vực kinh tế, thương "
    "mại, đầu tư, giáo dục và văn hóa, đồng thời thống nhất nhiều biện pháp thúc đẩy quan hệ "
    "trong thời gian tới.",
    "Về phần mình, Đại sứ cảm ơn sự đón tiếp trọng thị của lãnh đạo tỉnh và khẳng định sẽ tiếp "
    "tục làm cầu nối để các doanh nghiệp của nước mình tìm hiểu cơ hội đầu tư tại địa phương.",
]
TITLE = "Lãnh đạo tỉnh tiếp Đại sứ và đoàn doanh nghiệp"
# Both have no caption wording the rules know (`caption_score` 1): only the model takes them.
CAPTION = (
    "Bộ Chỉ huy quân sự tỉnh Khánh Hoà huy động xuồng máy chở người dân tới nơi tránh trú an toàn."
)
UNDER = "Tổng thống Hoa Kỳ tại cuộc hội kiến."


def _labels(page: str) -> dict[str, str | None]:
    analysis = analyse_page(page)
    return {u.text: u.label for u in analysis.units}


def test_a_caption_without_a_cue_between_paragraphs_leaves_the_body() -> None:
    page = "\n\n".join([TITLE, PARAGRAPHS[0], PARAGRAPHS[1], CAPTION, PARAGRAPHS[2]])
    labels = _labels(page)
    assert labels[CAPTION] == "caption"
    assert all(labels[p] is None for p in PARAGRAPHS)


def test_the_lead_and_a_line_under_a_short_line_stay() -> None:
    heading = "Khống chế đối tượng"
    page = "\n\n".join([TITLE, CAPTION, PARAGRAPHS[0], heading, UNDER, PARAGRAPHS[1]])
    labels = _labels(page)
    assert labels[CAPTION] is None  # the lead is never a caption
    assert labels[UNDER] is None  # under a heading, not under a paragraph


def test_the_synthetic_lines_are_the_models_to_decide() -> None:
    for text in (CAPTION, UNDER):
        assert caption_score(split_units(text)[0]) == (1, True)
        assert load_model().is_caption(text)
