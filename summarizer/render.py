"""Readable forms of a Digest: the Markdown fact sheet and the rows of facts.csv."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .pipeline import Digest
from .schemas import FACT_KINDS, Event, Figure, Organization, Person, Place, Statement

KIND_TITLES = {
    "people": "People",
    "organizations": "Organisations",
    "places": "Places",
    "figures": "Figures",
    "events": "Events",
    "statements": "Statements",
}
STATUS_MARKS = {
    "verified": "✅ verified",
    "evidence_not_found": "❌ evidence not found",
    "value_mismatch": "⚠️ value mismatch",
    "outside_body": "⚠️ outside body",
}


def describe(fact: BaseModel) -> tuple[str, str]:
    """One line in Vietnamese and one in English saying what the fact states."""
    if isinstance(fact, Person):
        return (
            ", ".join(x for x in (fact.name, fact.role_vi, fact.organization) if x),
            ", ".join(x for x in (fact.name, fact.role_en) if x),
        )
    if isinstance(fact, Organization | Place):
        country = f" ({fact.country})" if fact.country else ""
        return fact.name, f"{fact.name_en or fact.name}{country}"
    if isinstance(fact, Figure):
        period = f" ({fact.period})" if fact.period else ""
        return f"{fact.measure_vi}: {fact.text}{period}", f"{fact.measure_en}: {fact.text}{period}"
    if isinstance(fact, Event):
        when = f"{fact.date}: " if fact.date else ""
        where = f" ({fact.where})" if fact.where else ""
        return f"{when}{fact.what_vi}{where}", f"{when}{fact.what_en}{where}"
    if isinstance(fact, Statement):
        to = f" → {fact.addressee}" if fact.addressee else ""
        return (
            f"{fact.speaker} [{fact.kind}]{to}: {fact.content_vi}",
            f"{fact.speaker} [{fact.kind}]{to}: {fact.content_en}",
        )
    raise TypeError(f"not a fact: {type(fact).__name__}")


def fact_rows(digest: Digest) -> Iterator[dict[str, Any]]:
    """One row per fact, in sheet order, with its verification."""
    checks = {(c.kind, c.index): c for c in digest.verification.facts}
    for kind in FACT_KINDS:
        for index, fact in enumerate(getattr(digest.facts, kind)):
            check = checks.get((kind, index))
            vi, en = describe(fact)
            yield {
                "fact_id": check.fact_id if check else "",
                "kind": kind,
                "status": check.status if check else "",
                "text_vi": vi,
                "text_en": en,
                "value": getattr(fact, "value", None),
                "unit": getattr(fact, "unit", None),
                "evidence": getattr(fact, "evidence", ""),
                "problems": "; ".join(check.problems) if check else "",
            }


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (the text is from the web)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _cell(text: object) -> str:
    """Markdown table cell: no pipes or line breaks from the article can break the table."""
    return str("" if text is None else text).replace("|", "\\|").replace("\n", " ")


def render_markdown(digest: Digest) -> str:
    a = digest.article
    lines = [f"# {_cell(a.title)}", ""]
    meta = [
        f"published {a.published.isoformat()}" if a.published else "date unknown",
        a.byline or "",
        a.source or "",
        f"`{a.source_path}`" if a.source_path else "",
    ]
    lines += [" · ".join(m for m in meta if m), ""]
    s = digest.summary
    if s is None:
        lines += ["*No summary: the summary call failed (see gaps below).*", ""]
    else:
        lines += [f"## {_cell(s.headline_vi)}", "", s.summary_vi, ""]
        lines += [f"- {p}" for p in s.key_points_vi] + [""]
        lines += [f"## {_cell(s.headline_en)}", "", s.summary_en, ""]
        lines += [f"- {p}" for p in s.key_points_en] + [""]
    v = digest.verification
    verified = sum(1 for c in v.facts if c.status == "verified")
    lines += [f"**Verification:** {verified}/{len(v.facts)} facts verified.", ""]
    rows = list(fact_rows(digest))
    for kind in FACT_KINDS:
        of_kind = [r for r in rows if r["kind"] == kind]
        if not of_kind:
            continue
        lines += [f"## {KIND_TITLES[kind]}", "", "| Vietnamese | English | Evidence | Status |"]
        lines += ["|---|---|---|---|"]
        for r in of_kind:
            status = STATUS_MARKS.get(r["status"], r["status"])
            if r["problems"]:
                status += f" ({r['problems']})"
            lines.append(
                f"| {_cell(r['text_vi'])} | {_cell(r['text_en'])} "
                f"| “{_cell(r['evidence'])}” | {_cell(status)} |"
            )
        lines.append("")
    if digest.run.gaps:
        lines += ["## Gaps", ""]
        lines += [f"- part {g.chunk + 1}: {g.reason}: {_cell(g.error)}" for g in digest.run.gaps]
        lines.append("")
    u = digest.usage
    cost = "n/a" if u.cost_usd is None else f"${u.cost_usd:.5f}"
    lines += [
        f"*{digest.run.model}, {digest.run.chunks} chunk(s), {u.calls} call(s), "
        f"{u.input_tokens} input tokens ({u.cached_tokens} cached), "
        f"{u.output_tokens} output tokens, est. {cost}.*",
        "",
    ]
    return "\n".join(lines)
