"""`gilint extract`: the parsed report as data (TABLE-KEYS.md, schemas/extract.schema.json);
for researchers, the cells of many reports as one long table (CSV, or a workbook with a
second sheet of one row per report)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TextIO

from gilint.model import CheckedReport, GridTable, Location, Report, ReportDigest, Section, TextTable
from gilint.tables import report_tables_dict
from gilint.text.dates import parse_date


def published(report: Report) -> str | None:
    """The signature date as ISO 8601 when it is a real date (二〇二二年一月十日 too)."""
    if report.signature is None or report.signature.date_text is None:
        return None
    found = parse_date(report.signature.date_text)
    return found.date.isoformat() if found is not None and found.date is not None else None


def _node_locations(section: Section) -> list[Location]:
    locations = [line.location for line in section.text_lines()]
    for node in section.walk():
        if isinstance(node, TextTable):
            locations += [line.location for line in node.lines]
        elif isinstance(node, GridTable):
            locations.append(node.grid.location)
    return locations


def report_dict(report: Report) -> dict[str, Any]:
    sections = []
    for section in report.sections:
        end = max((location.end_line for location in _node_locations(section)), default=None)
        end = end or section.heading.line.location.end_line
        sections.append(
            {
                "number": section.number,
                "key": section.key,
                "title": section.title,
                "line": section.heading.line.location.line,
                "end_line": end,
            }
        )
    return {
        "path": report.document.path,
        "report_index": report.index,
        "profile": report.profile,
        "report_year": report.report_year,
        "agency": report.agency,
        "agency_kind": report.agency_kind,
        "published": published(report),
        "sections": sections,
        "tables": report_tables_dict(report),
    }


def extract_document(reports: list[Report]) -> list[dict[str, Any]]:
    return [report_dict(report) for report in reports]


# ------------------------------------------------------------ long tables

# One row per report × table × row × column (TABLE-KEYS.md keys): `extract --format csv|xlsx`.
CELL_COLUMNS = (
    *("path", "report_index", "agency", "year", "profile"),
    *("table", "row", "column", "value", "raw", "line"),
)
# Table 三's 总计 column, per report (the xlsx sheet of reports).
TOTALS_TABLE, TOTALS_COLUMN = "application", "total"
TOTALS_ROWS = ("new", "carried_over", "total_processed", "carried_forward")
SEVERITIES = ("error", "warning", "info")


def cell_rows(digests: Iterable[ReportDigest]) -> Iterator[tuple[Any, ...]]:
    """Every extracted cell of every report, in report, table, row and column order."""
    for digest in digests:
        for table, rows in digest.tables.items():
            for row, cells in rows.items():
                for column, cell in cells.items():
                    yield (
                        digest.path,
                        digest.report_index,
                        digest.agency,
                        digest.year,
                        digest.profile,
                        table,
                        row,
                        column,
                        cell.value,
                        cell.raw,
                        cell.location.line if cell.location else None,
                    )


def write_csv(digests: Iterable[ReportDigest], out: TextIO) -> None:
    """The long table as CSV (UTF-8, a header row, empty for a missing value)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CELL_COLUMNS)
    writer.writerows(cell_rows(digests))


def report_columns(codes: Iterable[str]) -> tuple[str, ...]:
    totals = tuple(f"{TOTALS_TABLE}.{row}.{TOTALS_COLUMN}" for row in TOTALS_ROWS)
    return ("path", "report_index", "agency", "agency_kind", "year", "profile", *totals, *SEVERITIES, *codes)


def report_row(result: CheckedReport, codes: Iterable[str]) -> tuple[Any, ...]:
    """One report: who, when, which format, table 三's totals, its findings counted."""
    digest = result.digest
    totals = digest.tables.get(TOTALS_TABLE, {}) if digest is not None else {}
    values = [totals.get(row, {}).get(TOTALS_COLUMN) for row in TOTALS_ROWS]
    by_code = Counter(diagnostic.code for diagnostic in result.diagnostics)
    by_severity = Counter(diagnostic.severity.value for diagnostic in result.diagnostics)
    return (
        result.path,
        result.report_index,
        result.agency,
        result.agency_kind,
        result.report_year,
        result.profile,
        *(cell.value if cell is not None else None for cell in values),
        *(by_severity[severity] for severity in SEVERITIES),
        *(by_code[code] for code in codes),
    )


def write_xlsx(results: list[CheckedReport], codes: list[str], out: BinaryIO) -> None:
    """A workbook: sheet ``cells`` (the long table), sheet ``reports`` (one row per report)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    cells = workbook.create_sheet("cells")
    cells.append(CELL_COLUMNS)
    for row in cell_rows(result.digest for result in results if result.digest is not None):
        cells.append([_xlsx_value(cells, value) for value in row])
    reports = workbook.create_sheet("reports")
    reports.append(report_columns(codes))
    for result in results:
        reports.append([_xlsx_value(reports, value) for value in report_row(result, codes)])
    workbook.save(out)


def _xlsx_value(sheet: Any, value: Any) -> Any:
    """Text always as text: no character a workbook cannot hold, and never a formula
    (a report's cell written ``=1+1`` stays those four characters)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str) or not (value.startswith("=") or ILLEGAL_CHARACTERS_RE.search(value)):
        return value
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell
