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

Its answers are deterministic: the same request body always gets the same content (and the
same completion id, `chatcmpl-ref-<first 24 hex digits of sha256 of the sorted request JSON>`).

Faults, for tests of retries and error paths, come three ways (first match wins):

- scripted: `server.script(Fault.http(429), Fault.of("reset"), ...)` queues one fault per coming
  request;
- by rule: `server.add_rule("(bản 7)", Fault.http(503))` gives every request whose user message
  contains the text (all the texts of a tuple) that fault, or only the first `times` of them
  (a rule with no fault exempts its requests from the rate);
- at a rate: `ReferenceServer(book, faults=FaultMix(rate=0.3, seed=7))` draws a fault for a
  share of the requests. The draw is a hash of (seed, request body, how many times that body
  was seen), so a run is reproducible whatever order concurrent requests arrive in.

Hostile answers (`summarizer.hostile`: empty choices, `content: null`, prose instead of JSON, no
usage, a loop to the output limit, and schema-valid extremes: values 1e22 / 1.7e308 / -0.0,
20,000-word quotes, 3,000 people, a lone surrogate) come the same three ways:
`Fault.hostile("value_1e22")`, or `hostile_<kind>` labels in a FaultMix's weights
(`HOSTILE_LABELS`; `--hostile` on the command line draws from all of them).

`Fault.held(gate)` answers only once the test sets `gate` (a threading.Event): event-driven
tests hold one answer back until something else has happened. A `stall` and a held answer are
also released when the server stops.

Every injected fault is counted in `server.faults_injected` (by label, see `Fault.label`), and
every request is logged in `server.log` (`RequestRecord`: body hash, status sent, fault, tokens).

Limits like the real API's: `tpm=` / `rpm=` make the server a token bucket per minute (full at
start, refilled continuously) that charges each answered request its `usage.total_tokens`; a
request past the budget gets 429 with `retry-after-ms`, `retry-after` and `x-ratelimit-*`
headers (which every answer carries). `server.stats()` (also `GET /v1/reference/stats`) holds
the fault log and the accepted-token log.

    with ReferenceServer.from_dir("tests/reference") as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        digest = summarize("page.txt", client=client)

From the command line: `python -m summarizer.testing --fault-rate 0.3 --tpm 200000` (see
`add_fault_arguments`, which `summarizer reference-server` can share).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import signal
import socket
import struct
import sys
import threading
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Literal, cast

from ..schemas import FACT_KINDS, ArticleExtraction
from ..tokens import get_encoding
from . import hostile
from .hostile import HOSTILE_KINDS

FaultKind = Literal[
    "status",
    "not_json",
    "schema_mismatch",
    "length",
    "refusal",
    "content_filter",
    "stall",
    "reset",
    "reset_mid",
    "trickle",
    "hostile",
    "held",
]

# Faults that never produce a chat completion (the request is not charged to a TPM budget).
_TRANSPORT_KINDS = frozenset({"status", "not_json", "stall", "reset", "reset_mid"})


@dataclass(frozen=True)
class Fault:
    """One misbehaviour, applied to one request.

    kinds: `status` (an HTTP error; 429 may carry `retry_after` seconds and/or `retry_after_ms`;
    `echo_key` puts the request's bearer key in the error message, as some servers do), `stall`
    (sleep `seconds`, then answer: a read timeout for a client that waits less), `reset` (close
    the connection before answering), `reset_mid` (send the headers and half the body, then reset
    the connection), `not_json` (a 200 with an HTML body), `schema_mismatch` (valid JSON, wrong
    shape), `length` (content cut in half, finish_reason "length"), `refusal`, `content_filter`,
    `trickle` (the answer sent in 20 pieces over `seconds`), `hostile` (the hostile answer
    `variant`, one of summarizer.hostile.HOSTILE_KINDS), `held` (the normal answer, sent once
    `gate` is set, or after `seconds` when they are not 0).
    """

    kind: FaultKind
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0
    retry_after_ms: int | None = None
    echo_key: bool = False
    variant: str | None = None
    gate: threading.Event | None = field(default=None, compare=False, repr=False)

    @staticmethod
    def http(
        status: int,
        retry_after: str | None = None,
        *,
        retry_after_ms: int | None = None,
        echo_key: bool = False,
    ) -> Fault:
        return Fault(
            "status",
            status=status,
            retry_after=retry_after,
            retry_after_ms=retry_after_ms,
            echo_key=echo_key,
        )

    @staticmethod
    def of(kind: FaultKind, seconds: float = 0.0) -> Fault:
        return Fault(kind, seconds=seconds)

    @staticmethod
    def hostile(variant: str) -> Fault:
        """A hostile answer (see summarizer.hostile): `Fault.hostile("empty_choices")`."""
        if variant not in HOSTILE_KINDS:
            raise ValueError(f"unknown hostile answer {variant!r} (known: {HOSTILE_KINDS})")
        return Fault("hostile", variant=variant)

    @staticmethod
    def held(gate: threading.Event, seconds: float = 0.0) -> Fault:
        """The normal answer, held back until `gate` is set (or `seconds`, when not 0)."""
        return Fault("held", seconds=seconds, gate=gate)

    @property
    def label(self) -> str:
        """The name it is counted under: `http_503`, `http_429_retry_after`, `reset`, ..."""
        if self.kind == "hostile":
            return f"hostile_{self.variant}"
        if self.kind != "status":
            return self.kind
        told = self.retry_after is not None or self.retry_after_ms is not None
        return f"http_{self.status}" + ("_retry_after" if told else "")


