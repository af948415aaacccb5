"""Rounds: collect the requests the articles wait for, have an engine answer them, repeat.

Each round runs the pipeline over the unfinished articles against the answers so far
(`collect`), writes the missing requests as JSONL files (split at 50,000 requests / 200 MB),
and has them answered: by the OpenAI Batch API (`run_with_batch_api`: upload, create, poll with
backoff, download, import) or by whoever runs the files (`run_with_jsonl`: the files are written
for vLLM's `run_batch` or a provider's console, and `results=` imports what came back). Round 1
holds every single-call article and every map chunk; later rounds hold reduce calls, re-asks of
answers that failed validation, halves of truncated chunks and retries of failed or expired
lines. When no article waits any more, the normal batch (`summarizer.batch.run_batch`) runs
from the answer cache and writes the digests, index.json and facts.csv as usual.

Everything lives in the output folder, next to the answer cache: OUT/.engine/state.json (rounds,
parts, batch ids; see `state`), OUT/.engine/results.sqlite (raw results; see `results`), the
request files (OUT/.engine/ for the Batch API, OUT/batch-requests/ for --via jsonl) and the
downloaded output and error files. A rerun, or a run killed at any moment, picks up the parts
already written, uploaded or created instead of making them again; a finished run, run again,
sends nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from openai import OpenAI
from pydantic import BaseModel

from ..batch import CACHE_NAME, BatchReport, BatchSettings, ProgressCallback, run_batch
from ..cache import SqliteCache, endpoint_id
from ..folder import check_out, survey
from ..pricing import batch_prices
from ..store import remove_stale_temporaries, write_atomic
from .collect import ResultsTransport, RoundRequests, collect_round, engine_client
from .collect import pipeline_options as _pipeline_options
from .openai_batch import TERMINAL, BatchApi, RemoteBatch, TransientApiError
from .results import (
    MAX_BYTES_PER_FILE,
    MAX_REQUESTS_PER_FILE,
    ImportSummary,
    ResultLine,
    ResultStore,
    import_lines,
    request_line,
    split_lines,
)
from .state import EngineError, EngineState, Part, Via, engine_dir, load_state, save_state

REQUESTS_DIR = "batch-requests"
RESULTS_NAME = "results.sqlite"
# The endpoint `--via jsonl` keys its answers under when no --base-url names the server that
# will run the files (.invalid never resolves: nothing is ever sent there).
JSONL_BASE_URL = "http://batch-jsonl.invalid/v1"


@dataclass
class EngineSettings:
    attempts: int = 3
    """Rounds a request whose line failed or expired is sent in, at most."""
    max_requests_per_file: int = MAX_REQUESTS_PER_FILE
    max_bytes_per_file: int = MAX_BYTES_PER_FILE
    poll_initial: float = 5.0
    poll_max: float = 120.0
    poll_factor: float = 1.5
    max_rounds: int = 50
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    on_event: Callable[[str], None] | None = None
    """Progress lines: batches created, status and counts as they change."""
    on_article: ProgressCallback | None = None
    """Called for each article of the final pass (the index.json entry)."""


class EngineReport(BaseModel):
    via: Via
    state: Literal["complete", "waiting"]
    """`waiting`: request files are written (--via jsonl) and their results not imported yet."""
    articles: int
    rounds: int
    batches: int
    requests: int
    requests_per_article: float
    batches_created: int
    """By this invocation (the others were created, and are counted, by earlier ones)."""
    requests_sent: int
    waiting_for: list[str] = []
    problems: list[str] = []
    cost_batch_usd: float | None = None
    cost_sync_usd: float | None = None
    """What the articles' answers cost at batch prices, and would at synchronous ones."""
    batch: BatchReport | None = None


