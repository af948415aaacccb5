"""Shared pieces of the reliability suite: article sets, the fault-free reference run, and the
comparison that decides whether an article that went through faults came out right.

"Correct" means: the article's Digest (its `OUT/<stem>.json`) equals the Digest of a fault-free
run of the same input, field for field, except `usage` (retries cost more). A chunk answer cut
at the output limit is split and asked again in pieces; the pieces bring back the same facts but
in the order of the pieces, so for an article that met a `length` fault the facts are compared
as a multiset (`canonical(..., ordered=False)`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openai import AsyncOpenAI

from summarizer.batch import BatchReport, BatchSettings, run_batch
from summarizer.schemas import ArticleExtraction
from summarizer.testing import ReferenceBook, ReferenceServer, numbered_variant

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
REFERENCE = ROOT / "tests" / "reference"
FAKE_KEY = "sk-test-reliability-0000000000000000"

# Fast settings for a batch under faults: no backoff sleeps, a short request timeout (a stalled
# request costs 0.75 s; a stall never ends before the client gives up), retries bounded in time
# too. A normal answer that meets the timeout on a loaded machine is only retried: no test here
# counts on a request not being retried.
FAST: dict[str, Any] = {
    "backoff_initial": 0.0,
    "backoff_max": 0.0,
    "max_retry_seconds": 15.0,
    "request_timeout": 0.75,
}

ENGLISH_PAGE = """Vietnam and Japan agree to expand investment ties

HANOI, March 2 (Staff report) - Vietnamese Foreign Minister Bui Thanh Son met Japanese \
Ambassador Yamada Takio in Hanoi on Thursday to discuss investment cooperation between the two \
countries.

The two sides agreed to organise a series of events marking the 50th anniversary of diplomatic \
relations, including a business forum in Thanh Hoa province in September.

Japan is the largest provider of official development assistance to Vietnam, with total \
commitments of about 30 billion USD since 1992, the ministry said in a statement.
"""


def english_reference() -> ArticleExtraction:
    """A hand-written answer for ENGLISH_PAGE (the reference server answers from it)."""
    ev_meet = (
        "Vietnamese Foreign Minister Bui Thanh Son met Japanese Ambassador Yamada Takio in Hanoi"
        " on Thursday to discuss investment cooperation between the two countries."
    )
    ev_oda = (
        "Japan is the largest provider of official development assistance to Vietnam, with total"
        " commitments of about 30 billion USD since 1992, the ministry said in a statement."
    )
    return ArticleExtraction.model_validate(
        {
            "facts": {
                "people": [
                    {
                        "name": "Bui Thanh Son",
                        "role_vi": None,
                        "role_en": "Minister of Foreign Affairs",
                        "organization": None,
                        "evidence": ev_meet,
                    },
                    {
                        "name": "Yamada Takio",
                        "role_vi": None,
                        "role_en": "Ambassador",
                        "organization": None,
                        "evidence": ev_meet,
                    },
                ],
                "organizations": [],
                "places": [
                    {
                        "name": "Hanoi",
                        "name_en": "Hanoi",
                        "country": "Vietnam",
                        "evidence": ev_meet,
                    }
                ],
                "figures": [],
                "events": [
                    {
                        "what_vi": "Bộ trưởng Bùi Thanh Sơn gặp Đại sứ Yamada Takio",
                        "what_en": "Minister Bui Thanh Son met Ambassador Yamada Takio",
                        "date": None,
                        "where": "Hanoi",
                        "evidence": ev_meet,
                    }
                ],
                "statements": [
                    {
                        "speaker": "the ministry",
                        "kind": "informs",
                        "content_vi": "Nhật Bản là nhà cung cấp ODA lớn nhất cho Việt Nam",
                        "content_en": "Japan is the largest ODA provider to Vietnam",
                        "addressee": None,
                        "evidence": ev_oda,
                    }
                ],
            },
            "summary": {
                "headline_vi": "Việt Nam và Nhật Bản mở rộng hợp tác đầu tư",
                "headline_en": "Vietnam and Japan expand investment ties",
                "summary_vi": "Bộ trưởng Bùi Thanh Sơn gặp Đại sứ Nhật Bản tại Hà Nội.",
                "summary_en": "Minister Bui Thanh Son met Japan's ambassador in Hanoi.",
                "key_points_vi": ["Hợp tác đầu tư"],
                "key_points_en": ["Investment cooperation"],
            },
        }
    )


def reference_book() -> ReferenceBook:
    refs = {
        f.stem: ArticleExtraction.model_validate_json(f.read_bytes())
        for f in sorted(REFERENCE.glob("*.json"))
    }
    refs["english"] = english_reference()
    return ReferenceBook(refs)


def variant_text(seed: Path, number: int) -> str:
    """The seed page with its title line numbered, so that no request is shared."""
    return numbered_variant(seed.read_text(encoding="utf-8"), number)


def make_articles(folder: Path, count: int) -> list[Path]:
    """The five seeds, then numbered variants of them, `count` files in all."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    paths = []
    for i in range(count):
        seed = seeds[i % len(seeds)]
        if i < len(seeds):
            path = folder / f"a{i:03d}_{seed.stem}.txt"
            path.write_bytes(seed.read_bytes())
        else:
            path = folder / f"a{i:03d}_{seed.stem}.txt"
            path.write_text(variant_text(seed, i), encoding="utf-8")
        paths.append(path)
    return paths


