"""The package tree shows the pipeline: no import cycles, few modules at the top.

The direction between steps (read → text → structure → tables → checks → render) is the
import-linter contract in pyproject.toml, checked by `lint-imports` in .ci/run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter (dev extra)")

PACKAGE = Path(__file__).resolve().parent.parent / "gilint"


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_inside_the_package():
    graph = grimp.build_graph("gilint")
    assert _cycles(graph) == []


def test_at_most_eight_modules_directly_in_the_package():
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top


def test_every_step_is_a_folder():
    for step in ("read", "text", "structure", "tables", "checks", "render"):
        assert (PACKAGE / step / "__init__.py").is_file(), step
