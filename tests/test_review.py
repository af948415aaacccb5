"""The review workflow without a browser: decisions on disk, re-runs, export, and the server's
safety rules (escaping, path traversal, cross-site writes, Host checks, static export)."""

from __future__ import annotations

import csv
import html.parser
import http.client
import io
import json
import os
import signal
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import load_article, verify
from summarizer.align import fold
from summarizer.digest import Digest, RunInfo
from summarizer.llm import Usage
from summarizer.review import (
    EXPORT_COLUMNS,
    ReviewError,
    ReviewServer,
    ReviewStore,
    export_reviewed,
    static_review_html,
    write_static_review,
)
from summarizer.review.decisions import _sheet
from summarizer.review.page import script_json
from summarizer.review.view import _segments, article_view
from summarizer.schemas import ArticleExtraction, FactSheet

from .conftest import TINY_PAGE, tiny_reference

XSS = "<script>alert(1)</script>"
EVIL_PAGE = (
    f"{XSS} Thanh Hóa tiếp đoàn\n\n"
    + TINY_PAGE.split("\n\n", 1)[1]
    + f"\nÔng A nói: </script>{XSS} và <img src=x onerror=alert(1)> hết.\n"
)


def make_digest(page: str = TINY_PAGE, extraction: ArticleExtraction | None = None) -> Digest:
    article = load_article(page)
    ext = extraction or tiny_reference()
    return Digest(
        article=article,
        summary=ext.summary,
        facts=ext.facts,
        verification=verify(ext.facts, article, ext.summary),
        usage=Usage(),
        run=RunInfo(model="test-model", prompt_version="test", chunks=1),
    )


def write_digest(out: Path, stem: str, digest: Digest) -> None:
    (out / f"{stem}.json").write_text(digest.model_dump_json(indent=2), "utf-8")


def ids(digest: Digest) -> dict[str, str]:
    """kind-index -> fact_id, e.g. {"people0": "people-…", "figures0": "figures-…"}."""
    return {f"{c.kind}{c.index}": c.fact_id for c in digest.verification.facts}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    write_digest(folder, "tiny", make_digest())
    index = {"articles": [{"file": "tiny.txt", "stem": "tiny", "status": "done"}]}
    (folder / "index.json").write_text(json.dumps(index), "utf-8")
    return folder


@pytest.fixture
def server(out: Path) -> Iterator[ReviewServer]:
    with ReviewServer(out) as srv:
        yield srv


def call(
    srv: ReviewServer,
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    token: bool = True,
) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    hdrs = {"Host": f"127.0.0.1:{srv.port}"}
    data: bytes | None = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        hdrs["Content-Type"] = "application/json"
        hdrs["Origin"] = f"http://127.0.0.1:{srv.port}"
        if token:
            hdrs["X-Review-Token"] = srv.token
    hdrs.update(headers or {})
    try:
        conn.request(method, path, body=data, headers=hdrs)
        res = conn.getresponse()
        return res.status, res.read().decode("utf-8")
    finally:
        conn.close()


def post_decision(srv: ReviewServer, stem: str, payload: dict[str, Any]) -> tuple[int, Any]:
    status, text = call(srv, "POST", f"/api/article/{stem}/decision", payload)
    return status, json.loads(text)


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- decisions ---------------------------------------------------------------------------------


