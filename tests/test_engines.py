"""The batch through provider batch engines (summarizer.engines): the Batch API against the
reference server's fake (summarizer.testing.batch_api), and JSONL files round-tripped by hand.

The yardstick is the synchronous batch against the reference server: the same folder must give
the same output files, byte for byte (digests, Markdown, facts.csv, index.json), and the batch
input files must hold exactly the request bodies the synchronous path sent. Nothing here
sleeps: a batch's delay is counted in polls, and the engine's sleep is a recording stub.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from openai import AsyncOpenAI, OpenAI

from summarizer import cli
from summarizer.batch import BatchSettings, run_batch
from summarizer.engines import (
    EngineError,
    EngineSettings,
    openai_batch,
    run_with_batch_api,
    run_with_jsonl,
)
from summarizer.engines.results import parse_result_line, request_line, split_lines
from summarizer.engines.run import EngineReport
from summarizer.engines.state import STATE_NAME, engine_dir, load_state
from summarizer.ingest import load_article
from summarizer.pricing import batch_prices, estimate_cost
from summarizer.testing import Fault, ReferenceBook, ReferenceServer
from summarizer.testing.batch_api import BatchReferenceServer

from .conftest import REFERENCE, SEEDS

KEY = "sk-test-engines-000000000000"
SINGLE = "000_69bf44ab3444e1cf.txt"  # one chunk at the default chunk size
MAPPED = "001_8949947c50df7356.txt"  # two chunks and a reduce call


@pytest.fixture(scope="module")
def book() -> ReferenceBook:
    return ReferenceBook.from_dir(REFERENCE)


def _title(name: str) -> str:
    return "title: " + load_article(SEEDS / name).title


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(out.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def _canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


@dataclass
class SyncRun:
    outputs: dict[str, bytes]
    bodies: list[str]


def _sync(
    book: ReferenceBook, out: Path, rules: tuple[tuple[str, Fault, int], ...] = (), **options: Any
) -> SyncRun:
    """The synchronous batch of the seeds (no prompt-cache credit: usage independent of order)."""
    with ReferenceServer(book, prompt_cache=False) as server:
        for needle, fault, times in rules:
            server.add_rule(needle, fault, times)

        async def go() -> None:
            async with AsyncOpenAI(base_url=server.base_url, api_key=KEY) as client:
                settings = BatchSettings(concurrency=4, options={"backoff_initial": 0, **options})
                await run_batch(SEEDS, out, client=client, settings=settings)

        asyncio.run(go())
        return SyncRun(_outputs(out), sorted(_canonical(r) for r in server.requests))


@dataclass
class Clock:
    sleeps: list[float] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def settings(self, **kw: Any) -> EngineSettings:
        return EngineSettings(sleep=self.sleeps.append, on_event=self.events.append, **kw)


def _engine(
    server: BatchReferenceServer, out: Path, clock: Clock | None = None, **options: Any
) -> EngineReport:
    clock = clock or Clock()
    return run_with_batch_api(
        SEEDS,
        out,
        client=OpenAI(base_url=server.base_url, api_key=KEY),
        settings=BatchSettings(concurrency=4, options=options),
        engine=clock.settings(),
    )


def _submitted(out: Path) -> list[str]:
    """Every request body in the run's input files."""
    bodies = []
    for path in sorted(engine_dir(out).glob("round-*-part-*.jsonl")):
        if path.name.count(".") == 1:  # not .output.jsonl / .errors.jsonl
            bodies += [_canonical(json.loads(x)["body"]) for x in path.read_bytes().splitlines()]
    return sorted(bodies)


@pytest.fixture(scope="module")
def sync_default(book: ReferenceBook, tmp_path_factory: pytest.TempPathFactory) -> SyncRun:
    return _sync(book, tmp_path_factory.mktemp("sync"))


@pytest.fixture
def server(book: ReferenceBook) -> Iterator[BatchReferenceServer]:
    with BatchReferenceServer(book, prompt_cache=False, polls_to_complete=3) as s:
        yield s


# -- the same digests ------------------------------------------------------------------------