MIX_LABELS: tuple[str, ...] = (
    "http_429",
    "http_429_retry_after",
    "http_500",
    "http_502",
    "http_503",
    "stall",
    "reset",
    "reset_mid",
    "not_json",
    "schema_mismatch",
    "length",
    "refusal",
    "content_filter",
    "trickle",
)
"""Every transient fault a FaultMix can draw (by default with equal weights)."""

HOSTILE_LABELS: tuple[str, ...] = tuple(f"hostile_{kind}" for kind in HOSTILE_KINDS)
"""The hostile answers a FaultMix can draw when its weights name them (never by default)."""

_KNOWN_LABELS = frozenset(MIX_LABELS + HOSTILE_LABELS)

RATE_LIMIT_TOKENS = "rate_limit_tokens"
RATE_LIMIT_REQUESTS = "rate_limit_requests"


def _unit(*parts: object) -> float:
    """A uniform number in [0, 1) from a hash of `parts` (reproducible across processes)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


@dataclass(frozen=True)
class FaultMix:
    """Faults at a rate: each request gets a fault with probability `rate`, of a kind drawn by
    `weights` (label → weight; the labels of MIX_LABELS). Reproducible: the draw for a request
    depends only on `seed`, the request body and how many times that body was seen before."""

    rate: float
    seed: int = 0
    weights: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(MIX_LABELS, 1.0))
    stall_seconds: float = 2.0
    trickle_seconds: float = 0.2
    retry_after: str = "1"

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be in [0, 1], not {self.rate}")
        unknown = set(self.weights) - _KNOWN_LABELS
        if unknown:
            raise ValueError(f"unknown fault label(s): {', '.join(sorted(unknown))}")
        if self.rate and not any(w > 0 for w in self.weights.values()):
            raise ValueError("a fault rate needs at least one fault label with a weight > 0")

    def make(self, label: str) -> Fault:
        """The Fault a label stands for, with this mix's timings."""
        if label.startswith("http_"):
            status = int(label.split("_")[1])
            if label.endswith("_retry_after"):
                return Fault.http(status, retry_after=self.retry_after)
            return Fault.http(status)
        if label == "stall":
            return Fault.of("stall", self.stall_seconds)
        if label == "trickle":
            return Fault.of("trickle", self.trickle_seconds)
        if label in HOSTILE_LABELS:
            return Fault.hostile(label.removeprefix("hostile_"))
        if label in MIX_LABELS:
            return Fault.of(cast(FaultKind, label))
        raise ValueError(f"unknown fault label {label!r}")

    def draw(self, key: str, occurrence: int) -> Fault | None:
        """The fault for the `occurrence`-th sending (0-based) of the request body `key`."""
        if _unit(self.seed, "rate", key, occurrence) >= self.rate:
            return None
        labels = [(k, w) for k, w in self.weights.items() if w > 0]
        point = _unit(self.seed, "kind", key, occurrence) * sum(w for _, w in labels)
        for label, weight in labels:
            point -= weight
            if point < 0:
                return self.make(label)
        return self.make(labels[-1][0])


@dataclass
class FaultRule:
    """Requests whose user message contains `contains` (every one of them, for a tuple) get
    `fault` (None: a normal answer, exempt from the mix), at most `times` of them (None: all)."""

    contains: str | tuple[str, ...]
    fault: Fault | None
    times: int | None = None
    used: int = 0

    def matches(self, user_text: str) -> bool:
        needles = (self.contains,) if isinstance(self.contains, str) else self.contains
        if self.times is not None and self.used >= self.times:
            return False
        return all(n in user_text for n in needles)


