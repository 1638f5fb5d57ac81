"""`gilint extract`: the parsed report as data (TABLE-KEYS.md, schemas/extract.schema.json)."""

from __future__ import annotations

import re
from typing import Any

from .model import Report
from .tables import report_tables_dict

_ARABIC_DATE = re.compile(r"((?:19|20)[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日")


def published(report: Report) -> str | None:
    """The signature date as ISO 8601, when it is a valid Arabic-numeral date."""
    if report.signature is None or report.signature.date_text is None:
        return None
    match = _ARABIC_DATE.search(report.signature.date_text)
    if not match:
        return None
    import datetime

    try:
        return datetime.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def report_dict(report: Report) -> dict[str, Any]:
    sections = []
    for section in report.sections:
        lines = section.text_lines()
        end = lines[-1].location.end_line if lines else section.heading.line.location.end_line
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
