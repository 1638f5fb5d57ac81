"""Where each mandated table is in the report's lines.

Found by labels, not by trusting the parser: a table starts at its section's
heading (from the sections step, else the title anywhere in the text after a
numeral ``二、`` or a line start, in case the report renumbered its sections), or
failing that at a label only the table prints (``本列数据的勾稽关系``, ``第二十条第（一）项``).
It ends where the next table starts, and the last one at the heading of section
五/六. Offsets are global over the report's lines joined by newlines, so a whole
report on one line (crawler text) works the same as a table over 200 lines.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from gilint.model import Line, Location, Report
from gilint.patterns import linear
from gilint.structure.knowledge import load_structure
from gilint.tables.models import TableModel
from gilint.tables.observe import Segment
from gilint.tables.table import Spot

_NUMERAL = r"(?:[一二三四五六七八九十]{1,2}\s*+、|表\s*+[一二三四五六]\s*+[:：、.]?)"
# A heading follows a line start, a sentence, a Markdown mark, or (crawler text
# with the table flattened) the last digit of the previous table.
# Never inside a run of spaces (two spaces before): the leading \\s* of the attempt at
# the run's start covers it, and attempts inside would rescan the run (quadratic).
_BEFORE = r"(?:^|(?<=[\s。;；:：|#*>0-9]))(?<!\s\s)"


def _spaced(text: str) -> str:
    """A regex for text whose characters a copy may have spaced out."""
    return r"\s*".join(re.escape(char) for char in text if not char.isspace())


@lru_cache(maxsize=32)
def heading_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(_spaced(title) for title in sorted(titles, key=len, reverse=True))
    return linear(rf"{_BEFORE}\s*+(?:{_NUMERAL}\s*+)?(?:政府信息公开工作)?(?:{alternatives})", re.M)


@lru_cache(maxsize=32)
def labels_pattern(labels: tuple[str, ...]) -> re.Pattern[str] | None:
    if not labels:
        return None
    return linear("|".join(_spaced(label) for label in labels))


@lru_cache(maxsize=4)
def end_pattern(closing_titles: tuple[str, ...]) -> re.Pattern[str]:
    """Section 五 or 六 starting: its numeral, or the start of its title (rules/profiles.yaml)."""
    titles = "|".join(re.escape(title) for title in closing_titles)
    return linear(
        rf"{_BEFORE}\s*+[五六七]\s*、|{_BEFORE}\s*+(?:{_NUMERAL}\s*+)?(?:政府信息公开工作)?(?:{titles})", re.M
    )


class ReportText:
    """The report's lines as one string, with the way back to lines."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.starts: list[int] = []
        position = 0
        for line in lines:
            self.starts.append(position)
            position += len(line.text) + 1
        self.text = "\n".join(line.text for line in lines)
        self._index: dict[tuple[int, int], int] = {
            (id(line.source), line.start): index for index, line in enumerate(lines)
        }

    def line_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def segments(self, start: int, end: int) -> list[Segment]:
        result: list[Segment] = []
        if end <= start:
            return result
        first, last = self.line_at(start), self.line_at(max(start, end - 1))
        for index in range(first, last + 1):
            line = self.lines[index]
            a = max(0, start - self.starts[index])
            b = min(len(line.text), end - self.starts[index])
            if b > a:
                result.append((line, a, b))
        return result

    def locate(self, start: int, end: int) -> Location:
        return self.spot(start, end).location

    def spot(self, start: int, end: int) -> Spot:
        """The span from global offset ``start`` to ``end`` (within ``start``'s line), located when asked."""
        index = self.line_at(start)
        base = self.starts[index]
        line = self.lines[index]
        return Spot(line, start - base, min(len(line.text), end - base))

    def offset_of(self, line: Line) -> int | None:
        """Global offset of a line object (a report line or a slice of one)."""
        index = self._index.get((id(line.source), line.start))
        if index is not None:
            return self.starts[index]
        for position, candidate in enumerate(self.lines):
            if candidate.source is line.source and candidate.start <= line.start <= candidate.start + len(
                candidate.text
            ):
                return self.starts[position] + line.start - candidate.start
        return None


@dataclass
class Region:
    """Where one table's text is in a report."""

    key: str
    start: int  # global offset where the table (its heading) starts
    content: int  # where the content after the heading starts
    end: int
    heading: Spot | None  # the section heading, when there is one

    def segments(self, text: ReportText) -> list[Segment]:
        return text.segments(self.content, self.end)

    def body(self, text: ReportText) -> str:
        return text.text[self.content : self.end]


def _section_heading(report: Report, key: str, text: ReportText) -> tuple[int, int, bool] | None:
    """(start, end, titled as mandated) of the section the sections step keyed so."""
    for section in report.sections:
        if section.key == key:
            line = section.heading.line
            offset = text.offset_of(line)
            if offset is not None:
                return offset, offset + len(line.text), section.title_status in ("exact", "alias")
    return None


def _find_start(
    model: TableModel, report: Report, text: ReportText, after: int
) -> tuple[int, int, bool, int] | None:
    """(start, content start, is a heading, where the table's end may be sought)
    of a table, searching from ``after``."""
    # The sections step's word counts most when it read the mandated title; a
    # section it recognised only loosely (三、主动公开工作情况 inside 总体情况)
    # yields to the title found in the text.
    section = _section_heading(report, model.key, text)
    if section is not None and section[2] and section[0] >= after:
        return section[0], section[1], True, section[1]
    if model.titles:
        match = heading_pattern(model.titles).search(text.text, after)
        if match:
            return match.start(), match.end(), True, match.end()
    if section is not None and section[0] >= after:
        return section[0], section[1], True, section[1]
    pattern = labels_pattern(model.start_labels)
    if pattern is not None:
        match = pattern.search(text.text, after)
        if match:
            line_start = text.starts[text.line_at(match.start())]
            # A label on a line of its own starts the table with that line;
            # inside a long flattened line, right at the label. What ends the
            # table comes after the label (「七、附表 指标名称…」: not its own 七、).
            start = line_start if match.start() - line_start < 40 else match.start()
            return start, start, False, match.end()
    return None


def _end_bound(report: Report, text: ReportText, after: int) -> int:
    """Where the last table stops: section 五's heading, or the end."""
    for section in report.sections:
        if section.key in ("problems", "other"):
            offset = text.offset_of(section.heading.line)
            if offset is not None and offset > after:
                return offset
    match = end_pattern(load_structure().closing_section_starts).search(text.text, after)
    return match.start() if match else len(text.text)


def find_regions(report: Report, text: ReportText, models: Iterable[TableModel]) -> dict[str, Region]:
    found: list[tuple[int, int, bool, int, str]] = []
    after = 0
    for model in models:
        start = _find_start(model, report, text, after)
        if start is None:
            start = _find_start(model, report, text, 0)
        if start is not None:
            found.append((*start, model.key))
            after = start[1]
    found.sort()
    regions: dict[str, Region] = {}
    for index, (start, content, is_heading, scan_from, key) in enumerate(found):
        end = found[index + 1][0] if index + 1 < len(found) else _end_bound(report, text, scan_from)
        heading = text.spot(start, content) if is_heading else None  # (located only if reported)
        regions[key] = Region(key, start, content, max(content, end), heading)
    return regions