@dataclass
class _Engine:
    folder: Path
    out: Path
    settings: BatchSettings
    engine: EngineSettings
    via: Via
    base_url: str
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    created: int = 0
    sent: int = 0

    def __post_init__(self) -> None:
        self.files, _ = survey(self.folder)
        check_out(self.folder, self.out)
        self.out.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.out)
        remove_stale_temporaries(engine_dir(self.out))
        state = load_state(self.out)
        if state is not None and state.via != self.via and state.outstanding():
            raise EngineError(
                f"{engine_dir(self.out)}: this output folder waits for results of --via"
                f" {state.via} requests; finish them that way first"
            )
        self.state = state or EngineState(via=self.via, endpoint=endpoint_id(self.base_url))
        self.state.via = self.via
        self.store = ResultStore(engine_dir(self.out) / RESULTS_NAME)
        self.cache = SqliteCache(self.out / CACHE_NAME)
        self.transport = ResultsTransport(self.base_url, self.store, self.engine.attempts)

    def close(self) -> None:
        self.store.close()
        self.cache.close()

    def event(self, text: str) -> None:
        if self.engine.on_event is not None:
            self.engine.on_event(text)

    def save(self) -> None:
        save_state(self.out, self.state)

    def collect(self) -> RoundRequests:
        found = asyncio.run(
            collect_round(self.files, self.settings, self.cache, self.transport, self.base_url)
        )
        if found.wanted:
            self.event(
                f"{len(found.pending)} of {len(self.files)} articles wait for"
                f" {len(found.wanted)} answers"
            )
        return found

    def plan(self, wanted: dict[str, dict[str, object]]) -> list[Part]:
        """Write the request files of the next round (written before the state names them, so
        a run killed in between writes the same round again)."""
        number = self.state.round + 1
        folder = engine_dir(self.out) if self.via == "batch-api" else self.out / REQUESTS_DIR
        lines = [(cid, request_line(cid, body)) for cid, body in sorted(wanted.items())]
        groups = split_lines(
            lines, self.engine.max_requests_per_file, self.engine.max_bytes_per_file
        )
        parts = []
        for i, group in enumerate(groups, 1):
            name = f"round-{number:03d}-part-{i:02d}"
            path = folder / f"{name}.jsonl"
            data = b"".join(line for _, line in group)
            write_atomic(path, data)
            self.store.add_requests(name, (cid for cid, _ in group))
            parts.append(
                Part(
                    name=name,
                    round=number,
                    via=self.via,
                    requests_file=str(path.relative_to(self.out)),
                    requests=len(group),
                    bytes=len(data),
                )
            )
        self.state.round = number
        self.state.parts += parts
        self.state.requests_submitted += len(lines)
        self.sent += len(lines)
        self.save()
        return parts

    def finish(self) -> EngineReport:
        """The normal batch over the folder, every answer from the cache or the results."""
        final = ResultsTransport(self.base_url, self.store, self.engine.attempts, collect=False)
        options = _pipeline_options(self.settings, self.cache)
        options.pop("concurrency")
        settings = BatchSettings(
            model=self.settings.model, concurrency=self.settings.concurrency, options=options
        )

        async def run() -> BatchReport:
            async with engine_client(self.base_url, final) as client:
                return await run_batch(
                    self.folder,
                    self.out,
                    client=client,
                    settings=settings,
                    on_article=self.engine.on_article,
                )

        report = asyncio.run(run())
        prices = self.settings.options.get("prices")
        model = self.settings.model
        return self.report(
            "complete",
            batch=report,
            cost_sync_usd=report.usage.priced(model, prices).cost_usd,
            cost_batch_usd=report.usage.priced(model, batch_prices(prices)).cost_usd,
        )

    def report(self, state: Literal["complete", "waiting"], **extra: object) -> EngineReport:
        articles = len(self.files)
        return EngineReport.model_validate(
            {
                "via": self.via,
                "state": state,
                "articles": articles,
                "rounds": self.state.round,
                "batches": len(self.state.parts),
                "requests": self.state.requests_submitted,
                "requests_per_article": round(
                    self.state.requests_submitted / articles if articles else 0.0, 3
                ),
                "batches_created": self.created,
                "requests_sent": self.sent,
                "problems": self.problems,
                **extra,
            }
        )

    def note(self, summary: ImportSummary) -> None:
        self.problems += summary.problems
        for problem in summary.problems:
            self.event(f"skipped: {problem}")


