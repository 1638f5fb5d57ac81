"""Fingerprints: a diagnostic's identity that survives unrelated edits.

A baseline (``gilint check --baseline``) and SARIF's ``partialFingerprints`` need to
recognise "the same finding" after lines moved or other sections changed, so line
numbers are never part of it. A fingerprint hashes

- the code,
- the report's identity inside its file (its index: the file path is kept beside
  the fingerprint by whoever stores it, as SARIF and the baseline file do),
- the anchor: the table cell (``application/new/total``) for a cell finding, else the
  table, else the key of the section holding the span (``preamble`` before the first),
- the normalised text under the span (white space collapsed),

and ends with ``:N``, N counting identical hashes in the report in document order (as
GitHub's ``primaryLocationLineHash`` does), so two findings of one code on one
sentence stay apart.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from gilint.model import Diagnostic, Line, Location, NormText, Report, Section

_SEPARATOR = "\x1f"


def fingerprint_hash(code: str, report_index: int, anchor: str, quoted: str) -> str:
    text = _SEPARATOR.join((code, str(report_index), anchor, quoted))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def with_fingerprints(
    report: Report | None, report_index: int, diagnostics: Iterable[Diagnostic]
) -> list[Diagnostic]:
    """The diagnostics (in document order) with ``fingerprint`` set."""
    finder = _SpanFinder(report) if report is not None else None
    seen: Counter[str] = Counter()
    marked: list[Diagnostic] = []
    for diagnostic in diagnostics:
        anchor, quoted = finder.anchor(diagnostic) if finder else ("report", "")
        digest = fingerprint_hash(diagnostic.code, report_index, anchor, quoted)
        seen[digest] += 1
        marked.append(replace(diagnostic, fingerprint=f"{digest}:{seen[digest]}"))
    return marked


def _section_label(section: Section) -> str:
    return section.key or f"{section.number}:{' '.join(section.title.split())}"


@dataclass
class _Source:
    """The report's lines of one normalised text (consecutive in the report)."""

    text: NormText
    lines: list[Line] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # their offsets in the text, increasing


class _SpanFinder:
    """Finds the normalised line under a Location, and the section holding it.

    Built lazily: a report without located findings pays nothing."""

    def __init__(self, report: Report):
        self.report = report
        self._index: dict[tuple[str, str | None], list[_Source]] | None = None
        self._order: dict[int, int] = {}
        self._headings: list[tuple[tuple[int, int], str]] = []
        self._heading_keys: list[tuple[int, int]] = []  # the positions of _headings, for bisect

    def anchor(self, diagnostic: Diagnostic) -> tuple[str, str]:
        located = self._find(diagnostic.location) if diagnostic.location else None
        quoted = " ".join(located[1].split()) if located else ""
        if diagnostic.cell is not None:
            cell = diagnostic.cell
            return f"cell:{cell.table}/{cell.row}/{cell.column}", quoted
        if diagnostic.table is not None:
            return f"table:{diagnostic.table}", quoted
        if located is None:
            return "report", quoted
        return f"section:{self._section_of(located[0])}", quoted

    # -------------------------------------------------------------- lookup

    def _build(self) -> dict[tuple[str, str | None], list[_Source]]:
        """The report's normalised texts by the kind and place of their block, in report order.
        A finding's line is looked up in its texts (a search per finding), not placed under
        each line of the user's file beforehand (two origin look-ups and two searches for every
        line of the report: fingerprints cost 0.3 of 2.8 s of the rules in a cProfile)."""
        index: dict[tuple[str, str | None], list[_Source]] = {}
        sources: dict[int, _Source] = {}
        for number, line in enumerate(self.report.lines):
            source = sources.get(id(line.source))
            if source is None:
                self._order[id(line.source)] = number
                source = sources[id(line.source)] = _Source(line.source)
                block = line.source.block
                index.setdefault((block.kind, block.where), []).append(source)
            source.lines.append(line)
            source.starts.append(line.start)
        for section in self.report.sections:
            heading = section.heading.line
            order = self._order.get(id(heading.source))
            if order is not None:
                self._headings.append(((order, heading.start), _section_label(section)))
        self._headings.sort(key=lambda item: item[0])
        self._heading_keys = [key for key, _ in self._headings]  # once, not once per finding
        return index

    def _find(self, location: Location) -> tuple[tuple[int, int], str] | None:
        """((source order, offset) of the span start, the normalised text of the span):
        the first line, in report order, under the span's line in the user's file that holds
        the span's start."""
        if self._index is None:
            self._index = self._build()
        for source in self._index.get((location.kind, location.where), ()):
            held = _line_holding(source, location)
            if held is None:
                continue
            line, position = held
            start = position - line.start
            end = _normalised(line.source, location.end_line, location.end_column)
            end = len(line.text) if end is None else min(max(end - line.start, start + 1), len(line.text))
            return (self._order[id(line.source)], position), line.text[start:end]
        return None

    def _section_of(self, position: tuple[int, int]) -> str:
        index = bisect.bisect_right(self._heading_keys, position) - 1
        return self._headings[index][1] if index >= 0 else "preamble"


def _line_holding(source: _Source, location: Location) -> tuple[Line, int] | None:
    """The line of ``source`` that holds the start of ``location`` and lies under its line
    of the user's file, and the start's offset in the text. A text's lines do not overlap:
    only the last one starting at or before the offset can hold it."""
    position = _normalised(source.text, location.line, location.column)
    if position is None:
        return None
    found = bisect.bisect_right(source.starts, position) - 1
    if found < 0:
        return None
    line = source.lines[found]
    if not position - line.start < max(1, len(line.text)):
        return None
    first, last = line.source.line_range(line.start, line.start + len(line.text))
    return (line, position) if first <= location.line <= last else None


def _normalised(source: NormText, source_line: int, column: int) -> int | None:
    """The offset in ``source`` of the first normalised character at or after a position
    in the user's text, or None when that position is outside the source's block. The
    normalised text keeps, per character, its offset in the original (NormText.origin),
    which never decreases: a binary search."""
    block = source.block
    starts = block.line_starts()
    index = source_line - block.line
    if not 0 <= index < len(starts):
        return None
    original = starts[index] + column - 1 - (block.column - 1 if index == 0 else 0)
    return source.origin.bisect_left(original)
