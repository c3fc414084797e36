"""The layering of app/, read from the source with `ast`: no import cycle, the core never imports
Qt or a front end, and the ground floor (small modules the CLI loads at start) pulls in nothing
heavy. Imports inside functions count for cycles and layers (a lazy import is still a
dependency); only module-level ones count for what loading a ground-floor module costs."""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"

# Keep in step with the list in app/core/__init__.py's docstring.
GROUND_FLOOR = (
    "app.core.appdirs",  # paths
    "app.core.atomicfile",  # atomic file writing
    "app.core.cafile",
    "app.core.failures",  # the failure table
    "app.core.localfiles",
    "app.core.results",
    "app.core.text",  # words marked for translation
    "app.core.values",
)
HEAVY = frozenset({"smtplib", "ssl", "keyring", "cryptography", "aiosmtpd"})
QT = frozenset({"PySide6", "shiboken6"})


@dataclass(frozen=True)
class Import:
    target: str  # absolute module name
    at_load: bool  # module level (not in a function, not under TYPE_CHECKING)
    type_only: bool  # under `if TYPE_CHECKING:`


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in APP.rglob("*.py")}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[Import] = []

    def visit(node: ast.AST, at_load: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, False, type_only)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), False, True)
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), at_load, type_only)
            elif isinstance(child, ast.Import):
                found.extend(Import(a.name, at_load, type_only) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, child)
                found.append(Import(base, at_load, type_only))
                # `from package import submodule` imports the submodule too
                found.extend(
                    Import(f"{base}.{a.name}", at_load, type_only)
                    for a in child.names
                    if f"{base}.{a.name}" in MODULES
                )
            else:
                visit(child, at_load, type_only)

    visit(tree, True, False)
    return found


IMPORTS = {module: imports_of(module) for module in MODULES}


def _own(target: str) -> str | None:
    """The app module an import names (an attribute import `from .x import name` names x)."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, imports in IMPORTS.items():
        for imp in imports:
            own = _own(imp.target) if imp.target.startswith("app") else None
            if own and own != module and not imp.type_only:
                graph[module].add(own)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return cycles


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_the_walk_sees_lazy_and_relative_imports() -> None:
    # app/gui/main.py imports the core inside functions; the walk must see such imports.
    lazy = {i.target for i in IMPORTS["app.gui.main"] if not i.at_load}
    assert any(t.startswith("app.core") for t in lazy), lazy


def test_no_import_cycle_in_app() -> None:
    assert find_cycles(_graph()) == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("app.core")))
def test_the_core_imports_no_qt_and_no_front_end(module: str) -> None:
    for imp in IMPORTS[module]:
        assert imp.target.split(".")[0] not in QT, f"{module} imports {imp.target}"
        assert not imp.target.startswith(("app.gui", "app.commands", "app.cli")), (
            f"{module} imports {imp.target}"
        )


def _loaded_at_import(module: str) -> set[str]:
    """Every module (ours and others) named by module-level imports, following ours, including
    the packages a submodule's import runs first."""
    seen: set[str] = set()
    todo = [module]
    outside: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        parts = current.split(".")
        todo.extend(
            ".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in MODULES
        )
        for imp in IMPORTS[current]:
            if not imp.at_load:
                continue
            own = _own(imp.target) if imp.target.startswith("app") else None
            if own:
                todo.append(own)
            else:
                outside.add(imp.target.split(".")[0])
    return seen | outside


@pytest.mark.parametrize("module", GROUND_FLOOR)
def test_the_ground_floor_imports_nothing_heavy(module: str) -> None:
    assert module in MODULES
    assert not (_loaded_at_import(module) & HEAVY)


def test_the_ground_floor_loads_nothing_heavy_when_run() -> None:
    # The same, as Python itself sees it: the standard library's own imports count too.
    code = (
        "import sys\n"
        f"for name in {GROUND_FLOOR!r}: __import__(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(HEAVY)!r}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_ground_floor_is_documented_in_the_core() -> None:
    doc = ast.get_docstring(ast.parse((APP / "core" / "__init__.py").read_text(encoding="utf-8")))
    assert doc
    for module in GROUND_FLOOR:
        assert module.rpartition(".")[2] in doc, module


def test_a_heavy_module_on_the_ground_floor_would_be_seen() -> None:
    # The check can fail: the probe's port module loads smtplib.
    assert "smtplib" in _loaded_at_import("app.core.probe.port")


def test_no_two_classes_share_a_name() -> None:
    where: dict[str, list[str]] = {}
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                where.setdefault(node.name, []).append(module)
    shared = {name: mods for name, mods in where.items() if len(mods) > 1}
    assert not shared, shared
