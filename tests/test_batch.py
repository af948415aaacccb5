"""The batch over a folder: replay of the seeds, resumability, bad files, the command line."""

from __future__ import annotations

import asyncio
import csv
import json
import shutil
from pathlib import Path

import httpx2
import jsonschema
import pytest
from openai import AsyncOpenAI, DefaultAsyncHttpxClient

from summarizer import cli
from summarizer.batch import BatchReport, BatchSettings, run_batch
from summarizer.cassettes import STABLE_HOST, ReplayTransport
from summarizer.digest import Digest

from .conftest import CASSETTES, SEEDS

SEED_CASSETTES = sorted((CASSETTES / "reference" / "seeds").glob("*.yaml"))


class CountingReplay(ReplayTransport):
    """Replays the seed cassettes, counting requests; fails every request past `budget`."""

    def __init__(self, budget: int | None = None) -> None:
        super().__init__(SEED_CASSETTES)
        self.requests = 0
        self.budget = budget

    def _handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests += 1
        if self.budget is not None and self.requests > self.budget:
            return httpx2.Response(400, json={"error": {"message": "interrupted"}})
        return super()._handle(request)


def _client(transport: ReplayTransport) -> AsyncOpenAI:
    http = DefaultAsyncHttpxClient(transport=transport)
    return AsyncOpenAI(base_url=STABLE_HOST + "/v1", api_key="sk-test-batch", http_client=http)


def _run(folder: Path, out: Path, transport: ReplayTransport, **kw: object) -> BatchReport:
    settings = BatchSettings(concurrency=4, options={"backoff_initial": 0.0, **kw})
    return asyncio.run(run_batch(folder, out, client=_client(transport), settings=settings))


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchReport]:
    out = tmp_path_factory.mktemp("out")
    return out, _run(SEEDS, out, CountingReplay())


def test_seed_batch_by_replay(seeds_out: tuple[Path, BatchReport]) -> None:
    out, report = seeds_out
    assert [a.status for a in report.articles] == ["done"] * 5
    assert report.failed == []
    schema = Digest.model_json_schema()
    for seed in SEEDS.glob("*.txt"):
        data = json.loads((out / f"{seed.name}.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        assert data["verification"]["verified"] == data["verification"]["total"] > 0
        markdown = (out / f"{seed.name}.md").read_text(encoding="utf-8")
        assert (
            markdown.startswith("# ") and "| Vietnamese | English | Evidence | Status |" in markdown
        )
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [a["status"] for a in index["articles"]] == ["done"] * 5
    assert all(a["verification_rate"] == 1.0 for a in index["articles"])
    assert sum(a["usage"]["input_tokens"] for a in index["articles"]) == report.usage.input_tokens
    with (out / "facts.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == sum(a.facts for a in report.articles)
    assert {r["status"] for r in rows} == {"verified"}
    assert all(r["fact_id"] and r["text_en"] and r["evidence"] for r in rows)
    assert not list(out.glob(".*.tmp"))


def test_rerun_makes_no_request(seeds_out: tuple[Path, BatchReport], tmp_path: Path) -> None:
    out, _ = seeds_out
    before = _outputs(out)
    transport = CountingReplay()
    report = _run(SEEDS, out, transport)
    assert transport.requests == 0
    assert report.answers_fetched == 0 and report.answers_from_cache > 0
    assert _outputs(out) == before


def test_interrupted_batch_resumes_to_identical_outputs(
    seeds_out: tuple[Path, BatchReport], tmp_path: Path
) -> None:
    uninterrupted, _ = seeds_out
    out = tmp_path / "out"
    first = _run(SEEDS, out, CountingReplay(budget=4))
    assert 0 < len(first.failed) < 5
    transport = CountingReplay()
    second = _run(SEEDS, out, transport)
    assert second.failed == []
    # Nothing answered in the first run is asked again.
    assert transport.requests == second.answers_fetched
    assert second.answers_from_cache >= 4
    assert _outputs(out) == _outputs(uninterrupted)


def test_bad_files_fail_alone(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "004_0b7d40f7952fcebe.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "huge.txt").write_bytes(b"a" * 6_000_000)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an article file: ignored
    # Named like the run's own files: outputs carry the full input name, so nothing clashes.
    shutil.copy(SEEDS / "004_0b7d40f7952fcebe.txt", folder / "index.txt")
    shutil.copy(SEEDS / "004_0b7d40f7952fcebe.txt", folder / "facts.md")
    report = _run(folder, tmp_path / "out", CountingReplay())
    status = {a.file: (a.status, a.error_type) for a in report.articles}
    assert status == {
        "004_0b7d40f7952fcebe.txt": ("done", None),
        "empty.txt": ("failed", "EmptyArticleError"),
        "huge.txt": ("failed", "ArticleTooLargeError"),
        "image.txt": ("failed", "BinaryInputError"),
        "facts.md": ("done", None),
        "index.txt": ("done", None),
    }
    for failure in report.failed:
        assert failure.error and failure.file in failure.error
        assert not failure.unexpected
    out = tmp_path / "out"
    assert not (out / "empty.txt.json").exists()
    assert (out / "index.txt.json").exists() and (out / "facts.md.md").exists()
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["state"] == "complete" and len(index["articles"]) == 6
    assert index["skipped"] == [
        {"name": "notes.pdf", "reason": "not an article file (.txt, .md, .html, .htm)"}
    ]


def test_command_line_offline_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "000_69bf44ab3444e1cf.txt", folder)
    (folder / "other.txt").write_text(
        "Một bài báo khác\n\nSáng 3/4, đoàn công tác của tỉnh đã làm việc với đối tác. "
        "Hai bên thống nhất tăng cường hợp tác trong thời gian tới.\n",
        encoding="utf-8",
    )
    code = cli.main(
        [
            "batch",
            str(folder),
            "--out",
            str(tmp_path / "out"),
            "--cassettes",
            str(SEED_CASSETTES[0].parent),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "OFFLINE DEMO" in err and "reference server" in err and "not from a model" in err
    assert "FAILED other.txt" in err and "set OPENAI_API_KEY or pass --base-url" in err
    assert (tmp_path / "out" / "000_69bf44ab3444e1cf.txt.json").exists()


def test_command_line_jsonl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "004_0b7d40f7952fcebe.txt", folder)
    code = cli.main(["batch", str(folder), "--out", str(tmp_path / "out"), "--jsonl"])
    captured = capsys.readouterr()
    assert code == 0
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [(x["file"], x["status"]) for x in lines] == [("004_0b7d40f7952fcebe.txt", "done")]
    assert "OFFLINE DEMO" not in captured.err  # quiet modes print no banner


def test_missing_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["batch", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 2
    assert "not a folder" in capsys.readouterr().err


def test_facts_csv_cells_cannot_run_as_formulas() -> None:
    from summarizer.render import csv_cell

    assert csv_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert csv_cell("-5% so với cùng kỳ") == "'-5% so với cùng kỳ"
    assert csv_cell("Bộ Ngoại giao") == "Bộ Ngoại giao"
    assert csv_cell(None) == ""
