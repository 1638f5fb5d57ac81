"""SARIF 2.1.0 for code-scanning dashboards; the rule list comes from the
catalogue, not from whatever fired."""

from __future__ import annotations

import json
from typing import Any, TextIO

from gilint.checks.catalog import load_catalog
from gilint.model import CheckedReport, Diagnostic
from gilint.render.base import RenderOptions, renderer

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rules(lang: str) -> list[dict[str, Any]]:
    return [
        {
            "id": info.code,
            "name": info.name,
            "shortDescription": {"text": info.summary[lang]},
            "fullDescription": {"text": (info.why or info.summary)[lang]},
            "defaultConfiguration": {"level": LEVELS[info.severity.value]},
            "properties": {"profiles": list(info.profiles), "basis": info.basis or ""},
        }
        for info in sorted(load_catalog().values(), key=lambda info: info.code)
    ]


def _result(diagnostic: Diagnostic, report_index: int, lang: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": diagnostic.path}}
    location = diagnostic.location
    if location is not None:
        physical["region"] = {
            "startLine": location.line,
            "startColumn": location.column,
            "endLine": location.end_line,
            "endColumn": max(location.end_column, location.column),
        }
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "level": LEVELS[diagnostic.severity.value],
        "message": {"text": diagnostic.text(lang)},
        "locations": [{"physicalLocation": physical}],
        "properties": {"reportIndex": report_index},
    }
    if diagnostic.cell is not None:
        result["properties"]["cell"] = diagnostic.cell.to_dict()
    return result


@renderer("sarif")
def render_sarif(results: list[CheckedReport], options: RenderOptions, out: TextIO) -> None:
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gilint",
                        "version": options.version,
                        "informationUri": "https://gilint.invalid/",
                        "rules": _rules(options.lang),
                    }
                },
                "results": [
                    _result(diagnostic, result.report_index, options.lang)
                    for result in results
                    for diagnostic in result.diagnostics
                ],
            }
        ],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