def client_for(server: ReferenceServer, key: str = FAKE_KEY) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=server.base_url, api_key=key)


def run(folder: Path, out: Path, server: ReferenceServer, **options: Any) -> BatchReport:
    """`run_batch` against `server` (the client is closed before the event loop is)."""
    concurrency = int(options.pop("concurrency", 8))
    settings = BatchSettings(concurrency=concurrency, options=options)

    async def go() -> BatchReport:
        async with client_for(server) as client:
            return await run_batch(folder, out, client=client, settings=settings)

    return asyncio.run(go())


def read_index(out: Path, finished: Iterable[str]) -> list[dict[str, Any]]:
    """index.json's entries, checked to list each file once and every finished article
    (`finished`: file names) as finished. A finished article still listed 'pending' is the
    index-write race (test_batch_bugs.py::test_final_index_lists_every_finished_article): the
    test fails, so that a regression of that fix cannot hide."""
    entries: list[dict[str, Any]] = json.loads((out / "index.json").read_text(encoding="utf-8"))[
        "articles"
    ]
    files = [e["file"] for e in entries]
    assert len(files) == len(set(files)), "index.json lists a file twice"
    done = set(finished)
    assert done <= set(files), f"index.json misses finished articles: {sorted(done - set(files))}"
    stale = [e["file"] for e in entries if e["status"] == "pending" and e["file"] in done]
    assert not stale, f"index.json left finished articles 'pending' (index-write race): {stale}"
    return entries


def canonical(digest: dict[str, Any], *, ordered: bool = True) -> str:
    """A Digest's JSON without `usage`; with `ordered=False`, facts compared as a multiset."""
    data = {k: v for k, v in digest.items() if k != "usage"}
    if not ordered:
        data["facts"] = {
            kind: sorted(json.dumps(f, sort_keys=True, ensure_ascii=False) for f in facts)
            for kind, facts in data["facts"].items()
        }
        verification = dict(data["verification"])
        verification["facts"] = sorted(
            (
                json.dumps({k: v for k, v in c.items() if k != "index"}, sort_keys=True)
                for c in verification["facts"]
            ),
        )
        data["verification"] = verification
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def digests(out: Path) -> dict[str, dict[str, Any]]:
    """Every article output of a batch folder: stem → parsed Digest JSON."""
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(out.glob("*.json"))
        if p.name != "index.json"
    }


@dataclass
class ReferenceRun:
    folder: Path
    out: Path
    report: BatchReport
    digests: dict[str, dict[str, Any]]


@pytest.fixture(scope="session")
def book() -> ReferenceBook:
    return reference_book()


@pytest.fixture(scope="session")
def fifty(tmp_path_factory: pytest.TempPathFactory, book: ReferenceBook) -> Iterator[ReferenceRun]:
    """50 articles (5 seeds, 45 variants) and their fault-free batch run."""
    base = tmp_path_factory.mktemp("fifty")
    folder = base / "articles"
    make_articles(folder, 50)
    with ReferenceServer(book) as server:
        report = run(folder, base / "fault-free", server, **FAST)
    assert report.failed == []
    yield ReferenceRun(folder, base / "fault-free", report, digests(base / "fault-free"))
