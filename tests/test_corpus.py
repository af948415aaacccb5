"""The corpus view over the seeds' batch output (replayed from the recorded cassettes) and over
digests written for these tests: joins of people, same-event groups, the index kept up to date,
the exports and the command."""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import datetime as dt
import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from summarizer.cli import main
from summarizer.corpus import (
    INDEX_NAME,
    connect,
    corpus_document,
    find_person,
    search,
    timeline_json,
    update_index,
    write_csvs,
)
from summarizer.corpus.dates import evidence_date
from summarizer.corpus.names import display_name, name_key, place_key
from summarizer.digest import Digest, RunInfo
from summarizer.ingest import load_article
from summarizer.llm import Usage
from summarizer.schemas import FactSheet
from summarizer.verify import verify

from .conftest import CASSETTES, SEEDS

S000, S003 = "000_69bf44ab3444e1cf.txt", "003_09e778122f988b82.txt"


@pytest.fixture(scope="module")
def seeds_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from openai import AsyncOpenAI, DefaultAsyncHttpxClient

    from summarizer.batch import run_batch
    from summarizer.cassettes import STABLE_HOST, ReplayTransport

    out = tmp_path_factory.mktemp("corpus-seeds")
    transport = ReplayTransport(sorted((CASSETTES / "reference" / "seeds").glob("*.yaml")))
    client = AsyncOpenAI(
        base_url=STABLE_HOST + "/v1",
        api_key="replay",
        http_client=DefaultAsyncHttpxClient(transport=transport),
    )
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        report = pool.submit(asyncio.run, run_batch(SEEDS, out, client=client)).result()
    assert not report.failed
    return out


