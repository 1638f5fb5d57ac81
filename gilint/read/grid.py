"""Merged-cell expansion shared by the HTML, DOCX and PDF readers.

A merged cell is written into every grid position it covers, so that the
tables step can address any (row, column) without knowing about spans.
"""

from __future__ import annotations

from collections.abc import Callable

from gilint.model import GridCell
from gilint.read.common import unreadable
from gilint.read.safety import LIMITS, Limits


class SpanGrid:
    """A sparse grid of cells, bounded by ``Limits`` so that a hostile span
    (``colspan=65534`` on every row) cannot allocate millions of positions."""

    def __init__(self, limits: Limits = LIMITS):
        self._limits = limits
        self._cells: dict[tuple[int, int], GridCell] = {}
        self.height = 0
        self.width = 0
        self.spans_rows = False  # whether a cell placed covers more than one row

    def occupied(self, row: int, column: int) -> bool:
        return (row, column) in self._cells

    def get(self, row: int, column: int) -> GridCell | None:
        return self._cells.get((row, column))

    def first_free(self, row: int, column: int = 0) -> int:
        while (row, column) in self._cells:
            column += 1
        return column

    def put(self, row: int, column: int, cell: GridCell, rowspan: int = 1, colspan: int = 1) -> int:
        """Place ``cell`` over rowspan × colspan positions (spans already
        clamped by the caller to the table's real rows). Positions already
        taken by an earlier cell keep it, as browsers do with overlapping
        spans. Returns the number of columns used."""
        limits = self._limits
        if column >= limits.max_grid_columns:
            return 0
        # (Comparisons, not min()/max(): those builtin calls are dear, and this runs for every cell.)
        colspan = limits.max_colspan if colspan > limits.max_colspan else colspan
        room = limits.max_grid_columns - column
        colspan = room if colspan > room else colspan
        colspan = 1 if colspan < 1 else colspan
        rowspan = 1 if rowspan < 1 else rowspan
        cells = self._cells
        if len(cells) + rowspan * colspan > limits.max_grid_cells:
            raise unreadable(
                f"表格超过 {limits.max_grid_cells} 个单元格，已拒绝读取",
                f"a table has more than {limits.max_grid_cells} cells; refused",
            )
        if rowspan == 1 and colspan == 1:  # most cells: one position, no loops
            cells.setdefault((row, column), cell)
        else:
            if rowspan > 1:
                self.spans_rows = True
            for r in range(row, row + rowspan):
                for c in range(column, column + colspan):
                    cells.setdefault((r, c), cell)
        if row + rowspan > self.height or column + colspan > self.width:  # else the rectangle was checked
            self.height = max(self.height, row + rowspan)
            self.width = max(self.width, column + colspan)
            self._check_rectangle()
        return colspan

    def cover_rows(self, count: int) -> None:
        """A row without cells of its own (or whose cells were cut off) still
        counts: it shows as a row of empty cells."""
        self.height = max(self.height, count)
        self._check_rectangle()

    def _check_rectangle(self) -> None:
        """What ``rows`` builds is the whole height × width rectangle, so that is
        what is bounded (one wide row over 100,000 empty ones is 10⁸ cells)."""
        if self.height * self.width > self._limits.max_grid_cells:
            raise unreadable(
                f"表格为 {self.height} 行 × {self.width} 列，超过 {self._limits.max_grid_cells} 个单元格，"
                "已拒绝读取",
                f"a table of {self.height} rows × {self.width} columns has more than "
                f"{self._limits.max_grid_cells} cells; refused",
            )

    def rows(self, empty_cell: Callable[[int, int], GridCell]) -> list[list[GridCell]]:
        """Rectangular rows; a position no cell covers (a short row) gets
        ``empty_cell(row, column)``, a cell without text."""
        return [
            [self._cells.get((r, c)) or empty_cell(r, c) for c in range(self.width)]
            for r in range(self.height)
        ]
