"""`ReferenceServer`: the reference server's lifecycle, scripting, rules, waits and stats, and
how it answers one request (pick a fault, build the completion, charge the budgets, send).

May import: the standard library, `summarizer.tokens` and the testing package's modules below
it (`faults`, `hostile`, `limits`, `reference`, `wire`).
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from ..tokens import get_encoding
from . import hostile
from .faults import TRANSPORT_KINDS, Fault, FaultMix, FaultRule, RequestRecord
from .limits import Budgets, rate_limit_message
from .reference import Completions, ReferenceBook, request_key
from .wire import Handler, ReferenceHTTPServer, send_trickle, transport_fault

_TITLE = re.compile(r"<metadata>\s*title: ([^\n]*)")


class ReferenceServer:
    """The reference server on 127.0.0.1, in a background thread (use as a context manager).

    `latency`: seconds added to every answer. `faults`: a FaultMix (faults at a rate). `tpm`,
    `rpm`: per-minute budgets enforced like the real API (429 past them). `prompt_cache`: report
    cached prompt tokens like OpenAI's prompt cache (turn off for usage that does not depend on
    which request came first).
    """

    def __init__(
        self,
        book: ReferenceBook,
        *,
        port: int = 0,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        faults: FaultMix | None = None,
        tpm: float | None = None,
        rpm: float | None = None,
        prompt_cache: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.book = book
        self.latency = latency
        self.mix = faults
        self.clock = clock
        self.completions = Completions(book, prompt_cache)
        self._faults: deque[Fault] = deque()
        self.rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._seen_bodies: Counter[str] = Counter()
        self._count = 0
        self._answered = 0
        self.requests: list[dict[str, Any]] = []
        self.log: list[RequestRecord] = []
        self.faults_injected: Counter[str] = Counter()
        self.started = clock()
        self.budgets = Budgets(tpm, rpm, clock)
        self._stopping = threading.Event()  # releases stalled and held answers at stop()
        self._http = ReferenceHTTPServer((host, port), Handler)
        self._http.owner = self
        self._thread: threading.Thread | None = None

    @classmethod
    def from_dir(cls, folder: str | Path, **kwargs: Any) -> ReferenceServer:
        return cls(ReferenceBook.from_dir(folder), **kwargs)

    @property
    def base_url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    def script(self, *faults: Fault) -> None:
        """Queue faults: each of the next requests gets the next fault, then normal answers."""
        with self._lock:
            self._faults.extend(faults)

    def add_rule(
        self, contains: str | tuple[str, ...], fault: Fault | None, times: int | None = None
    ) -> FaultRule:
        """Requests whose user message contains `contains` (all of a tuple) get `fault`, at most
        `times` of them (None: every one). Rules are tried in the order they were added; a rule
        with `fault=None` answers normally (its requests draw nothing from the mix)."""
        rule = FaultRule(contains, fault, times)
        with self._lock:
            self.rules.append(rule)
        return rule

    def wait_for_requests(self, count: int, timeout: float) -> bool:
        """Block until the server has received `count` requests in all (False on timeout)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._count >= count, timeout)

    def wait_for_answers(self, count: int, timeout: float) -> bool:
        """Block until the server has written `count` completions in all (False on timeout)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._answered >= count, timeout)

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._count

    @property
    def answered_count(self) -> int:
        """How many completions the server has written (to a client that may have gone)."""
        with self._lock:
            return self._answered

    def stats(self) -> dict[str, Any]:
        """The fault log and counts, JSON-ready (also served at GET /v1/reference/stats)."""
        with self._lock:
            records = list(self.log)
            faults = dict(sorted(self.faults_injected.items()))
        answered = [r for r in records if r.status == 200]
        return {
            "requests": len(records),
            "answered": len(answered),
            "statuses": dict(sorted(Counter(str(r.status) for r in records).items())),
            "faults_injected": faults,
            "tpm": self.budgets.tokens.capacity if self.budgets.tokens else None,
            "rpm": self.budgets.requests.capacity if self.budgets.requests else None,
            "tokens_accepted": sum(r.tokens for r in answered),
            # Every charge to the TPM budget, in time order: [seconds since start, tokens,
            # budget left after it] (empty without a TPM budget).
            "accepted": [
                [round(r.charged - self.started, 4), r.tokens, round(r.budget_left or 0.0)]
                for r in sorted(records, key=lambda r: r.charged or 0.0)
                if r.charged is not None and r.budget_left is not None
            ],
        }

    def start(self) -> ReferenceServer:
        # The tokenizer is built before the first request, not during it (1.6 s): a client with
        # a short timeout would otherwise give up on the first answer.
        get_encoding()
        self._stopping.clear()
        # A short poll interval: stop() returns within 50 ms instead of half a second.
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
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

    def _pick_fault(self, key: str, user_text: str) -> Fault | None:
        """Scripted, then by rule, then drawn at the mix's rate (call under the lock)."""
        if self._faults:
            return self._faults.popleft()
        for rule in self.rules:
            if rule.matches(user_text):
                rule.used += 1
                return rule.fault
        if self.mix is not None and self.mix.rate > 0:
            occurrence = self._seen_bodies[key]
            self._seen_bodies[key] += 1
            return self.mix.draw(key, occurrence)
        return None

    def _serve(self, handler: Handler, request: dict[str, Any]) -> None:
        messages: list[dict[str, Any]] = request.get("messages") or []
        user_text = "\n".join(
            str(m.get("content", "")) for m in messages if m.get("role") == "user"
        )
        schema = (request.get("response_format") or {}).get("json_schema") or {}
        title = _TITLE.search(user_text)
        key = request_key(request)
        with self._changed:
            record = RequestRecord(
                index=self._count,
                key=key,
                received=self.clock(),
                schema=str(schema.get("name", "")),
                title=title.group(1).strip() if title else None,
            )
            self._count += 1
            self.requests.append(request)
            self.log.append(record)
            fault = self._pick_fault(key, user_text)
            self._changed.notify_all()
        try:
            self._answer(handler, request, record, fault)
        except OSError:
            # The client went away (it timed out, or a fault closed the connection).
            record.status = None
            handler.close_connection = True
        finally:
            with self._changed:
                self._answered += record.answered is not None
                self._changed.notify_all()

    def _inject(self, record: RequestRecord, fault: Fault) -> None:
        record.fault = fault.label
        with self._lock:
            self.faults_injected[fault.label] += 1

    def _answer(
        self,
        handler: Handler,
        request: dict[str, Any],
        record: RequestRecord,
        fault: Fault | None,
    ) -> None:
        if fault is not None and fault.kind in TRANSPORT_KINDS:
            self._inject(record, fault)
            if self.latency:
                time.sleep(self.latency)
            if transport_fault(handler, record, fault, self._stopping):
                return
        try:
            completion = self.completions.complete(request, fault)
        except LookupError as exc:
            record.status = 400
            handler._error(400, str(exc))
            return
        tokens = int(completion["usage"]["total_tokens"])
        wait, headers = self._charge(record, tokens)
        if wait > 0:
            record.status = 429
            message = rate_limit_message(record, tokens, wait, headers)
            handler._error(429, message, headers, type_="tokens", code="rate_limit_exceeded")
            return
        if fault is not None and fault.kind not in TRANSPORT_KINDS:
            self._inject(record, fault)
        if self.latency and (fault is None or fault.kind != "stall"):
            time.sleep(self.latency)
        if fault is not None and fault.kind == "held":
            self._hold(fault)
        if fault is not None and fault.kind == "hostile" and fault.variant:
            body = hostile.wire_body(fault.variant, completion)
        else:
            body = json.dumps(completion, ensure_ascii=False).encode()
        if fault is not None and fault.kind == "trickle":
            send_trickle(handler, body, headers, fault.seconds)
        else:
            handler._send(200, body, headers)
        record.status = 200
        record.answered = self.clock()

    def _hold(self, fault: Fault) -> None:
        """Wait until the held answer's gate is set, its `seconds` (if any) pass, or the server
        stops (short waits on both events: the answer goes as soon as either is set)."""
        deadline = time.monotonic() + fault.seconds if fault.seconds else math.inf
        while not self._stopping.is_set() and time.monotonic() < deadline:
            if fault.gate is None or fault.gate.wait(0.05):
                return

    def _charge(self, record: RequestRecord, tokens: int) -> tuple[float, dict[str, str]]:
        """Take one request and `tokens` from the budgets (0.0), or say how long to wait."""
        if not self.budgets.active:
            return 0.0, {}
        with self._lock:
            wait, headers = self.budgets.charge(record, tokens)
            if wait > 0 and record.fault is not None:
                self.faults_injected[record.fault] += 1
            return wait, headers
