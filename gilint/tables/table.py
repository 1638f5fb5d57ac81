"""The canonical table: cells keyed by (row, column) per TABLE-KEYS.md, plus what
extraction noticed on the way (rows with the wrong number of cells, rows it could
not place, glued digits it split)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gilint.model import GridBlock, GridCell, Line, Location
from gilint.tables.models import Layout, TableModel


class Spot:
    """A span of a line, turned into a Location only when asked: most cells are
    never reported, and locating a character costs a bisect per call."""

    __slots__ = ("_location", "end", "line", "start")

    def __init__(self, line: Line, start: int, end: int):
        self.line, self.start, self.end = line, start, end
        self._location: Location | None = None

    @property
    def location(self) -> Location:
        if self._location is None:
            self._location = self.line.locate(self.start, self.end)
        return self._location


# Where a cell, row or table is: a Location, or what gives one when asked (a span of a
# line; a reader's grid cell or table).
Where = Spot | GridCell | GridBlock | Location | None

# A cell's statuses whose value was read but is not what the cell may hold.
UNTRUSTED = ("negative", "decimal")


def resolve(where: Where) -> Location | None:
    return where.location if isinstance(where, (Spot, GridCell, GridBlock)) else where


# Slotted: a report has hundreds, made one by one (528 -> 455 ns to make one).
@dataclass(slots=True)
class Cell:
    """A canonical table cell: its keys, value, text as written and where it is.

    A cell that is its whole text on a line is made with that ``line`` and the ``start``
    of its text there, and no place: its Spot is made when ``where`` is first asked
    for (most cells never are: a Spot a cell was 1.1M instructions a Markdown report)."""

    row: str
    column: str
    value: int | float | None  # None: unknown (blank, placeholder, unreadable)
    raw: str  # the cell's text as written (normalised)
    kind: str  # count | signed | amount
    place: Where = field(repr=False)  # where the cell is, unless it is raw at line[start:]
    # ok | blank | marker | text | negative | decimal | split (cut from glued digits)
    # | inferred (a missing cell only one value fits) | zero_marker (a placeholder the report says is 0)
    # | numeral (a count written as a Chinese numeral, read)
    status: str = "ok"
    unit: str | None = None
    line: Line | None = field(default=None, repr=False)
    start: int = field(default=0, repr=False)

    @property
    def where(self) -> Where:
        if self.place is None and self.line is not None:
            self.place = Spot(self.line, self.start, self.start + len(self.raw))
        return self.place

    @property
    def location(self) -> Location | None:
        return resolve(self.where)

    @property
    def known(self) -> bool:
        return self.value is not None and self.status not in UNTRUSTED


@dataclass
class Issue:
    """Something extraction noticed; the GI105/GI206/GI403 kinds report it.

    kinds: cell_count, unsplittable, ambiguous_split, unrecognised_rows,
    missing_rows, split_used (info), inferred_rows (info), foreign_label."""

    kind: str
    row: str | None
    where: Where = field(repr=False)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def location(self) -> Location | None:
        return resolve(self.where)


@dataclass(frozen=True)
class Signal:
    """Something only one format version prints, found in a table (GI403 evidence):
    ``kind`` header | row | single_row | label, ``name`` (zh/en) and its ``weight``."""

    kind: str
    name: dict[str, str]
    weight: float


@dataclass
class Table:
    """A mandated table as extracted from a report: cells by key, and how it was found."""

    key: str
    model: TableModel = field(repr=False)
    layout: str | None = None
    # ok: cells found; missing: no trace of the table; bare: its heading with
    # nothing under it; no_cells: text under the heading but no values.
    status: str = "missing"
    shape: str | None = None  # pipe | grid | lines | cells
    heading_place: Where = None  # where its heading is
    place: Where = None  # where the table is (its grid, else its heading or first line)
    has_labels: bool = False  # table labels (headers, row labels) were seen
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    rows: dict[str, Where] = field(default_factory=dict)  # row key -> its label
    analysis: Any = field(default=None, repr=False)
    # Format version -> what in the table only that version prints (rules/tables
    # layout_evidence weighs it).
    evidence: dict[str, list[Signal]] = field(default_factory=dict)

    def weight(self, layout: str) -> float:
        """How much the table's signals weigh for ``layout``."""
        return sum(signal.weight for signal in self.evidence.get(layout, ()))

    @property
    def layout_model(self) -> Layout | None:
        return self.model.layouts.get(self.layout) if self.layout else None

    def value(self, row: str, column: str) -> int | float | None:
        cell = self.cells.get((row, column))
        return cell.value if cell is not None and cell.known else None

    def values(self) -> dict[tuple[str, str], float | None]:
        # Cell.known without a call a cell (an unknown value is None either way):
        # analysis 1.31M -> 1.08M instructions a Markdown report.
        return {
            key: (cell.value if cell.status not in UNTRUSTED else None) for key, cell in self.cells.items()
        }

    @property
    def heading(self) -> Location | None:
        return resolve(self.heading_place)

    @property
    def location(self) -> Location | None:
        return resolve(self.place)

    def row_location(self, row: str) -> Location | None:
        return resolve(self.rows.get(row)) or self.location or self.heading
