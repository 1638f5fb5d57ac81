"""One report, two formats: the benchmark's generated reports (benchmarks/bench.py), written as
Markdown and as a government web page (CMS-style markup: styled <p><span>, every cell a
styled <td> wrapping <p><span>, page chrome around), must give the same findings at the
same table cells and sections — simplified and traditional characters alike. The HTML
reader is judged by what a user would see: the Markdown version's findings."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

import pytest

from gilint.pipeline import Linter, Options
from tests.conftest import REPO

COUNT = 24  # with seed 2024: clean, dirty and traditional reports among them


@lru_cache(maxsize=1)
def _bench():
    spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _findings(folder, suffix):
    linter = Linter(Options(ignore=("GI5",)))
    found = {}
    for path in sorted(folder.glob(f"*{suffix}")):
        [result] = linter.check_path(str(path))
        found[path.stem] = sorted(
            (
                d.code,
                d.cell.table if d.cell else None,
                d.cell.row if d.cell else None,
                d.cell.column if d.cell else None,
                d.table,
            )
            for d in result.diagnostics
        )
    return found


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    root = tmp_path_factory.mktemp("same-report")
    kinds = _bench().generate(root / "md", COUNT, only=".md")
    _bench().generate(root / "html", COUNT, only=".html")
    assert kinds["clean-traditional"] + kinds["dirty-traditional"] >= 2 and kinds["dirty"] >= 3
    return _findings(root / "md", ".md"), _findings(root / "html", ".html")


def test_every_report_gives_the_same_findings_as_a_web_page(pair):
    markdown, page = pair
    assert markdown.keys() == page.keys() and len(markdown) == COUNT
    assert {name: page[name] for name in page if page[name] != markdown[name]} == {}


def test_the_deliberate_errors_are_found_in_both(pair):
    markdown, page = pair
    assert sum(1 for found in markdown.values() if found) >= 3
    assert sum(1 for found in page.values() if found) == sum(1 for found in markdown.values() if found)
