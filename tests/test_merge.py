from __future__ import annotations

from summarizer.merge import merge
from summarizer.schemas import FactSheet

from .conftest import tiny_reference


def _sheet(**kinds: list[dict[str, object]]) -> FactSheet:
    base: dict[str, list[dict[str, object]]] = {
        k: [] for k in ("people", "organizations", "places", "figures", "events", "statements")
    }
    return FactSheet.model_validate(base | kinds)


PERSON = {
    "name": "Lê Hoài Trung",
    "role_vi": None,
    "role_en": None,
    "organization": None,
    "evidence": "Thứ trưởng Bộ ngoại giao Lê Hoài Trung",
}
FIGURE = {
    "text": "11,4%",
    "value": 11.4,
    "unit": "%",
    "measure_vi": "tỷ trọng",
    "measure_en": "share",
    "period": None,
    "evidence": "chiếm 11,4% tổng vốn đầu tư FDI",
}


def test_overlapping_chunks_give_each_fact_once() -> None:
    facts = tiny_reference().facts
    merged = merge([facts, facts])
    assert merged == facts


def test_most_complete_duplicate_wins() -> None:
    full = PERSON | {"role_vi": "Thứ trưởng Bộ ngoại giao", "evidence": PERSON["evidence"] + "."}
    merged = merge([_sheet(people=[PERSON]), _sheet(people=[full])])
    assert merged.people[0].role_vi == "Thứ trưởng Bộ ngoại giao"
    assert len(merged.people) == 1


def test_same_number_in_two_places_stays_twice() -> None:
    other = FIGURE | {"evidence": "giảm 11,4% so với cùng kỳ", "measure_vi": "giảm xuất khẩu"}
    merged = merge([_sheet(figures=[FIGURE]), _sheet(figures=[other, FIGURE])])
    assert [f.evidence for f in merged.figures] == [FIGURE["evidence"], other["evidence"]]


def test_names_match_across_spacing_and_case() -> None:
    variant = PERSON | {"name": "Lê  hoài Trung"}
    assert len(merge([_sheet(people=[PERSON]), _sheet(people=[variant])]).people) == 1
