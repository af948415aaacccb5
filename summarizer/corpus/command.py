"""`summarizer corpus OUT [--json] [--person NAME] [--search TEXT]`: what the command does,
kept out of the CLI module, which only parses its arguments."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, TextIO

from .export import corpus_document, dumps, write_csvs
from .index import INDEX_NAME, CorpusError, UpdateReport, connect, search, update_index
from .people import find_person, timeline_json

# Article text printed on a terminal: no control character may reach it (escape sequences).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: object) -> str:
    return _CONTROL.sub("�", "" if text is None else str(text))


def _report(report: UpdateReport, err: TextIO) -> None:
    print(
        f"corpus: {report.articles} article(s) in {report.index} (added {report.added},"
        f" changed {report.changed}, removed {report.removed}, unchanged {report.unchanged})",
        file=err,
    )
    for p in report.problems:
        print(f"corpus: skipped {_plain(p.file)}: {_plain(p.message)}", file=err)


def _print_timeline(person: dict[str, Any], out: TextIO) -> None:
    orgs = ", ".join(person["organizations"]) or "no organisation stated"
    print(f"{_plain(person['name'])} ({_plain(person['name_en'])}) — {_plain(orgs)}", file=out)
    for a in person["appearances"]:
        role = a["role_vi"] or "(no role stated)"
        print(f"  {a['date']}  {_plain(role)}  [{_plain(a['article'])}]", file=out)
        if a["role_change"]:
            change = a["role_change"]
            print(
                f"      role change: {_plain(', '.join(change['from']))} → "
                f"{_plain(', '.join(change['to']))}",
                file=out,
            )
        print(f"      “{_plain(a['evidence'])}”", file=out)
    for link in person["possibly_same"]:
        print(f"  possibly the same as {link['id']}: {_plain(link['reason'])}", file=out)


def _print_hits(hits: list[dict[str, Any]], out: TextIO) -> None:
    for h in hits:
        print(f"{_plain(h['article'])}  {h['kind']}  {_plain(h['text_vi'])}", file=out)
        print(f"    “{_plain(h['evidence'])}”", file=out)


def run(
    out_dir: Path,
    *,
    as_json: bool = False,
    person: str | None = None,
    text: str | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Update the index of `out_dir`; then print a timeline (`person`), search hits (`text`) or
    the whole index (`as_json`), or else write the four CSV files. 0 when all went well, 1 when
    a digest was skipped or nothing matched, 2 when the folder or index cannot be used."""
    try:
        report = update_index(out_dir)
        conn = connect(out_dir / INDEX_NAME)
    except (CorpusError, OSError) as exc:
        print(f"summarizer: {exc}", file=err)
        return 2
    _report(report, err)
    status = 1 if report.problems else 0
    try:
        if person is not None:
            people = [timeline_json(p) for p in find_person(conn, person)]
            if as_json:
                print(dumps(people), file=out)
            for p in [] if as_json else people:
                _print_timeline(p, out)
            if not people:
                print(f"corpus: nobody named {_plain(person)!r} in the index", file=err)
                status = 1
        elif text is not None:
            hits = search(conn, text)
            if as_json:
                print(dumps(hits), file=out)
            else:
                _print_hits(hits, out)
        elif as_json:
            print(dumps(corpus_document(conn)), file=out)
        else:
            for path in write_csvs(conn, out_dir):
                print(f"corpus: wrote {path}", file=err)
    finally:
        conn.close()
    return status