@dataclass
class RequestRecord:
    """One request as the server saw it."""

    index: int
    key: str  # sha256 of the sorted request JSON; the answer's id is chatcmpl-ref-<key[:24]>
    received: float  # the server's clock (time.monotonic by default)
    schema: str
    title: str | None  # the `title:` line of the request's <metadata>, if any
    status: int | None = None  # what was sent; None: no answer (connection reset or gone)
    fault: str | None = None  # Fault.label, or rate_limit_tokens / rate_limit_requests
    tokens: int = 0  # tokens charged: usage.total_tokens of an answered request
    charged: float | None = None  # when the tokens were taken from the TPM budget
    budget_left: float | None = None  # the TPM budget's level just after
    answered: float | None = None  # when the answer was written


class _Bucket:
    """A per-minute budget as a token bucket: full at start, refilled continuously."""

    def __init__(self, per_minute: float, now: float) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.level = float(per_minute)
        self.stamp = now

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self, amount: float, now: float) -> float:
        """Seconds until `amount` fits (0: it fits now; inf: it never will)."""
        self.refill(now)
        if amount > self.capacity:
            return math.inf
        return 0.0 if self.level >= amount else (amount - self.level) / self.rate

    def reset_seconds(self) -> float:
        return (self.capacity - self.level) / self.rate if self.rate else 0.0


def _duration(seconds: float) -> str:
    """A duration the way OpenAI's x-ratelimit-reset-* headers write it: 20ms, 1.5s, 6m0s."""
    if seconds < 1.0:
        return f"{max(round(seconds * 1000), 0)}ms"
    if seconds < 60.0:
        return f"{round(seconds, 3):g}s"
    minutes, rest = divmod(seconds, 60.0)
    return f"{int(minutes)}m{round(rest, 3):g}s"


_TAG = re.compile(r"<(article|captions|facts|notes)\b[^>]*>(.*?)</\1>", re.DOTALL)
_TITLE = re.compile(r"<metadata>\s*title: ([^\n]*)")
_CACHE_BLOCK = 128
_CACHE_MIN = 1024


