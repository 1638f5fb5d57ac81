"""Tables as data: for `gilint extract` (TABLE-KEYS.md)
``{table: {row: {column: {"value", "raw", "line", "column"}}}}``, rows and
columns in the model's order, a missing table as ``{}``; for renderers that
redraw a table (the HTML report) a ``TableView``."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from gilint.model import Report, TableView, TableViewRow
from gilint.tables.table import Cell, Table


def cell_to_dict(cell: Cell) -> dict[str, Any]:
    location = cell.location
    return {
        "value": cell.value if cell.known else None,
        "raw": cell.raw,
        "line": location.line if location else None,
        "column": location.column if location else None,
    }


def table_rows(table: Table, only: Collection[str] | None = None) -> dict[str, dict[str, Cell]]:
    """The table's cells by row and column, in the model's order; rows without a cell left
    out, and rows not in ``only`` when it is given (the cross-report digest reads two of
    table 三's 29: the others are not gathered)."""
    layout = table.layout_model
    if layout is None:
        return {}
    result: dict[str, dict[str, Cell]] = {}
    for row in layout.rows:
        if only is not None and row.key not in only:
            continue
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


def table_view(table: Table) -> TableView | None:
    """The table as the renderers redraw it: every row of its layout that is
    mandated or was written (an optional subtotal row only when present)."""
    layout = table.layout_model
    if layout is None or not table.cells:
        return None
    rows = []
    for row in layout.rows:
        cells = {
            column: table.cells[(row.key, column)].raw
            for column in row.columns
            if (row.key, column) in table.cells
        }
        if cells or not row.optional:
            rows.append(TableViewRow(row.key, table.model.row_name(row.key), cells))
    columns = {key: column.name for key, column in layout.columns.items()}
    return TableView(table.key, table.model.name, columns, rows)


def report_table_views(report: Report) -> list[TableView]:
    views = (table_view(table) for table in report.tables.values() if isinstance(table, Table))
    return [view for view in views if view is not None]
