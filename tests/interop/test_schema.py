"""Does a real OpenAI-compatible server accept our structured-output requests?

Each request kind (extract_article, extract_chunk, reduce) is sent exactly as the library sends
it (its system prompt, its user message, its strict JSON schema with `$defs`/`$ref`, nullable
fields and `additionalProperties: false`) through `ModelCaller`, with a small output limit so
the check takes seconds. The server must answer 200 with a chat completion whose content is
JSON constrained by the schema, must honour the output limit, and the library must end with a
parsed answer or a typed error.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pydantic import BaseModel

from summarizer.chunking import chunk
from summarizer.errors import OutputTruncatedError, SummarizerError
from summarizer.ingest import load_article
from summarizer.llm import CallSettings, ModelCaller
from summarizer.llm import strict_response_format as _response_format
from summarizer.pipeline import _article_message, _messages, _metadata, as_data
from summarizer.schemas import ArticleExtraction, ChunkExtraction, Summary

from ..conftest import SEEDS, tiny_reference
from . import serve
from .exchanges import recording_client

pytestmark = pytest.mark.interop

KINDS: dict[str, type[BaseModel]] = {
    "extract_article": ArticleExtraction,
    "extract_chunk": ChunkExtraction,
    "reduce": Summary,
}
LIMIT = 48


def _user_message(kind: str) -> str:
    """The user message the pipeline would send for `kind`, built by the pipeline's helpers."""
    article = load_article(SEEDS / "000_69bf44ab3444e1cf.txt")
    parts = chunk(article, 200, 40)
    if kind == "extract_article":
        return _article_message(article, parts[0], 1, with_captions=True)
    if kind == "extract_chunk":
        return _article_message(article, parts[0], len(parts), with_captions=False)
    facts = tiny_reference().facts
    return (
        _metadata(article)
        + "<notes>\n[1] "
        + as_data(parts[0].text[:400])
        + "\n</notes>\n<facts>\n"
        + as_data(facts.model_dump_json())
        + "\n</facts>\n"
    )


async def _ask(server: serve.Server, kind: str) -> tuple[Any, list[Any]]:
    client, transport = recording_client(server.base_url)
    settings = CallSettings(
        model=server.spec.name, max_completion_tokens=LIMIT, max_attempts=1, reasks=0,
        request_timeout=600.0,  # a busy 2-core machine takes minutes over a 3k-token prompt
    )  # fmt: skip
    caller = ModelCaller(client, settings)
    outcome: Any
    try:
        outcome, _ = await caller.parse(_messages(kind, _user_message(kind)), KINDS[kind])
    except SummarizerError as exc:
        outcome = exc
    finally:
        await client.close()
    return outcome, transport.exchanges


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_request_kind_is_accepted(llama: serve.Server, kind: str) -> None:
    outcome, exchanges = asyncio.run(_ask(llama, kind))
    assert exchanges, f"no answer came back: {outcome!r}"
    assert len(exchanges) == 1
    exchange = exchanges[0]
    assert exchange.status == 200, exchange.response
    assert exchange.request["response_format"] == _response_format(KINDS[kind])
    assert isinstance(exchange.response, dict) and exchange.response["object"] == "chat.completion"
    content = exchange.content or ""
    # The schema was enforced by a grammar: the answer opens a JSON object with the schema's
    # first property, where an unconstrained small model writes prose or a ``` fence.
    schema = _response_format(KINDS[kind])["json_schema"]["schema"]
    first = next(iter(schema["properties"]))
    assert content.lstrip().startswith("{"), content[:200]
    assert content.lstrip()[1:].lstrip().startswith(f'"{first}"'), content[:200]
    usage = exchange.usage
    assert usage["prompt_tokens"] > 0
    assert 0 < usage["completion_tokens"] <= LIMIT
    if exchange.finish_reason == "length":
        assert isinstance(outcome, OutputTruncatedError)
    else:
        assert exchange.finish_reason == "stop"
        assert isinstance(outcome, KINDS[kind] | SummarizerError)
