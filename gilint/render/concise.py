"""One line per diagnostic, exactly ``path:line:col: CODE [severity] message``, for
problem matchers and grep. ``line:col`` is a position in the text of the file; a
DOCX/PDF place (Word 文件中第 2 个表格 第3行第4列, 第5页) is told at the end of the
message instead, and a file-level finding says 1:1. Which report of a multi-report
file a finding belongs to is in the JSON output (``report_index``)."""

from __future__ import annotations

from typing import TextIO

from gilint.model import CheckedReport, Diagnostic
from gilint.render.base import (
    RenderOptions,
    label,
    message_with_place,
    omitted_line,
    renderer,
    summary,
    text_position,
)


def concise_line(diagnostic: Diagnostic, lang: str) -> str:
    line, column = text_position(diagnostic.location)
    severity = diagnostic.severity.value  # a fixed English token: matchers key on it
    message = " ".join(message_with_place(diagnostic, lang).splitlines())  # one line, always
    return f"{diagnostic.path}:{line}:{column}: {diagnostic.code} [{severity}] {message}"


@renderer("concise")
def render_concise(results: list[CheckedReport], options: RenderOptions, out: TextIO) -> None:
    for result in results:
        for diagnostic in result.diagnostics:
            out.write(concise_line(diagnostic, options.lang) + "\n")
        for omitted in result.omitted:
            out.write(f"{result.path}:1:1: {omitted.code} [{omitted.severity.value}] ")
            out.write(omitted_line(omitted, options.lang) + "\n")
    if not options.quiet:
        out.write(label(options.lang, "summary").format(**summary(results, options.files_checked)) + "\n")
