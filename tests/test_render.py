"""The readable fact sheet: its English column is English (`summarizer.render`), checked on
the seeds' reference fact sheets."""

from __future__ import annotations

import functools
import math
import re
import unicodedata

import pytest

from summarizer.digest import Digest, RunInfo
from summarizer.ingest import load_article
from summarizer.llm import Usage
from summarizer.render import (
    describe,
    english_places,
    fact_rows,
    figure_en,
    period_en,
    render_markdown,
)
from summarizer.schemas import ArticleExtraction, Event, Figure, Place
from summarizer.verify import verify
from summarizer.vietnamese import parse_quantity_en

from .conftest import REFERENCE, SEEDS

STEMS = sorted(p.stem for p in REFERENCE.glob("*.json"))


# Diacritics and "đ": none may be left in an English rendering of a figure.
def vietnamese(text: str) -> bool:
    return (
        re.search(r"[\u0300-\u036f]|đ", unicodedata.normalize("NFD", text.casefold())) is not None
    )


@functools.cache
def digest(stem: str) -> Digest:
    ref = ArticleExtraction.model_validate_json((REFERENCE / f"{stem}.json").read_text("utf-8"))
    article = load_article(SEEDS / f"{stem}.txt")
    return Digest(
        article=article,
        summary=ref.summary,
        facts=ref.facts,
        verification=verify(ref.facts, article, ref.summary),
        usage=Usage(),
        run=RunInfo(model="m", prompt_version="p", chunks=1),
    )


def rows(stem: str, kind: str) -> list[dict[str, object]]:
    return [r for r in fact_rows(digest(stem)) if r["kind"] == kind]


def test_the_budget_figure_reads_in_english() -> None:
    (row,) = [r for r in rows("003_09e778122f988b82", "figures") if "51.000" in str(r["text_vi"])]
    assert row["text_vi"] == (
        "thu ngân sách nhà nước trên địa bàn tỉnh: trên 51.000 tỷ đồng (đến ngày 31/12/2022)"
    )
    assert row["text_en"] == (
        "state budget revenue collected in the province: over VND51 trillion"
        " (as of 31 December 2022)"
    )


@pytest.mark.parametrize("stem", STEMS)
def test_every_seed_figure_is_english_and_keeps_its_value(stem: str) -> None:
    facts = digest(stem).facts.figures
    for fig, row in zip(facts, rows(stem, "figures"), strict=True):
        en = str(row["text_en"])
        assert en.startswith(f"{fig.measure_en}: ")
        rendered = en.removeprefix(f"{fig.measure_en}: ")
        assert not vietnamese(rendered), rendered
        assert fig.value is not None
        back = parse_quantity_en(rendered.split(" (")[0])
        assert back is not None, rendered
        assert math.isclose(back.value, fig.value), rendered


@pytest.mark.parametrize("stem", STEMS)
def test_no_name_is_said_twice(stem: str) -> None:
    for kind in ("places", "organizations", "events"):
        for row in rows(stem, kind):
            en = str(row["text_en"])
            m = re.search(r"^(.*) \(([^()]*)\)$", en)
            if m is not None:
                assert m.group(2) not in m.group(1), en


def test_places_and_countries() -> None:
    japan = Place(name="Nhật Bản", name_en="Japan", country="Japan", evidence="…")
    assert describe(japan) == ("Nhật Bản", "Japan")
    tula = Place(name="tỉnh Tula", name_en="Tula Oblast", country="Russia", evidence="…")
    assert describe(tula)[1] == "Tula Oblast (Russia)"
    # No English name: the name as written, with its country.
    assert describe(Place(name="Viêng Chăn", name_en=None, country="Laos", evidence="…"))[1] == (
        "Viêng Chăn (Laos)"
    )
    places = {r["text_vi"]: r["text_en"] for r in rows("003_09e778122f988b82", "places")}
    assert places["Nhật Bản"] == "Japan"


def test_event_places_take_the_sheets_english_name() -> None:
    places = english_places(
        [
            Place(name="tỉnh Thanh Hóa", name_en="Thanh Hoa Province", country=None, evidence="…"),
            Place(name="Hà Nội", name_en="Hanoi", country="Vietnam", evidence="…"),
        ]
    )
    event = Event(
        what_vi="Hội nghị",
        what_en="The conference is held",
        date=None,
        where="Thanh Hoá",  # old tone placement
        evidence="…",
    )
    assert describe(event, places)[1] == "The conference is held (Thanh Hoa Province)"
    said = event.model_copy(update={"what_en": "The conference is held in Thanh Hoa Province"})
    assert describe(said, places)[1] == "The conference is held in Thanh Hoa Province"
    rows_003 = [str(r["text_en"]) for r in rows("004_0b7d40f7952fcebe", "events")]
    assert any(r.endswith("for 2025 (Hanoi)") for r in rows_003)


@pytest.mark.parametrize(
    ("period", "english"),
    [
        ("năm 2022", "2022"),
        ("Năm 2022", "2022"),
        ("trong năm 2023", "2023"),
        ("đến ngày 31/12/2022", "as of 31 December 2022"),
        ("Lũy kế đến hết năm 2022", "cumulative to the end of 2022"),
        ("Từ đầu năm đến nay", "year to date"),
        ("6 tháng đầu năm nay", "first six months of this year"),
        ("9 tháng năm 2024", "first nine months of 2024"),
        ("quý I/2023", "Q1 2023"),
        ("quý 3 năm 2024", "Q3 2024"),
        ("tháng 11/2025", "November 2025"),
        ("giai đoạn 2021 – 2025", "2021–2025"),
        ("năm ngoái", "last year"),
        # Not a common wording, or not a real month: as written.
        ("cùng kỳ năm trước", "cùng kỳ năm trước"),
        ("tháng 13/2022", "tháng 13/2022"),
    ],
)
def test_period_en(period: str, english: str) -> None:
    assert period_en(period) == english


def figure(text: str, value: float | None, unit: str | None) -> Figure:
    return Figure(
        text=text,
        value=value,
        unit=unit,
        measure_vi="m",
        measure_en="m",
        period=None,
        evidence="…",
    )


@pytest.mark.parametrize(
    ("fig", "english"),
    [
        (figure("trên 51.000 tỷ đồng", 51e12, "VND"), "over VND51 trillion"),
        (figure("gần 500 triệu USD", 5e8, "USD"), "nearly US$500 million"),
        (figure("khoảng 650 đại biểu", 650, "đại biểu"), "about 650 delegates"),
        # A noun outside the map: the measure says what is counted.
        (figure("15 chương trình, dự án", 15, "chương trình, dự án"), "15"),
        (figure("5 tấn", 5, "tấn"), "5 tonnes"),
        # No value: the text's own; no number at all: the text as written.
        (figure("12,51%", None, None), "12.51%"),
        (figure("hàng trăm", None, None), "hàng trăm"),
        # The model's value is what the fact states, even when its text says otherwise.
        (figure("trên 51.000 tỷ đồng", 5.1e22, "VND"), "over VND5.1e+22"),
        (figure("x", math.inf, "%"), "inf%"),
    ],
)
def test_figure_en(fig: Figure, english: str) -> None:
    assert figure_en(fig) == english


def test_markdown_carries_the_english_column() -> None:
    md = render_markdown(digest("003_09e778122f988b82"))
    assert "over VND51 trillion (as of 31 December 2022) |" in md
    assert "Japan (Japan)" not in md
