"""The review server: the page and its JSON API for one output folder, on 127.0.0.1 (the
standard library's ThreadingHTTPServer), with the Host, Origin and token checks and the
Content-Security-Policy; also serves the corpus view at /corpus and /corpus.json.

Imports the review's store and page, and (lazily, per request) the corpus view."""

from __future__ import annotations

import contextlib
import hmac
import json
import secrets
import sys
import threading
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .decisions import _MAX_BODY, ReviewError
from .page import build_page, script_json
from .store import ReviewStore

# --------------------------------------------------------------------------------------------
# The server


_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _csp(nonce: str) -> str:
    return (
        "default-src 'none'; "
        f"script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    review: ReviewServer


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "summarizer-review"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.review.verbose:
            super().log_message(format, *args)

    # -- plumbing -------------------------------------------------------------------------

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in {**_SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, script_json(data).encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _host_ok(self) -> bool:
        return self.headers.get("Host", "") in self.server.review.allowed_hosts

    def _segments(self) -> list[str] | None:
        """Path segments, percent-decoded one by one (so %2F stays inside its segment)."""
        path = urlsplit(self.path).path
        if not path.startswith("/"):
            return None
        return [unquote(s, errors="strict") for s in path.split("/")[1:]]

    # -- methods --------------------------------------------------------------------------

    def _guarded(self, handler: Any) -> None:
        """Run `handler`; an unexpected error answers 500 (logged), not a dropped connection."""
        try:
            handler()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:
            self.close_connection = True
            print(f"review server: {type(exc).__name__}: {exc}", file=sys.stderr)
            with contextlib.suppress(OSError):
                self._error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error (see the terminal)")

    def do_HEAD(self) -> None:
        self._guarded(self._get)

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _get(self) -> None:
        if not self._host_ok():
            self._error(HTTPStatus.FORBIDDEN, "unexpected Host header")
            return
        try:
            parts = self._segments()
        except UnicodeDecodeError:
            parts = None
        review = self.server.review
        try:
            if parts in ([""], ["index.html"]):
                nonce = secrets.token_urlsafe(16)
                boot = {**review.store.boot(), "mode": "server", "token": review.token}
                page = build_page(boot, nonce=nonce, corpus_link=True)
                self._send(
                    HTTPStatus.OK,
                    page.encode("utf-8"),
                    "text/html; charset=utf-8",
                    {"Content-Security-Policy": _csp(nonce)},
                )
            elif parts == ["corpus"]:  # the corpus view (summarizer.corpus.view)
                from ..corpus.view import corpus_page

                nonce = secrets.token_urlsafe(16)
                csp = {"Content-Security-Policy": _csp(nonce)}
                self._send(
                    HTTPStatus.OK, corpus_page(nonce).encode(), "text/html; charset=utf-8", csp
                )
            elif parts == ["corpus.json"]:
                from ..corpus.view import corpus_data

                self._json(HTTPStatus.OK, corpus_data(review.store.out_dir))
            elif parts == ["api", "articles"]:
                self._json(HTTPStatus.OK, {"articles": review.store.article_list()})
            elif parts is not None and len(parts) == 3 and parts[:2] == ["api", "article"]:
                self._json(HTTPStatus.OK, review.store.article_view(parts[2]))
            else:
                self._error(HTTPStatus.NOT_FOUND, "not found")
        except ReviewError as exc:
            self._error(exc.status, str(exc))

    def _post(self) -> None:
        review = self.server.review
        refusal = self._refuse_write()
        if refusal is not None:
            # Drain a small body so the connection stays usable; close it otherwise.
            self.close_connection = True
            self._error(*refusal)
            return
        try:
            parts = self._segments()
        except UnicodeDecodeError:
            parts = None
        if not (
            parts is not None
            and len(parts) == 4
            and parts[:2] == ["api", "article"]
            and parts[3] in ("decision", "discard")
        ):
            self.close_connection = True
            self._error(HTTPStatus.NOT_FOUND, "not found")
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.close_connection = True
            self._error(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
            return
        if length < 0 or length > _MAX_BODY:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request too large")
            return
        raw = self.rfile.read(length)
        try:
            payload = json.loads(raw.decode("utf-8"))
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "body must be a JSON object")
            return
        stem, action = parts[2], parts[3]
        fid = payload.get("fact_id")
        try:
            if not isinstance(fid, str):
                raise ReviewError("fact_id must be a string")
            if action == "discard":
                state = review.store.discard(stem, fid)
            else:
                note = payload.get("note")
                state = review.store.decide(
                    stem,
                    fid,
                    payload.get("decision"),
                    note=note,
                    correction=payload.get("correction"),
                )
        except ReviewError as exc:
            self._error(exc.status, str(exc))
            return
        self._json(HTTPStatus.OK, state)

    def _refuse_write(self) -> tuple[int, str] | None:
        """Why this write must be refused (status, message), or None to go on."""
        review = self.server.review
        if not self._host_ok():
            return HTTPStatus.FORBIDDEN, "unexpected Host header"
        origin = self.headers.get("Origin")
        if origin is not None and origin not in review.allowed_origins:
            return HTTPStatus.FORBIDDEN, "cross-origin request refused"
        site = self.headers.get("Sec-Fetch-Site")
        if site is not None and site not in ("same-origin", "none"):
            return HTTPStatus.FORBIDDEN, "cross-site request refused"
        token = self.headers.get("X-Review-Token", "")
        if not hmac.compare_digest(token.encode("utf-8", "replace"), review.token.encode()):
            return HTTPStatus.FORBIDDEN, "missing or wrong session token (reload the page)"
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"
        return None

    def do_PUT(self) -> None:
        self.close_connection = True
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed")

    do_DELETE = do_PUT
    do_PATCH = do_PUT


class ReviewServer:
    """The review page and its API for one output folder, on 127.0.0.1.

    `port=0` picks a free port. Use as a context manager (serves in a background thread) or call
    `serve_forever()`. A new server (a restart) has a new session token."""

    def __init__(self, out_dir: Path, *, port: int = 0, verbose: bool = False) -> None:
        self.store = ReviewStore(out_dir)
        self.token = secrets.token_urlsafe(32)
        self.verbose = verbose
        self._httpd = _HTTPServer(("127.0.0.1", port), _Handler, bind_and_activate=True)
        self._httpd.review = self
        self.port: int = self._httpd.server_address[1]
        self.allowed_hosts = frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})
        self.allowed_origins = frozenset(f"http://{h}" for h in self.allowed_hosts)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.05)

    def start(self) -> ReviewServer:
        self._thread = threading.Thread(
            target=self.serve_forever, name="summarizer-review", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ReviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve_review(out_dir: Path, *, port: int = 0, open_browser: bool = False) -> None:
    """Serve the review page for `out_dir` until interrupted (Ctrl+C); prints the URL."""
    server = ReviewServer(out_dir, port=port)
    n = len(server.store.stems())
    print(
        f"Reviewing {n} article(s) in {server.store.out_dir} at {server.url}  (Ctrl+C to stop)",
        flush=True,
    )
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.close()
