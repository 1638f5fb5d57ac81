"""One self-contained HTML page for people who do not use a terminal.

Per report: a header (agency, year, format version, counts by severity), the
mandated tables redrawn as grids with each wrong cell marked and the value it
should hold, and every finding as a card (code, severity, message, the quoted
source text, where). Several reports get an index, sortable and filterable by
code and severity. CSS and JavaScript are inline: the page needs no network
and works from a USB stick; a print stylesheet and a phone-width layout.

Rendered with Jinja2 with autoescaping on: the report text is untrusted, and a
report containing ``<script>`` must show it as text. The template ships as
package data (``gilint/render/templates``), found by ``PackageLoader`` in a
source checkout and in an installed wheel alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TextIO

from gilint.model import CheckedReport, Diagnostic, Severity, TableView
from gilint.render.base import RenderOptions, counts, expected_value, label, renderer, summary
from gilint.render.full import CONTEXT_AFTER, CONTEXT_BEFORE

TEXT = {
    "zh": {
        "title": "政府信息公开工作年度报告检查结果",
        "index": "报告一览",
        "file": "文件",
        "codes": "问题代码",
        "filter_severity": "级别",
        "filter_code": "代码",
        "all": "全部",
        "shown": "显示 {shown} / {total} 份报告",
        "tables": "表格",
        "cards": "问题清单",
        "where": "位置",
        "line": "第 {line} 行第 {column} 列",
        "row": "项目",
        "generated": "由 gilint {version} 生成。本页不联网，可直接保存、打印或转发。",
        "sort": "点击表头排序",
        "to_card": "查看问题说明",
        "top": "回到顶部",
    },
    "en": {
        "title": "Annual report check results",
        "index": "Reports",
        "file": "file",
        "codes": "codes",
        "filter_severity": "severity",
        "filter_code": "code",
        "all": "all",
        "shown": "showing {shown} of {total} reports",
        "tables": "tables",
        "cards": "findings",
        "where": "where",
        "line": "line {line}, column {column}",
        "row": "item",
        "generated": "Made by gilint {version}. This page works offline: save, print or forward it.",
        "sort": "click a heading to sort",
        "to_card": "see the finding",
        "top": "back to top",
    },
}


@dataclass
class Card:
    """One finding as the HTML report shows it."""

    anchor: str  # the card's element id
    code: str
    name: str
    severity: str
    message: str
    where: str | None
    quote: tuple[str, str, str] | None  # text before the span, the span, after it
    expected: str | None


@dataclass
class CellView:
    """A table cell in the HTML report, with the findings about it."""

    text: str
    cell: str  # table:row:column, for tests and links
    cards: list[Card] = field(default_factory=list)
    expected: str | None = None
    applies: bool = True  # False where the table has no such cell (表二's rows differ)

    @property
    def severity(self) -> str | None:
        if not self.cards:
            return None
        return max((card.severity for card in self.cards), key=lambda s: Severity(s).rank)


@dataclass
class GridView:
    """A mandated table as the HTML report redraws it."""

    name: str
    columns: list[str]
    rows: list[tuple[str, list[CellView]]]


@dataclass
class ReportView:
    """One report's part of the HTML report."""

    anchor: str
    name: str
    agency: str
    year: str
    profile: str
    counts: dict[str, int]
    codes: list[str]
    grids: list[GridView]
    cards: list[Card]


# ----------------------------------------------------------------- building


def _quote(result: CheckedReport, diagnostic: Diagnostic) -> tuple[str, str, str] | None:
    """The user's text at the span: a window of the source line with the span cut
    out (text files), or the paragraph or cell the reader found (DOCX/PDF)."""
    location = diagnostic.location
    lines = result.source_lines
    if lines is None or location is None or not 1 <= location.line <= len(lines):
        return ("", diagnostic.snippet, "") if diagnostic.snippet else None
    text = lines[location.line - 1].rstrip("\r\n").replace("\t", " ")
    start = max(0, min(location.column - 1, len(text)))
    end = location.end_column - 1 if location.end_line == location.line else len(text)
    end = max(start, min(end, len(text), start + CONTEXT_AFTER))
    window_start = max(0, start - CONTEXT_BEFORE)
    window_end = min(len(text), end + CONTEXT_AFTER)
    before = ("…" if window_start > 0 else "") + text[window_start:start]
    after = text[end:window_end] + ("…" if window_end < len(text) else "")
    if not (before + text[start:end] + after).strip():
        return None
    return before, text[start:end], after


