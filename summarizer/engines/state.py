"""What a batch-engine run keeps in OUT/.engine/state.json: its rounds and their parts.

A part is one request file (at most 50,000 requests and 200 MB, the Batch API's limits) and,
with the Batch API, one remote batch. Its status only moves forward:

    written   the request file is on disk (with --via jsonl: handed to the user)
    uploaded  the file is uploaded (`input_file_id`)
    created   the batch exists (`batch_id`)
    imported  its results are in the result store (OUT/.engine/results.sqlite)

`create_sent_at` is written (atomically, like every state change) *before* the create call: from
then on a batch may exist that this file does not name yet (the process was killed, or the
response was lost), so a rerun looks for it by its metadata before creating one. The state file
is never rewritten from a damaged copy: a file that cannot be read stops the run with
EngineError, because losing batch ids would mean creating those batches again.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

import pydantic
from pydantic import BaseModel, Field

from ..errors import SummarizerError
from ..store import write_atomic

ENGINE_DIR = ".engine"
STATE_NAME = "state.json"

Via = Literal["batch-api", "jsonl"]
PartStatus = Literal["written", "uploaded", "created", "imported"]


class EngineError(SummarizerError):
    """The batch engine cannot go on: a damaged state file, a refused batch, an unreadable
    results file. The message names the file or batch and the problem."""


class Part(BaseModel):
    name: str
    """`round-001-part-01`: also the name of its files and its batch's metadata."""
    round: int
    via: Via
    requests_file: str
    """Relative to the output folder."""
    requests: int
    bytes: int
    status: PartStatus = "written"
    input_file_id: str | None = None
    create_sent_at: float | None = None
    batch_id: str | None = None
    remote_status: str | None = None
    completed: int = 0
    failed: int = 0


class EngineState(BaseModel):
    version: Literal[1] = 1
    run_id: str = Field(default_factory=lambda: secrets.token_hex(8))
    """Sent as batch metadata: a rerun finds the batches of this run, and only those."""
    via: Via
    endpoint: str
    round: int = 0
    parts: list[Part] = Field(default_factory=list)
    batches_created: int = 0
    requests_submitted: int = 0

    def outstanding(self) -> list[Part]:
        return [p for p in self.parts if p.status != "imported"]


def engine_dir(out: Path) -> Path:
    return out / ENGINE_DIR


def load_state(out: Path) -> EngineState | None:
    """The saved state, or None when this output folder has none yet."""
    path = engine_dir(out) / STATE_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EngineError(f"{path}: cannot read the batch engine's state: {exc}") from exc
    try:
        return EngineState.model_validate_json(raw)
    except (pydantic.ValidationError, ValueError) as exc:
        raise EngineError(
            f"{path}: the batch engine's state is damaged ({exc.__class__.__name__}); it names"
            " the batches already created, so it is not replaced: repair or remove it"
        ) from exc


def save_state(out: Path, state: EngineState) -> None:
    write_atomic(engine_dir(out) / STATE_NAME, state.model_dump_json(indent=2) + "\n")
