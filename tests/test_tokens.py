from __future__ import annotations

import socket
from typing import Any

import pytest

from summarizer import tokens
from summarizer.errors import TokenizerError


def test_tokenizer_loads_with_networking_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    tokens._build_encoding.cache_clear()
    encoding = tokens.get_encoding()
    # Known o200k_base ids: "hello world" → [24912, 2375].
    assert encoding.encode("hello world") == [24912, 2375]
    text = "Thanh Hóa có 132 dự án FDI với tổng số vốn là 14,245 tỷ USD."
    assert encoding.decode(encoding.encode(text)) == text


def test_count_tokens_counts_vietnamese() -> None:
    assert tokens.count_tokens("Bộ Ngoại giao") > 0
    assert tokens.count_tokens("") == 0


def test_corrupt_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "O200K_BASE_SHA256", "0" * 64)
    tokens._build_encoding.cache_clear()
    try:
        with pytest.raises(TokenizerError, match="corrupt"):
            tokens.get_encoding()
    finally:
        monkeypatch.undo()
        tokens._build_encoding.cache_clear()


def test_unknown_encoding_is_a_clear_error() -> None:
    with pytest.raises(TokenizerError, match="cl100k_base"):
        tokens.get_encoding("cl100k_base")
