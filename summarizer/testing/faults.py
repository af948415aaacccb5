"""Faults the reference server injects, how they are chosen, and the log of what it sent.

A `Fault` is one misbehaviour for one request; a `FaultMix` draws faults at a rate,
reproducibly; a `FaultRule` gives a fault to the requests whose text matches; a `RequestRecord`
is one request as the server saw it (see the package docstring for how they combine).

May import: the standard library and `summarizer.testing.hostile`.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

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
TRANSPORT_KINDS = frozenset({"status", "not_json", "stall", "reset", "reset_mid"})


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
    `variant`, one of testing.hostile.HOSTILE_KINDS), `held` (the normal answer, sent once
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
        """A hostile answer (see summarizer.testing.hostile): `Fault.hostile("empty_choices")`."""
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

KNOWN_LABELS = frozenset(MIX_LABELS + HOSTILE_LABELS)


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
        unknown = set(self.weights) - KNOWN_LABELS
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
