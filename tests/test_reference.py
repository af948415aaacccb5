"""Checks on the hand-written reference annotations in `tests/reference/`.

Each seed page in `seeds/` has a reference answer `tests/reference/<stem>.json` (an
`ArticleExtraction`) and the English titles in it follow `prompts/glossary.md`. These tests hold
the references to the annotation rules in `tests/reference/README.md`: every quote is verbatim
and comes from the article body (not the title, captions or the page clutter after the article),
every figure's value is the Vietnamese reading of its text, and titles come from the glossary.

The Vietnamese number reading is a small local helper on purpose: it must not depend on the
library code that it is meant to check.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from summarizer.schemas import ArticleExtraction

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
REFERENCE_DIR = ROOT / "tests" / "reference"
GLOSSARY = ROOT / "prompts" / "glossary.md"


@dataclass(frozen=True)
class Seed:
    """What a reviewer knows about one seed page's layout."""

    title: str  # the page title line: not body
    end: str  # first line after the article: everything from here on is page clutter
    page_date: dt.date  # the article's date (from its timestamp or context)
    # Lines inside the article region that are not body (bylines, captions, related links...),
    # given by their opening words.
    non_body: tuple[str, ...] = ()
    # Caption lines that may serve as evidence: the facts they state appear nowhere else.
    caption_evidence: tuple[str, ...] = ()


SEEDS: dict[str, Seed] = {
    "000_69bf44ab3444e1cf": Seed(
        title="Đoàn công tác của Bộ Ngoại giao làm việc với tỉnh Thanh Hóa",
        end="Nguồn: Chuyên mục Thông tin đối ngoại ngày 02/03/2023",
        page_date=dt.date(2023, 3, 2),
        non_body=(
            "Đường dây nóng:",
            "02/03/2023 21:15",
            "Đoàn công tác của Bộ Ngoại giao làm việc với tỉnh Thanh Hóa - Ảnh 2.",
        ),
    ),
    "001_8949947c50df7356": Seed(
        title="Thứ trưởng Bộ ngoại giao làm việc tại Thanh Hoá",
        end="Theo Thời sự tối 6/7/2020",
        page_date=dt.date(2020, 7, 6),
        non_body=("![]() |",),
    ),
    "002_b3ca734f93e010ae": Seed(
        title="Bộ Ngoại giao phối hợp với tỉnh Thái Bình tích cực triển khai công tác đối ngoại",
        end="Các Bộ trưởng Ngoại giao ASEAN nhất trí",
        page_date=dt.date(2020, 9, 14),
        non_body=(
            "Anh Sơn",
            "Theo dõi Baoquocte.vn trên",
            "TIN LIÊN QUAN",
            "Trao Quyết định chuẩn y các chức danh",
            "Thái Bình - Địa chỉ đầu tư tin cậy",
            "bo ngoai giao phoi hop voi tinh thai binh",
            "bo-ngoai-giao-phoi-hop-voi-tinh-thai-binh",
            "Ủy viên Trung ương Đảng, Thứ trưởng Thường trực Bùi Thanh Sơn - Trưởng đoàn",
            "Đồng chí Bí thư Tỉnh ủy Thái Bình Ngô Đông Hải khẳng định",
            "Ông Nguyễn Hoàng Long, Cục trưởng Cục Ngoại vụ",
            "Nhân dịp này, Công đoàn Bộ Ngoại giao trao tặng",
        ),
        caption_evidence=(
            # Nguyễn Hoàng Long and the 50 triệu đồng gift are named only in these captions.
            "Ông Nguyễn Hoàng Long, Cục trưởng Cục Ngoại vụ",
            "Nhân dịp này, Công đoàn Bộ Ngoại giao trao tặng",
        ),
    ),
    "003_09e778122f988b82": Seed(
        title="Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn cùng Đoàn công tác đến thăm và làm việc",
        end="Theo Thanhhoa.gov.vn",
        page_date=dt.date(2023, 2, 21),
        non_body=(
            "Lãnh đạo tỉnh Thanh Hóa tặng quà lưu niệm cho Đoàn công tác",
            "Đồng chí Nguyễn Văn Thi – Phó Chủ tịch Thường trực UBND tỉnh trình bày",
            "Các đại biểu tại buổi làm việc.",
            "Quang cảnh buổi làm việc.",
            "Đồng chí Bùi Thanh Sơn – Bộ trưởng Bộ Ngoại giao phát biểu",
            "Đồng chí Đỗ Trọng Hưng – Bí thư Tỉnh ủy phát biểu",
            "Bộ Ngoại giao đã trao tặng 50 triệu đồng cho Trung tâm bảo trợ xã hội",
        ),
    ),
    "004_0b7d40f7952fcebe": Seed(
        title="Nâng tầm hoạt động đối ngoại, tạo đà bứt phá trong năm 2025",
        end="Nguồn: Bản tin Thời sự tối 6/1",
        page_date=dt.date(2025, 1, 6),
        non_body=(
            "Đường dây nóng:",
            "Hồng Ngọc - Xuân Sơn",
            "06/01/2025 19:52",
            "Nâng tầm hoạt động đối ngoại, tạo đà bứt phá trong năm 2025- Ảnh",
            "Thủ tướng Chính phủ Phạm Minh Chính dự và chỉ đạo Hội nghị tổng kết công tác ngoại",
            "Đồng chí Nguyễn Văn Thi, Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực UBND"
            " tỉnh và đại diện",
            "Thủ tướng Chính phủ Phạm Minh Chính phát biểu chỉ đạo hội nghị (Ảnh",
            "Phó Chủ tịch Thường trực UBND tỉnh Nguyễn Văn Thi phát biểu sau hội nghị",
        ),
    ),
}

