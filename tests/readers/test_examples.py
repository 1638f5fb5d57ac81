"""examples/clean-2021.html and .docx (generated from clean-2021.md by
tests/fixtures/readers/make_examples.py) read back to the Markdown's tables,
in the official merged layout."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest
from reader_helpers import EXAMPLES, FIXTURES, grids, table3, texts

from gilint.read.load import load_path


def _markdown_tables() -> list[list[list[str]]]:
    spec = importlib.util.spec_from_file_location("make_examples", FIXTURES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    items = module.parse_markdown((EXAMPLES / "clean-2021.md").read_text(encoding="utf-8"))
    return [item.rows for item in items if item.kind == "table"]


@pytest.mark.parametrize("suffix", [".html", ".docx"])
def test_example_reads_back_to_the_markdown(suffix):
    path = EXAMPLES / f"clean-2021{suffix}"
    if not path.exists():
        pytest.skip(f"{path.name} not generated")
    document = load_path(str(path))
    tables = _markdown_tables()
    found = grids(document)
    assert len(found) == len(tables) == 3
    for grid, rows in zip(found, tables, strict=True):
        assert (len(grid.rows), len(grid.rows[0])) == (len(rows), len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:  # blank Markdown cells lie inside merged cells
                    assert grid.rows[r][c].text == text
    applications = found[1]
    assert applications.rows[1][0] is applications.rows[2][2]  # the 3×3 note is one merged cell
    assert table3(document).total_processed == 47
    headings = [t for t in texts(document) if re.match("[一二三四五六]、", t)]
    assert len(headings) == 6
