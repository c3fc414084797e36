"""The test tree keeps its shape: no test module imports another (shared pieces live in conftest.py
and helper modules), and each shared fixture is defined once."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SHARED = ("home", "account", "store", "secret_service", "cli", "pki")


def modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def fixtures(path: Path) -> set[str]:
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        if isinstance(node, ast.FunctionDef) and any(
            "fixture" in ast.unparse(d) for d in node.decorator_list
        ):
            found.add(node.name)
    return found


def test_no_module_of_the_tests_imports_a_test_module() -> None:
    offenders = {
        f"{path.relative_to(TESTS)} imports {name}"
        for path in modules()
        for name in imported(path)
        if name.rpartition(".")[2].startswith("test_")
    }
    assert not offenders


def test_the_shared_fixtures_are_defined_once_in_the_root_conftest() -> None:
    where: dict[str, list[str]] = {}
    for path in modules():
        for name in fixtures(path) & set(SHARED):
            where.setdefault(name, []).append(str(path.relative_to(TESTS)))
    assert where == {name: ["conftest.py"] for name in SHARED}