def _fold(text: str) -> str:
    """NFC without white space: tolerant of the cleaner's spacing fixes."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def request_key(request: Mapping[str, Any]) -> str:
    """The hash a request body is known by (its answer's id is chatcmpl-ref-<key[:24]>)."""
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


@dataclass
class _Reference:
    name: str
    answer: ArticleExtraction
    folded_evidence: list[str] = field(default_factory=list)


def numbered_variant(page: str, number: int) -> str:
    """`page` with its title line (the first line with letters, past a hotline header) numbered
    "(bản N)": a distinct article for load tests, whose facts are the original's."""
    lines = page.splitlines(keepends=True)
    for j, line in enumerate(lines):
        if any(c.isalpha() for c in line) and not line.startswith("Đường dây nóng"):
            lines[j] = line.rstrip("\n") + f" (bản {number})\n"
            break
    return "".join(lines)


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


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Many clients connect at once at the start of a batch: a short listen backlog would drop
    # their SYNs (a one-second retransmit, or a connect timeout the server never sees).
    request_queue_size = 128
    owner: ReferenceServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout, reset) is part of the game, not a server error.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


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
        self.prompt_cache = prompt_cache
        self.clock = clock
        self._faults: deque[Fault] = deque()
        self.rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._seen_prefixes: dict[str, int] = {}  # static prefix hash → its token count
        self._seen_bodies: Counter[str] = Counter()
        self._count = 0
        self._answered = 0
        self.requests: list[dict[str, Any]] = []
        self.log: list[RequestRecord] = []
        self.faults_injected: Counter[str] = Counter()
        self.started = clock()
        self._tokens = _Bucket(tpm, self.started) if tpm else None
        self._requests_budget = _Bucket(rpm, self.started) if rpm else None
        self._stopping = threading.Event()  # releases stalled and held answers at stop()
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
            "tpm": self._tokens.capacity if self._tokens else None,
            "rpm": self._requests_budget.capacity if self._requests_budget else None,
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

    def _serve(self, handler: _Handler, request: dict[str, Any]) -> None:
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
        handler: _Handler,
        request: dict[str, Any],
        record: RequestRecord,
        fault: Fault | None,
    ) -> None:
        if fault is not None and fault.kind in _TRANSPORT_KINDS:
            self._inject(record, fault)
            if self.latency:
                time.sleep(self.latency)
            if self._transport_fault(handler, record, fault):
                return
        try:
            completion = self._complete(request, fault)
        except LookupError as exc:
            record.status = 400
            handler._error(400, str(exc))
            return
        tokens = int(completion["usage"]["total_tokens"])
        wait, headers = self._charge(record, tokens)
        if wait > 0:
            self._rate_limited(handler, record, tokens, wait, headers)
            return
        if fault is not None and fault.kind not in _TRANSPORT_KINDS:
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
                time.sleep(fault.seconds / 20)
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

    def _transport_fault(self, handler: _Handler, record: RequestRecord, fault: Fault) -> bool:
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
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
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
            self._stopping.wait(fault.seconds)
        return False  # stall: then answer (if the client still waits)

    # -- limits ----------------------------------------------------------------------------

    def _limit_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, bucket in (("requests", self._requests_budget), ("tokens", self._tokens)):
            if bucket is not None:
                headers[f"x-ratelimit-limit-{name}"] = str(int(bucket.capacity))
                headers[f"x-ratelimit-remaining-{name}"] = str(max(int(bucket.level), 0))
                headers[f"x-ratelimit-reset-{name}"] = _duration(bucket.reset_seconds())
        return headers

    def _charge(self, record: RequestRecord, tokens: int) -> tuple[float, dict[str, str]]:
        """Take one request and `tokens` from the budgets (0.0), or say how long to wait."""
        if self._tokens is None and self._requests_budget is None:
            return 0.0, {}
        with self._lock:
            now = self.clock()
            waits: dict[str, float] = {}
            if self._requests_budget is not None:
                waits[RATE_LIMIT_REQUESTS] = self._requests_budget.wait(1, now)
            if self._tokens is not None:
                waits[RATE_LIMIT_TOKENS] = self._tokens.wait(tokens, now)
            worst = max(waits, key=lambda k: waits[k])
            if waits[worst] > 0:
                record.fault = worst
                self.faults_injected[worst] += 1
                return waits[worst], self._limit_headers()
            if self._requests_budget is not None:
                self._requests_budget.level -= 1
            if self._tokens is not None:
                self._tokens.level -= tokens
                record.budget_left = self._tokens.level
            record.tokens = tokens
            record.charged = now
            return 0.0, self._limit_headers()

    def _rate_limited(
        self,
        handler: _Handler,
        record: RequestRecord,
        tokens: int,
        wait: float,
        headers: dict[str, str],
    ) -> None:
        record.status = 429
        if math.isinf(wait):
            message = (
                f"Request too large for {record.schema or 'this model'}: Limit "
                f"{headers.get('x-ratelimit-limit-tokens')}, Requested {tokens}."
            )
            handler._error(429, message, headers, type_="tokens", code="rate_limit_exceeded")
            return
        headers["retry-after-ms"] = str(math.ceil(wait * 1000))
        headers["retry-after"] = str(math.ceil(wait))
        if record.fault == RATE_LIMIT_TOKENS:
            on = f"tokens per min (TPM): Limit {headers.get('x-ratelimit-limit-tokens')}"
        else:
            on = f"requests per min (RPM): Limit {headers.get('x-ratelimit-limit-requests')}"
        message = (
            f"Rate limit reached on {on}, Requested {tokens}. "
            f"Please try again in {_duration(wait)}."
        )
        handler._error(429, message, headers, type_="tokens", code="rate_limit_exceeded")

    # -- completions -----------------------------------------------------------------------

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
            try:
                answer = self.book.answer(schema_name, user_text)
            except LookupError:
                if fault is None or fault.kind != "hostile":
                    raise
                answer = hostile.empty_answer(schema_name)
            content = json.dumps(answer, ensure_ascii=False)
            if fault is not None and fault.kind == "schema_mismatch":
                content = json.dumps({"unexpected": True, "facts": "none"})
            elif fault is not None and fault.kind == "length":
                content, finish = content[: len(content) // 2], "length"
            elif fault is not None and fault.kind == "content_filter":
                content, finish = None, "content_filter"
            elif fault is not None and fault.kind == "hostile" and fault.variant:
                article = "".join(m.group(2) for m in _TAG.finditer(user_text) if m[1] == "article")
                limit = request.get("max_completion_tokens") or request.get("max_tokens")
                made = hostile.content_for(fault.variant, answer, article, limit)
                content, finish = made.content, made.finish_reason
        prompt_tokens, cached = self._prompt_tokens(messages, schema)
        completion_tokens = len(
            get_encoding().encode(content or refusal or "", disallowed_special=())
        )
        digest = request_key(request)
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
        if self.prompt_cache and seen and static_tokens >= _CACHE_MIN:
            cached = static_tokens // _CACHE_BLOCK * _CACHE_BLOCK
        return total, cached


# -- command line --------------------------------------------------------------------------


def parse_weights(text: str) -> dict[str, float]:
    """`"http_503=2,reset,stall=0.5"` → {"http_503": 2.0, "reset": 1.0, "stall": 0.5} (the
    labels of MIX_LABELS and HOSTILE_LABELS)."""
    weights: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        label, _, weight = item.partition("=")
        label = label.strip()
        if label not in _KNOWN_LABELS:
            known = ", ".join(MIX_LABELS + HOSTILE_LABELS)
            raise argparse.ArgumentTypeError(f"unknown fault {label!r} (known: {known})")
        try:
            weights[label] = float(weight) if weight else 1.0
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"bad weight in {item!r}") from exc
    return weights


