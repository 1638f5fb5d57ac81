"""SARIF 2.1.0 for code-scanning dashboards (validated in the tests against the
official schema, tests/fixtures/sarif-schema-2.1.0.json).

- the rule list is the loaded catalogue (custom packs' codes included), not whatever
  fired; each result names its rule by ``ruleId`` and ``ruleIndex``; rules carry the
  catalogue's summary, explanation, basis and example, and a ``helpUri`` to the
  README's rule table;
- file locations are relative to the working directory (``uriBaseId`` ``%SRCROOT%``),
  so that results match across checkouts;
- a region is given only for a text position: a DOCX/PDF place (a table row, a page
  line) is not a line of the file, so it goes in ``logicalLocations`` and the message;
- ``partialFingerprints`` holds gilint's fingerprint (no line numbers; the baseline
  uses the same value).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from gilint.checks.catalog import RuleInfo, load_catalog
from gilint.model import CheckedReport, Diagnostic
from gilint.render.base import RenderOptions, message_with_place, renderer, where_text
from gilint.render.json_text import write_json

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SOURCE_ROOT = "%SRCROOT%"
FINGERPRINT_KEY = "gilint/v1"
# Where the README (whose rule table has an anchor per code) is published, when the
# package metadata does not say (pyproject.toml [project.urls] Documentation).
FALLBACK_DOCS_URL = "https://github.com/gilint/gilint#readme"


@lru_cache(maxsize=1)
def docs_url() -> str:
    """The README's address, without its fragment."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        for entry in metadata("gilint").get_all("Project-URL") or []:
            name, _, url = entry.partition(",")
            if name.strip().lower() == "documentation":
                return url.strip().split("#")[0]
    except PackageNotFoundError:
        pass
    return FALLBACK_DOCS_URL.split("#")[0]


def _help(info: RuleInfo, lang: str) -> dict[str, str]:
    titles = {"zh": ("为什么", "依据", "示例"), "en": ("why", "legal basis", "example")}[lang]
    parts = [info.summary[lang]]
    if info.why:
        parts.append(f"{titles[0]}: {info.why[lang]}")
    if info.basis:
        parts.append(f"{titles[1]}: {info.basis}")
    if info.example:
        parts.append(f"{titles[2]}: {info.example[lang]}")
    return {"text": "\n\n".join(parts), "markdown": "\n\n".join(parts)}


def _rules(catalog: dict[str, RuleInfo], lang: str) -> list[dict[str, Any]]:
    base = docs_url()
    return [
        {
            "id": info.code,
            "name": info.name,
            "shortDescription": {"text": info.summary[lang]},
            "fullDescription": {"text": (info.why or info.summary)[lang]},
            "help": _help(info, lang),
            "helpUri": f"{base}#{info.code.lower()}",
            "defaultConfiguration": {"level": LEVELS[info.severity.value]},
            "properties": {"profiles": list(info.profiles), "basis": info.basis or ""},
        }
        for info in sorted(catalog.values(), key=lambda info: info.code)
    ]


def _artifact(path: str, root: Path) -> dict[str, str]:
    """A relative URI under the working directory, else an absolute file URI."""
    if path == "-":
        return {"uri": "-", "uriBaseId": SOURCE_ROOT}
    absolute = Path(path).resolve()
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SOURCE_ROOT}


def _location(diagnostic: Diagnostic, root: Path, lang: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(diagnostic.path, root)}
    location = diagnostic.location
    entry: dict[str, Any] = {"physicalLocation": physical}
    if location is None:
        return entry
    if location.kind == "text":
        physical["region"] = {
            "startLine": location.line,
            "startColumn": location.column,
            "endLine": location.end_line,
            "endColumn": max(location.end_column, location.column),
        }
    else:
        entry["logicalLocations"] = [{"name": where_text(location, lang), "kind": "element"}]
        entry["properties"] = {
            "locationKind": location.kind,
            "line": location.line,
            "column": location.column,
        }
    return entry


def _result(
    diagnostic: Diagnostic, report_index: int, rule_index: dict[str, int], root: Path, lang: str
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "level": LEVELS[diagnostic.severity.value],
        "message": {"text": message_with_place(diagnostic, lang)},
        "locations": [_location(diagnostic, root, lang)],
        "properties": {"reportIndex": report_index},
    }
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    if diagnostic.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: diagnostic.fingerprint}
    if diagnostic.cell is not None:
        result["properties"]["cell"] = diagnostic.cell.to_dict()
    if diagnostic.data:
        result["properties"]["data"] = diagnostic.data
    return result


@renderer("sarif")
def render_sarif(results: list[CheckedReport], options: RenderOptions, out: TextIO) -> None:
    catalog = dict(options.catalog or load_catalog())
    rules = _rules(catalog, options.lang)
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    root = Path(os.getcwd()).resolve()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "gilint",
                "version": options.version,
                "informationUri": docs_url(),
                "rules": rules,
            }
        },
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
        "results": [
            _result(diagnostic, result.report_index, rule_index, root, options.lang)
            for result in results
            for diagnostic in result.diagnostics
        ],
    }
    omitted = [
        dict(omitted.to_dict(), path=result.path, reportIndex=result.report_index)
        for result in results
        for omitted in result.omitted
    ]
    if omitted:
        run["properties"] = {"omitted": omitted}
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    write_json(document, out)
    out.write("\n")
