"""A report's prose as runs of text and sentences, with the way back to Locations.

The prose kinds (numbers in the text, fees, years and dates) read sentences, not
lines: scraped and PDF text breaks lines inside sentences (「…66条，占」 /
「61.7%；…」), so consecutive paragraph lines are joined into a *run* (with ``\\n``
between them) and cut into sentences at 。！？. A heading line is a run of its
own. Tables are not prose and are left out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from gilint.model import (
    GridTable,
    Heading,
    Item,
    Line,
    Location,
    Paragraph,
    Report,
    Section,
    TextTable,
)
from gilint.patterns import linear
from gilint.text.quantities import Quantity, find_quantities, mask


class cached:
    """functools.cached_property without the per-class lock Python 3.11 takes on
    every first access (a quarter of the prose rules' time); not thread-safe,
    which a report being checked never needs."""

    def __init__(self, function: Callable[[Any], Any]):
        self.function = function
        self.name = function.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


_SENTENCE_END = linear(r"[。！？!?]+")
T = TypeVar("T")


@dataclass(eq=False)
class Run:
    """Consecutive prose lines of one part of a report, joined with ``\\n``."""

    lines: list[Line]
    section: Section | None  # None for the preamble
    text: str = field(init=False)
    starts: list[int] = field(init=False)  # offset of each line in ``text``
    limit: int | None = field(default=None, init=False)  # at most this many sentences are read
    truncated: bool = field(default=False, init=False)  # the limit cut the run short

    def __post_init__(self) -> None:
        self.starts = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line.text) + 1
        self.text = "\n".join(line.text for line in self.lines)

    def position(self, offset: int) -> tuple[Line, int]:
        """The line holding run offset ``offset`` and the offset within that line."""
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.lines[index], offset - self.starts[index]

    def locate(self, start: int, end: int) -> Location:
        first, first_offset = self.position(start)
        last, last_offset = self.position(max(start, end - 1))
        if first is last:
            return first.locate(first_offset, first_offset + max(0, end - start))
        head = first.locate(first_offset, len(first.text))
        tail = last.locate(last_offset, last_offset + 1)
        return replace(head, end_line=tail.end_line, end_column=tail.end_column)

    @cached
    def sentences(self) -> list[Sentence]:
        found: list[Sentence] = []
        start = 0
        text = self.text
        for match in _SENTENCE_END.finditer(text):
            if len(found) == self.limit:
                self.truncated = True
                return found
            end = match.end()
            found.append(Sentence(self, start, end, len(found), text[start:end]))
            start = end
        if text[start:].strip():
            if len(found) == self.limit:
                self.truncated = True
                return found
            found.append(Sentence(self, start, len(text), len(found), text[start:]))
        return found


@dataclass(eq=False)
class Sentence:
    """One sentence of a run; offsets of its methods are relative to the sentence.

    What the kinds ask of a sentence is computed once and cached (matches of a
    pattern, counts before a position), so a huge run-on sentence in a hostile
    file costs linear time, not quadratic."""

    run: Run
    start: int
    end: int
    index: int  # position in the run
    text: str  # the run's text from start to end (read by every kind: sliced once, up front)

    def _read_figures(self) -> None:
        """``quantities``, ``counts`` and ``masked`` in one go: the prose kinds read all
        three of nearly every sentence, and one cached read instead of three saves two
        attribute misses a sentence (-0.4M instructions a Markdown report)."""
        quantities = find_quantities(self.text)
        self.__dict__["quantities"] = quantities
        self.__dict__["counts"] = [quantity for quantity in quantities if quantity.is_count]
        self.__dict__["masked"] = mask(self.text, quantities)

    @cached
    def quantities(self) -> list[Quantity]:
        self._read_figures()
        return self.__dict__["quantities"]

    @cached
    def counts(self) -> list[Quantity]:
        self._read_figures()
        return self.__dict__["counts"]

    @cached
    def masked(self) -> str:
        """The text with its quantities masked, for lexicon patterns (gilint.checks.lexicon)."""
        self._read_figures()
        return self.__dict__["masked"]

    @cached
    def _by_start(self) -> dict[int, Quantity]:
        return {quantity.start: quantity for quantity in self.quantities}

    @cached
    def _count_ends(self) -> list[int]:
        return [quantity.end for quantity in self.counts]

    @cached
    def _quantity_starts(self) -> list[int]:
        return [quantity.start for quantity in self.quantities]

    @cached
    def _spans(self) -> dict[tuple[re.Pattern[str], bool], list[tuple[int, int]]]:
        return {}

    @cached
    def _memo(self) -> dict[Hashable, Any]:
        return {}

    def quantity_at(self, start: int) -> Quantity | None:
        """The quantity starting at sentence offset ``start``."""
        return self._by_start.get(start)

    def quantities_from(self, position: int) -> Iterator[Quantity]:
        """The quantities starting at or after ``position``, in order."""
        quantities = self.quantities
        for index in range(bisect.bisect_left(self._quantity_starts, position), len(quantities)):
            yield quantities[index]

    def last_count_before(self, position: int) -> Quantity | None:
        """The last count ending at or before ``position``."""
        index = bisect.bisect_right(self._count_ends, position)
        return self.counts[index - 1] if index else None

    def spans(self, pattern: re.Pattern[str], masked: bool = False) -> list[tuple[int, int]]:
        """Every (start, end) of ``pattern`` in the text (or the masked text), cached."""
        key = (pattern, masked)
        if key not in self._spans:
            target = self.masked if masked else self.text
            self._spans[key] = [match.span() for match in pattern.finditer(target)]
        return self._spans[key]

    def matches_before(self, pattern: re.Pattern[str], position: int) -> bool:
        """Whether ``pattern`` occurs in the text, ending at or before ``position``."""
        spans = self.spans(pattern)
        return bool(spans) and spans[0][1] <= position  # matches do not overlap: ends increase

    def matches_within(self, pattern: re.Pattern[str], start: int, end: int) -> bool:
        """Whether ``pattern`` occurs in the text inside ``start``..``end``."""
        spans = self.spans(pattern)
        index = bisect.bisect_left(spans, (start, -1))
        return index < len(spans) and spans[index][1] <= end

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A per-sentence cache for analyses defined elsewhere (the kinds')."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def locate(self, start: int = 0, end: int | None = None) -> Location:
        end = len(self.text) if end is None else end
        return self.run.locate(self.start + start, self.start + end)

    @property
    def previous(self) -> Sentence | None:
        return self.run.sentences[self.index - 1] if self.index > 0 else None

    @property
    def following(self) -> Sentence | None:
        sentences = self.run.sentences
        return sentences[self.index + 1] if self.index + 1 < len(sentences) else None


def _node_runs(nodes: list, section: Section | None, alone: Line | None = None) -> list[Run]:
    """Runs of consecutive paragraphs; headings, and the line ``alone`` (the title,
    which has no full stop to end it), are runs of their own."""
    runs: list[Run] = []
    pending: list[Line] = []

    def flush() -> None:
        if pending:
            runs.append(Run(list(pending), section))
            pending.clear()

    for node in nodes:
        if isinstance(node, Paragraph) and node.line is alone:
            flush()
            runs.append(Run([node.line], section))
        elif isinstance(node, Paragraph):
            pending.append(node.line)
        elif isinstance(node, Item):
            flush()
            runs.append(Run([node.heading.line], section))
            runs.extend(_node_runs(node.children, section))
        elif isinstance(node, Heading):
            flush()
            runs.append(Run([node.line], section))
        elif isinstance(node, TextTable | GridTable):
            flush()
    flush()
    return runs


def section_runs(section: Section) -> list[Run]:
    """The section's prose: its heading line (a heading may run into a sentence,
    「六、其他需要报告的事项 本年度未收取任何费用」) and the text below it."""
    return [Run([section.heading.line], section), *_node_runs(section.children, section)]


_RUNS_KEY = "prose.runs"
_TRUNCATED_KEY = "prose.truncated"
# The prose checks cost about 150 µs and 5 KB per sentence; the longest real report
# has a few hundred sentences. Past this many a report's prose is not read (an info
# finding says so), so that a 20 MB file of tiny sentences stays within its budget.
MAX_SENTENCES = 5000


def preamble_runs(report: Report) -> list[Run]:
    return _node_runs(report.preamble, None, alone=report.title)


def report_runs(report: Report) -> list[Run]:
    """All prose of a report, in order: the preamble, then every section.

    Built once per report and shared by the kinds (do not modify the list), so
    what a sentence caches (quantities, masked text, pattern spans) is computed
    once, not once per rule."""
    runs = report.derived.get(_RUNS_KEY)
    if runs is None:
        runs = preamble_runs(report)
        for section in report.sections:
            runs.extend(section_runs(section))
        runs = _within_limit(runs, report)
        report.derived[_RUNS_KEY] = runs
    return runs


def release_prose(report: Report) -> None:
    """Let go of the sentences the report's runs keep, once the report is checked. A run
    keeps its sentences and each sentence its run: a reference cycle that only the garbage
    collector frees, with all the run reaches (lines, sections, normalised text: ~1,000
    objects a bench report). Without it the report is freed by reference counting when its
    result is made (the collector's work over /tmp/b600 in process: 0.096 -> 0.002 s). A
    run asked for its sentences again makes them again."""
    for run in report.derived.get(_RUNS_KEY, ()):
        run.__dict__.pop("sentences", None)


def _within_limit(runs: list[Run], report: Report) -> list[Run]:
    """The runs up to ``MAX_SENTENCES`` sentences (the last one cut short)."""
    remaining = MAX_SENTENCES
    for index, run in enumerate(runs):
        run.limit = remaining
        remaining -= len(run.sentences)
        more = any(later.text.strip() for later in runs[index + 1 :]) if remaining == 0 else False
        if run.truncated or more:
            report.derived[_TRUNCATED_KEY] = run.sentences[-1] if run.sentences else None
            return runs[: index + 1]
    return runs


def prose_truncated(report: Report) -> tuple[bool, Sentence | None]:
    """Whether ``report_runs`` stopped at ``MAX_SENTENCES``, and the last sentence read."""
    report_runs(report)
    if _TRUNCATED_KEY not in report.derived:
        return False, None
    return True, report.derived[_TRUNCATED_KEY]


def report_section_runs(report: Report, section: Section) -> list[Run]:
    """``section_runs(section)`` for a section of ``report``, sharing the runs of
    ``report_runs``: a section's runs are the report runs that belong to it."""
    if not any(candidate is section for candidate in report.sections):
        return section_runs(section)
    return [run for run in report_runs(report) if run.section is section]


def sentences(runs: list[Run]) -> list[Sentence]:
    return [sentence for run in runs for sentence in run.sentences]
