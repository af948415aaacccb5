"""An in-process OpenAI-compatible chat endpoint (an httpx2 MockTransport) for hostile answers.

Each request is answered by a function of the request's JSON body, which returns a chat
completion body (a dict), raw bytes, or a ready httpx2.Response. Requests are counted and kept,
so a test asserts how many calls a behaviour cost without any timing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
from openai import AsyncOpenAI, DefaultAsyncHttpxClient

from summarizer.tokens import count_tokens

Answer = dict[str, Any] | bytes | httpx2.Response
FAKE_URL = "http://fake-model.test/v1"


def completion(
    content: object,
    *,
    finish_reason: str | None = "stop",
    refusal: str | None = None,
    usage: dict[str, Any] | bool | None = True,
) -> dict[str, Any]:
    """A chat completion body; `usage=True` counts tokens of the content like a server would."""
    choice: dict[str, Any] = {
        "index": 0,
        "message": {"role": "assistant", "content": content, "refusal": refusal},
        "logprobs": None,
    }
    if finish_reason is not None:
        choice["finish_reason"] = finish_reason
    body: dict[str, Any] = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "fake",
        "choices": [choice],
    }
    if usage is True:
        text = content if isinstance(content, str) else json.dumps(content)
        out = count_tokens(text if content is not None else "")
        body["usage"] = {"prompt_tokens": 100, "completion_tokens": out, "total_tokens": 100 + out}
    elif isinstance(usage, dict):
        body["usage"] = usage
    return body


class FakeChat(httpx2.MockTransport):
    def __init__(self, answer: Callable[[dict[str, Any]], Answer]) -> None:
        self.answer = answer
        self.requests: list[dict[str, Any]] = []
        super().__init__(self._handle)

    def _handle(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        answer = self.answer(body)
        if isinstance(answer, httpx2.Response):
            return answer
        if not isinstance(answer, bytes):
            # ASCII escapes, so that a lone surrogate travels as "\ud800" like a server sends it.
            answer = json.dumps(answer, ensure_ascii=True).encode("ascii")
        return httpx2.Response(200, content=answer, headers={"content-type": "application/json"})

    def client(self, base_url: str = FAKE_URL) -> AsyncOpenAI:
        http = DefaultAsyncHttpxClient(transport=self)
        return AsyncOpenAI(base_url=base_url, api_key="sk-test-fake-chat", http_client=http)

    def schema_names(self) -> list[str]:
        return [r["response_format"]["json_schema"]["name"] for r in self.requests]
