"""What each request sends: a small byte-stable prefix, the glossary rows the text names in the
user message, and a reduce call without evidence quotes (bench/tokens.py measures the totals)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from openai import AsyncOpenAI
from pydantic import BaseModel

from summarizer import summarize
from summarizer.llm import strict_response_format
from summarizer.pipeline import as_data
from summarizer.prompts import LOOKED_UP, glossary, glossary_rows, glossary_section, system_prompt
from summarizer.schemas import ArticleExtraction, ChunkExtraction, Summary
from summarizer.testing import ReferenceServer
from summarizer.tokens import count_tokens

from .conftest import REFERENCE, SEEDS

KINDS: dict[str, type[BaseModel]] = {
    "extract_article": ArticleExtraction,
    "extract_chunk": ChunkExtraction,
    "reduce": Summary,
}
SECTION = re.compile(r"<(glossary|notes|facts)>\n(.*?)\n</\1>", re.DOTALL)


@pytest.fixture
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer.from_dir(REFERENCE) as s:
        yield s


def _client(server: ReferenceServer) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=server.base_url, api_key="sk-test-prompt-tokens")


def _prefix(kind: str) -> str:
    return system_prompt(kind)[0] + json.dumps(strict_response_format(KINDS[kind]))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_fixed_prefix_is_at_most_2500_tokens(kind: str) -> None:
    # Before: 4,455 for extract_article (the whole glossary, six evidence descriptions).
    assert count_tokens(_prefix(kind)) <= 2500


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_names_and_types_only(kind: str) -> None:
    schema = json.dumps(strict_response_format(KINDS[kind]))
    assert '"description"' not in schema and '"title"' not in schema


@pytest.mark.parametrize("kind", ["extract_article", "extract_chunk"])
def test_evidence_rule_is_said_once(kind: str) -> None:
    assert _prefix(kind).count("verbatim") == 1
    assert "character for character" in system_prompt(kind)[0]


def test_system_prompts_hold_the_title_rows_only() -> None:
    _, rows = glossary()
    for kind in ("extract_article", "extract_chunk"):
        system = system_prompt(kind)[0]
        for row in rows:
            assert (row.line in system) == (row.kind == "title"), (kind, row)
    reduce = system_prompt("reduce")[0]
    assert not any(row.line in reduce for row in rows)


def test_versions_name_the_glossary() -> None:
    for kind in KINDS:
        assert "glossary/2" in system_prompt(kind)[1].split("+")


def test_lookup_ignores_case_tone_placement_and_spacing() -> None:
    english = {r.english for r in glossary_rows("Đoàn công tác tới  TỈNH   THANH HOÁ hôm qua")}
    assert "Thanh Hoa Province" in english
    assert {r.english for r in glossary_rows("hợp tác với Cô Oét")} == {"Kuwait"}


def test_lookup_takes_whole_words_and_only_the_kinds_asked() -> None:
    assert glossary_rows("WBX và AWB") == []
    assert [r.english for r in glossary_rows("vốn vay WB")] == ["World Bank"]
    # Titles are in the system prompt: by default only the organisation is looked up.
    assert [r.english for r in glossary_rows("Bí thư Tỉnh ủy")] == ["Provincial Party Committee"]
    titles = glossary_rows("Bí thư Tỉnh ủy", {"title"})
    assert [r.english for r in titles] == ["Secretary of the Provincial Party Committee"]


def test_known_english_is_left_out_and_no_match_is_no_section() -> None:
    assert glossary_section("không có tên nào") == ""
    text = "Bộ Ngoại giao và Hàn Quốc"
    section = glossary_section(text, known="Ministry of Foreign Affairs")
    assert section == "<glossary>\nHàn Quốc = South Korea\n</glossary>\n"


def test_article_cannot_open_or_close_the_glossary() -> None:
    assert as_data("x </glossary> y <Glossary>") == "x ＜/glossary> y ＜Glossary>"


def test_user_message_carries_the_rows_its_text_names(server: ReferenceServer) -> None:
    summarize(SEEDS / "000_69bf44ab3444e1cf.txt", client=_client(server))
    (request,) = server.requests
    user = request["messages"][1]["content"]
    assert user.index("</metadata>") < user.index("<glossary>") < user.index("<article ")
    rows = dict(m.groups() for m in SECTION.finditer(user))["glossary"].splitlines()
    assert "tỉnh Thanh Hóa / Thanh Hóa = Thanh Hoa Province" in rows
    assert not any("Thai Binh" in row for row in rows)  # another seed's province
    assert not any(row.endswith("Secretary of the Provincial Party Committee") for row in rows)


def test_reduce_gets_facts_without_evidence_and_only_new_rows(server: ReferenceServer) -> None:
    small = {"max_chunk_tokens": 600, "overlap_tokens": 120, "backoff_initial": 0.0}
    digest = summarize(SEEDS / "001_8949947c50df7356.txt", client=_client(server), **small)
    reduce = server.requests[-1]
    assert reduce["response_format"]["json_schema"]["name"] == "Summary"
    user = reduce["messages"][1]["content"]
    sections = dict(m.groups() for m in SECTION.finditer(user))
    facts = json.loads(sections["facts"])
    assert facts and all(
        "evidence" not in fact and None not in fact.values()
        for items in facts.values()
        for fact in items
    )
    for kind, items in facts.items():
        assert len(items) == len(getattr(digest.facts, kind))
    sheet = sections["facts"]
    named = {r.line: r for r in glossary_rows(sheet, {"title", *LOOKED_UP})}
    for line in sections.get("glossary", "").splitlines():
        assert line in named and named[line].english not in sheet, line
