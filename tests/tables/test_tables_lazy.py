"""Rows kept as their cells' texts (``Observed.texts``) and cells whose place is made when
asked for (``Cell.where``) give the same cells as the pieces they stand for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.data import rules_dir
from gilint.model import TextBlock
from gilint.structure.knowledge import load_structure
from gilint.tables import load_table_models
from gilint.tables.assign import _direct, _trim, _whole_cells
from gilint.tables.observe import Observed, Piece, observe_lines
from gilint.tables.table import Cell, Spot
from gilint.text.normalize import normalize_block, split_lines

MODELS = load_table_models([rules_dir()])
HEADING_SPLIT = load_structure().heading_split
# A row of each width of each layout (its kinds differ from layout to layout).
ROWS = list(
    {
        (layout.name, len(row.columns)): (layout, row)
        for model in MODELS
        for layout in model.layouts.values()
        for row in layout.rows
    }.values()
)
# Cell texts as reports print them: counts, blanks, placeholders, units, glued or spaced runs.
TEXTS = ["", "0", "12", "007", "3件", "4.5", "-3", "+2", "1,234", "/", "无", "—", "一", "若干", "1 2", "5 件"]


def _pipe_row(values: list[str]) -> Observed | None:
    line = "| 规章 | " + " | ".join(values) + " |"
    lines = split_lines(normalize_block(TextBlock(line), HEADING_SPLIT))
    rows, _ = observe_lines([(line, 0, len(line.text)) for line in lines])
    return rows[0] if rows else None  # a label among the values: no row of values


def _reference(observed: Observed, layout, row) -> list[Cell] | None:  # type: ignore[no-untyped-def]
    """The cells as they were read before ``Observed.texts``: a Piece a cell, trimmed, each cell's
    place its piece."""
    pieces = _trim(observed.pieces, len(row.columns), observed.cells_fixed)
    return _direct(layout, row, pieces) if len(pieces) == len(row.columns) else None


def _seen(cell: Cell) -> tuple[object, ...]:
    where = cell.where
    assert isinstance(where, Spot)
    return (
        cell.row,
        cell.column,
        cell.value,
        cell.raw,
        cell.kind,
        cell.status,
        cell.unit,
        where.line,
        where.start,
        where.end,
    )


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.sampled_from(TEXTS), min_size=1, max_size=16))
def test_cells_from_texts_match_cells_from_pieces(values: list[str]) -> None:
    observed = _pipe_row(values)
    if observed is None:
        return
    assert observed.has_values() == any(not piece.blank for piece in observed.pieces)
    if observed.texts is None:  # a cell holding spaces: read from its pieces, as before
        assert any(" " in text for text in values)
        return
    for layout, row in ROWS:
        expected = _reference(observed, layout, row)
        found = _whole_cells(layout, row, observed)
        assert (found is None) == (expected is None)
        if found is not None and expected is not None:
            assert [_seen(cell) for cell in found] == [_seen(cell) for cell in expected]
            assert all(isinstance(cell.where, Piece) for cell in expected)
            assert [cell.location for cell in found] == [cell.location for cell in expected]
