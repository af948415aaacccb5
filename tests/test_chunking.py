from __future__ import annotations

import itertools
import re

import pytest

from summarizer.chunking import chunk
from summarizer.tokens import count_tokens

from .conftest import SEEDS, nfc


def _long_article(paragraphs: int = 200) -> str:
    sentences = [
        "Năm 2022, kim ngạch xuất khẩu của tỉnh đạt trên 5,5 tỷ USD.",
        "Tổng giá trị nhập khẩu hàng hóa đạt gần 9,3 tỷ USD.",
        "Đoàn công tác đã làm việc với Ban Thường vụ Tỉnh ủy Thanh Hóa.",
    ]
    return "\n\n".join(
        f"Đoạn {i}: " + " ".join(sentences[(i + k) % 3] for k in range(4))
        for i in range(paragraphs)
    )


def test_short_text_is_one_chunk() -> None:
    text = "Sáng 6/7, đoàn công tác làm việc với tỉnh.\n\nHai bên trao đổi."
    (only,) = chunk(text)
    assert (only.start, only.end, only.text) == (0, len(text), text)
    assert only.tokens == count_tokens(text)


def test_empty_text_has_no_chunks() -> None:
    assert chunk("") == []


def test_long_article_is_split_within_budget_with_exact_offsets() -> None:
    body = _long_article()
    chunks = chunk(body, max_tokens=400, overlap_tokens=60)
    assert len(chunks) > 10
    for c in chunks:
        assert body[c.start : c.end] == c.text
        assert c.tokens == count_tokens(c.text) <= 400
    # Chunks cover the body in order, overlapping but never leaving a gap.
    assert chunks[0].start == 0 and chunks[-1].end == len(body)
    for a, b in itertools.pairwise(chunks):
        assert a.start < b.start <= a.end
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_chunks_overlap_by_whole_sentences() -> None:
    body = _long_article(60)
    chunks = chunk(body, max_tokens=300, overlap_tokens=80)
    overlaps = [a.end - b.start for a, b in itertools.pairwise(chunks)]
    assert any(o > 0 for o in overlaps)
    for a, b in itertools.pairwise(chunks):
        assert count_tokens(body[b.start : a.end]) <= 80 + 5


def test_prefers_paragraph_boundaries() -> None:
    body = _long_article(40)
    for c in chunk(body, max_tokens=500, overlap_tokens=0):
        assert c.end == len(body) or body[c.end - 2 : c.end] == "\n\n" or body[c.end] == "\n"


def test_never_splits_inside_a_word_or_number() -> None:
    # One overlong "sentence" without full stops forces word-level cuts.
    words = " ".join(f"14,245 tỷ USD và 2.793 triệu USD lần {i}" for i in range(300))
    chunks = chunk(words, max_tokens=120, overlap_tokens=0)
    assert len(chunks) > 5
    for c in chunks:
        assert c.tokens <= 120
        if c.start > 0:
            assert words[c.start - 1].isspace()
        if c.end < len(words):
            assert words[c.end - 1].isspace() or words[c.end].isspace()
    numbers = re.findall(r"[\d.,]+", words)
    assert numbers == [n for c in chunks for n in re.findall(r"[\d.,]+", c.text)]


def test_seed_chunks_are_slices_of_the_text() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = nfc(path.read_text(encoding="utf-8"))
        for c in chunk(text, max_tokens=500, overlap_tokens=50):
            assert text[c.start : c.end] == c.text
            assert c.tokens <= 500


@pytest.mark.parametrize(("max_tokens", "overlap"), [(8, 0), (100, 100), (100, -1)])
def test_bad_budgets_are_rejected(max_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk("x", max_tokens=max_tokens, overlap_tokens=overlap)