STEMS = sorted(SEEDS)


# --- helpers -------------------------------------------------------------------------------


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Old-style tone placement ("hoá", "uỷ") and new style ("hóa", "ủy") name the same word.
_TONE_PAIRS = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}


def fold(text: str) -> str:
    """Case- and tone-placement-insensitive key for glossary look-ups."""
    out = nfc(text).casefold()
    for old, new in _TONE_PAIRS.items():
        out = out.replace(old, new)
    return " ".join(out.split())


_SCALES = (
    ("nghìn tỷ", 1e12),
    ("ngàn tỷ", 1e12),
    ("tỷ", 1e9),
    ("triệu", 1e6),
    ("nghìn", 1e3),
    ("ngàn", 1e3),
)


def parse_vi_number(text: str) -> float:
    """Value of a Vietnamese quantity: '.' groups thousands, ',' is the decimal mark.

    "14,245 tỷ USD" -> 14245000000; "2.793 triệu USD" -> 2793000000; "0,7 %" -> 0.7;
    "50 nghìn tỷ đồng" -> 50000000000000; "04 địa phương" -> 4.
    """
    match = re.search(r"\d+(?:[.,]\d+)*", text)
    assert match, f"no number in {text!r}"
    value = float(match.group(0).replace(".", "").replace(",", "."))
    rest = text[match.end() :].strip()
    for word, factor in _SCALES:
        if rest.startswith(word):
            return value * factor
    return value


@dataclass(frozen=True)
class Glossary:
    version: str
    rows: list[tuple[list[str], str, str]]  # (Vietnamese variants, English, kind)

    @property
    def english(self) -> set[str]:
        return {en for _, en, _ in self.rows}

    def lookup(self, vietnamese: str) -> str | None:
        key = fold(vietnamese)
        for variants, en, _ in self.rows:
            if any(fold(v) == key for v in variants):
                return en
        return None


def load_glossary() -> Glossary:
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    version = lines[0].strip()
    rows: list[tuple[list[str], str, str]] = []
    for line in lines:
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("Vietnamese", "") or set(cells[0]) <= {"-", " ", ":"}:
            continue
        variants = [v.strip() for v in cells[0].split(" / ")]
        rows.append((variants, cells[1], cells[2] if len(cells) > 2 else ""))
    return Glossary(version=version, rows=rows)


@dataclass(frozen=True)
class Page:
    text: str  # NFC page text
    body_lines: list[str]  # article body paragraphs
    caption_lines: list[str]  # captions allowed as evidence
    article: str  # everything before the end marker


