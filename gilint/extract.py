"""`gilint extract`: the parsed report as data (TABLE-KEYS.md, schemas/extract.schema.json)."""

from __future__ import annotations

from typing import Any

from gilint.model import GridTable, Location, Report, Section, TextTable
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
