"""The package stays in rooms a newcomer can find: no module over 600 lines, no function
over 80 (the layers themselves are checked by `lint-imports`, run by `make test`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mapper"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name}: {lines} lines"
    assert _long_functions(path) == []


def test_private_modules_are_imported_only_inside_their_package() -> None:
    """What has an underscore is imported only by its own package."""
    offenders = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                    "mapper"):
                parts = node.module.split(".")
                private = [i for i, part in enumerate(parts) if part.startswith("_")
                           and part != "__init__"]
                names = [a.name for a in node.names if a.name.startswith("_")]
                # The package that owns the private thing: the one holding the module.
                owner = ".".join(parts[:private[0]] if private else parts[:-1])
                if (private or names) and not package.startswith(owner):
                    offenders.append(f"{path.name}: from {node.module} import "
                                     f"{', '.join(a.name for a in node.names)}")
    assert offenders == []
