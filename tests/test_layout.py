"""The package stays readable: no module over 500 lines, no function over 80.

The import layers are checked by import-linter (`lint-imports`, contracts in pyproject.toml)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def oversized(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """What in `path` is over the limits, as readable lines (empty when nothing is)."""
    source = path.read_text(encoding="utf-8")
    name = path.relative_to(root)
    found = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{name} has {lines} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.name} has {length} lines")
    return found


def test_modules_and_functions_stay_small() -> None:
    problems = [p for module in _modules() for p in oversized(module)]
    assert problems == []


def test_the_check_sees_a_long_function_and_a_long_module(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    probe = tmp_path / "probe.py"
    probe.write_text(f"async def long() -> None:\n{body}\n", encoding="utf-8")
    assert oversized(probe, tmp_path) == [f"probe.py:long has {MAX_FUNCTION_LINES + 1} lines"]
    probe.write_text("x = 1\n" * (MAX_MODULE_LINES + 1), encoding="utf-8")
    assert oversized(probe, tmp_path) == [f"probe.py has {MAX_MODULE_LINES + 1} lines"]