def test_seeds_through_the_batch_api_equal_the_synchronous_run(
    sync_default: SyncRun, server: BatchReferenceServer, tmp_path: Path
) -> None:
    clock = Clock()
    report = _engine(server, tmp_path / "out", clock)
    assert report.state == "complete" and report.batch is not None
    assert [a.status for a in report.batch.articles] == ["done"] * 5
    assert _outputs(tmp_path / "out") == sync_default.outputs
    # Exactly the bodies the synchronous path sent, each once.
    assert _submitted(tmp_path / "out") == sync_default.bodies
    assert (report.rounds, report.batches, report.requests) == (2, 2, 9)
    assert server.creations == 2 and set(server.lines.values()) == {1}
    # custom_id is the answer-cache key of the body (the key the synchronous path stores).
    first = (engine_dir(tmp_path / "out") / "round-001-part-01.jsonl").read_bytes()
    line = json.loads(first.splitlines()[0])
    assert line["custom_id"] == openai_batch_key(server, line["body"])
    # Polled with growing waits (each round's batch takes 3 polls), never a real sleep.
    assert clock.sleeps == [5.0, 7.5] * 2
    assert any("completed, 7/7 done, 0 failed" in e for e in clock.events)
    # Cost at both prices: batch is half.
    assert report.cost_sync_usd and report.cost_batch_usd
    assert report.cost_batch_usd == pytest.approx(report.cost_sync_usd / 2, rel=1e-6)


def openai_batch_key(server: BatchReferenceServer, body: dict[str, Any]) -> str:
    from summarizer.cache import answer_cache_key

    return answer_cache_key(server.base_url, body)


