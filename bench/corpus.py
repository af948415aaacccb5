"""Time the corpus index at scale: N digests made from the seeds' digests (people renamed,
dates shifted), then an incremental update with 1,000 more, and queries.

    python bench/corpus.py [--n 100000] [--new 1000] [--work DIR] [--keep]

The seed digests come from the offline demo batch (the recorded cassettes). Variants are written
as compact JSON into WORK/out (default: a temporary folder, removed at the end unless --keep).
Prints the figures, then a last line of key=value pairs: n, build_s, update_s (for --new new
digests), index_mb, digests_mb, person_ms and search_ms (median of 50 queries each).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.corpus import INDEX_NAME, connect, find_person, search, update_index  # noqa: E402

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Quang", "Ngọc", "Xuân", "Hồng"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hùng",
    "Hưng",
    "Khánh",
    "Lâm",
    "Linh",
    "Long",
    "Nam",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thi",
    "Thủy",
    "Trung",
    "Tuấn",
    "Vinh",
    "Yến",
    "Bảo",
    "Châu",
    "Đạt",
    "Hiếu",
    "Hòa",
    "Khoa",
    "Lộc",
    "Mai",
    "Nga",
    "Oanh",
]


def seed_digests(work: Path) -> list[str]:
    """The seeds' digests as JSON, from the offline demo batch."""
    from openai import AsyncOpenAI, DefaultAsyncHttpxClient

    from summarizer.batch import run_batch
    from summarizer.cassettes import STABLE_HOST, ReplayTransport

    transport = ReplayTransport(sorted((ROOT / "cassettes/reference/seeds").glob("*.yaml")))
    client = AsyncOpenAI(
        base_url=STABLE_HOST + "/v1",
        api_key="replay",
        http_client=DefaultAsyncHttpxClient(transport=transport),
    )
    out = work / "seeds-out"
    asyncio.run(run_batch(ROOT / "seeds", out, client=client))
    return [json.dumps(json.loads(p.read_text("utf-8")), ensure_ascii=False,
                       separators=(",", ":"))
            for p in sorted(out.glob("0*.json"))]  # fmt: skip


def _names(data: str) -> list[str]:
    d = json.loads(data)
    return sorted({p["name"] for p in d["facts"]["people"]}, key=len, reverse=True)


def variant(seed: str, names: list[str], i: int, rng: random.Random) -> str:
    """Seed digest `seed` with its people renamed and its dates shifted by a number of days."""
    text = seed
    for name in names:
        new = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        text = text.replace(name, new)
    d = json.loads(text)
    shift = dt.timedelta(days=rng.randrange(0, 3650))
    if d["article"]["published"]:
        d["article"]["published"] = (
            dt.date.fromisoformat(d["article"]["published"]) + shift
        ).isoformat()
    for e in d["facts"]["events"]:
        if e["date"]:
            e["date"] = (dt.date.fromisoformat(e["date"]) + shift).isoformat()
    d["article"]["title"] = f"{d['article']['title']} ({i})"
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"))


def write_variants(out: Path, seeds: list[str], start: int, count: int) -> None:
    rng = random.Random(start)
    names = [_names(s) for s in seeds]
    for i in range(start, start + count):
        k = i % len(seeds)
        (out / f"v{i:07d}.json").write_text(variant(seeds[k], names[k], i, rng), "utf-8")


def _median_ms(calls: list[float]) -> float:
    return statistics.median(calls) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="corpus-bench-"))
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)
    try:
        seeds = seed_digests(work)
        t0 = time.perf_counter()
        write_variants(out, seeds, 0, args.n)
        print(f"wrote {args.n} digests in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        report = update_index(out)
        build = time.perf_counter() - t0
        assert report.added == args.n and not report.problems, report.problems[:3]
        print(f"build: {args.n} digests in {build:.1f} s ({args.n / build:.0f}/s)", flush=True)
        write_variants(out, seeds, args.n, args.new)
        t0 = time.perf_counter()
        report = update_index(out)
        update = time.perf_counter() - t0
        assert report.added == args.new, report
        print(f"update: {args.new} new digests in {update:.2f} s", flush=True)
        index_mb = sum(p.stat().st_size for p in out.glob(INDEX_NAME + "*")) / 1e6
        digests_mb = sum(p.stat().st_size for p in out.glob("v*.json")) / 1e6
        conn = connect(out / INDEX_NAME)
        rng = random.Random(7)
        people, texts = [], []
        for _ in range(50):
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            t0 = time.perf_counter()
            find_person(conn, name)
            people.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            search(conn, rng.choice(["Thanh Hóa Hàn Quốc", "ngoai giao kinh te", "Nhật Bản",
                                     "vốn FDI", "Thái Bình UNESCO"]))  # fmt: skip
            texts.append(time.perf_counter() - t0)
        conn.close()
        print(f"index: {index_mb:.0f} MB for {digests_mb:.0f} MB of digests")
        print(f"person timeline: median {_median_ms(people):.1f} ms; "
              f"full-text search: median {_median_ms(texts):.1f} ms")  # fmt: skip
        print(
            f"n={args.n} build_s={build:.1f} update_s={update:.2f} new={args.new}"
            f" index_mb={index_mb:.0f} digests_mb={digests_mb:.0f}"
            f" person_ms={_median_ms(people):.1f} search_ms={_median_ms(texts):.1f}"
        )
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