def test_decisions_round_trip_through_the_server_and_a_restart(out: Path) -> None:
    fid = ids(make_digest())
    with ReviewServer(out) as srv:
        status, state = post_decision(
            srv, "tiny", {"fact_id": fid["people0"], "decision": "accepted"}
        )
        assert status == 200
        assert state["progress"]["accepted"] == 1 and state["progress"]["pending"] == 1
        status, state = post_decision(
            srv,
            "tiny",
            {
                "fact_id": fid["figures0"],
                "decision": "corrected",
                "correction": {
                    "measure_en": "total registered FDI capital",
                    "value": "14245000000",
                },
                "note": "  clearer translation  ",
            },
        )
        assert status == 200, state
        decision = state["decisions"][fid["figures0"]]
        # Only the field that changed is kept; the value was the same number.
        assert decision["correction"] == {"measure_en": "total registered FDI capital"}
        assert decision["note"] == "clearer translation"
        assert state["corrected"][fid["figures0"]]["status"] == "verified"
        assert "total registered FDI capital" in state["corrected"][fid["figures0"]]["en"]
        old_token = srv.token
    saved = json.loads((out / "tiny.review.json").read_text("utf-8"))
    assert saved["decisions"][fid["people0"]]["decision"] == "accepted"
    assert saved["decisions"][fid["people0"]]["fact"]["kind"] == "people"
    assert saved["article_sha256"] == make_digest().article.sha256

    # A restarted server (a new session token) shows the same decisions.
    with ReviewServer(out) as srv:
        assert srv.token != old_token
        status, text = call(srv, "GET", "/api/article/tiny")
        view = json.loads(text)
        assert status == 200
        assert view["decisions"][fid["people0"]]["decision"] == "accepted"
        assert view["decisions"][fid["figures0"]]["decision"] == "corrected"
        assert view["progress"]["reviewed"] == 2 and view["orphans"] == []
        # A note without a decision, then clearing: the note survives a decision change.
        post_decision(srv, "tiny", {"fact_id": fid["people0"], "decision": None, "note": "check"})
        status, state = post_decision(
            srv, "tiny", {"fact_id": fid["people0"], "decision": "rejected"}
        )
        assert status == 200
        assert state["decisions"][fid["people0"]]["note"] == "check"
        assert state["decisions"][fid["people0"]]["decision"] == "rejected"
        status, text = call(srv, "POST", "/api/article/tiny/discard", {"fact_id": fid["people0"]})
        assert status == 200 and fid["people0"] not in json.loads(text)["decisions"]

    store = ReviewStore(out)
    assert set(store.read_review("tiny").decisions) == {fid["figures0"]}


def test_decisions_survive_a_rerun_and_changed_facts_are_stale_or_orphaned(out: Path) -> None:
    store = ReviewStore(out)
    fid = ids(make_digest())
    store.decide("tiny", fid["people0"], "accepted", note="ok")
    store.decide("tiny", fid["figures0"], "rejected")

    # The batch runs again and yields the same facts: decisions stay attached.
    write_digest(out, "tiny", make_digest())
    os.utime(out / "tiny.json", ns=(1, 1))
    view = ReviewStore(out).article_view("tiny")
    assert view["decisions"][fid["people0"]]["decision"] == "accepted"
    assert not view["decisions"][fid["people0"]]["stale"]
    assert view["decisions"][fid["figures0"]]["decision"] == "rejected"
    assert view["orphans"] == []

    # Now it yields a changed figure (new text: a new fact_id) and a person whose role changed
    # (same name: same fact_id, different content).
    ext = tiny_reference()
    data = ext.model_dump()
    data["facts"]["figures"][0]["text"] = "132 dự án FDI"
    data["facts"]["figures"][0]["value"] = 132
    data["facts"]["figures"][0]["unit"] = "dự án"
    data["facts"]["people"][0]["role_en"] = "Vice Minister of Foreign Affairs"
    changed = ArticleExtraction.model_validate(data)
    write_digest(out, "tiny", make_digest(extraction=changed))
    os.utime(out / "tiny.json", ns=(2, 2))
    view = store.article_view("tiny")
    new_ids = ids(make_digest(extraction=changed))
    assert new_ids["people0"] == fid["people0"] and new_ids["figures0"] != fid["figures0"]
    assert view["decisions"][fid["people0"]]["stale"] is True
    assert [o["id"] for o in view["orphans"]] == [fid["figures0"]]
    assert view["orphans"][0]["decision"] == "rejected"
    assert view["orphans"][0]["fact"]["evidence"].startswith("Hiện nay")
    assert view["progress"]["orphaned"] == 1 and view["progress"]["stale"] == 1
    assert view["progress"]["reviewed"] == 0
    # The orphan is still in the file, and a later write does not drop it.
    store.decide("tiny", new_ids["figures0"], "accepted")
    saved = json.loads((out / "tiny.review.json").read_text("utf-8"))
    assert set(saved["decisions"]) == {fid["people0"], fid["figures0"], new_ids["figures0"]}
    # An orphan can only be discarded, not decided.
    with pytest.raises(ReviewError, match="orphaned"):
        store.decide("tiny", fid["figures0"], "accepted")
    store.discard("tiny", fid["figures0"])
    assert (
        fid["figures0"]
        not in json.loads((out / "tiny.review.json").read_text("utf-8"))["decisions"]
    )
    # Deciding the stale fact again makes it current.
    state = store.decide("tiny", fid["people0"], "accepted")
    assert state["decisions"][fid["people0"]]["stale"] is False
    assert state["decisions"][fid["people0"]]["note"] == "ok"


