"""summarizer: faithful bilingual summaries and checkable fact sheets of Vietnamese news."""

from __future__ import annotations

__version__ = "0.1.0"
