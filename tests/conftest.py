from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openai import AsyncOpenAI

from summarizer.cassettes import (
    STABLE_HOST,
    ReadableYaml,
    json_body_matcher,
    scrub_request,
    scrub_response,
)
from summarizer.schemas import ArticleExtraction
from summarizer.testing import ReferenceBook, ReferenceServer

# vcrpy logs each raw response at INFO before it is scrubbed: keep that out of test logs.
logging.getLogger("vcr").setLevel(logging.WARNING)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REFERENCE = Path(__file__).resolve().parent / "reference"
CASSETTES = ROOT / "cassettes"

TINY_PAGE = (
    "Thanh Hóa tiếp đoàn Bộ Ngoại giao\n\n"
    "Sáng 6/7, Thứ trưởng Bộ Ngoại giao Lê Hoài Trung làm việc với tỉnh Thanh Hóa. "
    "Chủ tịch UBND tỉnh Nguyễn Đình Xứng tiếp và làm việc với đoàn.\n\n"
    "Hiện nay, Thanh Hoá có 132 dự án FDI với tổng số vốn là 14,245 tỷ USD.\n"
)


def tiny_reference() -> ArticleExtraction:
    """A small hand-written reference answer for TINY_PAGE (used by unit tests)."""
    return ArticleExtraction.model_validate(
        {
            "facts": {
                "people": [
                    {
                        "name": "Lê Hoài Trung",
                        "role_vi": "Thứ trưởng Bộ Ngoại giao",
                        "role_en": "Deputy Minister of Foreign Affairs",
                        "organization": "Bộ Ngoại giao",
                        "evidence": "Sáng 6/7, Thứ trưởng Bộ Ngoại giao Lê Hoài Trung làm việc"
                        " với tỉnh Thanh Hóa.",
                    }
                ],
                "organizations": [],
                "places": [],
                "figures": [
                    {
                        "text": "14,245 tỷ USD",
                        "value": 14245000000,
                        "unit": "USD",
                        "measure_vi": "tổng vốn FDI",
                        "measure_en": "total FDI capital",
                        "period": None,
                        "evidence": "Hiện nay, Thanh Hoá có 132 dự án FDI với tổng số vốn là"
                        " 14,245 tỷ USD.",
                    }
                ],
                "events": [],
                "statements": [],
            },
            "summary": {
                "headline_vi": "Thứ trưởng Lê Hoài Trung làm việc với Thanh Hóa",
                "headline_en": "Deputy Minister Le Hoai Trung works with Thanh Hoa",
                "summary_vi": "Thanh Hóa có 132 dự án FDI với tổng vốn 14,245 tỷ USD.",
                "summary_en": "Thanh Hoa has 132 FDI projects worth US$14.245 billion.",
                "key_points_vi": ["132 dự án FDI"],
                "key_points_en": ["132 FDI projects"],
            },
        }
    )


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture
def tiny_server() -> Iterator[ReferenceServer]:
    with ReferenceServer(ReferenceBook({"tiny": tiny_reference()})) as server:
        yield server


# -- cassettes ---------------------------------------------------------------------------------
# Recorded with `pytest --record-mode=rewrite` (see cassettes/README.md); CI replays with
# record mode "none" (pyproject addopts), so a missing recording fails instead of calling out.


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_serializer("yaml", ReadableYaml)
    vcr.register_matcher("json_body", json_body_matcher)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "serializer": "yaml",
        "match_on": ["method", "path", "json_body"],
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        "decode_compressed_response": True,
        "allow_playback_repeats": False,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture
def model_client(record_mode: str) -> Iterator[AsyncOpenAI]:
    """A client for cassette tests: the reference server when recording, nothing when replaying
    (vcrpy answers from the cassette before any connection is made)."""
    if record_mode == "none":
        yield AsyncOpenAI(base_url=STABLE_HOST + "/v1", api_key="sk-replay-not-a-real-key")
        return
    with ReferenceServer.from_dir(REFERENCE) as server:
        yield AsyncOpenAI(base_url=server.base_url, api_key="sk-record-not-a-real-key")
