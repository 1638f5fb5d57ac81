"""Hand-built reports for the prose, fee and date kinds, without the parser or
the table extractor: the kinds are tested on exactly the structure they read."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from gilint.checks.engine import load_rules
from gilint.checks.kinds import Finding, Kind, Rule
from gilint.data import rules_dir
from gilint.model import Document, Heading, Line, Paragraph, Report, Section, Signature, TextBlock
from gilint.structure.knowledge import load_structure
from gilint.tables import Cell, Table
from gilint.text.normalize import normalize_block, split_lines
from gilint.text.quantities import to_chinese

SECTION_KEYS = {
    1: "overview",
    2: "proactive",
    3: "application",
    4: "review_litigation",
    5: "problems",
    6: "other",
}
SECTION_TITLES = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}


HEADING_SPLIT = load_structure().heading_split


def make_report(
    sections: dict[int, list[str]],
    *,
    title: str | None = "某市生态环境局2021年政府信息公开工作年度报告",
    preamble: tuple[str, ...] = (),
    signature: tuple[str, str] | None = None,
    year: int | None = 2021,
    profile: str = "2021",
    agency_kind: str = "department",
    tables: dict[str, Table] | None = None,
) -> Report:
    """A report whose lines are, in order: the title, the preamble, each section's
    heading (一、总体情况) and paragraphs, then the signature (agency, date)."""
    texts: list[str] = []
    if title is not None:
        texts.append(title)
    texts.extend(preamble)
    for number, paragraphs in sections.items():
        texts.append(f"{to_chinese(number)}、{SECTION_TITLES.get(number, '其他')}")
        texts.extend(paragraphs)
    if signature is not None:
        texts.extend(signature)
    block = TextBlock("\n".join(texts))
    lines = split_lines(normalize_block(block, HEADING_SPLIT))
    cursor = iter(lines)
    report = Report(Document("report.txt", "text", [block]), 0, 1, lines)
    if title is not None:
        report.title = next(cursor)
        report.preamble.append(Paragraph(report.title))
    report.preamble.extend(Paragraph(next(cursor)) for _ in preamble)
    for number, paragraphs in sections.items():
        heading_line = next(cursor)
        marker = f"{to_chinese(number)}、"
        heading = Heading(1, number, marker, heading_line.text[len(marker) :], heading_line)
        section = Section(heading, [Paragraph(next(cursor)) for _ in paragraphs])
        section.key = SECTION_KEYS.get(number)
        section.expected_number = number
        report.sections.append(section)
    if signature is not None:
        agency_line: Line = next(cursor)
        date_line = next(cursor)
        report.signature = Signature(agency_line.text, date_line.text, date_line)
    report.report_year = year
    report.profile = profile
    report.agency_kind = agency_kind
    report.tables = tables or {}
    return report


def table(key: str, values: dict[str, int | float | None], column: str = "total") -> Table:
    """A canonical table with the given ``row`` → value cells in one column
    (``row/column`` keys name another column)."""
    cells: dict[tuple[str, str], Cell] = {}
    for name, value in values.items():
        row, _, col = name.partition("/")
        col = col or column
        cells[(row, col)] = Cell(row, col, value, "" if value is None else str(value), "count", None)
    return Table(key=key, model=None, status="ok", cells=cells)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def _ruleset() -> tuple[dict[str, list[Rule]], dict[str, Kind]]:
    ruleset = load_rules([rules_dir()])
    by_code: dict[str, list[Rule]] = {}
    for rule in ruleset.rules:
        by_code.setdefault(rule.code, []).append(rule)
    return by_code, ruleset.kinds


def run(code: str, report: Report, context: Any = None) -> list[Finding]:
    """The findings of the built-in rules of ``code`` on ``report`` (profile filter not applied)."""
    rules, kinds = _ruleset()
    return [finding for rule in rules[code] for finding in kinds[rule.kind].check(report, rule, context)]


def rule(code: str) -> Rule:
    return _ruleset()[0][code][0]
