"""Prompt templates: files in the top-level `prompts/` folder, shipped inside the wheel.

A template file starts with a line `version: NAME/N` (optionally followed by `---`), then the
text. Placeholders use
`$name` (string.Template), so the braces of JSON examples need no escaping. The combined version
of every template a request uses goes into the response cache key and the Digest.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable


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
    text = main.render(fact_rules=rules.render(glossary=gloss.text), glossary=gloss.text)
    used = [main]
    if _uses(main, "fact_rules"):
        used.append(rules)
    if _uses(main, "glossary") or (_uses(main, "fact_rules") and _uses(rules, "glossary")):
        used.append(gloss)
    return text, "+".join(p.version for p in used)


def _uses(prompt: Prompt, name: str) -> bool:
    return name in string.Template(prompt.text).get_identifiers()
