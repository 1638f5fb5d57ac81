"""Tables as data for `gilint extract` (TABLE-KEYS.md):
``{table: {row: {column: {"value", "raw", "line", "column"}}}}``, rows and
columns in the model's order, a missing table as ``{}``."""

from __future__ import annotations

from typing import Any

from gilint.model import Report
from gilint.tables.table import Cell, Table


def cell_to_dict(cell: Cell) -> dict[str, Any]:
    location = cell.location
    return {
        "value": cell.value if cell.known else None,
        "raw": cell.raw,
        "line": location.line if location else None,
        "column": location.column if location else None,
    }


def table_rows(table: Table) -> dict[str, dict[str, Cell]]:
    """The table's cells by row and column, in the model's order; rows without a cell left out."""
    layout = table.layout_model
    if layout is None:
        return {}
    result: dict[str, dict[str, Cell]] = {}
    for row in layout.rows:
        cells = {
            column: table.cells[(row.key, column)]
            for column in row.columns
            if (row.key, column) in table.cells
        }
        if cells:
            result[row.key] = cells
    return result


def table_to_dict(table: Table) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        row: {column: cell_to_dict(cell) for column, cell in cells.items()}
        for row, cells in table_rows(table).items()
    }


def report_tables_dict(report: Report) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    return {key: table_to_dict(table) for key, table in report.tables.items() if isinstance(table, Table)}