def test_writes_are_atomic_and_leave_no_temporaries(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ReviewStore(out)
    fid = ids(make_digest())
    for i in range(20):
        store.decide("tiny", fid["people0"], "accepted" if i % 2 else "rejected", note=f"n{i}")
    assert sorted(p.name for p in out.iterdir()) == ["index.json", "tiny.json", "tiny.review.json"]
    before = (out / "tiny.review.json").read_bytes()

    # A write that fails half-way leaves the previous file whole and no temporary behind.
    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        store.decide("tiny", fid["figures0"], "accepted")
    monkeypatch.undo()
    assert (out / "tiny.review.json").read_bytes() == before
    assert not list(out.glob(".*.tmp"))
    exported = export_reviewed(out)
    write_static_review(out, out / "report.html")
    assert all(p.exists() for p in exported)
    assert not list(out.glob(".*"))


def test_a_broken_review_file_is_reported_and_never_overwritten(server: ReviewServer) -> None:
    out = server.store.out_dir
    (out / "tiny.review.json").write_text("{ not json", "utf-8")
    fid = ids(make_digest())
    status, state = post_decision(
        server, "tiny", {"fact_id": fid["people0"], "decision": "accepted"}
    )
    assert status == 409 and "tiny.review.json" in state["error"]
    assert (out / "tiny.review.json").read_text("utf-8") == "{ not json"
    status, text = call(server, "GET", "/api/article/tiny")
    assert status == 200 and "cannot be read" in json.loads(text)["error"]
    status, text = call(server, "GET", "/api/articles")
    assert json.loads(text)["articles"][0]["error"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"decision": "corrected", "correction": {"evidence": "x"}}, "cannot be corrected"),
        ({"decision": "corrected", "correction": {"nope": "x"}}, "cannot be corrected"),
        ({"decision": "corrected", "correction": {"name": "  "}}, "must not be empty"),
        ({"decision": "corrected", "correction": {"name": "Lê Hoài Trung"}}, "changes nothing"),
        ({"decision": "corrected", "correction": "Lê"}, "must be an object"),
        ({"decision": "corrected", "correction": {"name": 3}}, "must be text"),
        ({"decision": "maybe"}, "unknown decision"),
        ({"decision": "accepted", "note": 5}, "note must be text"),
        ({"decision": "accepted", "note": "x" * 10_001}, "at most"),
    ],
)
def test_invalid_decisions_are_refused(
    server: ReviewServer, payload: dict[str, Any], message: str
) -> None:
    fid = ids(make_digest())
    status, body = post_decision(server, "tiny", {"fact_id": fid["people0"], **payload})
    assert status == 400 and message in body["error"]
    assert not (server.store.out_dir / "tiny.review.json").exists()


def test_invalid_figure_and_statement_corrections(out: Path) -> None:
    store = ReviewStore(out)
    fid = ids(make_digest())
    for bad in ("14,245 tỷ", "nan", "inf", True):
        with pytest.raises(ReviewError, match="number"):
            store.decide("tiny", fid["figures0"], "corrected", correction={"value": bad})
    with pytest.raises(ReviewError, match="no such fact"):
        store.decide("tiny", "people-000000000000", "accepted")
    with pytest.raises(ReviewError, match="no such article"):
        store.decide("nope", fid["people0"], "accepted")


# -- export ------------------------------------------------------------------------------------


