"""What every renderer shares: options, the registry, severity counts and labels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from gilint.model import CheckedReport, Diagnostic, Severity


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "zh"
    color: bool = True
    version: str = ""
    files_checked: int = 0


Renderer = Callable[[list[CheckedReport], RenderOptions, TextIO], None]
RENDERERS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    def register(function: Renderer) -> Renderer:
        RENDERERS[name] = function
        return function

    return register


def counts(results: list[CheckedReport]) -> dict[str, int]:
    tally = {severity.value: 0 for severity in Severity}
    for result in results:
        for diagnostic in result.diagnostics:
            tally[diagnostic.severity.value] += 1
    return tally


def summary(results: list[CheckedReport], files_checked: int) -> dict[str, int]:
    return {"files": files_checked, "reports": len(results), **counts(results)}


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
        "expected": "should be {value}",
    },
}


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["zh"])[key]


def expected_value(diagnostic: Diagnostic) -> str | None:
    """The value a cell should hold, when a finding about that cell knows it
    (the table identities: ``data["expected"]``), as the report would write it."""
    value = (diagnostic.data or {}).get("expected")
    if diagnostic.cell is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0")  # amounts in 万元: a few decimals, no float noise
