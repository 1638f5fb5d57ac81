"""What every renderer shares: options, the registry, severity counts and labels."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from gilint.model import CheckedReport, Diagnostic, Location, Omitted, Severity


@dataclass(frozen=True)
class RenderOptions:
    """What every renderer is told: language, colour, version, counts."""

    lang: str = "zh"
    color: bool = True
    version: str = ""
    files_checked: int = 0
    quiet: bool = False  # findings only: no summary line, no clean reports
    # The loaded catalogue (custom packs' codes included); None: the built-in one.
    catalog: Mapping[str, Any] | None = None


Renderer = Callable[[list[CheckedReport], RenderOptions, TextIO], None]
RENDERERS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    def register(function: Renderer) -> Renderer:
        RENDERERS[name] = function
        return function

    return register


class Stream:
    """A format written while a batch runs (full, concise, github): ``reports`` with each
    file's reports as they come, in input order; ``across`` once with the cross-report
    findings (GI5xx: known only after every file), given as copies of the reports they are
    about holding only those; ``end`` last with the run's totals (``summary``). The
    whole-document formats (json, sarif, html) are Renderers, written at the end."""

    def __init__(self, options: RenderOptions, out: TextIO):
        self.options = options
        self.out = out

    def reports(self, results: list[CheckedReport]) -> None:
        raise NotImplementedError

    def across(self, results: list[CheckedReport]) -> None:
        self.reports(results)

    def end(self, tally: dict[str, int]) -> None:
        """The summary line, after everything else (nothing with --quiet)."""


STREAMS: dict[str, type[Stream]] = {}


def stream(name: str) -> Callable[[type[Stream]], type[Stream]]:
    """Register a Stream, and as the whole-document Renderer of the same name."""

    def register(kind: type[Stream]) -> type[Stream]:
        STREAMS[name] = kind

        def render(results: list[CheckedReport], options: RenderOptions, out: TextIO) -> None:
            writer = kind(options, out)
            writer.reports(results)
            writer.end(summary(results, options.files_checked))

        RENDERERS[name] = render
        return kind

    return register


def counts(results: list[CheckedReport]) -> dict[str, int]:
    """Findings per severity, those past the per-code cap included."""
    tally = {severity.value: 0 for severity in Severity}
    for result in results:
        for diagnostic in result.diagnostics:
            tally[diagnostic.severity.value] += 1
        for omitted in result.omitted:
            tally[omitted.severity.value] += omitted.count
    return tally


def cap_findings(results: list[CheckedReport], limit: int) -> None:
    """Keep the first ``limit`` findings of each code in each report (0: all); the rest
    are counted in ``result.omitted`` per code and severity. A hostile or broken file
    can hold hundreds of thousands of identical findings; nobody reads past the first."""
    if limit <= 0:
        return
    for result in results:
        shown: Counter[str] = Counter()
        kept: list[Diagnostic] = []
        dropped: Counter[tuple[str, Severity]] = Counter()
        for diagnostic in result.diagnostics:
            shown[diagnostic.code] += 1
            if shown[diagnostic.code] <= limit:
                kept.append(diagnostic)
            else:
                dropped[(diagnostic.code, diagnostic.severity)] += 1
        if dropped:
            result.diagnostics = kept
            result.omitted = [
                Omitted(code, severity, count) for (code, severity), count in sorted(dropped.items())
            ]


def omitted_line(omitted: Omitted, lang: str) -> str:
    return label(lang, "omitted").format(
        code=omitted.code, count=omitted.count, severity=label(lang, omitted.severity.value)
    )


def summary(results: list[CheckedReport], files_checked: int) -> dict[str, int]:
    return {"files": files_checked, "reports": len(results), **counts(results)}


def summary_line(tally: dict[str, int], lang: str) -> str:
    return label(lang, "summary").format(**tally)


LABELS = {
    "zh": {
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "agency": "机关",
        "year": "年度",
        "profile": "格式",
        "report": "报告",
        "clean": "未发现问题",
        "summary": (
            "共检查 {files} 个文件、{reports} 份报告：错误 {error} 个，警告 {warning} 个，提示 {info} 个"
        ),
        "unknown": "未知",
        "across": "跨报告检查",
        "omitted": "{code}：另有 {count} 条{severity}未列出（每份报告每个代码只列出前若干条，"
        "见 --max-per-code）",
        "expected": "应为 {value}",
    },
    "en": {
        "error": "error",
        "warning": "warning",
        "info": "info",
        "agency": "agency",
        "year": "year",
        "profile": "profile",
        "report": "report",
        "clean": "no problems found",
        "summary": (
            "checked {files} file(s), {reports} report(s): "
            "{error} error(s), {warning} warning(s), {info} info"
        ),
        "unknown": "unknown",
        "across": "across reports",
        "omitted": "{code}: {count} more {severity} finding(s) not listed (see --max-per-code)",
        "expected": "should be {value}",
    },
}


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["zh"])[key]


# The readers label DOCX/PDF places in Chinese (model.Location.where); their English.
_WHERE_EN = (
    (re.compile(r"^段落 (\d+)$"), r"paragraph \1"),
    (
        re.compile(r"^Word 文件中第 (\d+) 个表格 第(\d+)行第(\d+)列$"),
        r"table \1 of the Word file, row \2, column \3",
    ),
    (re.compile(r"^Word 文件中第 (\d+) 个表格$"), r"table \1 of the Word file"),
    (re.compile(r"^第(\d+)页$"), r"page \1"),
)


def where_text(location: Location | None, lang: str) -> str | None:
    """The human label of a DOCX/PDF place in ``lang`` (None for text files)."""
    if location is None or location.where is None:
        return None
    if lang == "en":
        for pattern, english in _WHERE_EN:
            if pattern.match(location.where):
                return pattern.sub(english, location.where)
    return location.where


def message_with_place(diagnostic: Diagnostic, lang: str) -> str:
    """The message, followed by the DOCX/PDF place where line:column cannot say it."""
    text = diagnostic.text(lang)
    where = where_text(diagnostic.location, lang)
    if where is None:
        return text
    return f"{text}（{where}）" if lang == "zh" else f"{text} ({where})"


def text_position(location: Location | None) -> tuple[int, int]:
    """``line:col`` for machines: the real text position, 1:1 when there is none to give
    (a finding about the whole file, or a DOCX/PDF place, which goes in the message)."""
    if location is None or location.kind != "text":
        return 1, 1
    return location.line, location.column


def expected_value(diagnostic: Diagnostic) -> str | None:
    """The value a cell should hold, when a finding about that cell knows it
    (the table identities: ``data["expected"]``), as the report would write it."""
    value = (diagnostic.data or {}).get("expected")
    if diagnostic.cell is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0")  # amounts in 万元: a few decimals, no float noise