# ---------------------------------------------------------------------------------------------
# The OpenAI Batch API


def run_with_batch_api(
    folder: Path,
    out: Path,
    *,
    client: OpenAI,
    settings: BatchSettings | None = None,
    engine: EngineSettings | None = None,
) -> EngineReport:
    """Summarise every article of `folder` into `out` through the Batch API of `client`'s
    server (see the module docstring). Raises EngineError when the engine cannot go on, and
    KeyboardInterrupt as it comes: the batches stay (see `cancel_batches`) and a rerun resumes."""
    api = BatchApi(client)
    run = _Engine(
        Path(folder), Path(out), settings or BatchSettings(), engine or EngineSettings(),
        "batch-api", api.base_url,
    )  # fmt: skip
    try:
        for _ in range(run.engine.max_rounds):
            _finish_outstanding(run, api)
            found = run.collect()
            if not found.wanted:
                return run.finish()
            run.plan(found.wanted)
        raise EngineError(f"{out}: still waiting after {run.engine.max_rounds} rounds; stopped")
    finally:
        run.close()


def _finish_outstanding(run: _Engine, api: BatchApi) -> None:
    parts = run.state.outstanding()
    for part in parts:
        _start(run, api, part)
    if parts:
        _poll(run, api, parts)


def _start(run: _Engine, api: BatchApi, part: Part) -> None:
    """Upload and create `part`'s batch, unless an earlier run got that far."""
    if part.status == "written":
        part.input_file_id = api.upload(run.out / part.requests_file)
        part.status = "uploaded"
        run.save()
    if part.status != "uploaded" or part.input_file_id is None:
        return
    remote = None
    if part.create_sent_at is not None:  # an earlier run may have created it
        remote = api.find(run.state.run_id, part.name, part.create_sent_at)
        if remote is not None:
            run.event(f"{part.name}: batch {remote.id} was created by an earlier run")
    if remote is None:
        part.create_sent_at = run.engine.clock()
        run.save()  # the intent, before the call
        try:
            remote = api.create(part.input_file_id, run.state.run_id, part.name)
        except TransientApiError:
            remote = api.find(run.state.run_id, part.name, part.create_sent_at)
            if remote is None:
                raise
        run.created += 1
        run.state.batches_created += 1
        run.event(f"{part.name}: created batch {remote.id} ({part.requests} requests)")
    part.batch_id, part.status = remote.id, "created"
    _update(part, remote)
    run.save()


def _update(part: Part, remote: RemoteBatch) -> bool:
    seen = (remote.status, remote.completed, remote.failed)
    changed = seen != (part.remote_status, part.completed, part.failed)
    part.remote_status, part.completed, part.failed = seen
    return changed


def _poll(run: _Engine, api: BatchApi, parts: Sequence[Part]) -> None:
    """Poll the created batches, with backoff, until each has ended and is imported."""
    delay = run.engine.poll_initial
    while True:
        active = [p for p in parts if p.status == "created" and p.batch_id]
        if not active:
            return
        for part in active:
            assert part.batch_id is not None
            try:
                remote = api.retrieve(part.batch_id)
            except TransientApiError as exc:
                run.event(f"{part.name}: {exc} (polling again)")
                continue
            if _update(part, remote):
                run.save()
                run.event(
                    f"{part.name}: batch {remote.id} {remote.status}, {remote.completed}/"
                    f"{remote.total or part.requests} done, {remote.failed} failed"
                )
            if remote.status in TERMINAL:
                _import_batch(run, api, part, remote)
        if any(p.status == "created" for p in parts):
            run.engine.sleep(delay)
            delay = min(delay * run.engine.poll_factor, run.engine.poll_max)


