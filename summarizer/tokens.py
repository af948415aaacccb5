"""Token counting with tiktoken, offline.

tiktoken downloads its BPE files on first use, which fails on machines without internet. The
o200k_base file (OpenAI's published, MIT-licensed data) ships inside this package and is loaded
from there with its sha256 checked, without touching tiktoken's cache or the environment.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import threading
from importlib import resources

import tiktoken

from .errors import TokenizerError

O200K_BASE_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"

# Copied from tiktoken_ext.openai_public.o200k_base (the pattern is data, not code we own).
_O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)


def _load_bpe(data: bytes) -> dict[bytes, int]:
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


_load_lock = threading.Lock()


def get_encoding(name: str = "o200k_base") -> tiktoken.Encoding:
    """The named encoding, built once per process from the BPE file in `summarizer/data`."""
    # functools.cache alone lets threads that arrive together each build it (1.5 s of CPU
    # apiece): a server's request threads do.
    with _load_lock:
        return _build_encoding(name)


@functools.cache
def _build_encoding(name: str) -> tiktoken.Encoding:
    if name != "o200k_base":
        raise TokenizerError(f"encoding {name!r} is not shipped with summarizer (o200k_base is)")
    try:
        data = resources.files("summarizer").joinpath("data/o200k_base.tiktoken").read_bytes()
    except OSError as exc:
        raise TokenizerError(f"the shipped o200k_base file cannot be read: {exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != O200K_BASE_SHA256:
        raise TokenizerError(f"o200k_base file is corrupt: sha256 {digest}")
    return tiktoken.Encoding(
        name="o200k_base",
        pat_str=_O200K_PATTERN,
        mergeable_ranks=_load_bpe(data),
        special_tokens={"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    )


def encoding_for_model(model: str) -> tiktoken.Encoding:
    """The encoding a model uses.

    Current OpenAI models (gpt-4o, gpt-4.1, gpt-5, o-series) use o200k_base. Other servers' models
    run their own tokenizers, which we do not ship: o200k_base is the estimate for them too, used
    for chunk budgets and rate limits, never for billing (usage comes from the server).
    """
    del model
    return get_encoding("o200k_base")


def count_tokens(text: str, model: str = "gpt-4o-mini") -> int:
    return len(encoding_for_model(model).encode(text, disallowed_special=()))
