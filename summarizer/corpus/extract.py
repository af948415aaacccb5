"""One digest as the rows the corpus index keeps: every fact with its id and texts, and, per
kind, the fields the joins need (matching keys, dates, the people, organisations and places an
event names)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..render import describe
from ..schemas import FACT_KINDS, Event, Organization, Person, Place, Statement
from .dates import DateSource, evidence_date, iso_date
from .names import (
    contains_words,
    display_name,
    fold_key,
    has_marks,
    is_generic_org,
    name_key,
    org_key,
    place_key,
)
from .sources import Digest

_DOMESTIC = {"", "vietnam", "viet nam"}
_PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp ")
_PROVINCE_SUFFIXES = (" province", " city", " municipality")


@dataclass
class FactRow:
    kind: str
    index: int
    fact_id: str
    text_vi: str
    text_en: str
    evidence: str


@dataclass
class Appearance:
    fact: int
    """Position of the fact in `ArticleRecord.facts`."""
    name: str
    key: str
    marks: bool
    role_vi: str | None
    role_en: str | None
    organization: str | None
    orgs: dict[str, str]
    """Matching key → name as written, of the organisations the role or organisation names."""
    places: dict[str, str]
    date: dt.date | None
    date_source: DateSource


@dataclass
class Named:
    fact: int
    name: str
    name_en: str | None
    key: str
    country: str | None


@dataclass
class EventRow:
    fact: int
    what_vi: str
    what_en: str
    where: str | None
    date: dt.date | None
    date_source: DateSource | None
    people: dict[str, str]
    orgs: dict[str, str]
    places: dict[str, str]


@dataclass
class StatementRow:
    fact: int
    speaker: str
    speaker_key: str
    kind: str
    content_vi: str
    content_en: str
    addressee: str | None


@dataclass
class ArticleRecord:
    stem: str
    title: str
    published: dt.date | None
    source: str | None
    facts: list[FactRow] = field(default_factory=list)
    people: list[Appearance] = field(default_factory=list)
    organizations: list[Named] = field(default_factory=list)
    places: list[Named] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    statements: list[StatementRow] = field(default_factory=list)


def _is_province(place: Place) -> bool:
    if fold_key(place.country or "") not in _DOMESTIC:
        return False
    name, en = fold_key(place.name) + " ", " " + fold_key(place.name_en or "")
    return name.startswith(_PROVINCE_PREFIXES) or en.endswith(_PROVINCE_SUFFIXES)


Province = tuple[str, str]
"""A place's key and its name as written."""


def _sole_province(places: list[Place]) -> Province | None:
    """The article's one domestic province or city, if it names exactly one: what "UBND tỉnh"
    (the province's committee, unnamed) refers to."""
    found = {place_key(p.name): p.name for p in places if _is_province(p)}
    return next(iter(found.items())) if len(found) == 1 else None


def _org_entries(o: Named, province: Province | None) -> dict[str, str]:
    """Matching keys of an organisation (its name, and its English name prefixed "en:") → its
    name. A generic one ("UBND tỉnh") gets the article's province in its keys, or none at all
    when the article names no single province: it would say nothing about who is who."""
    suffix = ""
    if is_generic_org(o.key):
        if province is None:
            return {}
        suffix = " " + province[0]
    entries = {o.key + suffix: f"{o.name} ({province[1]})" if suffix and province else o.name}
    if o.name_en:
        entries["en:" + org_key(o.name_en) + suffix] = o.name_en
    return entries


