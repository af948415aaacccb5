"""The same batch through a provider's batch engine: the OpenAI Batch API (half the price, a
separate rate pool, answers within 24 hours) or JSONL files for any engine that reads them
(vLLM's `run_batch`, Azure OpenAI, a provider's console).

    report = run_with_batch_api(Path("seeds"), Path("out"), client=OpenAI())
    report = run_with_jsonl(Path("seeds"), Path("out"))                        # writes requests
    report = run_with_jsonl(Path("seeds"), Path("out"), results=[Path("r.jsonl")])  # continues

The digests are those of the synchronous batch (`summarizer.batch.run_batch`), by construction:
see `summarizer.engines.collect`.
"""

from .collect import PendingAnswer
from .run import EngineReport, EngineSettings, cancel_batches, run_with_batch_api, run_with_jsonl
from .state import EngineError

__all__ = [
    "EngineError",
    "EngineReport",
    "EngineSettings",
    "PendingAnswer",
    "cancel_batches",
    "run_with_batch_api",
    "run_with_jsonl",
]
