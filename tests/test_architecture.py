"""The code keeps its shape: the layers of `portale/` import one way (import-linter's contract in pyproject.toml),
each layer says what it holds and may import, and ruff finds nothing to lint or reformat."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"]


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    # run where the package is, so that this copy of `portale` is the one analysed
    return subprocess.run(LINT_IMPORTS, cwd=project, capture_output=True, text=True, check=False)


def test_the_layers_import_one_way():
    result = lint_imports(PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Layers by role KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "broken"),
    [
        (
            "content/model.py",
            "from portale.pages import render",
            "portale.content is not allowed to import portale.pages",
        ),
        ("pages/render.py", "from portale.build import write", "portale.pages is not allowed to import portale.build"),
        (
            "search/index.py",
            "from portale.pages import render",
            "portale.search is not allowed to import portale.pages",
        ),
        (
            "build/write.py",
            "from portale.editors import serve",
            "portale.build is not allowed to import portale.editors",
        ),
    ],
)
def test_an_import_against_the_layers_fails(tmp_path, module, wrong_import, broken):
    shutil.copytree(PROJECT / "portale", tmp_path / "portale", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "pyproject.toml", tmp_path)
    with open(tmp_path / "portale" / module, "a", encoding="utf-8") as handle:
        handle.write(f"\n{wrong_import}\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert broken in result.stdout


def test_every_layer_says_what_it_holds_and_may_import():
    layers = sorted(path.parent.name for path in (PROJECT / "portale").glob("*/__init__.py"))
    assert layers == ["build", "cms", "common", "content", "editors", "pages", "search"]
    for name in layers:
        doc = ast.get_docstring(ast.parse((PROJECT / "portale" / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "Imports:" in doc, f"portale/{name}/__init__.py: no docstring naming what it may import"


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"])
def test_ruff_finds_nothing(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command], cwd=PROJECT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
