"""People joined across articles, conservatively, and their role timelines.

Appearances meet when their names have the same key (honorifics, case, spacing, NFC/NFD and
diacritics aside, see `names`). Among those, an appearance joins a person only when something
besides the name agrees: an organisation (Bộ Ngoại giao and Bộ Ngoại giao; "UBND tỉnh" of an
article about Thanh Hóa and "UBND tỉnh Thanh Hóa") or else a place the role names (Bí thư Tỉnh
ủy Thanh Hóa and Chủ tịch HĐND tỉnh Thanh Hóa). Two names both written with diacritics that
differ in them (Thi and Thị) are different names. Vietnamese full names repeat, so people who
share only a name are kept apart, with a "possibly the same" link saying why they were not
joined.

A role change is marked where a later appearance holds a title the earlier ones never did and
has lost one that no later appearance holds again (an article leaving a title out is not a
change): "Thứ trưởng Thường trực" → "Bộ trưởng Bộ Ngoại giao".
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from .names import display_name, has_marks, name_key, role_parts, same_title, strip_marks

# Links shown per person: a very common name would otherwise list hundreds of namesakes.
MAX_LINKS = 20


@dataclass
class Seen:
    """One appearance of a name in one article, as the index holds it."""

    article: str
    title: str
    published: str | None
    name: str
    key: str
    marks: bool
    role_vi: str | None
    role_en: str | None
    organization: str | None
    orgs: dict[str, str]
    places: dict[str, str]
    date: str | None
    date_source: str
    evidence: str
    fact_id: str
    joined: str | None = None
    """Why this appearance joined the person's earlier ones (None for the first)."""
    role_change: dict[str, list[str]] | None = None


