"""The input folder of a batch: which entries are articles, and what their outputs are called.

See `summarizer.batch` for the naming scheme. Kept apart from the batch runner so that the
command line and tools can list a folder's articles exactly as the batch will.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
# An input name longer than this (in bytes) gets a shortened output name: the longest name the
# batch makes from it, `.NAME.review.json.XXXXXXXX.tmp`, must stay under the usual 255 bytes.
MAX_NAME_BYTES = 200


class OutputFolderError(ValueError):
    """The output folder cannot be used with this input folder."""


class Skipped(BaseModel):
    name: str
    reason: str


def survey(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """The article files of `folder` (not recursive, name order) and the entries skipped."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a folder")
    articles: list[Path] = []
    skipped: list[Skipped] = []
    for path in sorted(folder.iterdir()):
        reason = _skip_reason(path)
        if reason is None:
            articles.append(path)
        else:
            skipped.append(Skipped(name=printable(path.name), reason=reason))
    return articles, skipped


def _skip_reason(path: Path) -> str | None:
    if path.name.startswith("."):
        return "hidden"
    if path.is_dir():  # follows symbolic links; a broken link is a (failing) article
        return "a folder"
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        return "not an article file (" + ", ".join(ARTICLE_SUFFIXES) + ")"
    return None


def discover(folder: Path) -> list[Path]:
    """The article files of `folder` (not recursive), in name order."""
    return survey(folder)[0]


def _fold(name: str) -> str:
    """What a case-insensitive, normalisation-insensitive file system compares."""
    return unicodedata.normalize("NFC", name).casefold()


def _tag(name: str) -> str:
    raw = os.fsencode(name)
    return hashlib.sha256(raw).hexdigest()[:8]


def _shorten(name: str) -> str:
    raw = os.fsencode(name)
    if len(raw) <= MAX_NAME_BYTES:
        return name
    head = raw[: MAX_NAME_BYTES - 9].decode("utf-8", "ignore")  # whole characters only
    return f"{head}~{_tag(name)}"


def output_stems(names: Iterable[str]) -> dict[str, str]:
    """Each input file name → the name its outputs are written under (see the module doc).

    Distinct names always get distinct stems, also once case and Unicode normalisation are
    ignored, so no output overwrites another on any file system."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(names)):
        groups[_fold(name)].append(name)
    stems: dict[str, str] = {}
    for group in groups.values():
        first, *others = group
        stems[first] = _shorten(first)
        for name in others:
            stems[name] = f"{_shorten(name)}~{_tag(name)}"
    return stems


def check_out(folder: Path, out: Path) -> None:
    if out.exists() and os.path.samefile(folder, out):
        raise OutputFolderError(
            f"{out}: the output folder is the input folder; its fact sheets (.md) would be read"
            " as articles by the next run. Use another folder (a sub-folder is fine)"
        )


def printable(text: str) -> str:
    """`text` as valid UTF-8 (file names that are not become visible escapes)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


__all__ = [
    "ARTICLE_SUFFIXES",
    "OutputFolderError",
    "Skipped",
    "check_out",
    "discover",
    "output_stems",
    "printable",
    "survey",
]
