"""One line per diagnostic, exactly ``path:line:col: CODE [severity] message``, for
problem matchers and grep. ``line:col`` is a position in the text of the file; a
DOCX/PDF place (Word 文件中第 2 个表格 第3行第4列, 第5页) is told at the end of the
message instead, and a file-level finding says 1:1. Which report of a multi-report
file a finding belongs to is in the JSON output (``report_index``)."""

from __future__ import annotations

from gilint.model import CheckedReport, Diagnostic
from gilint.render.base import (
    Stream,
    message_with_place,
    omitted_line,
    stream,
    summary_line,
    text_position,
)


def concise_line(diagnostic: Diagnostic, lang: str) -> str:
    line, column = text_position(diagnostic.location)
    severity = diagnostic.severity.value  # a fixed English token: matchers key on it
    message = " ".join(message_with_place(diagnostic, lang).splitlines())  # one line, always
    return f"{diagnostic.path}:{line}:{column}: {diagnostic.code} [{severity}] {message}"


@stream("concise")
class ConciseStream(Stream):
    """The cross-report findings follow the others as the same lines: no section
    heading, so that every line but the summary stays ``path:line:col: CODE …``."""

    def reports(self, results: list[CheckedReport]) -> None:
        for result in results:
            for diagnostic in result.diagnostics:
                self.out.write(concise_line(diagnostic, self.options.lang) + "\n")
            for omitted in result.omitted:
                self.out.write(f"{result.path}:1:1: {omitted.code} [{omitted.severity.value}] ")
                self.out.write(omitted_line(omitted, self.options.lang) + "\n")

    def end(self, tally: dict[str, int]) -> None:
        if not self.options.quiet:
            self.out.write(summary_line(tally, self.options.lang) + "\n")
