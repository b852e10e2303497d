"""The README's promises name the tests that hold them; those tests must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMED_TEST = re.compile(r"`(tests/test_\w+\.py)::(test_\w+)`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_test_the_readme_names_exists():
    named = NAMED_TEST.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(named) >= 10, "the README's promises table is missing"
    missing = [f"{file}::{name}" for file, name in named
               if not (ROOT / file).is_file() or name not in _test_names(ROOT / file)]
    assert not missing, f"the README names tests that do not exist: {missing}"
