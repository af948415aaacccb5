"""Prompt templates: files in the top-level `prompts/` folder, shipped inside the wheel.

A template file starts with a line `version: NAME/N` (optionally followed by `---`), then the
text. Placeholders use
`$name` (string.Template), so the braces of JSON examples need no escaping. The combined version
of every template a request uses goes into the response cache key and the Digest.
"""

from __future__ import annotations

import functools
import hashlib
import string
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


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


def prompt_dir() -> Path:
    """Where the templates are read from (for messages and tooling)."""
    return Path(str(_prompt_dir()))


def glossary() -> str:
    return load_prompt("glossary").text


@functools.cache
def system_prompt(kind: str) -> tuple[str, str]:
    """The rendered system prompt for `kind` (extract_article, extract_chunk, reduce) and the
    version string of everything that went into it."""
    gloss = load_prompt("glossary")
    rules = load_prompt("fact_rules")
    main = load_prompt(kind)
    text = main.render(fact_rules=rules.render(glossary=gloss.text), glossary=gloss.text)
    version = "+".join(p.version for p in (main, rules, gloss))
    return text, version


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
