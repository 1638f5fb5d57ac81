"""One line per diagnostic: ``path:line:col: CODE [severity] message``."""

from __future__ import annotations

from typing import TextIO

from gilint.model import CheckedReport, Diagnostic
from gilint.render.base import RenderOptions, label, renderer, summary


def position(diagnostic: Diagnostic, result: CheckedReport) -> str:
    path = diagnostic.path
    if result.report_count > 1:
        path = f"{path}#{result.report_index + 1}"
    location = diagnostic.location
    if location is None:
        return path
    where = f" ({location.where})" if location.where else ""
    return f"{path}:{location.line}:{location.column}{where}"


@renderer("concise")
def render_concise(results: list[CheckedReport], options: RenderOptions, out: TextIO) -> None:
    for result in results:
        for diagnostic in result.diagnostics:
            severity = label(options.lang, diagnostic.severity.value)
            message = diagnostic.text(options.lang)
            out.write(f"{position(diagnostic, result)}: {diagnostic.code} [{severity}] {message}\n")
    out.write(label(options.lang, "summary").format(**summary(results, options.files_checked)) + "\n")