def test_export_has_only_accepted_and_corrected_facts_with_corrections_applied(out: Path) -> None:
    # A second article with a person rejected and a figure corrected to a wrong value.
    write_digest(out, "second", make_digest())
    store = ReviewStore(out)
    fid = ids(make_digest())
    store.decide("tiny", fid["people0"], "accepted", note='=HYPERLINK("http://x")')
    store.decide(
        "tiny",
        fid["figures0"],
        "corrected",
        correction={"measure_en": "total FDI capital (registered)", "unit": "USD"},
    )
    store.decide("second", fid["people0"], "rejected")
    store.decide("second", fid["figures0"], "corrected", correction={"value": 14.245})

    json_path, csv_path = export_reviewed(out)
    assert (json_path, csv_path) == (out / "reviewed.json", out / "reviewed.csv")
    doc = json.loads(json_path.read_text("utf-8"))
    arts = {a["stem"]: a for a in doc["articles"]}
    assert set(arts) == {"tiny", "second"}  # reviewed.json is not taken for a digest

    tiny = arts["tiny"]
    sheet = FactSheet.model_validate(tiny["facts"])
    assert [p.name for p in sheet.people] == ["Lê Hoài Trung"]
    assert sheet.figures[0].measure_en == "total FDI capital (registered)"
    assert tiny["counts"]["exported"] == 2 and tiny["counts"]["accepted"] == 1
    assert [e["decision"] for e in tiny["review"]] == ["accepted", "corrected"]
    assert tiny["review"][1]["corrections"] == {
        "measure_en": {"from": "total FDI capital", "to": "total FDI capital (registered)"}
    }
    assert all(e["status"] == "verified" for e in tiny["review"])

    second = arts["second"]
    sheet2 = FactSheet.model_validate(second["facts"])
    assert sheet2.people == [] and sheet2.figures[0].value == 14.245
    # The corrected value is checked again against the article, and fails.
    assert second["review"][0]["status"] == "value_mismatch"
    assert second["counts"]["rejected"] == 1 and second["counts"]["exported"] == 1

    raw = csv_path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == EXPORT_COLUMNS
    # Articles in index.json order, then the others by name; facts in sheet order.
    assert [(r["stem"], r["kind"], r["decision"]) for r in rows] == [
        ("tiny", "people", "accepted"),
        ("tiny", "figures", "corrected"),
        ("second", "figures", "corrected"),
    ]
    by = {(r["stem"], r["kind"]): r for r in rows}
    assert by[("second", "figures")]["corrections"] == "value: 14245000000 → 14.245"
    assert by[("second", "figures")]["value"] == "14.245"
    assert "Lê Hoài Trung" in by[("tiny", "people")]["text_vi"]
    # Text from the web cannot become a spreadsheet formula.
    assert by[("tiny", "people")]["note"].startswith("'=")


def test_export_leaves_out_stale_and_orphaned_decisions(out: Path) -> None:
    store = ReviewStore(out)
    fid = ids(make_digest())
    store.decide("tiny", fid["people0"], "accepted")
    store.decide("tiny", fid["figures0"], "accepted")
    data = tiny_reference().model_dump()
    data["facts"]["people"][0]["role_en"] = "Vice Minister"
    data["facts"]["figures"][0]["text"] = "14,245 tỷ đô"
    write_digest(out, "tiny", make_digest(extraction=ArticleExtraction.model_validate(data)))
    os.utime(out / "tiny.json", ns=(3, 3))
    doc = json.loads(export_reviewed(out)[0].read_text("utf-8"))
    art = doc["articles"][0]
    assert art["review"] == []
    assert art["counts"]["stale"] == 1 and art["counts"]["orphaned"] == 1


# -- escaping ----------------------------------------------------------------------------------


@pytest.fixture
def evil_out(tmp_path: Path) -> Path:
    folder = tmp_path / "evil"
    folder.mkdir()
    data = tiny_reference().model_dump()
    data["facts"]["people"].append(
        {
            "name": f"</script>{XSS}",
            "role_vi": "<img src=x onerror=alert(1)>",
            "role_en": "\u2028</SCRIPT>",
            "organization": None,
            "evidence": f"Ông A nói: </script>{XSS}",
        }
    )
    data["summary"]["headline_en"] = f"{XSS} &amp; </script>"
    write_digest(
        folder,
        "evil",
        make_digest(EVIL_PAGE, ArticleExtraction.model_validate(data)),
    )
    ReviewStore(folder).decide(
        "evil",
        ids(make_digest(EVIL_PAGE, ArticleExtraction.model_validate(data)))["people1"],
        "accepted",
        note=f"</script>{XSS}",
    )
    return folder


