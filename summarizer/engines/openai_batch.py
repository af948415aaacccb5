"""The OpenAI Batch API (files and batches), through the official client.

An exception to "only `summarizer.llm` imports openai": uploading files and creating, polling
and cancelling batches are model-provider calls too, but not chat completions, and they share
nothing with llm.py's retries and re-asks; they are kept in this one module. Azure OpenAI and
other providers that implement the same endpoints work through the same client.

Creating a batch is the one call that must not happen twice. The client's own retries are off
for it (a retry after a lost response would create a second batch); after a failed or unknown
outcome the run lists the account's batches and adopts the one carrying this run's metadata
(`summarizer_run`, `summarizer_part`). Every other call is idempotent and keeps the client's
retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openai
from openai import OpenAI

from ..llm import is_transient
from ..secrets import redact
from .state import EngineError

TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
ACTIVE = frozenset({"validating", "in_progress", "finalizing", "cancelling"})
META_RUN = "summarizer_run"
META_PART = "summarizer_part"
# How far back (seconds before the create call was sent) to look for a batch it may have made.
_CLOCK_SKEW = 600
_LIST_PAGE = 100


@dataclass(frozen=True)
class RemoteBatch:
    id: str
    status: str
    input_file_id: str
    output_file_id: str | None
    error_file_id: str | None
    total: int
    completed: int
    failed: int
    errors: tuple[str, ...]
    metadata: dict[str, str]
    created_at: int


class TransientApiError(EngineError):
    """A Batch API call failed in a way that may pass (connection, 429, 5xx)."""


def _remote(batch: object) -> RemoteBatch:
    counts = getattr(batch, "request_counts", None)
    errors = getattr(getattr(batch, "errors", None), "data", None) or []
    return RemoteBatch(
        id=str(getattr(batch, "id", "")),
        status=str(getattr(batch, "status", "")),
        input_file_id=str(getattr(batch, "input_file_id", "")),
        output_file_id=getattr(batch, "output_file_id", None),
        error_file_id=getattr(batch, "error_file_id", None),
        total=int(getattr(counts, "total", 0) or 0),
        completed=int(getattr(counts, "completed", 0) or 0),
        failed=int(getattr(counts, "failed", 0) or 0),
        errors=tuple(redact(": ".join(str(x) for x in (e.code, e.message) if x)) for e in errors),
        metadata=dict(getattr(batch, "metadata", None) or {}),
        created_at=int(getattr(batch, "created_at", 0) or 0),
    )


def _failed(what: str, exc: openai.OpenAIError) -> EngineError:
    status = getattr(exc, "status_code", None)
    text = redact(str(exc))[:500]
    message = f"Batch API: {what} failed" + (f" with HTTP {status}" if status else "") + f": {text}"
    return TransientApiError(message) if is_transient(exc) else EngineError(message)


class BatchApi:
    """The calls the engine makes, each ending in a RemoteBatch, bytes, an id or EngineError."""

    def __init__(self, client: OpenAI) -> None:
        self.client = client
        self._once = client.with_options(max_retries=0)

    @property
    def base_url(self) -> str:
        return str(self.client.base_url)

    def upload(self, path: Path) -> str:
        try:
            with path.open("rb") as f:
                uploaded = self.client.files.create(file=(path.name, f), purpose="batch")
        except openai.OpenAIError as exc:
            raise _failed(f"uploading {path.name}", exc) from exc
        return str(uploaded.id)

    def create(self, input_file_id: str, run_id: str, part: str) -> RemoteBatch:
        try:
            batch = self._once.batches.create(
                input_file_id=input_file_id,
                endpoint="/v1/chat/completions",  # results.CHAT_URL
                completion_window="24h",
                metadata={META_RUN: run_id, META_PART: part},
            )
        except openai.OpenAIError as exc:
            raise _failed(f"creating the batch of {part}", exc) from exc
        return _remote(batch)

    def find(self, run_id: str, part: str, since: float) -> RemoteBatch | None:
        """The batch of this run's `part` created at or after `since` (with a margin for clock
        skew), if the account has one; the newest if several."""
        wanted = {META_RUN: run_id, META_PART: part}
        try:
            # Iterating the page fetches the next pages as needed (newest batches first).
            for item in self.client.batches.list(limit=_LIST_PAGE):
                remote = _remote(item)
                if all(remote.metadata.get(k) == v for k, v in wanted.items()):
                    return remote
                if remote.created_at and remote.created_at < since - _CLOCK_SKEW:
                    return None  # older than the create call: nothing further can be ours
        except openai.OpenAIError as exc:
            raise _failed("listing batches", exc) from exc
        return None

    def retrieve(self, batch_id: str) -> RemoteBatch:
        try:
            return _remote(self.client.batches.retrieve(batch_id))
        except openai.OpenAIError as exc:
            raise _failed(f"polling batch {batch_id}", exc) from exc

    def download(self, file_id: str) -> bytes:
        try:
            return bytes(self.client.files.content(file_id).content)
        except openai.OpenAIError as exc:
            raise _failed(f"downloading file {file_id}", exc) from exc

    def cancel(self, batch_id: str) -> RemoteBatch:
        try:
            return _remote(self.client.batches.cancel(batch_id))
        except openai.OpenAIError as exc:
            raise _failed(f"cancelling batch {batch_id}", exc) from exc
