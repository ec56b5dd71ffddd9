"""Tests share helpers through tests/support and fixtures through conftest scoping only.

A test module that imports another test module (or another directory's conftest) runs that
module's fixtures and module-level code twice, hides where a helper lives, and breaks when
the other file is renamed. Allowed: tests.support.*, tests.factories and the top-level
tests.conftest (its helpers and constants); a conftest.py may not be imported by name at all
except that one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
ALLOWED = ("tests.support", "tests.factories", "tests.conftest")


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    """The module a (possibly relative) `from ... import` reads from."""
    if node.level == 0:
        return node.module or ""
    package = ["tests", *path.relative_to(TESTS).parent.parts]
    base = package[:len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imported_modules(path: Path, tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            found.append((node.lineno, module))
            # `from tests.board import conftest` names the module in the alias
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def forbidden(module: str) -> bool:
    """A test module (`tests.<dir>.test_*`) or a conftest other than the top-level one."""
    if not module.startswith("tests.") or module.startswith(ALLOWED):
        return False
    parts = module.split(".")[1:]
    return any(part == "conftest" or part.startswith("test_") for part in parts)


def _python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "node_modules" not in p.parts)


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(TESTS)))
def test_no_test_module_imports_another_test_module_or_conftest(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    wrong = [f"line {line}: {module}" for line, module in _imported_modules(path, tree)
             if forbidden(module)]
    assert not wrong, (f"{path.relative_to(TESTS)} imports test modules or conftests; move "
                       f"shared helpers to tests/support and fixtures to a conftest: {wrong}")


@pytest.mark.parametrize("module, allowed", [
    ("tests.support.people", True),
    ("tests.factories", True),
    ("tests.conftest", True),
    ("tests.board.conftest", False),
    ("tests.realtime.test_sockets", False),
    ("tests.realtime.test_sockets.attend", False),
    ("tests.board", True),
    ("webapp.realtime.log", True),
])
def test_the_rule_itself(module, allowed):
    assert forbidden(module) is not allowed
