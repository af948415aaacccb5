"""Where the corpus reads digests from: a batch's output folder.

The only module of the package that knows the `Digest` model and how digest files are named, so
that a change of either (digests named after their input file, `Digest` moving module) is
adapted here alone.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..digest import Digest

INDEX_JSON = "index.json"
# JSON files of an output folder that are never digests.
NOT_DIGESTS = frozenset({INDEX_JSON, "reviewed.json"})
NOT_DIGEST_SUFFIXES = (".review.json",)
# Keys under which an index.json entry may name its digest file.
DIGEST_KEYS = ("digest", "digest_file", "json")

__all__ = ["Digest", "DigestFile", "discover_digests", "parse_digest"]


@dataclass(frozen=True)
class DigestFile:
    """One digest file of the folder. `stem` (the file name without ".json") is the article's
    id everywhere: in the index, the exports and the review page's address."""

    stem: str
    path: Path
    listed: bool
    """Named by index.json (a broken one is a problem to report, not a stray file)."""


def _listed_names(out: Path) -> list[str] | None:
    """Digest file names index.json gives, or None when it names none (older batches)."""
    try:
        data = json.loads((out / INDEX_JSON).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    articles = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(articles, list):
        return None
    names: list[str] = []
    for entry in articles:
        if not isinstance(entry, dict):
            continue
        for key in DIGEST_KEYS:
            value = entry.get(key)
            if isinstance(value, str) and value.endswith(".json"):
                names.append(value)
                break
    return names or None


def _is_candidate(name: str) -> bool:
    return (
        name.endswith(".json")
        and not name.startswith(".")
        and name not in NOT_DIGESTS
        and not name.endswith(NOT_DIGEST_SUFFIXES)
    )


def discover_digests(out: Path) -> list[DigestFile]:
    """The digest files of the output folder `out`, in name order: those index.json names when
    it names them (only plain file names inside `out`), else every other JSON file of the
    folder, each then validated as a Digest when read."""
    listed = _listed_names(out)
    if listed is not None:
        found: dict[str, DigestFile] = {}
        for name in listed:
            # A name from a file on disk: never a path out of the folder.
            if os.path.basename(name) != name or not _is_candidate(name):
                continue
            path = out / name
            if path.is_file():
                found[name] = DigestFile(name[: -len(".json")], path, True)
        return [found[k] for k in sorted(found)]
    files: list[DigestFile] = []
    with os.scandir(out) as entries:
        for entry in entries:
            if _is_candidate(entry.name) and entry.is_file():
                files.append(DigestFile(entry.name[: -len(".json")], Path(entry.path), False))
    return sorted(files, key=lambda f: f.stem)


def parse_digest(raw: bytes) -> Digest:
    """A digest from its file's bytes; ValueError (with pydantic's reasons) when it is not one."""
    try:
        return Digest.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors()
        if not errors:
            raise ValueError("not a Digest") from None
        where = ".".join(str(x) for x in errors[0]["loc"])
        raise ValueError(
            f"not a Digest ({exc.error_count()} error(s); {where}: {errors[0]['msg']})"
        ) from None
