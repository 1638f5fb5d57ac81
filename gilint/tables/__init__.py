"""Step 4, tables: the three mandated tables read from every text shape.

Public API:

- ``load_table_models(rules_dirs) -> TableModels``: rules/tables/*.yaml of each
  folder (validated, cached);
- ``extract_tables(report, models)``: fills ``report.tables[key]`` with a
  ``Table`` for proactive / application / review_litigation;
- ``table_to_dict(table)`` / ``report_tables_dict(report)``: the JSON form of
  ``gilint extract`` (TABLE-KEYS.md); ``table_rows(table)``: the same cells as objects;
- ``report_table_views(report)``: the tables as plain rows for renderers;
- ``analyse(table)``: the identities of the table's layout, evaluated, with the
  single cell that would fix several broken ones (used by the rule kinds).
"""

from __future__ import annotations

from gilint.tables.analysis import Analysis, Failure, analyse
from gilint.tables.export import report_table_views, report_tables_dict, table_rows, table_to_dict
from gilint.tables.extract import extract_tables
from gilint.tables.models import TableModelError, TableModels, load_table_models
from gilint.tables.table import Cell, Issue, Table

__all__ = [
    "Analysis",
    "Cell",
    "Failure",
    "Issue",
    "Table",
    "TableModelError",
    "TableModels",
    "analyse",
    "extract_tables",
    "load_table_models",
    "report_table_views",
    "report_tables_dict",
    "table_rows",
    "table_to_dict",
]
