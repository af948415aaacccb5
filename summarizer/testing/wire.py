"""The reference server's HTTP side: the request handler, the listening server, and the faults
that are not answers (an HTTP error, a reset connection, a body cut mid-way, HTML instead of
JSON, a stall) or that bend how an answer is sent (a trickle).

The handler parses a POST and hands it to its owner (`ReferenceServer._serve`), which decides
what to answer and calls back into this module to send it.

May import: the standard library and the testing package's `faults`.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from .faults import Fault, RequestRecord


class Owner(Protocol):
    """What the handler needs from the server it works for."""

    def stats(self) -> dict[str, Any]: ...

    def _serve(self, handler: Handler, request: dict[str, Any]) -> None: ...


class Handler(BaseHTTPRequestHandler):
    server: ReferenceHTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm the body would wait for the
    # client's delayed ACK of the headers (40 ms per answer on Linux).
    disable_nagle_algorithm = True

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

    def _error(
        self,
        status: int,
        message: str,
        headers: Mapping[str, str] | None = None,
        *,
        type_: str = "reference_server_error",
        code: str | int | None = None,
    ) -> None:
        error = {"message": message, "type": type_, "param": None, "code": code or status}
        self._send(status, json.dumps({"error": error}).encode(), headers)

    def do_GET(self) -> None:
        path = self.path.rstrip("/")
        if path.endswith("/models"):
            data = {"object": "list", "data": [{"id": "reference", "object": "model"}]}
            self._send(200, json.dumps(data).encode())
        elif path.endswith("/reference/stats"):
            self._send(200, json.dumps(self.server.owner.stats()).encode())
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


class ReferenceHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Many clients connect at once at the start of a batch: a short listen backlog would drop
    # their SYNs (a one-second retransmit, or a connect timeout the server never sees).
    request_queue_size = 128
    owner: Owner

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout, reset) is part of the game, not a server error.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


def transport_fault(
    handler: Handler, record: RequestRecord, fault: Fault, stopping: threading.Event
) -> bool:
    """Apply a fault that is not an answer; True when the request is done with."""
    if fault.kind == "status":
        headers: dict[str, str] = {}
        if fault.retry_after is not None:
            headers["retry-after"] = fault.retry_after
        if fault.retry_after_ms is not None:
            headers["retry-after-ms"] = str(fault.retry_after_ms)
        message = f"scripted HTTP {fault.status}"
        if fault.echo_key:
            given = handler.headers.get("Authorization", "").removeprefix("Bearer ")
            message = f"Incorrect API key provided: {given}. ({message})"
        record.status = fault.status
        handler._error(fault.status, message, headers)
        return True
    if fault.kind == "reset":
        handler.connection.shutdown(socket.SHUT_RDWR)
        handler.close_connection = True
        return True
    if fault.kind == "reset_mid":
        body = b'{"id": "chatcmpl-ref-cut", "object": "chat.completion", "choices": [{"ind'
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body) * 4))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        # SO_LINGER 0: close() sends a TCP RST instead of a FIN.
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
        return True
    if fault.kind == "not_json":
        body = b"<html><body>502 Bad Gateway</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        record.status = 200
        return True
    if fault.kind == "stall":
        stopping.wait(fault.seconds)
    return False  # stall: then answer (if the client still waits)


def send_trickle(handler: Handler, body: bytes, headers: Mapping[str, str], seconds: float) -> None:
    """Send a 200 with `body` in 20 pieces over `seconds`."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    for k, v in headers.items():
        handler.send_header(k, v)
    handler.end_headers()
    step = max(len(body) // 20, 1)
    for i in range(0, len(body), step):
        handler.wfile.write(body[i : i + step])
        handler.wfile.flush()
        time.sleep(seconds / 20)
