"""Verification and rendering are total: whatever a schema-valid answer holds (any float in a
figure's value, any string in any field), `verify`, `render_markdown` and `fact_rows` return,
and the Digest survives a JSON round trip. Out-of-range values are a finding
(`implausible_value`), never an exception."""

from __future__ import annotations

import functools
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.article import Article
from summarizer.digest import Digest, RunInfo
from summarizer.ingest import load_article
from summarizer.llm import Usage
from summarizer.render import fact_rows, render_markdown
from summarizer.schemas import (
    ArticleExtraction,
    Event,
    FactSheet,
    Figure,
    Organization,
    Person,
    Place,
    Statement,
    Summary,
)
from summarizer.verify import PLAUSIBLE_MAGNITUDE, verify
from summarizer.vietnamese import format_number_en, format_number_vi, format_value_en

from .conftest import REFERENCE, SEEDS

STEM = "003_09e778122f988b82"


@functools.cache
def seed() -> tuple[Article, ArticleExtraction]:
    ref = ArticleExtraction.model_validate_json((REFERENCE / f"{STEM}.json").read_text("utf-8"))
    return load_article(SEEDS / f"{STEM}.txt"), ref


def digest_of(facts: FactSheet, summary: Summary | None = None) -> Digest:
    article, _ = seed()
    return Digest(
        article=article,
        summary=summary,
        facts=facts,
        verification=verify(facts, article, summary),
        usage=Usage(),
        run=RunInfo(model="m", prompt_version="p", chunks=1),
    )


def one_figure(**changes: object) -> FactSheet:
    _, ref = seed()
    figure = ref.facts.figures[1].model_copy(update=changes)  # "trên 51.000 tỷ đồng"
    return FactSheet(
        people=[], organizations=[], places=[], figures=[figure], events=[], statements=[]
    )


# --- The instances --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [1e22, 1.7e308, -1.7e308, math.inf, -math.inf, math.nan, 5.1e13 * 1e9, 2.0**64],
)
def test_out_of_range_values_are_implausible_not_an_exception(value: float) -> None:
    d = digest_of(one_figure(value=value))
    (check,) = d.verification.facts
    assert check.status == "implausible_value"
    assert "finite" in check.problems[0] or "10^18" in check.problems[0]
    assert d.verification.by_status["implausible_value"] == 1 and not d.verification.ok
    assert "implausible value" in render_markdown(d)
    Digest.model_validate_json(d.model_dump_json())


def test_negative_count_is_implausible_but_negative_zero_is_zero() -> None:
    _, ref = seed()
    enterprises = ref.facts.figures[5]  # "trên 3.761 doanh nghiệp"
    facts = one_figure().model_copy(
        update={"figures": [enterprises.model_copy(update={"value": -3761.0})]}
    )
    (check,) = digest_of(facts).verification.facts
    assert check.status == "implausible_value"
    assert "negative" in check.problems[0]
    # -0.0 is zero: a plain mismatch against "trên 51.000 tỷ đồng", written "0" not "-0".
    (check,) = digest_of(one_figure(value=-0.0)).verification.facts
    assert check.status == "value_mismatch"
    assert check.problems == ["value 0 but 'trên 51.000 tỷ đồng' is 51000000000000"]


def test_a_huge_value_its_own_text_states_is_not_implausible() -> None:
    text = "10.000.000.000.000.000.000 đồng"
    page = f"Tiêu đề bài báo thử nghiệm\n\nMột con số lớn: tổng cộng {text} trong năm.\n"
    article = load_article(page)
    fig = Figure(
        text=text,
        value=1e19,
        unit="VND",
        measure_vi="tổng",
        measure_en="total",
        period=None,
        evidence=f"tổng cộng {text} trong năm",
    )
    facts = one_figure().model_copy(update={"figures": [fig]})
    (check,) = verify(facts, article).facts
    assert check.status == "verified", check.problems
    assert PLAUSIBLE_MAGNITUDE <= 1e19


def test_the_evidence_status_comes_first_and_the_value_is_still_reported() -> None:
    d = digest_of(one_figure(value=math.inf, evidence="một câu không có trong bài báo này"))
    (check,) = d.verification.facts
    assert check.status == "evidence_not_found"
    assert check.problems[-1] == "value inf is not a finite number"


def test_formatting_is_total() -> None:
    assert format_number_en(1e22) == "1e+22"
    assert format_number_en(1.7e308) == "1.7e+308"
    assert format_number_en(math.inf) == "inf" and format_number_en(-math.inf) == "-inf"
    assert format_number_en(math.nan) == "NaN"
    assert format_number_en(-0.0) == "0"
    assert format_number_vi(1.5e25) == "1,5e+25"
    assert format_number_en(123456789012345.0) == "123,456,789,012,345"
    assert format_value_en(1e22, "VND") == "VND1e+22"
    assert format_value_en(math.nan, "%") == "NaN%"