def test_data_cannot_break_out_of_the_page_or_the_json(evil_out: Path) -> None:
    with ReviewServer(evil_out) as srv:
        status, page = call(srv, "GET", "/")
        assert status == 200
        status, view = call(srv, "GET", "/api/article/evil")
        assert status == 200
        status, listing = call(srv, "GET", "/api/articles")
    static = static_review_html(evil_out)
    for text in (page, view, listing, static):
        lowered = text.lower()
        assert "<script>alert" not in lowered
        assert "</script><script" not in lowered
        assert "<img" not in lowered
        assert "\u2028" not in text
    # The data still round-trips: the escapes are JSON's own.
    data = json.loads(view)
    assert any(f["vi"].startswith(f"</script>{XSS}") for f in data["facts"])
    assert XSS in "".join(seg["t"] for seg in data["page"])
    # The page has exactly its own two script elements (data, then code).
    assert page.lower().count("<script") == 2 and static.lower().count("<script") == 2


def test_script_json_escapes_what_html_would_read() -> None:
    value = {"a": "</script><!-- & \u2028\u2029 >", "b": [1, 2.5, None, True]}
    text = script_json(value)
    assert not any(c in text for c in "<>&\u2028\u2029")
    assert json.loads(text) == value


def test_page_pieces_are_cut_in_code_points() -> None:
    text = "ab😀cd<script>"
    marks = [(2, 4, "f", 0), (3, 5, "f", 1), (5, 13, "c", "other"), (8, 99, "u", 0)]
    segs = _segments(text, marks)
    assert segs == [
        {"t": "ab"},
        {"t": "😀", "f": [0]},
        {"t": "c", "f": [0, 1]},
        {"t": "d", "f": [1]},
        {"t": "<sc", "c": ["other"]},
        {"t": "ript>", "c": ["other"], "u": [0]},
    ]


CAPTIONED = (
    "Hà Nội đề xuất thu phí xe vào nội đô từ năm 2026\n"
    "Thành phố dự kiến thu phí phương tiện vào khu vực nội đô, nhằm giảm ùn tắc và ô nhiễm"
    " không khí.\n"
    "Theo đề án vừa được UBND thành phố trình HĐND, việc thu phí sẽ bắt đầu từ tháng 6/2026"
    " tại các tuyến đường vành đai 1 và vành đai 2.\n"
    "Đoàn công tác khảo sát 45 điểm thu phí trên đường Nguyễn Trãi. Ảnh: Ngọc Thành\n"
    "Ông Nguyễn Văn Phong, Giám đốc Sở Giao thông Vận tải, nói khoản thu sẽ được dùng để phát"
    " triển giao thông công cộng.\n"
    "Đề án cũng đề xuất miễn phí cho xe cấp cứu, xe cứu hỏa và xe của người khuyết tật.\n"
)


@pytest.mark.parametrize(
    "page",
    [
        CAPTIONED,
        unicodedata.normalize("NFD", CAPTIONED),  # the page as decoded, decomposed
        CAPTIONED.replace("khảo sát 45 điểm", "khảo sát\u00a045\u00a0điểm"),
    ],
    ids=["nfc", "nfd", "nbsp"],
)
def test_a_summary_number_found_in_a_caption_is_marked_on_the_page(page: str) -> None:
    # The caption is stored composed, with plain spaces: on an NFD or no-break-space page it is
    # not verbatim on the page, and the old locator (page.find) lost the mark.
    extraction = ArticleExtraction.model_validate(
        {
            "facts": {k: [] for k in FactSheet.model_fields},
            "summary": {
                "headline_vi": "Hà Nội đề xuất thu phí xe vào nội đô",
                "headline_en": "Hanoi proposes an inner-city toll",
                "summary_vi": "Đoàn khảo sát 45 điểm thu phí.",
                "summary_en": "The team surveyed 45 toll points.",
                "key_points_vi": [],
                "key_points_en": [],
            },
        }
    )
    digest = make_digest(page, extraction)
    assert digest.article.captions
    view = article_view(_sheet("cap", Path("cap.json"), digest), None, None)
    in_caption = [i for i, c in enumerate(view["summary"]["checks"]) if c["where"] == "caption"]
    assert in_caption
    for i in in_caption:
        assert view["summary"]["checks"][i]["target"] is True
        marked = "".join(s["t"] for s in view["page"] if i in s.get("n", []))
        assert fold(marked) == fold(view["summary"]["checks"][i]["matched"])


