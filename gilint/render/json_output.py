"""Machine output; documented by schemas/check.schema.json."""

from __future__ import annotations

from typing import Any, TextIO

from gilint.model import CheckedReport, Diagnostic
from gilint.render.base import RenderOptions, renderer, summary, where_text
from gilint.render.json_text import write_json

FORMAT_VERSION = "1"


def as_dict(results: list[CheckedReport], options: RenderOptions) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "gilint_version": options.version,
        "files": [
            {
                "path": result.path,
                "report_index": result.report_index,
                "report_count": result.report_count,
                "profile": result.profile,
                "report_year": result.report_year,
                "agency": result.agency,
                "agency_kind": result.agency_kind,
                "diagnostics": [_diagnostic(diagnostic, options.lang) for diagnostic in result.diagnostics],
                "omitted": [omitted.to_dict() for omitted in result.omitted],
            }
            for result in results
        ],
        "summary": summary(results, options.files_checked),
    }


def _diagnostic(diagnostic: Diagnostic, lang: str) -> dict[str, Any]:
    entry = diagnostic.to_dict(lang)
    entry["where"] = where_text(diagnostic.location, lang)
    return entry


@renderer("json")
def render_json(results: list[CheckedReport], options: RenderOptions, out: TextIO) -> None:
    write_json(as_dict(results, options), out)
    out.write("\n")