def load_page(stem: str) -> Page:
    seed = SEEDS[stem]
    text = nfc((SEEDS_DIR / f"{stem}.txt").read_text(encoding="utf-8"))
    end = text.find(nfc(seed.end))
    assert end > 0, f"end marker not found in {stem}"
    article = text[:end]
    title = text.find(nfc(seed.title))
    assert title >= 0, f"title not found in {stem}"
    body_lines: list[str] = []
    caption_lines: list[str] = []
    title_line_seen = False
    for line in article.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not title_line_seen and stripped.startswith(nfc(seed.title)):
            title_line_seen = True
            continue
        if any(stripped.startswith(nfc(p)) for p in seed.caption_evidence):
            caption_lines.append(line)
        if any(stripped.startswith(nfc(p)) for p in seed.non_body):
            continue
        body_lines.append(line)
    assert title_line_seen
    return Page(text=text, body_lines=body_lines, caption_lines=caption_lines, article=article)


def load_reference(stem: str) -> dict:  # type: ignore[type-arg]
    return json.loads((REFERENCE_DIR / f"{stem}.json").read_text(encoding="utf-8"))


def all_facts(ref: dict):  # type: ignore[no-untyped-def, type-arg]
    for kind, items in ref["facts"].items():
        for i, item in enumerate(items):
            yield f"{kind}[{i}]", kind, item


# --- the glossary --------------------------------------------------------------------------


def test_glossary_shape() -> None:
    glossary = load_glossary()
    assert glossary.version == "version: glossary/2"
    assert 40 <= len(glossary.rows) <= 100
    seen: dict[str, str] = {}
    for variants, en, kind in glossary.rows:
        assert en, variants
        assert ", " not in en, f"English entry {en!r} would be ambiguous when joined with ', '"
        assert kind in {"title", "organisation", "place", "term"}, kind
        for v in variants:
            key = fold(v)
            assert key not in seen or seen[key] == en, f"{v!r} has two translations"
            seen[key] = en


def test_every_seed_has_a_reference() -> None:
    stems = sorted(p.stem for p in SEEDS_DIR.glob("*.txt"))
    assert stems == STEMS
    assert sorted(p.stem for p in REFERENCE_DIR.glob("*.json")) == STEMS


# --- the references ------------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_validates(stem: str) -> None:
    raw = load_reference(stem)
    model = ArticleExtraction.model_validate(raw)
    # Every field present (no defaults filled in), nothing extra.
    assert model.model_dump() == raw
    summary = model.summary
    assert 3 <= len(summary.key_points_vi) <= 6
    assert len(summary.key_points_vi) == len(summary.key_points_en)
    for text in (summary.summary_vi, summary.summary_en):
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
        assert 3 <= len(sentences) <= 5, sentences


@pytest.mark.parametrize("stem", STEMS)
def test_evidence_is_verbatim_body_text(stem: str) -> None:
    page = load_page(stem)
    for tag, _, item in all_facts(load_reference(stem)):
        evidence = item["evidence"]
        assert evidence == evidence.strip(), tag
        assert "\n" not in evidence, f"{tag}: evidence crosses a paragraph break"
        assert 30 <= len(evidence) <= 260, f"{tag}: evidence length {len(evidence)}"
        assert evidence in page.text, f"{tag}: not verbatim: {evidence!r}"
        assert evidence in page.article, f"{tag}: quoted from the clutter after the article"
        in_body = any(evidence in line for line in page.body_lines)
        in_allowed_caption = any(evidence in line for line in page.caption_lines)
        assert in_body or in_allowed_caption, f"{tag}: not from a body paragraph: {evidence!r}"


@pytest.mark.parametrize("stem", STEMS)
def test_names_are_in_their_evidence(stem: str) -> None:
    ref = load_reference(stem)
    page = load_page(stem)
    for kind in ("people", "organizations", "places"):
        names = [item["name"] for item in ref["facts"][kind]]
        assert len(names) == len(set(names)), f"duplicate {kind}"
        for i, item in enumerate(ref["facts"][kind]):
            assert item["name"] in item["evidence"], f"{kind}[{i}] {item['name']!r}"
    for i, person in enumerate(ref["facts"]["people"]):
        if person["role_vi"] is not None:
            assert person["role_vi"] in page.article, f"people[{i}]: role_vi not as written"
        if person["organization"] is not None:
            assert person["organization"] in page.article, f"people[{i}]: organization"


