"""GitHub Actions workflow commands: one annotation per diagnostic."""

from __future__ import annotations

from typing import TextIO

from gilint.model import CheckedReport
from gilint.render.base import RenderOptions, renderer

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@renderer("github")
def render_github(results: list[CheckedReport], options: RenderOptions, out: TextIO) -> None:
    for result in results:
        for diagnostic in result.diagnostics:
            properties = [f"file={_escape_property(diagnostic.path)}"]
            location = diagnostic.location
            if location is not None:
                properties += [
                    f"line={location.line}",
                    f"col={location.column}",
                    f"endLine={location.end_line}",
                    f"endColumn={location.end_column}",
                ]
            properties.append(f"title={_escape_property(f'{diagnostic.code} {diagnostic.name}')}")
            level = LEVELS[diagnostic.severity.value]
            out.write(f"::{level} {','.join(properties)}::{_escape_data(diagnostic.text(options.lang))}\n")
