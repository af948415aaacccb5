"""A reference server: an OpenAI-compatible HTTP server that answers from reference annotations.

There is no model on the machines this project is built on, yet its tests must replay honest
recordings of real HTTP exchanges. This server speaks the real Chat Completions wire format
(ids, usage with cached tokens, finish_reason, refusal) and answers structured-output requests
from hand-written reference annotations (`{"facts": FactSheet, "summary": Summary}` per
article):

- an `ArticleExtraction` request gets the facts and summary of the best-matching reference;
- a `ChunkExtraction` request gets the reference facts whose evidence lies in the chunk's text,
  with notes made of those facts' evidence;
- a `Summary` (reduce) request gets the reference summary of the article its facts came from.

Tests script faults to exercise retries and error paths: `server.script(Fault.status(429), ...)`
queues one fault per coming request. Use it in your own tests too:

    with ReferenceServer.from_dir("tests/reference") as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        digest = summarize("page.txt", client=client)
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from .schemas import FACT_KINDS, ArticleExtraction
from .tokens import get_encoding

FaultKind = Literal[
    "status",
    "not_json",
    "schema_mismatch",
    "length",
    "refusal",
    "content_filter",
    "stall",
    "reset",
    "trickle",
]


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour, applied to one request."""

    kind: FaultKind
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0

    @staticmethod
    def http(status: int, retry_after: str | None = None) -> Fault:
        return Fault("status", status=status, retry_after=retry_after)

    @staticmethod
    def of(kind: FaultKind, seconds: float = 0.0) -> Fault:
        return Fault(kind, seconds=seconds)


_TAG = re.compile(r"<(article|captions|facts|notes)\b[^>]*>(.*?)</\1>", re.DOTALL)
_CACHE_BLOCK = 128
_CACHE_MIN = 1024


