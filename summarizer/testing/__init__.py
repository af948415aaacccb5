"""The reference server: an OpenAI-compatible HTTP server that answers from reference
annotations, for tests and benches (there is no model on the machines this project is built
on, yet its tests must replay honest recordings of real HTTP exchanges).

It speaks the real Chat Completions wire format (ids, usage with cached tokens, finish_reason,
refusal) and answers structured-output requests from hand-written reference annotations.
Its answers are deterministic: the same request body always gets the same content (and the
same completion id, `chatcmpl-ref-<first 24 hex digits of sha256 of the sorted request JSON>`).

Faults, for tests of retries and error paths, come three ways (first match wins): scripted
(`server.script(Fault.http(429), Fault.of("reset"), ...)`, one per coming request), by rule
(`server.add_rule("(bản 7)", Fault.http(503))`; a rule with no fault exempts its requests from
the rate), or at a rate (`ReferenceServer(book, faults=FaultMix(rate=0.3, seed=7))`, drawn from
a hash of the seed, the body and how many times it was seen: reproducible in any order).
Hostile answers (`Fault.hostile("value_1e22")`, `hostile_<kind>` labels in a FaultMix) come the
same ways; `Fault.held(gate)` answers once the test sets `gate`. Every injected fault is counted
in `server.faults_injected`, every request logged in `server.log`. `tpm=` / `rpm=` enforce
per-minute budgets like the real API's (429 with `retry-after-ms` and `x-ratelimit-*`).

    with ReferenceServer.from_dir("tests/reference") as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        digest = summarize("page.txt", client=client)

The modules, bottom up: `hostile` (hostile answers), `faults` (Fault, FaultMix, FaultRule,
RequestRecord), `limits` (the per-minute budgets), `reference` (ReferenceBook and the completion
bodies), `wire` (the HTTP handler and the transport faults), `server` (ReferenceServer),
`batch_api` (BatchReferenceServer: the Batch API on top), `command` (`python -m
summarizer.testing`, `summarizer reference-server`).

May import: the standard library and the lower layers of `summarizer` (schemas, tokens,
ratelimit); nothing in the runtime pipeline imports this package.
"""

from .command import (
    add_fault_arguments,
    main,
    parse_weights,
    run_reference_server,
    server_options,
)
from .faults import (
    HOSTILE_LABELS,
    MIX_LABELS,
    Fault,
    FaultKind,
    FaultMix,
    FaultRule,
    RequestRecord,
)
from .hostile import HOSTILE_KINDS
from .limits import RATE_LIMIT_REQUESTS, RATE_LIMIT_TOKENS
from .reference import ReferenceBook, numbered_variant, request_key
from .server import ReferenceServer

__all__ = [
    "HOSTILE_KINDS",
    "HOSTILE_LABELS",
    "MIX_LABELS",
    "RATE_LIMIT_REQUESTS",
    "RATE_LIMIT_TOKENS",
    "Fault",
    "FaultKind",
    "FaultMix",
    "FaultRule",
    "ReferenceBook",
    "ReferenceServer",
    "RequestRecord",
    "add_fault_arguments",
    "main",
    "numbered_variant",
    "parse_weights",
    "request_key",
    "run_reference_server",
    "server_options",
]