@pytest.mark.parametrize("stem", STEMS)
def test_english_names_follow_the_glossary(stem: str) -> None:
    glossary = load_glossary()
    english = glossary.english
    ref = load_reference(stem)
    for i, person in enumerate(ref["facts"]["people"]):
        assert (person["role_vi"] is None) == (person["role_en"] is None), f"people[{i}]"
        if person["role_en"] is not None:
            for part in person["role_en"].split(", "):
                assert part in english, f"people[{i}]: {part!r} is not a glossary entry"
    for i, org in enumerate(ref["facts"]["organizations"]):
        assert org["name_en"], f"organizations[{i}]"
        expected = glossary.lookup(org["name"])
        if expected is not None:
            assert org["name_en"] == expected, f"organizations[{i}] {org['name']!r}"
    for i, place in enumerate(ref["facts"]["places"]):
        assert place["name_en"] in english, f"places[{i}]: {place['name_en']!r} not in glossary"
        assert place["country"], f"places[{i}]: country"
        expected = glossary.lookup(place["name"])
        if expected is not None:
            assert place["name_en"] == expected, f"places[{i}] {place['name']!r}"


@pytest.mark.parametrize("stem", STEMS)
def test_figures(stem: str) -> None:
    ref = load_reference(stem)
    for i, fig in enumerate(ref["facts"]["figures"]):
        tag = f"figures[{i}] {fig['text']!r}"
        assert fig["text"] in fig["evidence"], tag
        assert fig["value"] is not None, tag
        assert math.isclose(parse_vi_number(fig["text"]), fig["value"], rel_tol=1e-9), tag
        if "USD" in fig["text"]:
            assert fig["unit"] == "USD", tag
        elif "đồng" in fig["text"]:
            assert fig["unit"] == "VND", tag
        elif "%" in fig["text"]:
            assert fig["unit"] == "%", tag
        else:
            assert fig["unit"] and fig["unit"] in fig["text"], tag


def test_vietnamese_number_helper() -> None:
    cases = {
        "14,245 tỷ USD": 14_245_000_000,
        "9,300 tỷ USD": 9_300_000_000,
        "2.793 triệu USD": 2_793_000_000,
        "50 nghìn tỷ đồng": 50_000_000_000_000,
        "trên 62.000 tỷ đồng": 62_000_000_000_000,
        "12,51%": 12.51,
        "0,7 %": 0.7,
        "04 địa phương": 4,
        "gần 500 triệu USD": 500_000_000,
    }
    for text, value in cases.items():
        assert math.isclose(parse_vi_number(text), value, rel_tol=1e-12), text


@pytest.mark.parametrize("stem", STEMS)
def test_event_dates(stem: str) -> None:
    page_date = SEEDS[stem].page_date
    for i, event in enumerate(load_reference(stem)["facts"]["events"]):
        if event["date"] is None:
            continue
        date = dt.date.fromisoformat(event["date"])
        assert dt.timedelta(0) <= page_date - date <= dt.timedelta(days=30), f"events[{i}]"
        day_month = rf"(?<!\d)0?{date.day}/0?{date.month}(?!\d)"
        assert re.search(day_month, event["evidence"]), f"events[{i}]: date not in evidence"


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:[.,]\d+)*", text)


@pytest.mark.parametrize("stem", STEMS)
def test_summary_numbers_come_from_the_article(stem: str) -> None:
    page = load_page(stem)
    summary = load_reference(stem)["summary"]
    vi = [summary["headline_vi"], summary["summary_vi"], *summary["key_points_vi"]]
    for text in vi:
        for number in _numbers(text):
            assert number in page.article, f"{number!r} in {text!r}"
    en = [summary["headline_en"], summary["summary_en"], *summary["key_points_en"]]
    for text in en:
        for number in _numbers(text):
            # English writes the decimal point where Vietnamese writes a comma.
            assert number.replace(".", ",") in page.article, f"{number!r} in {text!r}"
