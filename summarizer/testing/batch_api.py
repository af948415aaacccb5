"""The reference server with a Batch API: `/v1/files` and `/v1/batches`, answered offline.

`BatchReferenceServer` is a `ReferenceServer` (chat completions, faults, rules, limits, all as
before) that also speaks the OpenAI Batch API's wire format, enough for the official client:

- `POST /v1/files` (multipart upload, purpose "batch"), `GET /v1/files/{id}`,
  `GET /v1/files/{id}/content`;
- `POST /v1/batches` (create, with metadata), `GET /v1/batches/{id}` (retrieve),
  `GET /v1/batches?limit=&after=` (list, newest first), `POST /v1/batches/{id}/cancel`.

Time is counted in polls, not seconds: a batch is `validating` when created, `in_progress` from
its first retrieve, and done on its `polls_to_complete`-th retrieve (readable and settable while
the server runs), so tests are event-driven and a bench's "24 hours" is a number of polls. Each
line is answered by the reference server's own logic (`ReferenceBook`, with its faults: a rule
or a scripted fault applies to batch lines as to chat requests). A status fault becomes an
error-file line with that status, a transport fault (reset, stall, not JSON) a 500 line; answer
faults (schema mismatch, length, refusal) are answers. `expire_next(n)` makes the next `n`
batches created expire with half of their lines answered (the rest `batch_expired` in the error
file); a cancelled batch ends with its lines `batch_cancelled`. An input file a real server would
refuse (a line that is not a chat completion request, a repeated custom_id) fails validation.

Counters for tests: `creations` (batches created), `uploads`, `lines` (how many times each
custom_id was submitted). `hold_creates` (a threading.Event) holds each create's response until
it is set, after the batch exists: the client's view of a create whose response was lost.
`wait_for(predicate, timeout)` blocks until the server's state satisfies `predicate`.

From the command line: `summarizer reference-server --batch-polls N` (see `run_batch_server`).

May import: the standard library and the testing package's modules.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import email.policy
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .command import server_options
from .faults import TRANSPORT_KINDS
from .reference import ReferenceBook, request_key
from .server import ReferenceServer
from .wire import Handler  # the reference server's HTTP handler, extended below

TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})


@dataclass
class _File:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int

    def json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }


@dataclass
class _Batch:
    id: str
    input_file_id: str
    metadata: dict[str, str]
    created_at: int
    total: int
    expires: bool
    status: str = "validating"
    polls: int = 0
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "input_file_id": self.input_file_id,
            "completion_window": "24h",
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": self.created_at,
            "expires_at": self.created_at + 86400,
            "request_counts": {
                "total": self.total,
                "completed": self.completed,
                "failed": self.failed,
            },
            "metadata": self.metadata,
        }


class BatchReferenceServer(ReferenceServer):
    """The reference server plus the Batch API (see the module docstring)."""

    def __init__(self, book: ReferenceBook, *, polls_to_complete: int = 2, **kwargs: Any) -> None:
        super().__init__(book, **kwargs)
        self._http.RequestHandlerClass = _BatchHandler
        self.polls_to_complete = polls_to_complete
        self.files: dict[str, _File] = {}
        self.batches: dict[str, _Batch] = {}
        self.creations = 0
        self.uploads = 0
        self.lines: Counter[str] = Counter()
        self.hold_creates: threading.Event | None = None
        self._expire = 0
        self._ids = 0

    @classmethod
    def from_dir(cls, folder: Any, **kwargs: Any) -> BatchReferenceServer:
        return cls(ReferenceBook.from_dir(folder), **kwargs)

    def expire_next(self, count: int = 1) -> None:
        with self._lock:
            self._expire += count

    def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Block until `predicate()` (called under the server's lock) holds; False on timeout."""
        with self._changed:
            return self._changed.wait_for(predicate, timeout)

    def _new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids:06d}"

    # -- files -----------------------------------------------------------------------------

    def upload(self, filename: str, purpose: str, data: bytes) -> _File:
        with self._changed:
            stored = _File(self._new_id("file-ref-"), filename, purpose, data, int(time.time()))
            self.files[stored.id] = stored
            self.uploads += 1
            self._changed.notify_all()
        return stored

    def _output(self, name: str, lines: list[dict[str, Any]]) -> str | None:
        if not lines:
            return None
        data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        return self.upload(name, "batch_output", data.encode()).id

    # -- batches ---------------------------------------------------------------------------

    def create(self, input_file_id: str, metadata: dict[str, str]) -> _Batch:
        with self._changed:
            source = self.files.get(input_file_id)
            if source is None:
                raise KeyError(input_file_id)
            expires = self._expire > 0
            self._expire -= int(expires)
            batch = _Batch(
                id=self._new_id("batch_ref_"),
                input_file_id=input_file_id,
                metadata=dict(metadata),
                created_at=int(time.time()),
                total=source.data.count(b"\n"),
                expires=expires,
            )
            self.batches[batch.id] = batch
            self.creations += 1
            self._changed.notify_all()
        return batch

    def poll(self, batch_id: str) -> _Batch:
        with self._changed:
            batch = self.batches[batch_id]
            batch.polls += 1
            finish: bool | None = None  # True: cancelled
            if batch.status == "validating":
                batch.status = "in_progress"
            if batch.status == "in_progress" and batch.polls >= self.polls_to_complete:
                batch.status, finish = "finalizing", False
            elif batch.status == "in_progress":
                batch.completed = batch.total * batch.polls // max(self.polls_to_complete, 1)
            elif batch.status == "cancelling":
                batch.status, finish = "finalizing", True
            self._changed.notify_all()
        if finish is not None:
            self._finish(batch, cancelled=finish)
        return batch

    def cancel(self, batch_id: str) -> _Batch:
        with self._changed:
            batch = self.batches[batch_id]
            if batch.status not in TERMINAL:
                batch.status = "cancelling"
            self._changed.notify_all()
        return batch

    def _finish(self, batch: _Batch, *, cancelled: bool) -> None:
        requests, problem = _read_requests(self.files[batch.input_file_id].data)
        if problem is not None:
            with self._changed:
                batch.errors = [{"code": "invalid_request", "message": problem, "line": None}]
                batch.status = "failed"
                self._changed.notify_all()
            return
        done: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        cut = len(requests) // 2 if batch.expires else len(requests)
        for i, (custom_id, body) in enumerate(requests):
            self.lines[custom_id] += 1
            if cancelled or i >= cut:
                code = "batch_cancelled" if cancelled else "batch_expired"
                errors.append(_error_line(custom_id, None, code, "not run before the batch ended"))
                continue
            line = self._answer_line(custom_id, body)
            (done if line["response"]["status_code"] == 200 else errors).append(line)
        batch.output_file_id = self._output(f"{batch.id}_output.jsonl", done)
        batch.error_file_id = self._output(f"{batch.id}_error.jsonl", errors)
        with self._changed:
            batch.completed, batch.failed = len(done), len(errors)
            batch.status = "cancelled" if cancelled else "expired" if batch.expires else "completed"
            self._changed.notify_all()

    def run_requests(self, data: bytes) -> bytes:
        """One results file for a request file, the way vLLM's `run_batch` writes it (answers
        and failed lines together); ValueError for a file a batch engine would refuse."""
        requests, problem = _read_requests(data)
        if problem is not None:
            raise ValueError(problem)
        lines = []
        for custom_id, body in requests:
            self.lines[custom_id] += 1
            lines.append(json.dumps(self._answer_line(custom_id, body), ensure_ascii=False))
        return "".join(line + "\n" for line in lines).encode()

    def _answer_line(self, custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
        user_text = "\n".join(
            str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user"
        )
        with self._lock:
            fault = self._pick_fault(request_key(body), user_text)
        if fault is not None:
            with self._lock:
                self.faults_injected[fault.label] += 1
            if fault.kind == "status":
                return _error_line(custom_id, fault.status, "scripted", f"HTTP {fault.status}")
            if fault.kind in TRANSPORT_KINDS:  # status: above
                return _error_line(custom_id, 500, "server_error", f"scripted {fault.kind}")
        try:
            completion = self.completions.complete(body, fault)
        except LookupError as exc:
            return _error_line(custom_id, 400, "invalid_request", str(exc))
        response = {"status_code": 200, "request_id": f"req_{custom_id[:12]}", "body": completion}
        return {"id": f"batch_req_{custom_id[:16]}", "custom_id": custom_id,
                "response": response, "error": None}  # fmt: skip


def _error_line(custom_id: str, status: int | None, code: str, message: str) -> dict[str, Any]:
    line: dict[str, Any] = {"id": f"batch_req_{custom_id[:16]}", "custom_id": custom_id}
    error = {"message": message, "type": "server_error", "code": code}
    if status is None:
        return {**line, "response": None, "error": {"code": code, "message": message}}
    response = {"status_code": status, "request_id": "req_err", "body": {"error": error}}
    return {**line, "response": response, "error": None}


def _read_requests(data: bytes) -> tuple[list[tuple[str, dict[str, Any]]], str | None]:
    """The input file's (custom_id, body) lines, or the reason a real server would refuse it."""
    requests: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for number, raw in enumerate(data.splitlines(), 1):
        try:
            line = json.loads(raw)
        except ValueError:
            return [], f"line {number} is not JSON"
        custom_id = line.get("custom_id") if isinstance(line, dict) else None
        if not isinstance(custom_id, str) or not isinstance(line.get("body"), dict):
            return [], f"line {number} has no custom_id or body"
        if line.get("method") != "POST" or line.get("url") != "/v1/chat/completions":
            return [], f"line {number} is not a POST to /v1/chat/completions"
        if custom_id in seen:
            return [], f"line {number} repeats custom_id {custom_id}"
        seen.add(custom_id)
        requests.append((custom_id, line["body"]))
    return requests, None


class _BatchHandler(Handler):
    server: Any

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode())

    def do_GET(self) -> None:
        owner: BatchReferenceServer = self.server.owner
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/").split("/")
        if path[-2:-1] == ["files"] or path[-3:-2] == ["files"]:
            stored = owner.files.get(path[-1] if path[-2] == "files" else path[-2])
            if stored is None:
                self._error(404, "no such file")
            elif path[-1] == "content":
                self._send(200, stored.data, {"Content-Type": "application/octet-stream"})
            else:
                self._json(200, stored.json())
        elif path[-1] == "batches":
            self._list(owner, parse_qs(parts.query))
        elif path[-2:-1] == ["batches"]:
            if path[-1] not in owner.batches:
                self._error(404, "no such batch")
            else:
                self._json(200, owner.poll(path[-1]).json())
        else:
            super().do_GET()

    def _list(self, owner: BatchReferenceServer, query: dict[str, list[str]]) -> None:
        with owner._lock:
            ordered = sorted(owner.batches.values(), key=lambda b: b.id, reverse=True)
            data = [b.json() for b in ordered]
        after = query.get("after", [None])[0]
        if after is not None:
            ids = [b["id"] for b in data]
            data = data[ids.index(after) + 1 :] if after in ids else []
        limit = int(query.get("limit", ["20"])[0])
        page = data[:limit]
        self._json(
            200,
            {
                "object": "list",
                "data": page,
                "first_id": page[0]["id"] if page else None,
                "last_id": page[-1]["id"] if page else None,
                "has_more": len(data) > limit,
            },
        )

    def do_POST(self) -> None:
        owner: BatchReferenceServer = self.server.owner
        path = self.path.rstrip("/").split("?")[0].split("/")
        if path[-1] not in ("files", "batches", "cancel"):
            super().do_POST()
            return
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if path[-1] == "files":
            self._upload(owner, raw)
        elif path[-1] == "batches":
            self._create(owner, raw)
        elif path[-2] in owner.batches:
            self._json(200, owner.cancel(path[-2]).json())
        else:
            self._error(404, "no such batch")

    def _upload(self, owner: BatchReferenceServer, raw: bytes) -> None:
        head = f"Content-Type: {self.headers.get('Content-Type', '')}\r\n\r\n".encode()
        message = email.message_from_bytes(head + raw, policy=email.policy.HTTP)
        fields: dict[str, tuple[str | None, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                fields[name] = (part.get_filename(), payload)
        if "file" not in fields or "purpose" not in fields:
            self._error(400, "an upload needs 'file' and 'purpose'")
            return
        filename, data = fields["file"]
        stored = owner.upload(filename or "upload", fields["purpose"][1].decode(), data)
        self._json(200, stored.json())

    def _create(self, owner: BatchReferenceServer, raw: bytes) -> None:
        try:
            request = json.loads(raw)
            batch = owner.create(request["input_file_id"], request.get("metadata") or {})
        except (ValueError, KeyError, TypeError):
            self._error(400, "a batch needs the input_file_id of an uploaded file")
            return
        hold = owner.hold_creates
        if hold is not None:
            hold.wait(timeout=60)  # the batch exists; its creator has not heard yet
        self._json(200, batch.json())


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--batch-polls",
        type=int,
        metavar="N",
        help="also serve /v1/files and /v1/batches; a batch completes on its Nth poll",
    )


def run_batch_server(args: argparse.Namespace) -> int:
    """`summarizer reference-server --batch-polls N`: serve until SIGINT, like the reference
    server (`args`: annotations, port, latency and the fault options)."""
    server = BatchReferenceServer.from_dir(
        args.annotations,
        port=args.port,
        latency=args.latency,
        polls_to_complete=args.batch_polls,
        **server_options(args),
    )
    with server:
        print(
            f"reference server on {server.base_url} with a Batch API (a batch completes on its"
            f" poll {args.batch_polls}; annotations: {args.annotations})",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


__all__ = ["BatchReferenceServer", "add_batch_arguments", "run_batch_server"]