@pytest.fixture
def out(seeds_batch: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    shutil.copytree(seeds_batch, folder)
    return folder


def make_digest(page: str, published: str, facts: dict[str, Any]) -> Digest:
    """A digest of `page` with hand-written `facts`, verified like the pipeline does."""
    article = load_article(page).model_copy(update={"published": dt.date.fromisoformat(published)})
    sheet = FactSheet.model_validate(
        {
            k: facts.get(k, [])
            for k in ("people", "organizations", "places", "figures", "events", "statements")
        }
    )
    verification = verify(sheet, article, None)
    assert all(c.status == "verified" for c in verification.facts), verification.facts
    return Digest(
        article=article, summary=None, facts=sheet, verification=verification, usage=Usage(),
        run=RunInfo(model="test", prompt_version="test", chunks=1),
    )  # fmt: skip


def write(out: Path, stem: str, digest: Digest) -> None:
    (out / f"{stem}.json").write_text(digest.model_dump_json(), "utf-8")


def person(name: str, role: str, org: str, evidence: str) -> dict[str, Any]:
    return {"name": name, "role_vi": role, "role_en": None, "organization": org,
            "evidence": evidence}  # fmt: skip


def org(name: str, evidence: str, name_en: str | None = None) -> dict[str, Any]:
    return {"name": name, "name_en": name_en, "country": None, "evidence": evidence}


def place(name: str, name_en: str, evidence: str) -> dict[str, Any]:
    return {"name": name, "name_en": name_en, "country": "Vietnam", "evidence": evidence}


def event(what: str, date: str | None, where: str | None, evidence: str) -> dict[str, Any]:
    return {"what_vi": what, "what_en": what, "date": date, "where": where, "evidence": evidence}


def people_called(out: Path, name: str) -> list[dict[str, Any]]:
    update_index(out)
    conn = connect(out / INDEX_NAME)
    try:
        return [timeline_json(p) for p in find_person(conn, name)]
    finally:
        conn.close()


def groups(out: Path) -> list[dict[str, Any]]:
    update_index(out)
    conn = connect(out / INDEX_NAME)
    try:
        return [g for g in corpus_document(conn)["events"] if len(g["articles"]) > 1]
    finally:
        conn.close()


# -- names and dates --------------------------------------------------------------------------


def test_name_keys_ignore_honorifics_case_spacing_normal_forms_and_diacritics() -> None:
    key = name_key("Bùi Thanh Sơn")
    nfd = unicodedata.normalize("NFD", "Bùi Thanh Sơn")
    for written in ("đồng chí Bùi Thanh Sơn", "Ông  BÙI thanh sơn", "Đ/c Bùi Thanh Sơn", nfd,
                    "Bui Thanh Son", "Mr. Bui Thanh Son"):  # fmt: skip
        assert name_key(written) == key, written
    assert name_key("Đỗ Trọng Hưng") == "do trong hung"
    # "Bà" is a name word when nothing else would remain.
    assert display_name("Bà Triệu") == "Bà Triệu"
    assert place_key("tỉnh Thanh Hoá") == place_key("Thanh Hóa") == place_key("Thanh Hoa Province")


def test_event_dates_come_from_the_evidence_only_when_unambiguous() -> None:
    pub = dt.date(2023, 2, 22)
    assert evidence_date("Chiều ngày 21/02/2023, đoàn làm việc", pub) == (
        dt.date(2023, 2, 21), "evidence")  # fmt: skip
    assert evidence_date("Sáng 6/7, đoàn công tác", dt.date(2020, 7, 6)) == (
        dt.date(2020, 7, 6), "evidence")  # fmt: skip
    assert evidence_date("Chiều qua, Bộ trưởng làm việc", pub) == (dt.date(2023, 2, 21), "relative")
    assert evidence_date("Chiều qua, Bộ trưởng làm việc", None) is None
    # Two different days, or a word that is not a day ("hiện nay", "thông qua"): no date.
    assert evidence_date("Hôm qua và ngày mai, đoàn làm việc", pub) is None
    assert evidence_date("Hiện nay tỉnh đã thông qua đề án", pub) is None
    assert evidence_date("Ngày 14/9 và ngày 15/9, đoàn làm việc", pub) is None


# -- the seeds ----------------------------------------------------------------------------------


def test_seeds_join_people_across_articles(out: Path) -> None:
    (son,) = people_called(out, "Bui Thanh Son")  # no diacritics, as in an English text
    assert [(a["article"][:3], a["date"]) for a in son["appearances"]] == [
        ("002", "2020-09-14"), ("003", "2023-02-21"), ("000", "2023-03-02")]  # fmt: skip
    assert [a["role_vi"] for a in son["appearances"]] == [
        "Ủy viên Trung ương Đảng, Thứ trưởng Thường trực",
        "Bộ trưởng Bộ Ngoại giao",
        "Ủy viên Trung ương Đảng, Bộ trưởng Bộ Ngoại giao",
    ]
    assert son["appearances"][0]["role_en"].endswith("Permanent Deputy Minister")
    assert son["role_changes"] == [{"date": "2023-02-21", "article": S003,
        "from": ["Thứ trưởng Thường trực"], "to": ["Bộ trưởng Bộ Ngoại giao"]}]  # fmt: skip
    assert all(a["evidence"] and a["fact_id"].startswith("people-") for a in son["appearances"])
    assert son["name_en"] == "Bui Thanh Son"

    (hung,) = people_called(out, "đồng chí ĐỖ TRỌNG HƯNG")
    assert sorted(a["article"] for a in hung["appearances"]) == [S000, S003]
    assert hung["role_changes"] == []
    (thi,) = people_called(out, unicodedata.normalize("NFD", "Nguyễn Văn Thi"))
    assert [a["date"][:4] for a in thi["appearances"]] == ["2023", "2025"]
    assert thi["role_changes"] == []  # a title added ("Ủy viên Ban Thường vụ") is not a change
    # Other diacritics are another name.
    assert people_called(out, "Nguyễn Văn Thị") == []


def test_seeds_group_the_same_working_session(out: Path) -> None:
    (group,) = groups(out)
    assert [a["article"] for a in group["articles"]] == [S003, S000]
    assert group["date"] == "2023-02-21"
    assert group["articles"][1]["date"] is None  # 000 never states it
    reasons = " ".join(group["reasons"])
    assert "9 day(s) after 2023-02-21" in reasons and "Bùi Thanh Sơn" in reasons
    assert "Bộ Ngoại giao" in reasons and "Thanh Hóa" in reasons


# -- written fixtures -----------------------------------------------------------------------

SECOND_OUTLET = (
    "Bộ trưởng Ngoại giao làm việc tại Thanh Hóa\n\n"
    "Chiều qua, Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn đã làm việc với Ban Thường vụ Tỉnh ủy "
    "Thanh Hóa. Bí thư Tỉnh ủy Thanh Hóa Đỗ Trọng Hưng chủ trì buổi làm việc.\n"
)


def test_a_second_outlet_with_a_relative_date_joins_the_group(out: Path) -> None:
    s1 = SECOND_OUTLET.split("\n\n")[1].split(". ")[0] + "."
    digest = make_digest(SECOND_OUTLET, "2023-02-22", {
        "people": [person("Bùi Thanh Sơn", "Bộ trưởng", "Bộ Ngoại giao", s1)],
        "organizations": [org("Bộ Ngoại giao", s1), org("Ban Thường vụ Tỉnh ủy Thanh Hóa", s1)],
        "places": [place("Thanh Hóa", "Thanh Hoa Province", s1)],
        "events": [event("Bộ trưởng Bùi Thanh Sơn làm việc với Ban Thường vụ Tỉnh ủy Thanh Hóa",
                         None, "Thanh Hóa", s1)],
    })  # fmt: skip
    write(out, "900_second_outlet", digest)
    (group,) = groups(out)
    assert sorted(a["article"][:3] for a in group["articles"]) == ["000", "003", "900"]
    mine = next(a for a in group["articles"] if a["article"] == "900_second_outlet")
    assert (mine["date"], mine["date_source"]) == ("2023-02-21", "relative")
    (son,) = people_called(out, "Bùi Thanh Sơn")
    assert "900_second_outlet" in [a["article"] for a in son["appearances"]]


def test_same_date_in_another_province_is_another_event(out: Path) -> None:
    page = ("Bộ trưởng làm việc tại Nghệ An\n\nChiều ngày 21/02/2023, Bộ trưởng Bộ Ngoại giao "
            "Bùi Thanh Sơn đã làm việc với Tỉnh ủy Nghệ An.\n")  # fmt: skip
    s1 = page.split("\n\n")[1].strip()
    digest = make_digest(page, "2023-02-21", {
        "people": [person("Bùi Thanh Sơn", "Bộ trưởng", "Bộ Ngoại giao", s1)],
        "organizations": [org("Bộ Ngoại giao", s1), org("Tỉnh ủy Nghệ An", s1)],
        "places": [place("Nghệ An", "Nghe An Province", s1)],
        "events": [event("Bộ trưởng Bùi Thanh Sơn làm việc với Tỉnh ủy Nghệ An", "2023-02-21",
                         "Nghệ An", s1)],
    })  # fmt: skip
    write(out, "901_nghe_an", digest)
    (group,) = groups(out)
    assert "901_nghe_an" not in [a["article"] for a in group["articles"]]
    # The minister is still one person: same organisation.
    (son,) = people_called(out, "Bùi Thanh Sơn")
    assert "901_nghe_an" in [a["article"] for a in son["appearances"]]


def test_a_namesake_elsewhere_is_kept_apart_with_a_reason(out: Path) -> None:
    page = ("Nghệ An tiếp đoàn\n\nÔng Nguyễn Văn Thi, Giám đốc Sở Y tế tỉnh Nghệ An, "
            "báo cáo tại hội nghị.\n")  # fmt: skip
    s1 = page.split("\n\n")[1].strip()
    digest = make_digest(page, "2024-05-02", {
        "people": [person("Ông Nguyễn Văn Thi", "Giám đốc Sở Y tế tỉnh Nghệ An", "Sở Y tế", s1)],
        "organizations": [org("Sở Y tế", s1)],
        "places": [place("tỉnh Nghệ An", "Nghe An Province", s1)],
    })  # fmt: skip
    write(out, "902_namesake", digest)
    found = people_called(out, "Nguyen Van Thi")
    assert len(found) == 2
    thanh_hoa, nghe_an = sorted(found, key=lambda p: len(p["appearances"]), reverse=True)
    assert [a["article"][:3] for a in thanh_hoa["appearances"]] == ["003", "004"]
    assert [a["article"] for a in nghe_an["appearances"]] == ["902_namesake"]
    (link,) = nghe_an["possibly_same"]
    assert link["id"] == thanh_hoa["id"]
    assert "organisations differ" in link["reason"] and "Nghệ An" in link["reason"]


def test_an_english_article_without_diacritics_joins_by_organisation(out: Path) -> None:
    page = ("Minister visits Japan\n\nForeign Minister Bui Thanh Son of the Ministry of Foreign "
            "Affairs met the delegation on March 10, 2023. The two sides discussed trade, "
            "investment and cooperation between the localities of both countries.\n")  # fmt: skip
    s1 = page.split("\n\n")[1].split(". ")[0] + "."
    digest = make_digest(page, "2023-03-11", {
        "people": [person("Bui Thanh Son", "Foreign Minister", "Ministry of Foreign Affairs", s1)],
        "organizations": [org("Ministry of Foreign Affairs", s1, "Ministry of Foreign Affairs")],
    })  # fmt: skip
    write(out, "903_english", digest)
    (son,) = people_called(out, "Bùi Thanh Sơn")
    last = son["appearances"][-1]
    assert (last["article"], last["date"], last["date_source"]) == (
        "903_english", "2023-03-10", "evidence")  # fmt: skip
    assert son["name"] == "Bùi Thanh Sơn"


# -- the index ------------------------------------------------------------------------------


def test_index_is_incremental_and_forgets_removed_digests(out: Path) -> None:
    first = update_index(out)
    assert (first.added, first.changed, first.removed) == (5, 0, 0)
    again = update_index(out)
    assert (again.added, again.unchanged) == (0, 5)
    # A rewrite with the same bytes is not indexed again; a changed digest is.
    path = out / f"{S000}.json"
    path.write_bytes(path.read_bytes())
    assert update_index(out).changed == 0
    data = json.loads(path.read_text("utf-8"))
    data["facts"]["people"][0]["role_vi"] = "Bộ trưởng"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert update_index(out).changed == 1
    (out / f"{S003}.json").unlink()
    assert update_index(out).removed == 1
    assert groups(out) == []
    conn = connect(out / INDEX_NAME)
    try:
        assert all(h["article"] != S003 for h in search(conn, "Bùi Thanh Sơn"))
        left = conn.execute("SELECT count(*) FROM facts_fts").fetchone()[0]
        assert left == conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    finally:
        conn.close()


def test_a_file_that_is_not_a_digest_is_reported_and_the_rest_goes_on(out: Path) -> None:
    (out / "notes.json").write_text('{"hello": 1}', "utf-8")
    (out / "broken.json").write_text("{", "utf-8")
    report = update_index(out)
    assert report.added == 5
    assert sorted(p.file for p in report.problems) == ["broken.json", "notes.json"]
    assert all("not a Digest" in p.message for p in report.problems)


def test_search_is_folded_and_its_text_is_never_query_syntax(out: Path) -> None:
    update_index(out)
    conn = connect(out / INDEX_NAME)
    try:
        hits = search(conn, "thanh hoa han quoc")
        assert hits and all(h["article"] == S003 for h in hits[:3])
        assert search(conn, 'Đỗ "Trọng" Hưng (*') != []  # quotes and brackets are not syntax
        assert search(conn, "OR NEAR( AND") == []  # operators are words, found nowhere
        assert search(conn, "  ") == []
    finally:
        conn.close()


# -- exports and the command ---------------------------------------------------------------


def test_csvs_have_a_bom_and_guard_formulas(out: Path) -> None:
    path = out / f"{S000}.json"
    data = json.loads(path.read_text("utf-8"))
    data["facts"]["statements"][0]["content_vi"] = '=HYPERLINK("http://x")'
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    update_index(out)
    conn = connect(out / INDEX_NAME)
    try:
        paths = write_csvs(conn, out)
    finally:
        conn.close()
    assert [p.name for p in paths] == ["people.csv", "organizations.csv", "events.csv",
                                       "statements.csv"]  # fmt: skip
    raw = (out / "statements.csv").read_text("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(raw[1:].splitlines()))
    assert '\'=HYPERLINK("http://x")' in [r["content_vi"] for r in rows]
    people = list(csv.DictReader((out / "people.csv").read_text("utf-8")[1:].splitlines()))
    son = [r for r in people if r["name"] == "Bùi Thanh Sơn"]
    assert len(son) == 3 and len({r["person_id"] for r in son}) == 1
    assert "Thứ trưởng Thường trực → Bộ trưởng Bộ Ngoại giao" in [r["role_change"] for r in son]


def test_command(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", str(out)]) == 0
    assert (out / "events.csv").exists() and (out / INDEX_NAME).exists()
    capsys.readouterr()
    assert main(["corpus", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    son = next(p for p in doc["people"] if p["name"] == "Bùi Thanh Sơn")
    assert set(son["appearances"][0]) >= {"article", "published", "date", "role_vi", "role_en",
                                          "evidence"}  # fmt: skip
    assert son["name_en"] == "Bui Thanh Son"
    assert {"date", "articles", "what_vi", "what_en", "reasons"} <= set(doc["events"][0])
    assert main(["corpus", str(out), "--person", "bui thanh son"]) == 0
    text = capsys.readouterr().out
    assert "role change: Thứ trưởng Thường trực → Bộ trưởng Bộ Ngoại giao" in text
    assert main(["corpus", str(out), "--person", "Nobody Here"]) == 1
    assert main(["corpus", str(out), "--search", "Nhật Bản", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert main(["corpus", str(out / "missing")]) == 2
