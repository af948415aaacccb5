"""The corpus view: people and their roles across articles, events told by several articles,
and one full-text index over every fact of a batch's output folder (OUT/corpus.sqlite).

    update_index(out)            # bring OUT/corpus.sqlite up to date (incremental)
    conn = connect(out / INDEX_NAME)
    find_person(conn, "Bui Thanh Son"), search(conn, "Thanh Hóa"), corpus_document(conn)
"""

from __future__ import annotations

from .events import EventGroup, group_events, groups_of
from .export import corpus_document, write_csvs
from .index import INDEX_NAME, CorpusError, Problem, UpdateReport, connect, search, update_index
from .people import PersonTimeline, all_people, find_person, timeline_json

__all__ = [
    "INDEX_NAME",
    "CorpusError",
    "EventGroup",
    "PersonTimeline",
    "Problem",
    "UpdateReport",
    "all_people",
    "connect",
    "corpus_document",
    "find_person",
    "group_events",
    "groups_of",
    "search",
    "timeline_json",
    "update_index",
    "write_csvs",
]