def test_a_finished_run_run_again_sends_nothing(
    sync_default: SyncRun, server: BatchReferenceServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _engine(server, out)
    seen = (server.creations, server.uploads, server.request_count, _polls(server))
    report = _engine(server, out)
    assert (server.creations, server.uploads, server.request_count, _polls(server)) == seen
    assert (report.batches_created, report.requests_sent) == (0, 0)
    assert _outputs(out) == sync_default.outputs


def _polls(server: BatchReferenceServer) -> int:
    return sum(b.polls for b in server.batches.values())


def test_map_reduce_chunks_equal_the_synchronous_run(
    book: ReferenceBook, server: BatchReferenceServer, tmp_path: Path
) -> None:
    small = {"max_chunk_tokens": 300, "overlap_tokens": 60}
    sync = _sync(book, tmp_path / "sync", **small)
    report = _engine(server, tmp_path / "out", **small)
    assert _outputs(tmp_path / "out") == sync.outputs
    assert _submitted(tmp_path / "out") == sync.bodies
    assert report.rounds == 2 and report.requests == len(sync.bodies)


@pytest.mark.parametrize(
    ("fault", "name"),
    [(Fault.of("schema_mismatch"), "re-ask"), (Fault.of("length"), "split")],
    ids=["re-ask", "split"],
)
def test_reasks_and_splits_are_the_synchronous_requests(
    book: ReferenceBook, server: BatchReferenceServer, tmp_path: Path, fault: Fault, name: str
) -> None:
    """An answer that fails validation is re-asked, and a truncated one split, in the next
    round, with the requests (the bad answer included) the synchronous path sends."""
    rules = ((_title(SINGLE), fault, 1),)
    sync = _sync(book, tmp_path / "sync", rules)
    server.add_rule(*rules[0])
    report = _engine(server, tmp_path / "out")
    assert _submitted(tmp_path / "out") == sync.bodies
    assert _outputs(tmp_path / "out") == sync.outputs
    # A re-ask is one more round; a split single-call article maps its halves, then reduces.
    assert report.rounds == (2 if name == "re-ask" else 3)
    assert report.requests == len(sync.bodies) > 9
    reasked = [b for b in sync.bodies if '"role": "assistant"' in b]
    assert bool(reasked) == (name == "re-ask")


def test_error_lines_and_an_expired_batch_are_retried(
    sync_default: SyncRun, server: BatchReferenceServer, tmp_path: Path
) -> None:
    server.add_rule(_title(SINGLE), Fault.http(500), times=1)
    server.add_rule(_title(MAPPED), Fault.http(429), times=1)
    server.expire_next(1)  # round 1 expires with half of its lines answered
    clock = Clock()
    report = _engine(server, tmp_path / "out", clock)
    assert _outputs(tmp_path / "out") == sync_default.outputs
    retried = {cid for cid, n in server.lines.items() if n > 1}
    # Half of round 1 expired, two lines failed (in either half: a rule fires on an answered
    # line, so a faulted line that expired first meets its fault in round 2, then succeeds).
    assert len(retried) >= 3 and set(server.lines.values()) <= {1, 2, 3}
    assert report.rounds >= 3 and server.creations == report.batches
    assert any("expired" in e for e in clock.events)


def test_a_request_that_keeps_failing_fails_its_article_alone(
    server: BatchReferenceServer, tmp_path: Path
) -> None:
    server.add_rule(_title(SINGLE), Fault.http(503))  # every time
    server.add_rule(_title("002_b3ca734f93e010ae.txt"), Fault.http(400))  # never retried
    report = _engine(server, tmp_path / "out")
    assert report.batch is not None
    status = {a.file: a for a in report.batch.articles}
    assert [n for n, a in status.items() if a.status != "done"] == [
        SINGLE,
        "002_b3ca734f93e010ae.txt",
    ]
    assert "failed 3 times" in (status[SINGLE].error or "")
    assert "HTTP 503" in (status[SINGLE].error or "")
    assert "failed once" in (status["002_b3ca734f93e010ae.txt"].error or "")
    counts = sorted(server.lines.values())
    assert counts.count(3) == 1 and max(counts) == 3  # attempts=3, and 400 only once


def test_request_files_are_split_at_the_limits(
    sync_default: SyncRun, server: BatchReferenceServer, tmp_path: Path
) -> None:
    clock = Clock()
    report = run_with_batch_api(
        SEEDS,
        tmp_path / "out",
        client=OpenAI(base_url=server.base_url, api_key=KEY),
        settings=BatchSettings(concurrency=4),
        engine=clock.settings(max_requests_per_file=3),
    )
    assert (report.batches, server.creations) == (4, 4)  # 7 requests → 3 + 3 + 1; then 2
    assert _outputs(tmp_path / "out") == sync_default.outputs
    lines = [(str(i), request_line(str(i), {"x": "y" * i})) for i in range(10)]
    groups = split_lines(lines, max_requests=100, max_bytes=200)
    assert all(sum(len(x) for _, x in g) <= 200 for g in groups) and len(groups) > 1
    assert [c for g in groups for c, _ in g] == [str(i) for i in range(10)]


# -- resuming without creating anything twice ------------------------------------------------


class _Stop(BaseException):
    pass


def test_interrupted_while_polling_resumes_without_a_new_batch(
    sync_default: SyncRun, server: BatchReferenceServer, tmp_path: Path
) -> None:
    def stop(_: float) -> None:
        raise KeyboardInterrupt

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_with_batch_api(
            SEEDS, out, client=OpenAI(base_url=server.base_url, api_key=KEY),
            settings=BatchSettings(concurrency=4), engine=EngineSettings(sleep=stop),
        )  # fmt: skip
    assert server.creations == 1
    state = load_state(out)
    assert state is not None and state.parts[0].status == "created"
    _engine(server, out)
    assert server.creations == 2 and set(server.lines.values()) == {1}
    assert _outputs(out) == sync_default.outputs


def test_a_lost_create_response_is_found_by_its_metadata(
    sync_default: SyncRun,
    server: BatchReferenceServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_create = openai_batch.BatchApi.create
    calls: list[str] = []

    def lost(self: openai_batch.BatchApi, file_id: str, run_id: str, part: str) -> Any:
        calls.append(part)
        real_create(self, file_id, run_id, part)  # the batch exists...
        if len(calls) == 1:
            raise openai_batch.TransientApiError("connection reset")  # ...the answer is lost
        if len(calls) == 2:
            raise _Stop  # killed after the create call was sent
        raise AssertionError("a third create")

    monkeypatch.setattr(openai_batch.BatchApi, "create", lost)
    out = tmp_path / "out"
    with pytest.raises(_Stop):
        _engine(server, out)
    assert server.creations == 2  # round 1 (adopted after the lost answer), round 2
    monkeypatch.setattr(openai_batch.BatchApi, "create", real_create)
    _engine(server, out)
    assert server.creations == 2 and set(server.lines.values()) == {1}
    assert _outputs(out) == sync_default.outputs


def test_a_damaged_state_file_is_not_replaced(server: BatchReferenceServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    engine_dir(out).mkdir(parents=True)
    (engine_dir(out) / STATE_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(EngineError, match="damaged"):
        _engine(server, out)
    assert (engine_dir(out) / STATE_NAME).read_text(encoding="utf-8") == "{not json"
    assert server.creations == 0


# -- JSONL files for any engine ---------------------------------------------------------------


def _cli(*args: str) -> int:
    return cli.main(["batch", str(SEEDS), *args])


def test_jsonl_round_trip_gives_the_same_digests(
    book: ReferenceBook, sync_default: SyncRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    # The engine that "runs" the files: the fake's own answering, no HTTP involved.
    with BatchReferenceServer(book, prompt_cache=False) as engine:
        assert _cli("--out", str(out), "--via", "jsonl") == 3
        bodies: list[str] = []
        for round_ in (1, 2):
            files = sorted((out / "batch-requests").glob(f"round-{round_:03d}-*.jsonl"))
            assert len(files) == 1
            data = files[0].read_bytes()
            bodies += [_canonical(json.loads(x)["body"]) for x in data.splitlines()]
            results = tmp_path / f"results-{round_}.jsonl"
            results.write_bytes(engine.run_requests(data))
            code = _cli("--out", str(out), "--results", str(results))
            assert code == (3 if round_ == 1 else 0), capsys.readouterr().err
        assert sorted(bodies) == sync_default.bodies
        assert _outputs(out) == sync_default.outputs
        # Given again, the same results change nothing and send nothing.
        assert _cli("--out", str(out), "--results", str(results)) == 0
        assert _outputs(out) == sync_default.outputs


def test_jsonl_results_with_bad_lines_and_failures(book: ReferenceBook, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with BatchReferenceServer(book, prompt_cache=False) as engine:
        first = run_with_jsonl(SEEDS, out)
        assert first.state == "waiting" and len(first.waiting_for) == 1
        data = Path(first.waiting_for[0]).read_bytes()
        lines = engine.run_requests(data).splitlines()
        failed = json.loads(lines[0])
        failed["response"] = {"status_code": 500, "body": {"error": {"message": "boom"}}}
        results = tmp_path / "results.jsonl"
        results.write_bytes(
            b"\n".join(
                [json.dumps(failed).encode(), b"{not json", b'{"custom_id": "nobody"}', *lines[1:]]
            )
        )
        second = run_with_jsonl(SEEDS, out, results=[results])
        assert second.state == "waiting"
        assert len(second.problems) == 2
        assert "line 2: not JSON" in second.problems[0] and "nobody" in second.problems[1]
        new = sorted((out / "batch-requests").glob("round-002-*.jsonl"))
        ids = [json.loads(x)["custom_id"] for x in new[0].read_bytes().splitlines()]
        assert failed["custom_id"] in ids  # the failed line is sent again
        # The half-answered part is not written again while its results are awaited.
        assert run_with_jsonl(SEEDS, out).requests_sent == 0


def test_result_lines_are_read_without_trusting_them() -> None:
    ok = parse_result_line(
        '{"custom_id": "a", "response": {"status_code": 200, "body": {"choices": []}}}'
    )
    assert ok.body == {"choices": []} and ok.status == 200
    expired = parse_result_line(
        '{"custom_id": "b", "response": null, "error": {"code": "batch_expired", "message": "m"}}'
    )
    assert (expired.body, expired.status, expired.message) == (None, None, "batch_expired: m")
    not_completion = parse_result_line(
        '{"custom_id": "c", "response": {"status_code": 200, "body": "text"}}'
    )
    assert not_completion.body is None and "not a chat completion" in not_completion.message
    for bad in ("[1]", "{}", '{"custom_id": 3}', "nope"):
        with pytest.raises(ValueError):
            parse_result_line(bad)


def test_batch_prices_are_half() -> None:
    assert estimate_cost("gpt-4o-mini", 2000, 1000, 500, batch_prices()) == pytest.approx(
        estimate_cost("gpt-4o-mini", 2000, 1000, 500) / 2  # type: ignore[operator]
    )


def test_batch_api_needs_a_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert _cli("--out", str(tmp_path / "out"), "--via", "batch-api") == 2
    assert "--via batch-api needs a server" in capsys.readouterr().err
    assert _cli("--out", str(tmp_path / "o"), "--via", "batch-api", "--results", "x") == 2


def test_an_unreadable_results_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _cli("--out", str(out), "--via", "jsonl") == 3
    missing = tmp_path / "no-such-results.jsonl"
    assert _cli("--out", str(out), "--results", str(missing)) == 2
    assert f"{missing}: cannot read the results file" in capsys.readouterr().err


def _without_facts(results: bytes) -> bytes:
    """The result lines with every answer's fact sheet emptied (a model that found nothing)."""
    lines = []
    for raw in results.splitlines():
        line = json.loads(raw)
        message = line["response"]["body"]["choices"][0]["message"]
        answer = json.loads(message["content"])
        if "facts" in answer:
            answer["facts"] = {kind: [] for kind in answer["facts"]}
            message["content"] = json.dumps(answer, ensure_ascii=False)
        lines.append(json.dumps(line, ensure_ascii=False).encode())
    return b"\n".join(lines)


def test_articles_with_nothing_verified_need_review_through_the_engines_too(
    book: ReferenceBook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    with BatchReferenceServer(book, prompt_cache=False) as engine:
        assert _cli("--out", str(out), "--via", "jsonl") == 3
        code = 3
        for round_ in (1, 2, 3):
            files = sorted((out / "batch-requests").glob(f"round-{round_:03d}-*.jsonl"))
            if code != 3 or not files:
                break
            results = tmp_path / f"results-{round_}.jsonl"
            results.write_bytes(_without_facts(engine.run_requests(files[0].read_bytes())))
            code = _cli("--out", str(out), "--results", str(results))
    err = capsys.readouterr().err
    assert code == 4, err
    assert "REVIEW " in err
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert all(a["status"] == "done" and a["needs_review"] for a in index["articles"])
