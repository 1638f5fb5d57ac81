"""Shared helpers for the reader tests: where the corpus is, and how to read
table 三's 总计 column out of a GridBlock by row label."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from gilint.model import Document, GridBlock, TextBlock

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "readers"
HOSTILE = FIXTURES / "hostile"
EXAMPLES = REPO / "examples"


def shared_dir() -> Path | None:
    """The project's shared/ folder: $GILINT_SHARED, else beside the checkout
    (as tests/conftest.py finds it)."""
    for candidate in (os.environ.get("GILINT_SHARED"), REPO.parent / "shared"):
        if candidate and (Path(candidate) / "corpus").is_dir():
            return Path(candidate)
    return None


def corpus_file(name: str) -> Path:
    shared = shared_dir()
    if shared is None or not (shared / "corpus" / name).exists():
        pytest.skip(f"shared corpus file {name} is not available")
    return shared / "corpus" / name


@dataclass
class Truth:
    new: int
    carried_over: int
    total_processed: int
    carried_forward: int | None
    results: list[int]


def ground_truth() -> dict[str, Truth]:
    path = corpus_file("GROUND_TRUTH.tsv")
    truths: dict[str, Truth] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            found = re.search(r"result rows \(in table order\): ([\d,]+)", row["notes"])
            truths[row["file"]] = Truth(
                int(row["new"]),
                int(row["carried_over"]),
                int(row["total_processed"]),
                int(row["carried_forward"]) if row["carried_forward"] else None,
                [int(v) for v in found.group(1).split(",")] if found else [],
            )
    if "027a.html" in truths and not truths["027a.html"].results:
        truths["027a.html"].results = truths["027.txt"].results  # "same values"
    return truths


# ------------------------------------------------------------ table 三


@dataclass
class Table3:
    new: int
    carried_over: int
    total_processed: int
    carried_forward: int
    results: list[int]


def grids(document: Document) -> list[GridBlock]:
    return [block for block in document.blocks if isinstance(block, GridBlock)]


def texts(document: Document) -> list[str]:
    return [block.text for block in document.blocks if isinstance(block, TextBlock)]


def _number(text: str) -> int:
    return int(text) if text.strip() else 0  # blank cell = 0, as GROUND_TRUTH reads it


def table3(document: Document) -> Table3:
    """The 总计 column of table 三, found by header and row labels only."""
    grid = next(g for g in grids(document) if any(c.text == "自然人" for row in g.rows[:4] for c in row))
    header = next(row for row in grid.rows[:4] if any(c.text == "自然人" for c in row))
    first = next(i for i, c in enumerate(header) if c.text == "自然人")
    total = max(i for i, c in enumerate(header) if c.text == "总计")
    values: dict[str, int] = {}
    results: list[int] = []
    for row in grid.rows:
        label = "".join(dict.fromkeys(c.text for c in row[:first]))
        value = row[total].text
        if "本年新收" in label:
            values["new"] = _number(value)
        elif "上年结转" in label:
            values["carried_over"] = _number(value)
        elif "结转下年度" in label:
            values["carried_forward"] = _number(value)
        elif "总计" in label:
            values["total_processed"] = _number(value)
        elif "办理结果" in label:
            results.append(_number(value))
    return Table3(results=results, **values)