# -- the server's gates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/article/../index",
        "/api/article/..%2Findex",
        "/api/article/%2e%2e%2findex",
        "/api/article/%2E%2E",
        "/api/article/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/article/%2Fetc%2Fpasswd",
        "/api/article//etc/passwd",
        "/api/article/index",
        "/api/article/tiny.review",
        "/api/article/reviewed",
        "/api/article/unknown",
        "/api/article/tiny%00",
        "/api/article/%ff",
        "/../../etc/passwd",
        "/tiny.json",
    ],
)
def test_path_traversal_is_refused_and_writes_nothing(server: ReviewServer, path: str) -> None:
    out = server.store.out_dir
    before, parent_before = files_in(out), sorted(p.name for p in out.parent.iterdir())
    status, _ = call(server, "GET", path)
    assert status in (400, 404)
    decision_path = path + "/decision" if path.startswith("/api/article/") else path
    fid = ids(make_digest())["people0"]
    status, _ = call(server, "POST", decision_path, {"fact_id": fid, "decision": "accepted"})
    assert status in (400, 404)
    status, _ = call(server, "POST", decision_path.replace("decision", "discard"), {"fact_id": fid})
    assert status in (400, 404)
    assert files_in(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == parent_before


@pytest.mark.parametrize(
    ("headers", "token", "status"),
    [
        ({"Origin": "http://evil.example"}, True, 403),
        ({"Origin": "null"}, True, 403),
        ({"Sec-Fetch-Site": "cross-site"}, True, 403),
        ({}, False, 403),
        ({"X-Review-Token": "wrong"}, False, 403),
        ({"X-Review-Token": ""}, False, 403),
        ({"Host": "evil.example"}, True, 403),
        ({"Host": "127.0.0.1"}, True, 403),
        ({"Host": "evil.example:80"}, True, 403),
        ({"Content-Type": "text/plain"}, True, 415),
        ({"Content-Type": "application/x-www-form-urlencoded"}, True, 415),
    ],
)
def test_cross_site_and_tokenless_writes_are_refused(
    server: ReviewServer, headers: dict[str, str], token: bool, status: int
) -> None:
    out = server.store.out_dir
    before = files_in(out)
    fid = ids(make_digest())["people0"]
    got, text = call(
        server,
        "POST",
        "/api/article/tiny/decision",
        {"fact_id": fid, "decision": "accepted"},
        headers=headers,
        token=token,
    )
    assert got == status, text
    assert files_in(out) == before


def test_same_origin_writes_pass_with_localhost_too(server: ReviewServer) -> None:
    fid = ids(make_digest())["people0"]
    host = f"localhost:{server.port}"
    status, _ = call(
        server,
        "POST",
        "/api/article/tiny/decision",
        {"fact_id": fid, "decision": "accepted"},
        headers={"Host": host, "Origin": f"http://{host}", "Sec-Fetch-Site": "same-origin"},
    )
    assert status == 200


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:1", "attacker.test:{port}", ""])
def test_reads_with_a_foreign_host_are_refused(server: ReviewServer, host: str) -> None:
    # A DNS-rebinding page reaches the server under its own host name.
    for path in ("/", "/api/articles", "/api/article/tiny"):
        status, text = call(server, "GET", path, headers={"Host": host.format(port=server.port)})
        assert status == 403, path
        assert "Lê Hoài Trung" not in text


def test_other_methods_and_oversized_bodies_are_refused(server: ReviewServer) -> None:
    assert call(server, "PUT", "/api/article/tiny/decision", {"a": 1})[0] == 405
    assert call(server, "DELETE", "/api/article/tiny/decision")[0] == 405
    big = b'{"fact_id": "' + b"x" * 300_000 + b'"}'
    assert call(server, "POST", "/api/article/tiny/decision", big)[0] == 413
    assert call(server, "POST", "/api/article/tiny/decision", b"[1, 2]")[0] == 400
    assert call(server, "POST", "/api/article/tiny/decision", b"{oops")[0] == 400
    assert call(server, "POST", "/api/article/tiny/decision", {"fact_id": 3})[0] == 400
    assert call(server, "HEAD", "/")[0] == 200


def test_page_headers_lock_the_page_down(server: ReviewServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/", headers={"Host": f"localhost:{server.port}"})
    res = conn.getresponse()
    page = res.read().decode("utf-8")
    conn.close()
    csp = res.getheader("Content-Security-Policy") or ""
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in page and f'<style nonce="{nonce}">' in page
    assert res.getheader("X-Content-Type-Options") == "nosniff"
    assert server.token in page  # the session token travels only inside the page


def test_server_binds_loopback_only(server: ReviewServer) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}/"
    assert server._httpd.server_address[0] == "127.0.0.1"


# -- listing and the static export -------------------------------------------------------------


def test_article_list_shows_rates_progress_and_failures(out: Path) -> None:
    index = {
        "articles": [
            {"file": "tiny.txt", "stem": "tiny", "status": "done"},
            {"file": "bad.txt", "stem": "bad", "status": "failed", "error_type": "X", "error": "y"},
        ]
    }
    (out / "index.json").write_text(json.dumps(index), "utf-8")
    store = ReviewStore(out)
    store.decide("tiny", ids(make_digest())["people0"], "accepted")
    listing = store.article_list()
    assert [a["stem"] for a in listing] == ["tiny", "bad"]
    tiny, bad = listing
    assert tiny["facts"] == 2 and tiny["verified"] == 2 and tiny["file"] == "tiny.txt"
    assert tiny["progress"]["reviewed"] == 1 and tiny["progress"]["total"] == 2
    assert bad["status"] == "failed" and "X: y" in bad["error"]


class _Refs(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster", "data"):
                self.refs.append((tag, name, value or ""))


def test_static_export_is_self_contained_and_read_only(evil_out: Path, tmp_path: Path) -> None:
    target = write_static_review(evil_out, tmp_path / "report.html")
    text = target.read_text("utf-8")
    parser = _Refs()
    parser.feed(text)
    # Nothing is fetched: no src/href but the empty inline favicon, no @import or url().
    assert parser.refs == [("link", "href", "data:,")]
    assert "@import" not in text and "url(" not in text
    assert 'http-equiv="Content-Security-Policy"' in text
    assert "default-src 'none'" in text
    assert parser.tags.count("script") == 2 and parser.tags.count("style") == 1
    # Any URL left is data (article text), not something the page loads.
    data = text.split('id="review-data">')[1].split("</script>")[0]
    code = text.replace(data, "")
    assert "http://" not in code and "https://" not in code
    boot = json.loads(data)
    assert boot["mode"] == "static" and "token" not in boot
    assert set(boot["views"]) == {"evil"}


def test_the_served_page_links_to_the_corpus_view_and_the_static_file_does_not(
    server: ReviewServer, out: Path
) -> None:
    status, page = call(server, "GET", "/")
    assert status == 200
    parser = _Refs()
    parser.feed(page)
    assert ("a", "href", "/corpus") in parser.refs
    status, corpus = call(server, "GET", "/corpus")
    assert status == 200 and "<title>Corpus" in corpus
    static = _Refs()
    static.feed(static_review_html(out))
    assert [r for r in static.refs if r[0] == "a"] == []


def test_an_unexpected_error_answers_500(
    server: ReviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(stem: str) -> dict[str, Any]:
        raise RuntimeError("boom")

    monkeypatch.setattr(server.store, "article_view", boom)
    status, text = call(server, "GET", "/api/article/tiny")
    assert status == 500 and "internal error" in json.loads(text)["error"]
    assert call(server, "GET", "/api/articles")[0] == 200  # the server goes on


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ReviewStore(tmp_path / "nope")


@pytest.mark.slow
def test_serve_review_prints_its_url_and_serves(out: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from summarizer.review import serve_review; "
        "serve_review(Path(sys.argv[1]))"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code, str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert "Reviewing 1 article(s)" in line, line
            url = line.split(" at ")[1].split()[0]
            assert url.startswith("http://127.0.0.1:")
            conn = http.client.HTTPConnection(url.split("//")[1].rstrip("/"), timeout=10)
            conn.request("GET", "/api/articles")
            res = conn.getresponse()
            assert res.status == 200 and json.loads(res.read())["articles"][0]["stem"] == "tiny"
            conn.close()
        finally:
            proc.send_signal(signal.SIGINT)  # Ctrl+C
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0
