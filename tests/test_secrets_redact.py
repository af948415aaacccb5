"""`summarizer.secrets`: keys go, ordinary words stay; and recorded bodies (article text) lose
nothing but key-shaped tokens."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.cassettes import scrub_request, scrub_response
from summarizer.secrets import redact, redact_keys

ROOT = Path(__file__).resolve().parent.parent

ORDINARY = [
    "Tỉnh đẩy mạnh risk-management trong đầu tư công; lập task-force liên ngành.",
    "A desk-top review found the risk-management plan sound; the task-force agreed.",
    "Bearer of news: the bearer of bad news was thanked.",
    "Whisk-ingredients-together, then brisk-walk-to-the-kiosk-downtown.",
    "sk-management-consulting-firms-of-hanoi and sk-8 and disk-abcdef12345678901234567890",
    "Ông Nguyễn Văn An (SK-Group) nói: “Rủi ro risk-management là ưu tiên số 1”.",
]
KEYS = [
    "sk-" + "A1b2C3d4E5f6G7h8I9j0" * 2 + "KLMNOPQR",  # legacy: 48 random characters
    "sk-proj-" + "Xy_9-" * 30 + "Qz7",  # project key: long, with "_" and "-"
    "sk-svcacct-AbCdEfGhIjKlMnOpQrStUvWx",
    "sk-test-reliability-0000000000000000",
]


@pytest.fixture(autouse=True)
def no_configured_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_are_never_redacted_from_bodies(text: str) -> None:
    assert redact_keys(text) == text


@pytest.mark.parametrize("text", ORDINARY[:4] + ORDINARY[5:])
def test_ordinary_words_stay_in_messages_too(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("fn", [redact, redact_keys])
def test_real_key_shapes_go(key: str, fn: object) -> None:
    assert callable(fn)
    for text in (key, f"Incorrect API key provided: {key}.", f'{{"key": "{key}"}}', f"({key})"):
        out = fn(text)
        assert key not in out and key[8:] not in out and "[redacted]" in out


def test_messages_also_lose_bearer_tokens_and_api_key_values() -> None:
    assert redact("Authorization: Bearer abcDEF123456789.xyz") == "Authorization: [redacted]"
    assert "abcdefgh1234" not in redact("x-api-key: abcdefgh1234")
    assert "abcdefgh1234" not in redact('{"api_key": "abcdefgh1234"}')
    assert redact("Bearer of news") == "Bearer of news"


def test_the_configured_key_goes_whatever_its_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "azure0123456789abcdef")
    assert redact_keys("echo azure0123456789abcdef risk-management") == (
        "echo [redacted] risk-management"
    )


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_bodies_without_sk_are_untouched(text: str) -> None:
    if "sk-" not in text:
        assert redact_keys(text) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.from_regex(r"[a-z]{1,12}", fullmatch=True), min_size=1, max_size=8))
def test_hyphenated_words_are_untouched(words: list[str]) -> None:
    text = "-".join(words)
    assert redact_keys(text) == text
    assert redact_keys(f"ri{text}") == f"ri{text}"


def test_scrubbing_keeps_article_text_and_drops_keys() -> None:
    article = "Rủi ro: risk-management, task-force, desk-top. Bearer of news."
    body = json.dumps({"messages": [{"role": "user", "content": article}]}, ensure_ascii=False)
    request = SimpleNamespace(
        headers={"Authorization": f"Bearer {KEYS[0]}", "Content-Type": "application/json"},
        uri=f"https://api.example.com/v1/chat/completions?api-key={KEYS[2]}",
        body=body.encode("utf-8"),
    )
    scrubbed = scrub_request(request)
    assert scrubbed.body.decode("utf-8") == body
    assert "Authorization" not in scrubbed.headers and KEYS[2] not in scrubbed.uri
    response = {
        "headers": {"Content-Type": ["application/json"], "Set-Cookie": ["s=1"]},
        "body": {"string": f'{{"content": "{article}", "error": "bad key {KEYS[1]}"}}'.encode()},
    }
    out = scrub_response(response)["body"]["string"].decode("utf-8")
    assert article in out and KEYS[1] not in out and "[redacted]" in out
    assert set(scrub_response(response)["headers"]) == {"Content-Type"}


def test_recorded_cassettes_hold_no_redaction_in_their_text() -> None:
    """The old patterns cut "ri[redacted]" out of "risk-management"; no recording here was
    written with that damage (or holds a key)."""
    paths = sorted((ROOT / "cassettes").rglob("*.yaml"))
    assert paths
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for interaction in data["interactions"]:
            for text in (interaction["request"]["body"], interaction["response"]["body"]["string"]):
                assert "[redacted]" not in (text or ""), path.name
                assert redact_keys(text or "") == (text or ""), path.name
