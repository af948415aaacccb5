"""The reference server from the command line: `python -m summarizer.testing` and
`summarizer reference-server` (which shares `add_fault_arguments`).

May import: the standard library and the testing package's modules.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

from .faults import HOSTILE_LABELS, KNOWN_LABELS, MIX_LABELS, FaultMix
from .server import ReferenceServer

DESCRIPTION = (
    "A reference server: an OpenAI-compatible HTTP server that answers from reference annotations."
)


def parse_weights(text: str) -> dict[str, float]:
    """`"http_503=2,reset,stall=0.5"` → {"http_503": 2.0, "reset": 1.0, "stall": 0.5} (the
    labels of MIX_LABELS and HOSTILE_LABELS)."""
    weights: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        label, _, weight = item.partition("=")
        label = label.strip()
        if label not in KNOWN_LABELS:
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
    parser = argparse.ArgumentParser(prog="python -m summarizer.testing", description=DESCRIPTION)
    parser.add_argument("--annotations", default="tests/reference")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--latency", type=float, default=0.0)
    add_fault_arguments(parser)
    return run_reference_server(parser.parse_args(argv))