def test_numbers_too_large_for_a_float_are_not_quantities() -> None:
    """A 400-digit "number" in the text (body or summary) is not read as a quantity (its value
    would be inf, which JSON cannot hold): verification goes on without it."""
    _, ref = seed()
    summary = ref.summary.model_copy(
        update={"summary_vi": "Thu " + "9" * 400 + " tỷ đồng.", "summary_en": "1" + "0" * 400}
    )
    d = digest_of(ref.facts, summary)
    assert not any("999999" in c.text for c in d.verification.summary)
    Digest.model_validate_json(d.model_dump_json())


def test_a_lone_surrogate_gets_a_fact_id_and_a_check() -> None:
    """A model's broken escape ("\\udc80") reaches the fact as a lone surrogate."""
    person = Person(
        name="Lê Hoài\udc80",
        role_vi=None,
        role_en=None,
        organization=None,
        evidence="câu\ud800 trích dẫn",
    )
    facts = one_figure().model_copy(update={"people": [person], "figures": []})
    d = digest_of(facts)
    (check,) = d.verification.facts
    assert check.status == "evidence_not_found"
    assert check.fact_id.startswith("people-")
    assert "Lê Hoài" in render_markdown(d)


# --- The class: any float, any string ------------------------------------------------------

_SNIPPETS = [
    "trên 51.000 tỷ đồng",
    "1" + "0" * 30 + " USD",
    "9" * 400,
    "1,7e308",
    "năm 2022",
    "31/12/2022",
    "gần 500 triệu USD",
    "0,7 %",
    "-",
    "Thanh Hóa",
    "Japan",
]


def _strings() -> st.SearchStrategy[str]:
    article, _ = seed()
    body = article.body
    quotes = st.tuples(st.integers(0, len(body) - 1), st.integers(0, 400)).map(
        lambda t: body[t[0] : t[0] + t[1]]
    )
    weird = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
    snippets = st.lists(st.sampled_from(_SNIPPETS), max_size=4).map(" ".join)
    return st.one_of(st.text(max_size=60), weird, snippets, quotes)


def _floats() -> st.SearchStrategy[float | None]:
    return st.one_of(
        st.none(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([1e22, 1.7e308, -0.0, 5e-324, 2.0**53 + 1, 51e12]),
    )


def _facts(draw: st.DrawFn, model: type[Any], **fields: st.SearchStrategy[Any]) -> list[Any]:
    return [draw(st.builds(model, **fields)) for _ in range(draw(st.integers(0, 3)))]


@st.composite
def fact_sheets(draw: st.DrawFn) -> FactSheet:
    s = _strings()
    opt = st.none() | s
    return FactSheet(
        people=_facts(draw, Person, name=s, role_vi=opt, role_en=opt, organization=opt, evidence=s),
        organizations=_facts(draw, Organization, name=s, name_en=opt, country=opt, evidence=s),
        places=_facts(draw, Place, name=s, name_en=opt, country=opt, evidence=s),
        figures=_facts(
            draw,
            Figure,
            text=s,
            value=_floats(),
            unit=opt,
            measure_vi=s,
            measure_en=s,
            period=opt,
            evidence=s,
        ),
        events=_facts(
            draw,
            Event,
            what_vi=s,
            what_en=s,
            date=opt | st.dates().map(str),
            where=opt,
            evidence=s,
        ),
        statements=_facts(
            draw, Statement, speaker=s, content_vi=s, content_en=s, addressee=opt, evidence=s
        ),
    )


@st.composite
def summaries(draw: st.DrawFn) -> Summary | None:
    s = _strings()
    if draw(st.booleans()):
        return None
    return Summary(
        headline_vi=draw(s),
        headline_en=draw(s),
        summary_vi=draw(s),
        summary_en=draw(s),
        key_points_vi=draw(st.lists(s, max_size=3)),
        key_points_en=draw(st.lists(s, max_size=3)),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_sheets(), summaries())
def test_verify_and_render_return_for_any_answer(facts: FactSheet, summary: Summary | None) -> None:
    d = digest_of(facts, summary)
    v = d.verification
    assert v.total == sum(v.by_status.values()) == len(v.facts)
    markdown = render_markdown(d)
    rows = list(fact_rows(d))
    assert len(rows) == v.total
    for check in v.facts:
        fig = facts.figures[check.index] if check.kind == "figures" else None
        if fig is not None and fig.value is not None and not math.isfinite(fig.value):
            assert check.status in ("implausible_value", "evidence_not_found", "outside_body")
            assert any("not a finite number" in p for p in check.problems)
    assert markdown.count("\n| ") >= v.total
