"""GitHub Actions workflow commands: one annotation per diagnostic."""

from __future__ import annotations

from typing import TextIO

from gilint.model import CheckedReport
from gilint.render.base import RenderOptions, Stream, message_with_place, omitted_line, stream

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@stream("github")
class GithubStream(Stream):
    """Annotations only (no summary); the cross-report ones follow the others."""

    def reports(self, results: list[CheckedReport]) -> None:
        for result in results:
            _annotations(result, self.options, self.out)


def _annotations(result: CheckedReport, options: RenderOptions, out: TextIO) -> None:
    for diagnostic in result.diagnostics:
        properties = [f"file={_escape_property(diagnostic.path)}"]
        location = diagnostic.location
        # A DOCX/PDF place has no line in the file: a file-level annotation, place in the message.
        if location is not None and location.kind == "text":
            properties += [
                f"line={location.line}",
                f"col={location.column}",
                f"endLine={location.end_line}",
                f"endColumn={location.end_column}",
            ]
        properties.append(f"title={_escape_property(f'{diagnostic.code} {diagnostic.name}')}")
        level = LEVELS[diagnostic.severity.value]
        message = _escape_data(message_with_place(diagnostic, options.lang))
        out.write(f"::{level} {','.join(properties)}::{message}\n")
    for omitted in result.omitted:
        properties = [f"file={_escape_property(result.path)}", f"title={_escape_property(omitted.code)}"]
        message = _escape_data(omitted_line(omitted, options.lang))
        out.write(f"::{LEVELS[omitted.severity.value]} {','.join(properties)}::{message}\n")
