"""Property tests over folders: whatever the file names (same stem with different suffixes,
Unicode NFC and NFD, case, spaces, names of the batch's own outputs, nested folders, an output
folder inside the input), every article input gets exactly one entry in index.json and, when
done, exactly one digest and one fact sheet of its own; nothing is overwritten, in the output
folder or the input folder; a second run changes nothing."""

from __future__ import annotations

import asyncio
import json
import tempfile
import unicodedata
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from summarizer.batch import BatchSettings, run_batch
from summarizer.folder import ARTICLE_SUFFIXES
from summarizer.review import ReviewStore

from .conftest import SEEDS
from .test_batch import CountingReplay, _client

ARTICLE = (SEEDS / "004_0b7d40f7952fcebe.txt").read_bytes()

TRICKY_STEMS = [
    "x",
    "X",
    "a b",
    "Hà Nội",
    unicodedata.normalize("NFD", "Hà Nội"),
    "index",
    "facts",
    "reviewed",
    "index.json",
    "facts.csv",
    "x.review",
    "x.txt",
    ".cache.sqlite",
    ".hidden",
    "out",
    "ß",
    "ss",
]
NAME_CHARS = st.characters(codec="utf-8", categories=("L", "M", "N"), exclude_characters="/\0")
STEMS = st.one_of(
    st.sampled_from(TRICKY_STEMS),
    st.text(NAME_CHARS | st.sampled_from(" -_.~"), min_size=1, max_size=12),
)
SUFFIXES = st.sampled_from([*ARTICLE_SUFFIXES, ".TXT", ".Md", ".json", ".csv", ".pdf", ""])
KINDS = st.sampled_from(["article", "article", "article", "empty", "folder"])
ENTRIES = st.lists(
    st.tuples(STEMS, SUFFIXES, KINDS),
    min_size=1,
    max_size=6,
    unique_by=lambda e: e[0] + e[1],
).map(lambda es: [(s + x, kind) for s, x, kind in es if s + x not in (".", "..")])


def _make(folder: Path, entries: list[tuple[str, str]]) -> set[str]:
    """Creates the entries; returns the names that are article inputs."""
    folder.mkdir()
    articles = set()
    for name, kind in entries:
        path = folder / name
        if kind == "folder":
            path.mkdir()
            (path / "inner.txt").write_bytes(ARTICLE)  # a nested article: not an input
            continue
        path.write_bytes(ARTICLE if kind == "article" else b"")
        if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES:
            articles.add(name)
    return articles


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


# Loading the recordings takes half a second: one transport serves every example (seed 004 has
# a single recorded answer, replayed as often as asked).
REPLAY = CountingReplay()


def _batch(folder: Path, out: Path) -> None:
    settings = BatchSettings(concurrency=4, options={"backoff_initial": 0.0})
    # Durability is not what these examples test: without fsync they run in a fraction of the
    # time (write_atomic still writes a temporary file and renames it).
    with mock.patch("os.fsync"):
        asyncio.run(run_batch(folder, out, client=_client(REPLAY), settings=settings))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(entries=ENTRIES, out_inside=st.booleans(), out_name=STEMS)
def test_every_input_gets_one_entry_and_its_own_outputs(
    entries: list[tuple[str, str]], out_inside: bool, out_name: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        articles = _make(folder, entries)
        taken = {name for name, _ in entries}
        out_name = out_name if out_name not in taken | {".", ".."} else "out~"
        out = folder / out_name if out_inside else Path(tmp) / "out"
        inputs_before = _tree(folder)

        _batch(folder, out)

        index = json.loads((out / "index.json").read_text(encoding="utf-8"))
        assert index["state"] == "complete"
        listed = [e["file"] for e in index["articles"]]
        assert sorted(listed) == sorted(articles)  # each input once, nothing else
        skipped = {s["name"] for s in index["skipped"]}
        # The output folder is made by the run, after it listed the inputs.
        on_disk = {p.name for p in folder.iterdir()} - ({out_name} if out_inside else set())
        assert skipped | set(listed) == on_disk and not skipped & set(listed)

        stems = [e["stem"] for e in index["articles"]]
        assert len({_fold(s) for s in stems}) == len(stems)  # distinct on any file system
        done = [e for e in index["articles"] if e["status"] == "done"]
        outputs = {p.name for p in out.iterdir() if not p.name.startswith(".")}
        expected = {"index.json", "facts.csv"}
        expected |= {f"{e['stem']}.json" for e in done} | {f"{e['stem']}.md" for e in done}
        assert outputs == expected
        for e in done:
            digest = json.loads((out / f"{e['stem']}.json").read_text(encoding="utf-8"))
            assert digest["article"]["source_path"] == str(folder / e["file"])
        for e in index["articles"]:
            if e["file"].startswith(("empty",)) or e["status"] == "failed":
                assert not (out / f"{e['stem']}.json").exists()
        assert set(ReviewStore(out).stems()) == {e["stem"] for e in done}

        # Nothing in the input folder was touched (the output folder aside).
        after = {k: v for k, v in _tree(folder).items() if not k.startswith(f"{out_name}/")}
        before = {k: v for k, v in inputs_before.items() if not k.startswith(f"{out_name}/")}
        assert after == before

        # Running again reads the same inputs and rewrites the same bytes (the index now also
        # lists an output folder inside the input folder as skipped).
        first = _tree(out)
        _batch(folder, out)
        second = _tree(out)
        if out_inside:
            again = json.loads(second.pop("index.json"))
            assert again.pop("skipped") == sorted(
                [*index["skipped"], {"name": out_name, "reason": _reason(out_name)}],
                key=lambda s: s["name"],
            )
            assert again == {k: v for k, v in index.items() if k != "skipped"}
            first.pop("index.json")
        assert second == first


def _reason(name: str) -> str:
    return "hidden" if name.startswith(".") else "a folder"
