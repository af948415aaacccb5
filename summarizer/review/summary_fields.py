"""The fields of a summary, in reading order per language: (field, text, language).

The same as verify's `_summary_fields`, with its signature, so that the review page's view can
take verify's instead by changing its one import line (then this module goes).

Imports only the schemas."""

from __future__ import annotations

from typing import Literal

from ..schemas import Summary

LANGUAGES: tuple[Literal["vi", "en"], ...] = ("vi", "en")


def summary_fields(summary: Summary) -> list[tuple[str, str, Literal["vi", "en"]]]:
    out: list[tuple[str, str, Literal["vi", "en"]]] = []
    for lang in LANGUAGES:
        out.append((f"headline_{lang}", getattr(summary, f"headline_{lang}"), lang))
        out.append((f"summary_{lang}", getattr(summary, f"summary_{lang}"), lang))
        points: list[str] = getattr(summary, f"key_points_{lang}")
        out += [(f"key_points_{lang}[{i}]", p, lang) for i, p in enumerate(points)]
    return out