def _import_batch(run: _Engine, api: BatchApi, part: Part, remote: RemoteBatch) -> None:
    """Download an ended batch's output and error files and store every line; a request with
    no line (an expired or cancelled batch) is stored as failed, to be sent again."""
    wanted = set(run.store.requests_of(part.name))

    def part_for(custom_id: str) -> str | None:
        return part.name if custom_id in wanted else None

    for file_id, kind in ((remote.output_file_id, "output"), (remote.error_file_id, "errors")):
        if not file_id:
            continue
        data = api.download(file_id)
        write_atomic(engine_dir(run.out) / f"{part.name}.{kind}.jsonl", data)
        run.note(import_lines(run.store, part_for, data.splitlines(), f"batch {remote.id} {kind}"))
    reason = f"no result in batch {remote.id} ({remote.status}"
    reason += (": " + "; ".join(remote.errors) if remote.errors else "") + ")"
    # A batch that failed validation fails the same way when sent again: not retried.
    status = 400 if remote.status == "failed" else None
    for custom_id in run.store.unanswered(part.name):
        run.store.store(part.name, ResultLine(custom_id, status, None, reason))
    part.status = "imported"
    run.save()


def cancel_batches(out: Path, client: OpenAI) -> list[str]:
    """Cancel the batches of `out` that have not ended; the ids cancelled. A rerun then picks
    up their partial results and sends the rest again."""
    state = load_state(Path(out))
    if state is None:
        return []
    api = BatchApi(client)
    cancelled = []
    for part in state.outstanding():
        if part.batch_id and part.remote_status not in TERMINAL:
            api.cancel(part.batch_id)
            cancelled.append(part.batch_id)
    return cancelled


# ---------------------------------------------------------------------------------------------
# JSONL files for any engine


def run_with_jsonl(
    folder: Path,
    out: Path,
    *,
    results: Sequence[Path] = (),
    base_url: str | None = None,
    settings: BatchSettings | None = None,
    engine: EngineSettings | None = None,
) -> EngineReport:
    """Import `results` (output or error files of earlier request files, in any order and any
    number), then either finish (nothing waits: state `complete`) or write the next round's
    request files (state `waiting`, with `waiting_for` naming every file still unanswered).
    Answers are keyed by `base_url` (the server that runs the files) when given."""
    run = _Engine(
        Path(folder), Path(out), settings or BatchSettings(), engine or EngineSettings(),
        "jsonl", base_url or JSONL_BASE_URL,
    )  # fmt: skip
    try:
        for path in results:
            _import_file(run, Path(path))
        found = run.collect()
        if not found.wanted:
            return run.finish()
        awaited = {
            cid for part in run.state.outstanding() for cid in run.store.unanswered(part.name)
        }
        new = {cid: body for cid, body in found.wanted.items() if cid not in awaited}
        if new:
            for part in run.plan(new):
                run.event(f"wrote {part.requests} requests to {run.out / part.requests_file}")
        waiting = [str(run.out / p.requests_file) for p in run.state.outstanding()]
        return run.report("waiting", waiting_for=waiting)
    finally:
        run.close()


def _import_file(run: _Engine, path: Path) -> None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EngineError(f"{path}: cannot read the results file: {exc}") from exc
    # A request sent in several rounds answers the newest one still waiting.
    candidates = [p.name for p in reversed(run.state.parts) if p.status != "imported"]

    def part_for(custom_id: str) -> str | None:
        return run.store.part_of(custom_id, candidates)

    summary = import_lines(run.store, part_for, data.splitlines(), str(path))
    run.note(summary)
    run.event(f"{path}: {summary.answers} answers, {summary.failures} failed lines imported")
    for part in run.state.outstanding():
        if not run.store.unanswered(part.name):
            part.status = "imported"
    run.save()
