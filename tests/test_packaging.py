"""The built wheel carries the prompts and the tokenizer file, and works without the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("summarizer-*.whl")
    return built


def test_wheel_contains_prompts_and_tokenizer(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for prompt in (ROOT / "prompts").glob("*.md"):
        assert f"summarizer/prompts/{prompt.name}" in names
    assert "summarizer/data/o200k_base.tiktoken" in names
    assert "summarizer/py.typed" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_package_loads_its_prompts(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import summarizer, summarizer.prompts as p, summarizer.tokens as t;"
        "from pathlib import Path;"
        "assert p._prompt_dir().is_dir() and str(p._prompt_dir()).startswith("
        "str(Path(summarizer.__file__).parent));"
        "text, version = p.system_prompt('extract_article');"
        "assert 'Secretary of the Provincial Party Committee' in text, text[:200];"
        "print(version, t.count_tokens('Bộ Ngoại giao'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "extract-article/" in result.stdout