def _fold(text: str) -> str:
    """NFC without white space: tolerant of the cleaner's spacing fixes."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@dataclass
class _Reference:
    name: str
    answer: ArticleExtraction
    folded_evidence: list[str] = field(default_factory=list)


class ReferenceBook:
    """The reference annotations, and the rules for answering a request from them."""

    def __init__(self, references: Mapping[str, ArticleExtraction]) -> None:
        self.references = [
            _Reference(
                name,
                answer,
                [_fold(f.evidence) for kind in FACT_KINDS for f in getattr(answer.facts, kind)],
            )
            for name, answer in sorted(references.items())
        ]

    @classmethod
    def from_dir(cls, folder: str | Path) -> ReferenceBook:
        files = sorted(Path(folder).glob("*.json"))
        return cls({f.stem: ArticleExtraction.model_validate_json(f.read_bytes()) for f in files})

    def _best(self, folded_text: str) -> _Reference | None:
        scores = [(sum(e in folded_text for e in r.folded_evidence), r) for r in self.references]
        score, best = max(scores, key=lambda s: s[0], default=(0, None))
        return best if score else None

    def answer(self, schema_name: str, user_text: str) -> dict[str, Any]:
        sections: dict[str, str] = {}
        for m in _TAG.finditer(user_text):
            sections[m.group(1)] = sections.get(m.group(1), "") + m.group(2)
        source = _fold(sections.get("article", "") + sections.get("captions", ""))
        if schema_name == "Summary":
            ref = self._best(_fold(user_text))
            if ref is None:
                raise LookupError("no reference article matches these facts")
            return ref.answer.summary.model_dump(mode="json")
        ref = self._best(source)
        if ref is None:
            raise LookupError("no reference article matches this text")
        facts = {
            kind: [
                f.model_dump(mode="json")
                for f in getattr(ref.answer.facts, kind)
                if _fold(f.evidence) in source
            ]
            for kind in FACT_KINDS
        }
        if schema_name == "ArticleExtraction":
            return {"facts": facts, "summary": ref.answer.summary.model_dump(mode="json")}
        if schema_name == "ChunkExtraction":
            notes = [s["evidence"] for s in facts["statements"] + facts["events"]][:6]
            return {"facts": facts, "notes": notes}
        raise LookupError(f"no reference answer for schema {schema_name!r}")


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        body = {"error": {"message": message, "type": "reference_server_error", "code": status}}
        self._send(status, json.dumps(body).encode(), headers)

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            data = {"object": "list", "data": [{"id": "reference", "object": "model"}]}
            self._send(200, json.dumps(data).encode())
        else:
            self._error(404, "not found")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._error(404, f"unknown path {self.path}")
            return
        try:
            request = json.loads(raw)
        except json.JSONDecodeError:
            self._error(400, "request body is not JSON")
            return
        self.server.owner._serve(self, request)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: ReferenceServer


class ReferenceServer:
    """The reference server on 127.0.0.1, in a background thread (use as a context manager)."""

    def __init__(
        self, book: ReferenceBook, *, port: int = 0, latency: float = 0.0, host: str = "127.0.0.1"
    ) -> None:
        self.book = book
        self.latency = latency
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._seen_prefixes: dict[str, int] = {}  # static prefix hash → its token count
        self.requests: list[dict[str, Any]] = []
        self._http = _HTTPServer((host, port), _Handler)
        self._http.owner = self
        self._thread: threading.Thread | None = None

    @classmethod
    def from_dir(cls, folder: str | Path, **kwargs: Any) -> ReferenceServer:
        return cls(ReferenceBook.from_dir(folder), **kwargs)

    @property
    def base_url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *faults: Fault) -> None:
        """Queue faults: each of the next requests gets the next fault, then normal answers."""
        with self._lock:
            self._faults.extend(faults)

    def start(self) -> ReferenceServer:
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- answering -------------------------------------------------------------------------

    def _serve(self, handler: _Handler, request: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(request)
            fault = self._faults.popleft() if self._faults else None
        if self.latency:
            time.sleep(self.latency)
        if fault is not None and fault.kind == "status":
            headers = {"retry-after": fault.retry_after} if fault.retry_after else {}
            handler._error(fault.status, f"scripted HTTP {fault.status}", headers)
            return
        if fault is not None and fault.kind == "reset":
            handler.connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True
            return
        if fault is not None and fault.kind == "stall":
            time.sleep(fault.seconds)
        if fault is not None and fault.kind == "not_json":
            body = b"<html><body>502 Bad Gateway</body></html>"
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        try:
            completion = self._complete(request, fault)
        except LookupError as exc:
            handler._error(400, str(exc))
            return
        body = json.dumps(completion, ensure_ascii=False).encode()
        if fault is not None and fault.kind == "trickle":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            step = max(len(body) // 20, 1)
            for i in range(0, len(body), step):
                handler.wfile.write(body[i : i + step])
                handler.wfile.flush()
                time.sleep(fault.seconds / 20)
            return
        handler._send(200, body)

    def _complete(self, request: dict[str, Any], fault: Fault | None) -> dict[str, Any]:
        messages: list[dict[str, Any]] = request.get("messages", [])
        schema = (request.get("response_format") or {}).get("json_schema") or {}
        schema_name = str(schema.get("name", ""))
        user_text = "\n".join(
            str(m.get("content", "")) for m in messages if m.get("role") == "user"
        )
        finish = "stop"
        refusal: str | None = None
        content: str | None
        if fault is not None and fault.kind == "refusal":
            content, refusal = None, "I'm sorry, I can't help with that request."
        else:
            answer = self.book.answer(schema_name, user_text)
            content = json.dumps(answer, ensure_ascii=False)
            if fault is not None and fault.kind == "schema_mismatch":
                content = json.dumps({"unexpected": True, "facts": "none"})
            elif fault is not None and fault.kind == "length":
                content, finish = content[: len(content) // 2], "length"
            elif fault is not None and fault.kind == "content_filter":
                content, finish = None, "content_filter"
        prompt_tokens, cached = self._prompt_tokens(messages, schema)
        completion_tokens = len(get_encoding().encode(content or refusal or ""))
        digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
        return {
            "id": f"chatcmpl-ref-{digest[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(request.get("model", "reference")),
            "system_fingerprint": "reference-server",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": content,
                        "refusal": refusal,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": finish,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
            },
        }

    def _prompt_tokens(
        self, messages: Iterable[dict[str, Any]], schema: dict[str, Any]
    ) -> tuple[int, int]:
        """Prompt tokens, and how many of them a prompt cache would have served.

        Like OpenAI's cache: a prefix of at least 1,024 tokens seen before is served from the
        cache in blocks of 128 tokens. The static prefix is the schema and the system message.
        """
        encode = get_encoding().encode
        messages = list(messages)
        static = json.dumps(schema, sort_keys=True) + "".join(
            str(m.get("content", "")) for m in messages if m.get("role") == "system"
        )
        dynamic = "".join(str(m.get("content", "")) for m in messages if m.get("role") != "system")
        key = hashlib.sha256(static.encode()).hexdigest()
        with self._lock:
            static_tokens = self._seen_prefixes.get(key)
            seen = static_tokens is not None
        if static_tokens is None:
            static_tokens = len(encode(static, disallowed_special=()))
            with self._lock:
                self._seen_prefixes[key] = static_tokens
        total = static_tokens + len(encode(dynamic, disallowed_special=())) + 4 * len(messages)
        cached = 0
        if seen and static_tokens >= _CACHE_MIN:
            cached = static_tokens // _CACHE_BLOCK * _CACHE_BLOCK
        return total, cached
