"""A checked report reduced to what the steps after it read: its tables and its sections'
prose, with where each is (``model.ReportDigest``). Built in the process that checked
the report; the cross-report rules and ``gilint extract --format csv|xlsx`` never go
back to the file."""

from __future__ import annotations

from gilint.checks.kinds.base import report_anchor
from gilint.model import CellValue, Line, ProseLine, Report, ReportDigest, Section, SectionText
from gilint.tables import Cell, Table, table_rows


def _cell(cell: Cell) -> CellValue:
    return CellValue(cell.value if cell.known else None, cell.raw, cell.location)


def _tables(report: Report) -> dict[str, dict[str, dict[str, CellValue]]]:
    return {
        key: {
            row: {column: _cell(cell) for column, cell in cells.items()}
            for row, cells in table_rows(table).items()
        }
        for key, table in report.tables.items()
        if isinstance(table, Table)
    }


def _prose_line(line: Line) -> ProseLine:
    location = line.location
    original = line.source.original(line.start, line.start + len(line.text))
    aligned = location.line == location.end_line and len(original) == len(line.text)
    return ProseLine(line.text, location, aligned)


def _section(section: Section) -> SectionText:
    heading = section.heading.line
    lines = [heading, *section.text_lines()]
    return SectionText(
        key=section.key,
        number=section.number,
        title=section.title,
        location=heading.location,
        lines=tuple(_prose_line(line) for line in lines if line.text.strip()),
    )


def digest_report(report: Report) -> ReportDigest:
    return ReportDigest(
        path=report.document.path,
        report_index=report.index,
        report_count=report.count,
        agency=report.agency,
        agency_kind=report.agency_kind,
        year=report.report_year,
        profile=report.profile,
        anchor=report_anchor(report),
        tables=_tables(report),
        sections=tuple(_section(section) for section in report.sections),
    )