def _orgs_in(text_key: str, named: list[Named], province: Province | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for o in named:
        if o.key and contains_words(text_key, o.key):
            found.update(_org_entries(o, province))
    return dict(sorted(found.items()))


def _places_in(text_key: str, places: list[Named]) -> dict[str, str]:
    return dict(
        sorted((p.key, p.name) for p in places if p.key and contains_words(text_key, p.key))
    )


def _person(
    fact: int, person: Person, record: ArticleRecord, province: Province | None
) -> Appearance:
    org_text = org_key(person.organization or "")
    role_text = org_key(person.role_vi or "")
    orgs = _orgs_in(role_text, record.organizations, province)
    if org_text and person.organization:
        # The organisation as the person's fact writes it, with its English name when the
        # article's organisations give it.
        named = [o for o in record.organizations if o.key == org_text]
        own = named[0] if named else Named(-1, person.organization, None, org_text, None)
        orgs.update(_org_entries(own, province))
    places = _places_in(f"{role_text} . {org_text}", record.places)
    if not places and province and any(is_generic_org(k) for k in (org_text, role_text)):
        places[province[0]] = province[1]
    name = display_name(person.name)
    return Appearance(
        fact=fact,
        name=name,
        key=name_key(name),
        marks=has_marks(name),
        role_vi=person.role_vi,
        role_en=person.role_en,
        organization=person.organization,
        orgs=dict(sorted(orgs.items())),
        places=places,
        date=None,
        date_source="published",
    )


def _event(fact: int, event: Event, record: ArticleRecord) -> EventRow:
    text = org_key(" . ".join(x for x in (event.what_vi, event.where, event.evidence) if x))
    date: dt.date | None = iso_date(event.date)
    source: DateSource | None = "fact" if date else None
    if date is None:
        found = evidence_date(event.evidence, record.published)
        date, source = found if found else (None, None)
    people = dict(sorted((a.key, a.name) for a in record.people if contains_words(text, a.key)))
    return EventRow(
        fact=fact,
        what_vi=event.what_vi,
        what_en=event.what_en,
        where=event.where,
        date=date,
        date_source=source,
        people=people,
        orgs=_orgs_in(text, record.organizations, None),
        places=_places_in(text, record.places),
    )


def _date_people(record: ArticleRecord) -> None:
    """Each appearance's date: its evidence's, else the one dated event naming the person, else
    the publication date."""
    for a in record.people:
        found = evidence_date(record.facts[a.fact].evidence, record.published)
        if found is None:
            dated = {e.date for e in record.events if e.date and a.key in e.people}
            if len(dated) == 1:
                found = (dated.pop(), "event")
        if found is not None:
            a.date, a.date_source = found
        else:
            a.date, a.date_source = record.published, "published"


def article_record(stem: str, digest: Digest) -> ArticleRecord:
    """The rows of one digest (see the module doc)."""
    a = digest.article
    record = ArticleRecord(stem=stem, title=a.title, published=a.published, source=a.source)
    ids = {(c.kind, c.index): c.fact_id for c in digest.verification.facts}
    sheet = digest.facts
    province = _sole_province(sheet.places)
    for kind in FACT_KINDS:
        for index, fact in enumerate(getattr(sheet, kind)):
            vi, en = describe(fact)
            pos = len(record.facts)
            record.facts.append(
                FactRow(kind, index, ids.get((kind, index), ""), vi, en, fact.evidence)
            )
            if isinstance(fact, Organization):
                record.organizations.append(
                    Named(pos, fact.name, fact.name_en, org_key(fact.name), fact.country)
                )
            elif isinstance(fact, Place):
                record.places.append(
                    Named(pos, fact.name, fact.name_en, place_key(fact.name), fact.country)
                )
    # Second pass: people, events and statements refer to the organisations and places.
    for pos, row in enumerate(record.facts):
        fact = getattr(sheet, row.kind)[row.index]
        if isinstance(fact, Person):
            record.people.append(_person(pos, fact, record, province))
    for pos, row in enumerate(record.facts):
        fact = getattr(sheet, row.kind)[row.index]
        if isinstance(fact, Event):
            record.events.append(_event(pos, fact, record))
        elif isinstance(fact, Statement):
            record.statements.append(
                StatementRow(
                    pos,
                    fact.speaker,
                    name_key(fact.speaker),
                    fact.kind,
                    fact.content_vi,
                    fact.content_en,
                    fact.addressee,
                )
            )
    _date_people(record)
    return record
