"""Structure kinds: sections present, in order, titled right, not empty; the title."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from gilint.checks.kinds.base import Finding, Kind, Rule, end_anchor, register, report_anchor
from gilint.model import GridTable, Item, Line, Paragraph, Report, Section, TextTable
from gilint.structure.sections import topic_present

_NUMERALS = "一二三四五六七八九十"


def numeral(number: int | None) -> str:
    if number is None:
        return "?"
    if 1 <= number <= 10:
        return _NUMERALS[number - 1]
    return str(number)


@register
class RequiredSections(Kind):
    """Every mandated section (2019/2021) or topic (legacy) is there."""

    name = "required_sections"
    messages = ("section", "topic")

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        structure = context.structure
        specs = structure.sections.get(report.profile, ())
        present = {section.key for section in report.sections if section.key}
        for spec in specs:
            if spec.key in present:
                continue
            following = [s for s in report.sections if s.expected_number and s.expected_number > spec.number]
            anchor = following[0].heading.line.location if following else end_anchor(report)
            yield Finding(
                rule.message(
                    "section", numeral=numeral(spec.number), title=spec.title, profile=report.profile
                ),
                anchor,
                data={"section": spec.key, "number": spec.number},
            )
        for topic in structure.topics.get(report.profile, ()):
            if topic.reported_by is None and not topic_present(report, topic):
                yield Finding(
                    rule.message("topic", title=topic.title), report_anchor(report), data={"topic": topic.key}
                )


@register
class SectionOrder(Kind):
    """Recognised sections come in the mandated order, once each, numbered right."""

    name = "section_order"
    messages = ("order", "duplicate", "number")

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        last = 0
        for section in report.sections:
            heading = section.heading
            if section.key is None:
                if self._duplicate(report, section):
                    yield Finding(
                        rule.message("duplicate", marker=heading.marker, title=heading.title),
                        heading.line.location,
                    )
                continue
            expected = section.expected_number or 0
            if expected < last:
                yield Finding(
                    rule.message(
                        "order", title=section.title, expected=numeral(expected), after=numeral(last)
                    ),
                    heading.line.location,
                )
            elif heading.number != expected:
                yield Finding(
                    rule.message(
                        "number", marker=heading.marker, expected=numeral(expected), title=section.title
                    ),
                    heading.line.location,
                    data={"found": heading.number, "expected": expected},
                )
            last = max(last, expected)

    @staticmethod
    def _duplicate(report: Report, section: Section) -> bool:
        """An unrecognised section repeating a recognised one's number."""
        return any(other.key and other.heading.number == section.heading.number for other in report.sections)


@register
class SectionTitle(Kind):
    """A recognised section's title is the mandated wording or an accepted variant."""

    name = "section_title"

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        specs = {spec.key: spec for spec in context.structure.sections.get(report.profile, ())}
        for section in report.sections:
            if section.title_status != "deviating":
                continue
            spec = specs[section.key]
            yield Finding(
                rule.message(
                    "default", found=section.title, expected=f"{numeral(spec.number)}、{spec.title}"
                ),
                section.heading.line.location,
            )


@register
class EmptySection(Kind):
    """A section with nothing under its heading (「无」 counts as content)."""

    name = "empty_section"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        # Sections whose content is a mandated table: an empty one is the table
        # rules' business (GI004/GI104), not a second diagnostic here.
        "properties": {"except": {"type": "array", "items": {"type": "string"}}},
    }

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        skipped = set(rule.params.get("except", ()))
        for section in report.sections:
            if section.key in skipped or _has_content(section):
                continue
            yield Finding(
                rule.message("default", marker=section.heading.marker, title=section.title),
                section.heading.line.location,
            )


def _has_content(section: Section) -> bool:
    for node in section.walk():
        if isinstance(node, (GridTable, TextTable)):
            return True
        if isinstance(node, Paragraph) and node.line.text.strip():
            return True
        if isinstance(node, Item) and (node.children or len(node.heading.title) > 0):
            return True
    return False


@register
class TitleForm(Kind):
    """The title reads 〈机关〉〈年份〉年政府信息公开工作年度报告."""

    name = "title_form"
    messages = ("missing", "form")

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        title: Line | None = report.title
        if title is None:
            yield Finding(rule.message("missing"), report_anchor(report))
            return
        if not context.structure.title_form.match("".join(title.text.split())):
            agency = report.agency or "〈机关〉"
            year = report.report_year or "〈年份〉"
            yield Finding(
                rule.message(
                    "form",
                    found="".join(title.text.split()),
                    expected=f"{agency}{year}年政府信息公开工作年度报告",
                ),
                title.location,
            )


@register
class SeveralReports(Kind):
    """The file holds several reports; said once, on the first."""

    name = "several_reports"

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        if report.count > 1 and report.index == 0:
            yield Finding(rule.message("default", count=report.count), report_anchor(report))
