"""Events told by several articles, grouped when their evidence supports it.

Two events of different articles are the same event when
- their dates agree: both stated and equal, or one stated and the other undated in an article
  published on that day or up to `UNDATED_WINDOW_DAYS` after it (an article reports what
  happened before it; an undated event is never placed after its own publication). Dates are the
  event's own, else the one date its evidence states (year-less dates read against the
  publication date), else a relative day word ("hôm qua") against the publication date, each
  only when it is the only one. Two undated events are never grouped;
- their places do not disagree (both name places and share none: never grouped);
- and something else is shared: a participant (a person named by both) together with an
  organisation or a place (an organisation, when one date is inferred); or, when no
  participant is named, the same stated date, place and organisation and a description sharing
  at least half its words.
An undated event that would join events of different dates is ambiguous and joins none.
Each group keeps the reasons of the links that formed it. A group holds at most one event per
article and at most one stated date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .names import fold_key

UNDATED_WINDOW_DAYS = 14
MIN_WORD_OVERLAP = 0.5


@dataclass
class EventFact:
    article: str
    title: str
    published: dt.date | None
    fact_id: str
    what_vi: str
    what_en: str
    where: str | None
    date: dt.date | None
    date_source: str | None
    people: dict[str, str]
    orgs: dict[str, str]
    places: dict[str, str]
    evidence: str


@dataclass
class EventGroup:
    events: list[EventFact]
    reasons: list[str] = field(default_factory=list)

    @property
    def date(self) -> dt.date | None:
        dates = {e.date for e in self.events if e.date}
        return dates.pop() if len(dates) == 1 else None

    @property
    def id(self) -> str:
        first = min((e.article, e.fact_id) for e in self.events)
        return "event-" + hashlib.sha256("\x1f".join(first).encode()).hexdigest()[:12]


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_events(conn: sqlite3.Connection) -> list[EventFact]:
    rows = conn.execute(
        "SELECT a.stem, a.title, a.published, f.fact_id, e.what_vi, e.what_en, e.place, e.date,"
        " e.date_source, e.people, e.orgs, e.places, s.evidence FROM events e"
        " JOIN articles a ON a.id = e.article JOIN facts f ON f.id = e.fact"
        " JOIN facts_fts s ON s.rowid = e.fact"
    )
    return [_event_fact(r) for r in rows]


def _event_fact(r: tuple[Any, ...]) -> EventFact:
    (stem, title, published, fact_id, what_vi, what_en, place, date, source, people, orgs,
     places, evidence) = r  # fmt: skip
    return EventFact(
        stem, title, _day(published), fact_id, what_vi, what_en, place, _day(date), source,
        json.loads(people), json.loads(orgs), json.loads(places), evidence,
    )  # fmt: skip


def _date_reason(a: EventFact, b: EventFact) -> str | None:
    if a.date and b.date:
        return f"same date {a.date.isoformat()}" if a.date == b.date else None
    dated, undated = (a, b) if a.date else (b, a)
    if dated.date is None or undated.published is None:
        return None
    lag = (undated.published - dated.date).days
    if not 0 <= lag <= UNDATED_WINDOW_DAYS:
        return None
    return (
        f"{undated.article} gives no date and was published {undated.published.isoformat()},"
        f" {lag} day(s) after {dated.date.isoformat()}"
    )


def _words(e: EventFact) -> set[str]:
    return {w for w in fold_key(e.what_vi).split() if len(w) > 1}


def _shared(label: str, a: dict[str, str], b: dict[str, str]) -> str | None:
    names = [a[k] for k in a if k in b]
    return f"{label}: {', '.join(names)}" if names else None


def match(a: EventFact, b: EventFact) -> list[str] | None:
    """Why `a` and `b` are the same event, or None when the evidence does not say they are."""
    if a.article == b.article:
        return None
    when = _date_reason(a, b)
    if when is None:
        return None
    if a.places and b.places and not a.places.keys() & b.places.keys():
        return None
    people = _shared("both name", a.people, b.people)
    orgs = _shared("both name the organisation(s)", a.orgs, b.orgs)
    places = _shared("both take place in", a.places, b.places)
    # An inferred date is weaker than a stated one: it wants an organisation as well.
    if people and (orgs if not (a.date and b.date) else orgs or places):
        return [r for r in (when, people, orgs, places) if r]
    if a.people or b.people or not (a.date and b.date and orgs and places):
        return None
    wa, wb = _words(a), _words(b)
    overlap = len(wa & wb) / max(1, min(len(wa), len(wb)))
    if overlap < MIN_WORD_OVERLAP:
        return None
    return [when, orgs, places, f"their descriptions share {overlap:.0%} of their words"]


def _candidates(events: list[EventFact]) -> set[tuple[int, int]]:
    """Pairs worth comparing: sharing a participant, or a stated date and a place."""
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, e in enumerate(events):
        for person in e.people:
            blocks[("person", person)].append(i)
        if e.date and not e.people:
            for place in e.places:
                blocks[("place", e.date.isoformat(), place)].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        by_day = sorted(members, key=lambda i: _anchor(events[i]))
        for x, i in enumerate(by_day):
            for j in by_day[x + 1 :]:
                gap = (_anchor(events[j]) - _anchor(events[i])).days
                if gap > UNDATED_WINDOW_DAYS:
                    break
                pairs.add((min(i, j), max(i, j)))
    return pairs


def _anchor(e: EventFact) -> dt.date:
    return e.date or e.published or dt.date.min


_Link = tuple[int, int, int, list[str]]


def _unambiguous(events: list[EventFact], links: list[_Link]) -> list[_Link]:
    """`links` without those of undated events that match events of several dates."""
    dates: dict[int, set[dt.date]] = defaultdict(set)
    for _, i, j, _why in links:
        for undated, other in ((i, j), (j, i)):
            when = events[other].date
            if events[undated].date is None and when is not None:
                dates[undated].add(when)
    unsure = {i for i, found in dates.items() if len(found) > 1}
    return [link for link in links if not {link[1], link[2]} & unsure]


def group_events(events: list[EventFact]) -> list[EventGroup]:
    """Every event in one group, most with itself alone (see the module doc), by date."""
    links: list[_Link] = []
    for i, j in _candidates(events):
        why = match(events[i], events[j])
        if why:
            links.append((-len(why), i, j, why))
    links = _unambiguous(events, links)
    parent = list(range(len(events)))
    groups: dict[int, EventGroup] = {i: EventGroup([e]) for i, e in enumerate(events)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j, why in sorted(links):
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        gi, gj = groups[ri], groups[rj]
        dates = {e.date for e in gi.events + gj.events if e.date}
        if {e.article for e in gi.events} & {e.article for e in gj.events} or len(dates) > 1:
            continue
        parent[rj] = ri
        gi.events += gj.events
        link = f"{events[i].article} and {events[j].article}: " + "; ".join(why)
        gi.reasons += [*gj.reasons, link]
        del groups[rj]
    out = list(groups.values())
    for g in out:
        g.events.sort(key=lambda e: (e.date is None, e.published or dt.date.min, e.article))
    return sorted(out, key=lambda g: (_anchor(g.events[0]), g.events[0].article))


def group_json(group: EventGroup) -> dict[str, Any]:
    lead = next((e for e in group.events if e.date), group.events[0])
    date = group.date
    return {
        "id": group.id,
        "date": date.isoformat() if date else None,
        "articles": [
            {
                "article": e.article,
                "title": e.title,
                "published": e.published.isoformat() if e.published else None,
                "date": e.date.isoformat() if e.date else None,
                "date_source": e.date_source,
                "what_vi": e.what_vi,
                "what_en": e.what_en,
                "where": e.where,
                "evidence": e.evidence,
                "fact_id": e.fact_id,
            }
            for e in group.events
        ],
        "what_vi": lead.what_vi,
        "what_en": lead.what_en,
        "people": sorted({n for e in group.events for n in e.people.values()}),
        "places": sorted({n for e in group.events for n in e.places.values()}),
        "reasons": group.reasons,
    }


def groups_of(conn: sqlite3.Connection) -> Iterable[EventGroup]:
    return group_events(load_events(conn))
