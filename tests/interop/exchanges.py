"""What went over the wire to the interop server: every request and answer, with its time."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx2
from openai import AsyncOpenAI


@dataclass(frozen=True)
class Exchange:
    path: str
    status: int
    request: dict[str, Any]
    response: Any  # the parsed JSON body, or the text when it is not JSON
    seconds: float

    @property
    def usage(self) -> dict[str, Any]:
        body = self.response if isinstance(self.response, dict) else {}
        return dict(body.get("usage") or {})

    @property
    def timings(self) -> dict[str, Any]:
        """llama-server's own per-request timings (prompt and generation tokens per second)."""
        body = self.response if isinstance(self.response, dict) else {}
        return dict(body.get("timings") or {})

    @property
    def finish_reason(self) -> str | None:
        body = self.response if isinstance(self.response, dict) else {}
        choices = body.get("choices") or [{}]
        reason = choices[0].get("finish_reason")
        return None if reason is None else str(reason)

    @property
    def content(self) -> str | None:
        body = self.response if isinstance(self.response, dict) else {}
        choices = body.get("choices") or [{}]
        content = (choices[0].get("message") or {}).get("content")
        return None if content is None else str(content)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


class RecordingTransport(httpx2.AsyncHTTPTransport):
    """An ordinary transport that keeps a copy of each exchange."""

    def __init__(self) -> None:
        super().__init__()
        self.exchanges: list[Exchange] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        started = time.monotonic()
        response = await super().handle_async_request(request)
        body = await response.aread()
        self.exchanges.append(
            Exchange(
                path=request.url.path,
                status=response.status_code,
                request=_json(request.content) if request.content else {},
                response=_json(body),
                seconds=time.monotonic() - started,
            )
        )
        # The body is decoded now: headers describing the encoded form no longer apply.
        headers = [
            (k, v)
            for k, v in response.headers.items()
            if k.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
        ]
        return httpx2.Response(response.status_code, headers=headers, content=body, request=request)


def recording_client(base_url: str) -> tuple[AsyncOpenAI, RecordingTransport]:
    transport = RecordingTransport()
    client = AsyncOpenAI(
        base_url=base_url,
        api_key="sk-local-server-needs-no-key",
        http_client=httpx2.AsyncClient(transport=transport),
    )
    return client, transport
