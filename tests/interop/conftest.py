"""The interop tier: tests against llama.cpp's `llama-server` (see tests/interop/serve.py).

They run only when asked for (`pytest -m interop`); a plain `pytest` reports them as skipped
with the reason, and never builds or downloads anything. Asked for, a test skips with the
reason when the server binary or its model is not in the cache.

    python -m tests.interop.serve build && python -m tests.interop.serve models
    python -m pytest -m interop tests/interop
    SUMMARIZER_INTEROP_MODELS=smollm2-135m python -m pytest -m interop tests/interop
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from . import serve

MODEL_NAMES = [
    n.strip()
    for n in os.environ.get("SUMMARIZER_INTEROP_MODELS", ",".join(serve.MODELS)).split(",")
    if n.strip()
]
NOT_ASKED = (
    "interop tier: run with `pytest -m interop` after `python -m tests.interop.serve build`"
    " and `... models` (llama.cpp's llama-server on loopback; minutes of CPU)"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A `-m` expression naming the marker is the explicit request; without one these tests
    # would start a CPU-bound server inside the ordinary suite.
    if "interop" in (config.option.markexpr or ""):
        # Seed runs are recorded only when asked (--record-mode=rewrite): marked vcr in record
        # mode none, vcrpy would answer from an existing cassette instead of the server.
        if config.getoption("record_mode") != "none":
            for item in items:
                if item.path.name == "test_seeds.py":
                    item.add_marker(pytest.mark.vcr)
        return
    skip = pytest.mark.skip(reason=NOT_ASKED)
    for item in items:
        if item.get_closest_marker("interop") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session", params=MODEL_NAMES)
def llama(request: pytest.FixtureRequest) -> Iterator[serve.Server]:
    """One llama-server per model, one at a time (pytest groups the tests by model)."""
    name = str(request.param)
    spec = serve.MODELS.get(name)
    if spec is None:
        pytest.fail(f"SUMMARIZER_INTEROP_MODELS names unknown model {name!r}")
    reason = serve.missing(spec)
    if reason is not None:
        pytest.skip(reason)
    with serve.running(spec) as server:
        yield server
