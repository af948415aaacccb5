"""Prompt templates: files in the top-level `prompts/` folder, shipped inside the wheel.

A template file starts with a line `version: NAME/N` (optionally followed by `---`), then the
text. Placeholders use
`$name` (string.Template), so the braces of JSON examples need no escaping. The combined version
of every template a request uses goes into the response cache key and the Digest.

The glossary (`prompts/glossary.md`, a table of Vietnamese → English renderings) is split so
that the system prompt, the prefix every request shares and a provider caches, stays small and
byte-stable: its rules and its generic title rows are in the system prompt; the rows for
organisations, places and terms that a request's text names are looked up deterministically
(`glossary_section`) and sent in that request's user message.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Collection
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from .folding import fold

GLOSSARY_KINDS = ("title", "organisation", "place", "term")
IN_SYSTEM_PROMPT = frozenset({"title"})
"""Glossary rows always in the system prompt: generic titles, which most articles use."""
LOOKED_UP = frozenset(GLOSSARY_KINDS) - IN_SYSTEM_PROMPT
"""Glossary rows sent in the user message when the request's text names them."""


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    text: str

    def render(self, **values: str) -> str:
        return string.Template(self.text).substitute(values)


def _prompt_dir() -> Traversable:
    packaged = resources.files("summarizer").joinpath("prompts")
    if packaged.is_dir():
        return packaged
    # Running from a source checkout: the prompts live at the top level, beside the package.
    return resources.files("summarizer").joinpath("..", "prompts")


@functools.cache
def load_prompt(name: str) -> Prompt:
    """The template `prompts/<name>.md`."""
    path = _prompt_dir().joinpath(f"{name}.md")
    try:
        raw = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise FileNotFoundError(f"prompt template {name!r} not found at {path}") from exc
    head, _, text = raw.partition("\n")
    if not head.startswith("version:"):
        raise ValueError(f"prompt {name!r} must start with a 'version: …' line")
    text = text.removeprefix("---\n")
    return Prompt(name=name, version=head.removeprefix("version:").strip(), text=text.strip())


@functools.cache
def system_prompt(kind: str) -> tuple[str, str]:
    """The rendered system prompt for `kind` (extract_article, extract_chunk, reduce) and the
    version string of the templates that went into it (only those it uses: editing the fact
    rules does not change the version of a prompt that does not include them)."""
    gloss = load_prompt("glossary")
    rules = load_prompt("fact_rules")
    main = load_prompt(kind)
    intro, rows = glossary()
    titles = intro + "\n\n" + "\n".join(r.line for r in rows if r.kind in IN_SYSTEM_PROMPT)
    text = main.render(fact_rules=rules.render(glossary=titles), glossary=titles)
    used = [main]
    if _uses(main, "fact_rules"):
        used.append(rules)
    # Every kind of request carries glossary rows: in the system prompt, or looked up for the
    # user message (reduce: the rows its facts name).
    used.append(gloss)
    return text, "+".join(p.version for p in used)


def _uses(prompt: Prompt, name: str) -> bool:
    return name in string.Template(prompt.text).get_identifiers()


@dataclass(frozen=True)
class GlossaryRow:
    variants: tuple[str, ...]  # Vietnamese spellings, as written in the glossary
    english: str
    kind: str  # one of GLOSSARY_KINDS

    @property
    def line(self) -> str:
        """The row as the model reads it."""
        return f"{' / '.join(self.variants)} = {self.english}"


@functools.cache
def glossary() -> tuple[str, tuple[GlossaryRow, ...]]:
    """The glossary's rules (the text before its table) and its rows, in file order."""
    text = load_prompt("glossary").text
    intro, _, table = text.partition("\n| Vietnamese |")
    rows = []
    for line in table.splitlines()[1:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or set(cells[0]) <= {"-", " ", ":"}:
            continue
        if len(cells) != 3 or cells[2] not in GLOSSARY_KINDS:
            raise ValueError(f"glossary row {line!r} is not | Vietnamese | English | kind |")
        variants = tuple(v.strip() for v in cells[0].split(" / "))
        rows.append(GlossaryRow(variants, cells[1], cells[2]))
    return intro.strip(), tuple(rows)


def _key(text: str) -> str:
    """What glossary look-ups compare: the matching fold (tone-mark placement, quotes, dashes,
    spacing), case-folded."""
    return fold(text).casefold()


@functools.cache
def _row_patterns() -> tuple[tuple[GlossaryRow, tuple[str, ...], re.Pattern[str]], ...]:
    patterns = []
    for row in glossary()[1]:
        keys = tuple(_key(v) for v in row.variants)
        # Whole words only: "WB" is not looked up inside another word.
        alternatives = "|".join(re.escape(k) for k in keys)
        patterns.append((row, keys, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")))
    return tuple(patterns)


def glossary_rows(text: str, kinds: Collection[str] = LOOKED_UP) -> list[GlossaryRow]:
    """The glossary rows of `kinds` that `text` names (in glossary order)."""
    key = _key(text)
    return [
        row
        for row, keys, pattern in _row_patterns()
        if row.kind in kinds and any(k in key for k in keys) and pattern.search(key)
    ]


def glossary_section(text: str, kinds: Collection[str] = LOOKED_UP, *, known: str = "") -> str:
    """The user message's <glossary> section for `text`, or "" when it names no row. Rows
    whose English `known` already holds (the facts a reduce call gets carry their English
    names and titles) are left out."""
    rows = [r for r in glossary_rows(text, kinds) if r.english not in known]
    if not rows:
        return ""
    return "<glossary>\n" + "\n".join(r.line for r in rows) + "\n</glossary>\n"
