"""The default output for people: a header per report, then each diagnostic
like rustc/ruff — code and name coloured by severity, ``path:line:col``, the
message, and the user's own source line with the span underlined."""

from __future__ import annotations

from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.control import strip_control_codes
from rich.text import Text

from gilint.model import CheckedReport, Diagnostic
from gilint.render.base import RenderOptions, Stream, label, omitted_line, stream, summary_line, where_text

STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
# Scraped reports put whole reports on one line: quote a window around the span.
CONTEXT_BEFORE = 30
CONTEXT_AFTER = 50


def snippet(lines: list[str] | None, diagnostic: Diagnostic) -> tuple[int, str, int, int] | None:
    """(line number, quoted text, caret start cell, caret width) for a diagnostic."""
    location = diagnostic.location
    if lines is None or location is None or location.kind != "text" or not 1 <= location.line <= len(lines):
        return None
    text = lines[location.line - 1].rstrip("\r\n")
    start = max(0, location.column - 1)
    end = location.end_column - 1 if location.end_line == location.line else len(text)
    end = max(start + 1, min(end, len(text)))
    window_start = max(0, start - CONTEXT_BEFORE)
    window_end = min(len(text), max(end, start + 1) + CONTEXT_AFTER)
    end = min(end, window_end)
    prefix = "…" if window_start > 0 else ""
    suffix = "…" if window_end < len(text) else ""
    quoted = prefix + text[window_start:window_end].replace("\t", " ") + suffix
    caret_start = cell_len(prefix + text[window_start:start].replace("\t", " "))
    caret_width = max(1, cell_len(text[start:end]))
    return location.line, quoted, caret_start, caret_width


def position(diagnostic: Diagnostic, lang: str) -> str:
    """``path:line:col`` in a text file; ``path (第5页)`` for a DOCX/PDF place."""
    location = diagnostic.location
    if location is None:
        return diagnostic.path
    if location.kind != "text":
        return f"{diagnostic.path} ({where_text(location, lang)})"
    return f"{diagnostic.path}:{location.line}:{location.column}"


# A line of output as (text, rich style) spans, "" for none: printed through rich with
# colour, written as its texts without. Spans, not rich markup: no user text to escape,
# and no markup to parse for each report (rich's markup parsing and rendering were most
# of the parent's time in a streamed batch: 1,000 reports 0.25 s -> 0.13 s as rich Text,
# ~0 s as plain text).
Span = tuple[str, str]
OutputLine = list[Span]


def _header(result: CheckedReport, lang: str) -> OutputLine:
    unknown = label(lang, "unknown")
    name = (
        result.path
        if result.report_count == 1
        else (f"{result.path} [{label(lang, 'report')} {result.report_index + 1}/{result.report_count}]")
    )
    return [
        (name, "bold"),
        (
            f"  {label(lang, 'agency')}: {result.agency or unknown}  "
            f"{label(lang, 'year')}: {result.report_year or unknown}  "
            f"{label(lang, 'profile')}: {result.profile or unknown}",
            "",
        ),
    ]


def _diagnostic(result: CheckedReport, diagnostic: Diagnostic, lang: str) -> list[OutputLine]:
    """The diagnostic's lines (an empty line ends it)."""
    severity = diagnostic.severity.value
    style = STYLES[severity]
    lines: list[OutputLine] = [
        [
            (f"{label(lang, severity)}[{diagnostic.code}]", style),
            (" ", ""),
            (diagnostic.name, "bold"),
            (f": {diagnostic.text(lang)}", ""),
        ],
        [("  ", ""), ("-->", "blue"), (f" {position(diagnostic, lang)}", "")],
    ]
    quoted = snippet(result.source_lines, diagnostic)
    if quoted is not None:
        number, text, caret_start, caret_width = quoted
        gutter = " " * len(str(number))
        lines += [
            [("  ", ""), (f"{gutter} |", "blue")],
            [("  ", ""), (f"{number} |", "blue"), (f" {text}", "")],
            [("  ", ""), (f"{gutter} |", "blue"), (" " + " " * caret_start, ""), ("^" * caret_width, style)],
        ]
    return [*lines, []]


@stream("full")
class FullStream(Stream):
    def __init__(self, options: RenderOptions, out: TextIO):
        super().__init__(options, out)
        # The caller decided about colour (--color, NO_COLOR, FORCE_COLOR, a terminal or
        # not): rich is told, not asked, so that its own detection cannot override it.
        # Without colour rich is not used at all (``_write``).
        self.console = (
            Console(
                file=out,
                force_terminal=True,
                color_system="standard",
                highlight=False,
                soft_wrap=True,
            )
            if options.color
            else None
        )

    def _write(self, lines: list[OutputLine]) -> None:
        """One write per report: rich's per-call overhead was most of the parent's time in
        a big batch (soft_wrap: lines are never re-wrapped, so rich adds only the styles)."""
        # A tab is a space, as in the quoted lines: rich would expand it to its tab stops
        # with colour; the output is the same either way.
        if self.console is None:
            # What rich prints without colour: the texts, the control codes it drops (bell,
            # backspace, …) left out.
            text = "\n".join("".join(text for text, _ in line) for line in lines)
            self.out.write(strip_control_codes(text.replace("\t", " ")) + "\n")
        else:
            self.console.print(
                Text("\n").join(
                    Text.assemble(*((text.replace("\t", " "), style) for text, style in line))
                    for line in lines
                )
            )

    def reports(self, results: list[CheckedReport]) -> None:
        lang = self.options.lang
        for result in results:
            if not (result.diagnostics or result.omitted):
                if not self.options.quiet:
                    self._write([_header(result, lang), [("  ", ""), (label(lang, "clean"), "green")], []])
                continue
            lines = [_header(result, lang), []]
            for diagnostic in result.diagnostics:
                lines += _diagnostic(result, diagnostic, lang)
            for omitted in result.omitted:
                lines += [[(omitted_line(omitted, lang), STYLES[omitted.severity.value])], []]
            self._write(lines)

    def across(self, results: list[CheckedReport]) -> None:
        if results:
            self._write([[(f"── {label(self.options.lang, 'across')} ──", "bold")], []])
            self.reports(results)

    def end(self, tally: dict[str, int]) -> None:
        if self.options.quiet:
            return
        style = "bold red" if tally["error"] else ("bold yellow" if tally["warning"] else "bold green")
        self._write([[(summary_line(tally, self.options.lang), style)]])
