"""The default output for people: a header per report, then each diagnostic
like rustc/ruff — code and name coloured by severity, ``path:line:col``, the
message, and the user's own source line with the span underlined."""

from __future__ import annotations

from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape

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


def _header(result: CheckedReport, lang: str) -> str:
    unknown = label(lang, "unknown")
    name = (
        result.path
        if result.report_count == 1
        else (f"{result.path} [{label(lang, 'report')} {result.report_index + 1}/{result.report_count}]")
    )
    return (
        f"[bold]{escape(name)}[/]  {label(lang, 'agency')}: {escape(result.agency or unknown)}  "
        f"{label(lang, 'year')}: {result.report_year or unknown}  "
        f"{label(lang, 'profile')}: {result.profile or unknown}"
    )


def _diagnostic(result: CheckedReport, diagnostic: Diagnostic, lang: str) -> list[str]:
    """The diagnostic's lines of markup (a blank line ends it)."""
    severity = diagnostic.severity.value
    style = STYLES[severity]
    lines = [
        f"[{style}]{label(lang, severity)}[{diagnostic.code}][/] [bold]{diagnostic.name}[/]: "
        f"{escape(diagnostic.text(lang))}",
        f"  [blue]-->[/] {escape(position(diagnostic, lang))}",
    ]
    quoted = snippet(result.source_lines, diagnostic)
    if quoted is not None:
        number, text, caret_start, caret_width = quoted
        gutter = " " * len(str(number))
        lines += [
            f"  [blue]{gutter} |[/]",
            f"  [blue]{number} |[/] {escape(text)}",
            f"  [blue]{gutter} |[/] {' ' * caret_start}[{style}]{'^' * caret_width}[/]",
        ]
    return [*lines, ""]


@stream("full")
class FullStream(Stream):
    def __init__(self, options: RenderOptions, out: TextIO):
        super().__init__(options, out)
        # The caller decided about colour (--color, NO_COLOR, FORCE_COLOR, a terminal or
        # not): rich is told, not asked, so that its own detection cannot override it.
        self.console = Console(
            file=out,
            force_terminal=options.color,
            no_color=not options.color,
            color_system="standard" if options.color else None,
            highlight=False,
            soft_wrap=True,
        )

    def reports(self, results: list[CheckedReport]) -> None:
        lang = self.options.lang
        for result in results:
            if not (result.diagnostics or result.omitted):
                if not self.options.quiet:
                    self.console.print(f"{_header(result, lang)}\n  [green]{label(lang, 'clean')}[/]\n")
                continue
            lines = [_header(result, lang), ""]
            for diagnostic in result.diagnostics:
                lines += _diagnostic(result, diagnostic, lang)
            for omitted in result.omitted:
                style = STYLES[omitted.severity.value]
                lines += [f"[{style}]{escape(omitted_line(omitted, lang))}[/]", ""]
            # One print per report: rich's per-call overhead was most of the parent's time in a
            # big batch (soft_wrap: lines are never re-wrapped, so the output is the same).
            self.console.print("\n".join(lines))

    def across(self, results: list[CheckedReport]) -> None:
        if results:
            self.console.print(f"[bold]── {label(self.options.lang, 'across')} ──[/]\n")
            self.reports(results)

    def end(self, tally: dict[str, int]) -> None:
        if self.options.quiet:
            return
        style = "bold red" if tally["error"] else ("bold yellow" if tally["warning"] else "bold green")
        self.console.print(f"[{style}]{escape(summary_line(tally, self.options.lang))}[/]")