def add_fault_arguments(parser: argparse.ArgumentParser) -> None:
    """The fault and rate-limit options of the reference server, for any argparse parser."""
    group = parser.add_argument_group("faults and limits (reliability testing)")
    group.add_argument(
        "--fault-rate",
        type=float,
        default=0.0,
        help="share of requests that get a fault, 0 to 1 (default 0: none)",
    )
    group.add_argument(
        "--fault-seed", type=int, default=0, help="seed of the (reproducible) fault draws"
    )
    group.add_argument(
        "--faults",
        type=parse_weights,
        default=None,
        metavar="LABEL[=WEIGHT],...",
        help=f"which faults to draw, optionally weighted (default: all of {', '.join(MIX_LABELS)})",
    )
    group.add_argument(
        "--hostile",
        action="store_true",
        help="draw hostile answers instead of transient faults (empty choices, content null,"
        " 1e22 values, 3,000 people, ...): at --fault-rate (default with --hostile: every"
        f" request), from {', '.join(HOSTILE_LABELS)} or those --faults names",
    )
    group.add_argument(
        "--stall-seconds", type=float, default=2.0, help="how long a 'stall' fault waits"
    )
    group.add_argument(
        "--trickle-seconds", type=float, default=0.2, help="how long a 'trickle' answer takes"
    )
    group.add_argument(
        "--retry-after", default="1", help="Retry-After value of 'http_429_retry_after' faults"
    )
    group.add_argument("--tpm", type=float, help="tokens per minute; 429 past them (like OpenAI)")
    group.add_argument("--rpm", type=float, help="requests per minute; 429 past them")
    group.add_argument(
        "--no-prompt-cache",
        action="store_true",
        help="report no cached prompt tokens (usage independent of request order)",
    )


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    """ReferenceServer keyword arguments from options added by `add_fault_arguments`."""
    mix = None
    hostile_mix = bool(getattr(args, "hostile", False))
    rate = args.fault_rate or (1.0 if hostile_mix else 0.0)
    if rate:
        labels = HOSTILE_LABELS if hostile_mix else MIX_LABELS
        mix = FaultMix(
            rate=rate,
            seed=args.fault_seed,
            weights=args.faults or dict.fromkeys(labels, 1.0),
            stall_seconds=args.stall_seconds,
            trickle_seconds=args.trickle_seconds,
            retry_after=args.retry_after,
        )
    return {
        "faults": mix,
        "tpm": args.tpm,
        "rpm": args.rpm,
        "prompt_cache": not args.no_prompt_cache,
    }


def run_reference_server(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM, then print the fault log (one JSON line) and return 0.

    Needs `args.annotations`, `args.port`, `args.latency` and the `add_fault_arguments` options.
    The first line printed is `reference server on <base URL> ...` (the server is listening).
    """
    server = ReferenceServer.from_dir(
        args.annotations, port=args.port, latency=args.latency, **server_options(args)
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        with server:
            print(
                f"reference server on {server.base_url} (annotations: {args.annotations})",
                flush=True,
            )
            try:
                while not stop.wait(3600):
                    pass
            except KeyboardInterrupt:
                pass
            print(json.dumps({"stats": _summary_stats(server.stats())}), flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def _summary_stats(stats: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in stats.items() if k != "accepted"}


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m summarizer.testing`: the reference server with faults and limits."""
    parser = argparse.ArgumentParser(
        prog="python -m summarizer.testing", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--annotations", default="tests/reference")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--latency", type=float, default=0.0)
    add_fault_arguments(parser)
    return run_reference_server(parser.parse_args(argv))


__all__ = [
    "HOSTILE_KINDS",
    "HOSTILE_LABELS",
    "MIX_LABELS",
    "RATE_LIMIT_REQUESTS",
    "RATE_LIMIT_TOKENS",
    "Fault",
    "FaultMix",
    "FaultRule",
    "ReferenceBook",
    "ReferenceServer",
    "RequestRecord",
    "add_fault_arguments",
    "main",
    "parse_weights",
    "request_key",
    "run_reference_server",
    "server_options",
]


if __name__ == "__main__":
    raise SystemExit(main())