def _where(diagnostic: Diagnostic, lang: str) -> str | None:
    location = diagnostic.location
    if location is None:
        return None
    if location.where:
        return location.where
    return TEXT[lang]["line"].format(line=location.line, column=location.column)


def _cells_of(diagnostic: Diagnostic) -> Iterable[tuple[str, str, str]]:
    """The cells a finding marks: its own, and those a grouped finding lists
    (``data["cells"]``: the blank cells of one table reported once)."""
    if diagnostic.cell is None:
        return
    cell = diagnostic.cell
    yield cell.table, cell.row, cell.column
    for other in (diagnostic.data or {}).get("cells", ()):
        if isinstance(other, dict) and "row" in other and "column" in other:
            yield cell.table, other["row"], other["column"]


def _grid(view: TableView, marks: dict[tuple[str, str, str], list[Card]], lang: str) -> GridView:
    rows = []
    for row in view.rows:
        cells = []
        for column in view.columns:
            key = (view.key, row.key, column)
            cards = marks.get(key, [])
            expected = next((card.expected for card in cards if card.expected is not None), None)
            cells.append(
                CellView(
                    text=row.cells.get(column, ""),
                    cell=":".join(key),
                    cards=cards,
                    expected=expected,
                    applies=column in row.cells,
                )
            )
        rows.append((row.name.get(lang, row.key), cells))
    columns = [names.get(lang, key) for key, names in view.columns.items()]
    return GridView(view.name.get(lang, view.key), columns, rows)


def _report_view(number: int, result: CheckedReport, lang: str) -> ReportView:
    anchor = f"r{number}"
    cards: list[Card] = []
    marks: dict[tuple[str, str, str], list[Card]] = {}
    for index, diagnostic in enumerate(result.diagnostics, 1):
        card = Card(
            anchor=f"{anchor}-f{index}",
            code=diagnostic.code,
            name=diagnostic.name,
            severity=diagnostic.severity.value,
            message=diagnostic.text(lang),
            where=_where(diagnostic, lang),
            quote=_quote(result, diagnostic),
            expected=expected_value(diagnostic),
        )
        cards.append(card)
        for key in dict.fromkeys(_cells_of(diagnostic)):
            marks.setdefault(key, []).append(card)
    name = result.path
    if result.report_count > 1:
        name = f"{name} [{label(lang, 'report')} {result.report_index + 1}/{result.report_count}]"
    unknown = label(lang, "unknown")
    return ReportView(
        anchor=anchor,
        name=name,
        agency=result.agency or unknown,
        year=str(result.report_year) if result.report_year else unknown,
        profile=result.profile or unknown,
        counts=counts([result]),
        codes=sorted({card.code for card in cards}),
        grids=[_grid(view, marks, lang) for view in result.tables],
        cards=cards,
    )


# ---------------------------------------------------------------- rendering


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("gilint.render", "templates"),
        autoescape=True,  # every value is text, whatever it contains
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def html_report(results: list[CheckedReport], options: RenderOptions, nonce: str | None = None) -> str:
    """The page; ``nonce`` marks its inline script for a server's Content-Security-Policy."""
    lang = options.lang if options.lang in TEXT else "zh"
    reports = [_report_view(number, result, lang) for number, result in enumerate(results, 1)]
    every_code = sorted({code for report in reports for code in report.codes})
    context: dict[str, Any] = {
        "lang": lang,
        "t": TEXT[lang],
        "severities": [(severity.value, label(lang, severity.value)) for severity in Severity],
        "severity_names": {severity.value: label(lang, severity.value) for severity in Severity},
        "expected_label": label(lang, "expected"),
        "labels": {key: label(lang, key) for key in ("agency", "year", "profile", "clean", "report")},
        "summary": label(lang, "summary").format(**summary(results, options.files_checked)),
        "reports": reports,
        "codes": every_code,
        "version": options.version,
        "nonce": nonce,
    }
    return _environment().get_template("report.html.j2").render(context)


@renderer("html")
def render_html(results: list[CheckedReport], options: RenderOptions, out: TextIO) -> None:
    out.write(html_report(results, options))
