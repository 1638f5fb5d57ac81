"""A checked report reduced to what the steps after it read: its tables and its sections'
prose, with where each is (``model.ReportDigest``). Built in the process that checked
the report; the cross-report rules and ``gilint extract --format csv|xlsx`` never go
back to the file."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from gilint.checks.kinds.base import report_anchor
from gilint.model import CellValue, Line, Location, ProseLine, Report, ReportDigest, Section, SectionText
from gilint.tables import Cell, Table, table_rows
from gilint.tables.table import Spot, resolve


class _Lines:
    """Where lines are, each located once: a report's cells sit on few lines (a table row,
    or a whole flattened table on one), and locating costs a search per position. A line
    that only anchors cells keeps no text: the digest outlives the report."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, bool], ProseLine] = {}

    def line(self, line: Line, text: bool = True) -> ProseLine:
        key = (id(line), text)
        found = self.found.get(key)
        if found is None:
            location = line.location
            aligned = location.line == location.end_line and _span_length(location) == len(line.text)
            found = self.found[key] = ProseLine(line.text if text else "", location, aligned)
        return found


def _span_length(location: Location) -> int:
    """The length of the user's text behind a one-line ``location``: its columns count
    characters on that line, so this is ``len(Line.source.original(...))`` without mapping the
    line's ends back a second time (the digest 1.64M -> 0.94M instructions a /tmp/bmd report)."""
    return location.end_column - location.column


def _cell(cell: Cell, lines: _Lines) -> CellValue:
    where = cell.where
    value = cell.value if cell.known else None
    if isinstance(where, Spot):
        return CellValue(value, cell.raw, lines.line(where.line, text=False), where.start, where.end)
    return CellValue(value, cell.raw, resolve(where))  # (a Location: the digest leaves the process)


# Which table rows a digest carries, by table key; None: every row of every table.
DigestRows = Mapping[str, Collection[str]] | None


def _tables(report: Report, lines: _Lines, wanted: DigestRows) -> dict[str, dict[str, dict[str, CellValue]]]:
    return {
        key: {
            row: {column: _cell(cell, lines) for column, cell in cells.items()}
            for row, cells in table_rows(table, None if wanted is None else wanted[key]).items()
        }
        for key, table in report.tables.items()
        if isinstance(table, Table) and (wanted is None or key in wanted)
    }


def _section(section: Section, lines: _Lines) -> SectionText:
    heading = section.heading.line
    return SectionText.of_lines(
        key=section.key,
        number=section.number,
        title=section.title,
        location=lines.line(heading).location,
        lines=[lines.line(line) for line in [heading, *section.text_lines()] if line.text.strip()],
    )


def digest_report(report: Report, rows: DigestRows = None) -> ReportDigest:
    """The report's digest, with the table ``rows`` asked for (None: all of them)."""
    lines = _Lines()
    return ReportDigest(
        path=report.document.path,
        report_index=report.index,
        report_count=report.count,
        agency=report.agency,
        agency_kind=report.agency_kind,
        year=report.report_year,
        profile=report.profile,
        anchor=report_anchor(report),
        tables=_tables(report, lines, rows),
        sections=tuple(_section(section, lines) for section in report.sections),
    )