@dataclass
class PersonTimeline:
    id: str
    appearances: list[Seen]
    orgs: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    links: list[dict[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        names = Counter(a.name for a in self.appearances)
        # The most frequent spelling, one with diacritics rather than one without.
        return max(names, key=lambda n: (has_marks(n), names[n], n))

    def marked_names(self) -> set[str]:
        return {_exact(a.name) for a in self.appearances if a.marks}


_COLUMNS = (
    "a.stem, a.title, a.published, p.name, p.key, p.marks, p.role_vi, p.role_en,"
    " p.organization, p.orgs, p.places, p.date, p.date_source, s.evidence, f.fact_id"
)
_FROM = (
    " FROM people p JOIN articles a ON a.id = p.article JOIN facts f ON f.id = p.fact"
    " JOIN facts_fts s ON s.rowid = p.fact"
)


def _seen(row: tuple[Any, ...]) -> Seen:
    (article, title, published, name, key, marks, role_vi, role_en, organization, orgs, places,
     date, date_source, evidence, fact_id) = row  # fmt: skip
    return Seen(
        article, title, published, name, key, bool(marks), role_vi, role_en, organization,
        json.loads(orgs), json.loads(places), date, date_source, evidence, fact_id,
    )  # fmt: skip


def _exact(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _agreement(a: Seen, person: PersonTimeline) -> str | None:
    """Why `a` is `person` (besides the name), or None when nothing else agrees."""
    if a.marks and person.marked_names() and _exact(a.name) not in person.marked_names():
        return None
    shared = [a.orgs[k] for k in a.orgs if k in person.orgs]
    if shared:
        return "same name and organisation: " + ", ".join(shared)
    shared = [a.places[k] for k in a.places if k in person.places]
    if shared:
        return "same name and place: " + ", ".join(shared)
    return None


def _why_apart(p: PersonTimeline, q: PersonTimeline) -> str:
    if p.marked_names() and q.marked_names() and not p.marked_names() & q.marked_names():
        return f"the names differ in their diacritics ({p.name} / {q.name})"

    def listed(d: dict[str, str]) -> str:
        return ", ".join(d.values()) or "none stated"

    if not (p.orgs or p.places) or not (q.orgs or q.places):
        return "same name, but no organisation or place to confirm it is the same person"
    return (
        f"same name, but organisations differ ({listed(p.orgs)} / {listed(q.orgs)})"
        f" and places differ ({listed(p.places)} / {listed(q.places)})"
    )


def _person_id(key: str, first: Seen) -> str:
    digest = hashlib.sha256(f"{key}\x1f{first.article}\x1f{first.fact_id}".encode()).hexdigest()
    return "person-" + digest[:12]


def _order(a: Seen) -> tuple[str, str, str]:
    return (a.date or a.published or "", a.article, a.fact_id)


def cluster(key: str, seen: Iterable[Seen]) -> list[PersonTimeline]:
    """The people among appearances that share a name key (see the module doc)."""
    people: list[PersonTimeline] = []
    for a in sorted(seen, key=_order):
        best: tuple[int, PersonTimeline, str] | None = None
        for person in people:
            why = _agreement(a, person)
            rank = 0 if why and "organisation" in why else 1
            if why and (best is None or rank < best[0]):
                best = (rank, person, why)
        if best is None:
            person = PersonTimeline(_person_id(key, a), [a])
            people.append(person)
        else:
            person, a.joined = best[1], best[2]
            person.appearances.append(a)
        person.orgs.update(a.orgs)
        person.places.update(a.places)
    for p in people:
        others = [q for q in people if q is not p][:MAX_LINKS]
        p.links = [{"id": q.id, "name": q.name, "reason": _why_apart(p, q)} for q in others]
        mark_role_changes(p.appearances)
    return people


def _held(parts: list[str], others: Iterable[Seen]) -> list[str]:
    """The titles of `parts` that no role in `others` holds."""
    roles = [role_parts(o.role_vi) for o in others]
    return [t for t in parts if not any(same_title(t, u) for r in roles for u in r)]


def mark_role_changes(timeline: list[Seen]) -> None:
    """Set `role_change` on each appearance whose role changed (see the module doc)."""
    with_role = [a for a in timeline if role_parts(a.role_vi)]
    for i in range(1, len(with_role)):
        before, now = with_role[i - 1], with_role[i]
        gained = _held(_held(role_parts(now.role_vi), [before]), with_role[:i])
        lost = _held(_held(role_parts(before.role_vi), [now]), with_role[i + 1 :])
        if gained and lost:
            now.role_change = {"from": lost, "to": gained}


def _blocks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[PersonTimeline]]:
    for key, group in groupby((_seen(r) for r in rows), key=lambda s: s.key):
        yield cluster(key, group)


def all_people(conn: sqlite3.Connection) -> Iterator[PersonTimeline]:
    """Every person of the index, name key by name key."""
    rows = conn.execute(f"SELECT {_COLUMNS}{_FROM} ORDER BY p.key")
    for people in _blocks(rows):
        yield from people


def find_person(conn: sqlite3.Connection, name: str) -> list[PersonTimeline]:
    """The people called `name` (with or without diacritics, honorifics, any case). A name
    written with diacritics does not match one written with other diacritics."""
    key = name_key(name)
    rows = conn.execute(f"SELECT {_COLUMNS}{_FROM} WHERE p.key = ?", (key,)).fetchall()
    people = cluster(key, (_seen(r) for r in rows))
    if has_marks(name):
        wanted = _exact(display_name(name))
        people = [p for p in people if not p.marked_names() or wanted in p.marked_names()]
    return people


def timeline_json(person: PersonTimeline) -> dict[str, Any]:
    """A person as plain JSON-able data."""
    return {
        "id": person.id,
        "name": person.name,
        "name_en": strip_marks(person.name),
        "organizations": list(person.orgs.values()),
        "places": list(person.places.values()),
        "appearances": [
            {
                "article": a.article,
                "title": a.title,
                "published": a.published,
                "date": a.date,
                "date_source": a.date_source,
                "name_as_written": a.name,
                "role_vi": a.role_vi,
                "role_en": a.role_en,
                "organization": a.organization,
                "evidence": a.evidence,
                "fact_id": a.fact_id,
                "joined": a.joined,
                "role_change": a.role_change,
            }
            for a in person.appearances
        ],
        "role_changes": [
            {"date": a.date, "article": a.article, **a.role_change}
            for a in person.appearances
            if a.role_change
        ],
        "possibly_same": person.links,
    }
