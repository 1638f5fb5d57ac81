"""The small typed interfaces passed between gilint's pipeline steps.

load -> Document (blocks of original text, grids)
normalize -> NormText / Line (normalised text with a map back to the original)
parse -> Report (title, sections, signature)
tables -> Report.tables (canonical tables keyed per TABLE-KEYS.md)
rules -> Diagnostic
render -> text / JSON / SARIF

Every step only imports from the steps before it and from this module.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, NamedTuple, Protocol


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


# What ``Location.line``/``column`` count, by format (``location_kind`` in JSON):
LOCATION_KINDS = (
    "text",  # lines and columns of the file itself (.txt .md .html)
    "docx_paragraph",  # line = the Word body paragraph (段落 N), column = character in it
    "docx_table_cell",  # line/column = row/column of the Nth table of the Word file
    "pdf_page_line",  # line = line on the page (第P页), column = character, or grid column in a table
)


@dataclass(frozen=True)
class ParagraphAnchor:
    """A Word body paragraph by number (``段落 N``: every body ``w:p`` counts, empty ones too)."""

    paragraph: int


@dataclass(frozen=True)
class TableAnchor:
    """A Word body table by number (``表 N``), and, when known, one of its cells: the
    0-based index of its row (``w:tr``) and of the cell (``w:tc``) within that row."""

    table: int
    row: int | None = None
    cell: int | None = None


Anchor = ParagraphAnchor | TableAnchor


@dataclass(frozen=True)
class Location:
    """A span in the user's file, 1-based, end exclusive in column.

    ``where`` is a human label for formats without meaningful lines
    (``段落 12``, ``Word 文件中第 2 个表格 第3行第4列``, ``第5页``); text formats
    leave it None. ``kind`` says what ``line`` and ``column`` count (LOCATION_KINDS).
    ``anchor`` says which element of a Word file the span is in, so that a
    comment can be written back on it (None for other formats).
    """

    line: int
    column: int
    end_line: int
    end_column: int
    where: str | None = None
    kind: str = "text"
    anchor: Anchor | None = None

    @classmethod
    def made(
        cls,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        where: str | None = None,
        kind: str = "text",
        anchor: Anchor | None = None,
    ) -> Location:
        """``Location(...)`` where many are made (a page's cells, a report's lines): a frozen
        dataclass's __init__ sets each field through object.__setattr__, the dearest step of
        making one; filling the new instance's __dict__ at once gives an equal object for a
        third of the cost."""
        location = object.__new__(cls)
        location.__dict__.update(
            {
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "where": where,
                "kind": kind,
                "anchor": anchor,
            }
        )
        return location


# (Location.made names every field: kept in step with the class.)
assert tuple(entry.name for entry in fields(Location)) == (
    "line", "column", "end_line", "end_column", "where", "kind", "anchor"
)  # fmt: skip


# --------------------------------------------------------------------- load


_NO_DEFAULT = object()


class _PlacedOnRead:
    """A block's place (TextBlock's line or column, GridBlock's location): an instance's own
    value once set (a descriptor without ``__set__`` gives way to the instance's __dict__, so
    a read costs what a plain attribute's does); for a block made by ``to_locate`` and not
    yet placed, worked out on the first read (``_PlacedLater``). ``default``: the dataclass
    field's, if it has one."""

    def __init__(self, default: Any = _NO_DEFAULT):
        self._default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, block: _PlacedLater | None, owner: type | None = None) -> Any:
        if block is None:  # (what dataclass takes for the field's default; AttributeError: none)
            if self._default is _NO_DEFAULT:
                raise AttributeError(self._name)
            return self._default
        block._locate_now()
        return block.__dict__[self._name]


class _PlacedLater:
    """What a block made by ``to_locate`` shares: its ``Locator``, the start it knows and the
    line, kept as ``_pending`` until the block is placed."""

    def _locate_now(self) -> None:
        """Place the block (the locator let go only once it is: a read that fails, out of
        memory, leaves the block to be placed again)."""
        locator, offset, line = self.__dict__["_pending"]
        self._set_place(locator.location(offset, line))
        del self.__dict__["_pending"]

    def _set_place(self, location: Location) -> None:
        raise NotImplementedError

    def __getstate__(self) -> dict:
        if "_pending" in self.__dict__:  # placed first: a pickled block never carries its locator
            self._locate_now()
        return self.__dict__


@dataclass
class TextBlock(_PlacedLater):
    """A run of the user's text.

    For .txt/.md the whole file is one block starting at line 1, column 1.
    For DOCX a paragraph, for PDF a page, for HTML the text of one element:
    ``line``/``column`` say where the block starts in the source file and
    ``where`` labels it for people (``段落 3``, ``第2页``).
    """

    text: str
    line: int = _PlacedOnRead(1)  # type: ignore[assignment]
    column: int = _PlacedOnRead(1)  # type: ignore[assignment]
    where: str | None = None
    kind: str = "text"  # what line/column count (LOCATION_KINDS)
    anchor: ParagraphAnchor | None = None
    _line_starts: list[int] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def to_locate(cls, text: str, locator: Locator, offset: int | None, line: int | None) -> TextBlock:
        """A block whose text starts where ``locator`` says (``offset``: what it knows the
        start by; None: unknown, then the start of ``line``), worked out when ``line`` or
        ``column`` is first read: the HTML reader's positions are found only for a page
        with something to report or quote (a quarter of reading a bench page)."""
        block = cls.__new__(cls)
        block.__dict__.update(
            {"text": text, "where": None, "kind": "text", "anchor": None, "_line_starts": None}
        )
        block._pending = (locator, offset, line)
        return block

    def _set_place(self, location: Location) -> None:
        self.line, self.column = location.line, location.column

    def line_starts(self) -> list[int]:
        """Offsets in ``text`` where each of its lines starts."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def _place(self, offset: int, starts: list[int]) -> tuple[int, int]:
        """(index of the block's line, column in the file), 1-based column, of an offset in
        ``text`` (clamped to it); ``starts``: ``line_starts()``."""
        size = len(self.text)
        offset = 0 if offset < 0 else size if offset > size else offset
        index = bisect.bisect_right(starts, offset) - 1
        return index, offset - starts[index] + (self.column if index == 0 else 1)

    def line_at(self, offset: int) -> int:
        """The line, 1-based, in the source file, of an offset in ``text``."""
        return self.line + self._place(offset, self.line_starts())[0]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, in the source file, of an offset in ``text``."""
        index, column = self._place(offset, self.line_starts())
        return self.line + index, column

    def locate(self, start: int, end: int) -> Location:
        """``position(start)`` to ``position(max(start, end))``, the Location made at once
        (``Location.made``: a report's lines are located for its digest and findings, ~80
        a report)."""
        starts = self.line_starts()
        index, column = self._place(start, starts)
        end_index, end_column = self._place(start if start > end else end, starts)
        return Location.made(
            self.line + index, column, self.line + end_index, end_column, self.where, self.kind, self.anchor
        )


class Locator(Protocol):
    """What works out a text span's Location from where it starts in the file (the HTML
    reader's positions); ``offset`` is what the locator knows that start by."""

    def location(self, offset: int | None, line: int | None, length: int = 0) -> Location: ...


class GridCell:
    """A table cell as a reader found it: its text and where it is.

    The place is given (``GridCell(text, location)``), or worked out from a ``Locator`` when
    first asked (``GridCell.to_locate``): a page has hundreds of cells and most are never
    reported nor quoted (the HTML reader: a Location a cell was a tenth of a page's read).
    A cell is a ``tables.Where`` as it is, located only if the place is asked for."""

    __slots__ = ("_line", "_location", "_locator", "_offset", "text")

    def __init__(self, text: str, location: Location) -> None:
        self.text = text
        self._location: Location | None = location
        self._locator: Locator | None = None
        self._offset: int | None = None
        self._line: int | None = None

    @classmethod
    def to_locate(cls, text: str, locator: Locator, offset: int | None, line: int | None) -> GridCell:
        """A cell whose text starts at ``offset`` of the file (None: unknown, then the start
        of ``line``), located by ``locator`` when asked."""
        cell = cls.__new__(cls)
        cell.text, cell._location, cell._locator, cell._offset, cell._line = text, None, locator, offset, line
        return cell

    @property
    def location(self) -> Location:
        location = self._location
        if location is None:
            assert self._locator is not None
            location = self._location = self._locator.location(self._offset, self._line, len(self.text))
            self._locator = None  # (the source map is not kept alive by a located cell)
        return location

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GridCell):
            return NotImplemented
        return (self.text, self.location) == (other.text, other.location)

    __hash__ = None  # type: ignore[assignment]  # (mutable, as the dataclass it was)

    def __repr__(self) -> str:
        return f"GridCell(text={self.text!r}, location={self.location!r})"

    def __reduce__(self) -> tuple[type, tuple[str, Location]]:
        return GridCell, (self.text, self.location)  # located: never the whole source map


@dataclass
class GridBlock(_PlacedLater):
    """A real table (HTML/DOCX/PDF), merged cells expanded so that a cell
    spanning several grid positions appears, with its text, in each of them."""

    rows: list[list[GridCell]]
    location: Location = _PlacedOnRead()  # type: ignore[assignment]

    @classmethod
    def to_locate(
        cls, rows: list[list[GridCell]], locator: Locator, offset: int | None, line: int | None
    ) -> GridBlock:
        """A table starting where ``locator`` says, worked out when ``location`` is first
        read (as ``TextBlock.to_locate``)."""
        block = cls.__new__(cls)
        block.rows = rows
        block._pending = (locator, offset, line)
        return block

    def _set_place(self, location: Location) -> None:
        self.location = location


Block = TextBlock | GridBlock


@dataclass
class Document:
    """What the loader read: the user's text as blocks, with positions."""

    path: str
    format: str  # text | markdown | html | docx | pdf
    blocks: list[Block]
    encoding: str | None = None
    # The file's own lines, for quoting in diagnostics (None for binary formats).
    source_lines: list[str] | None = None


# ---------------------------------------------------------------- normalize

_SHORT_RUN = 64  # offsets of a shorter stretch are stored one by one (a range costs ~100 bytes)


class OffsetMap:
    """A non-decreasing sequence of offsets (``NormText.origin``) stored as runs: a
    ``range`` for a stretch of consecutive offsets (text normalisation left alone), an
    ``array`` for the rest. Most of a report is left alone, so a 12 MB report's map is a
    few dozen ranges, not 8 bytes a character built one by one (about a second and 100 MB
    for a 12 MB report); a text rewritten everywhere costs about what an array would."""

    def __init__(self) -> None:
        self._starts: list[int] = []  # index of each run's first offset
        self._runs: list[range | array] = []
        self._length = 0

    @classmethod
    def identity(cls, size: int) -> OffsetMap:
        """0, 1, …, size - 1."""
        offsets = cls()
        offsets.append(range(size))
        return offsets

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < self._length:
            if not -self._length <= index < 0:
                raise IndexError("offset index out of range")
            index += self._length
        run = bisect.bisect_right(self._starts, index) - 1
        return self._runs[run][index - self._starts[run]]

    def __iter__(self) -> Iterator[int]:
        for run in self._runs:
            yield from run

    def append(self, offsets: range | array | list[int]) -> None:
        """Add ``offsets`` at the end (they must not be below the last one)."""
        if not len(offsets):
            return
        last = self._runs[-1] if self._runs else None
        if isinstance(offsets, range) and isinstance(last, range) and last.stop == offsets.start:
            self._runs[-1] = range(last.start, offsets.stop)  # one run for consecutive offsets
        elif len(offsets) < _SHORT_RUN and isinstance(last, array):
            last.extend(offsets)
        elif len(offsets) >= _SHORT_RUN and isinstance(offsets, range):
            self._starts.append(self._length)
            self._runs.append(offsets)
        else:
            self._starts.append(self._length)
            self._runs.append(array("l", offsets))
        self._length += len(offsets)

    def extend_from(self, other: OffsetMap, start: int, end: int) -> None:
        """Add ``other[start:end]`` at the end, run by run (ranges stay ranges)."""
        if len(other._runs) == 1:  # a map not rewritten yet: no search (a call per rewritten spot)
            self.append(other._runs[0][start:end])
            return
        run = max(0, bisect.bisect_right(other._starts, start) - 1)
        while start < end and run < len(other._runs):
            first = other._starts[run]
            offsets = other._runs[run]
            self.append(offsets[start - first : min(end - first, len(offsets))])
            start = first + len(offsets)
            run += 1

    def values(self, start: int, end: int) -> list[int]:
        """``list(self)[start:end]``, without the rest."""
        part = OffsetMap()
        part.extend_from(self, start, end)
        return list(part)

    def bisect_left(self, offset: int) -> int:
        """The first index whose offset is ``offset`` or more (``len(self)`` if none):
        ``bisect.bisect_left(self, offset)`` without a Python call per probe."""
        run = bisect.bisect_left(self._runs, offset, key=lambda offsets: offsets[-1])
        if run == len(self._runs):
            return self._length
        return self._starts[run] + bisect.bisect_left(self._runs[run], offset)


@dataclass
class NormText:
    """Normalised text of one TextBlock, with ``origin[i]`` the offset in the
    block's original text of normalised character ``i`` (plus an end sentinel)."""

    text: str
    origin: OffsetMap
    block: TextBlock

    def locate(self, start: int, end: int) -> Location:
        return self.block.locate(*self._original_span(start, end))

    def line_range(self, start: int, end: int) -> tuple[int, int]:
        """``locate(start, end)``'s line and end_line, without the columns and the Location."""
        original_start, original_end = self._original_span(start, end)
        return self.block.line_at(original_start), self.block.line_at(max(original_start, original_end))

    def _original_span(self, start: int, end: int) -> tuple[int, int]:
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        original_start = self.origin[start]
        return original_start, self.origin[end - 1] + 1 if end > start else original_start

    def original(self, start: int, end: int) -> str:
        """The user's own text behind a normalised span."""
        loc_start = self.origin[max(0, min(start, len(self.text)))]
        loc_end = self.origin[end - 1] + 1 if end > start else loc_start
        return self.block.text[loc_start:loc_end]


@dataclass
class Line:
    """One normalised line: a slice of a NormText."""

    text: str
    source: NormText
    start: int  # offset of text[0] in source.text

    def locate(self, start: int = 0, end: int | None = None) -> Location:
        if end is None:
            end = len(self.text)
        return self.source.locate(self.start + start, self.start + end)

    @property
    def location(self) -> Location:
        return self.locate()

    def holds(self, other: Line) -> bool:
        """Whether ``other`` (e.g. a heading cut out of this line) starts within this line."""
        return other.source is self.source and self.start <= other.start <= self.start + len(self.text)


# -------------------------------------------------------------------- parse


@dataclass
class Heading:
    """A numbered heading: level 1 ``一、``, level 2 ``（一）``, level 3 ``1.``."""

    level: int
    number: int | None
    marker: str  # the numbering as written: 一、 / (一) / 1.
    title: str  # text after the marker, up to the end of the heading
    line: Line


@dataclass
class Paragraph:
    """A line of running text in a section's content."""

    line: Line


@dataclass
class TextTable:
    """Table rows as they came in text (pipe rows, or lines of a flattened
    table); the tables step turns them into canonical tables."""

    lines: list[Line]


@dataclass
class GridTable:
    """A table the reader found as a grid (HTML, Word, PDF), in a section's content."""

    grid: GridBlock


Node = Heading | Paragraph | TextTable | GridTable


@dataclass
class Item:
    """A level-2 or level-3 heading with what follows it."""

    heading: Heading
    children: list[Any] = field(default_factory=list)  # Item | Paragraph | TextTable | GridTable


@dataclass
class Section:
    """A section: its heading and what follows it up to the next one."""

    heading: Heading
    children: list[Any] = field(default_factory=list)  # Item | Paragraph | TextTable | GridTable
    # Set by the sections step: which mandated section this is (rules/profiles.yaml
    # key, e.g. "application") and how its title compares with the mandated wording.
    key: str | None = None
    expected_number: int | None = None
    title_status: str | None = None  # exact | alias | deviating | unknown

    @property
    def number(self) -> int | None:
        return self.heading.number

    @property
    def title(self) -> str:
        return self.heading.title

    def walk(self):
        """Every node below the section, depth first."""
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, Item):
                stack.extend(reversed(node.children))

    def text_lines(self) -> list[Line]:
        lines: list[Line] = []
        for node in self.walk():
            if isinstance(node, Item):
                lines.append(node.heading.line)
            elif isinstance(node, Paragraph):
                lines.append(node.line)
        return lines


@dataclass
class Signature:
    """The closing agency name and date under a report."""

    agency: str | None
    date_text: str | None
    line: Line


@dataclass
class Report:
    """One report of a file, as the steps fill it in: lines, sections, profile, tables."""

    document: Document
    index: int  # 0-based position of the report in the file
    count: int  # how many reports the file holds
    lines: list[Line]  # every normalised line of this report, in order
    title: Line | None = None
    preamble: list[Any] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    signature: Signature | None = None
    # Filled by the profile step (after parse).
    report_year: int | None = None
    year_source: str | None = None
    profile: str | None = None
    profile_source: str | None = None  # "title" | "body" | "period" | "option" | "default"
    agency: str | None = None
    agency_kind: str = "unknown"  # department | government | unknown
    # Filled by the tables step: table key -> canonical table object.
    tables: dict[str, Any] = field(default_factory=dict)
    # What later steps derive from the finished report and several rules read (the
    # prose runs, gilint.text.prose): computed once per report, keyed by the deriving module.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


# -------------------------------------------------------------- diagnostics


@dataclass(frozen=True)
class CellRef:
    """A table cell by its stable keys (spec/TABLE-KEYS.md)."""

    table: str
    row: str
    column: str

    def to_dict(self) -> dict[str, str]:
        return {"table": self.table, "row": self.row, "column": self.column}


@dataclass(frozen=True)
class Diagnostic:
    """One finding: its code, severity, message in each language, and where it is."""

    code: str
    name: str
    severity: Severity
    message: dict[str, str]  # language -> text ("zh", "en")
    location: Location | None
    path: str
    report_index: int = 0
    cell: CellRef | None = None
    table: str | None = None
    # The user's own text at the location, for renderers that quote; the pipeline
    # fills it for formats without source lines (DOCX paragraphs and cells, PDF lines).
    snippet: str | None = None
    data: dict[str, Any] | None = None  # numbers behind a numeric diagnostic
    # Stable identity across unrelated edits (gilint.checks.fingerprint): baselines, SARIF.
    fingerprint: str | None = None

    def text(self, lang: str) -> str:
        return self.message.get(lang) or self.message.get("zh") or next(iter(self.message.values()))

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        loc = self.location
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.text(lang),
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "end_line": loc.end_line if loc else None,
            "end_column": loc.end_column if loc else None,
            "where": loc.where if loc else None,
            "location_kind": loc.kind if loc else None,
            "cell": self.cell.to_dict() if self.cell else None,
            "table": self.table or (self.cell.table if self.cell else None),
            "fingerprint": self.fingerprint,
        }


# ------------------------------------------------------------------ digests


@dataclass(frozen=True, slots=True)
class ProseLine:
    """A line of a report (normalised text) and where it is. ``aligned``: the line's
    characters map one to one onto its columns in the source, so an offset in ``text``
    is a column offset (not so after t2s changed a phrase's length, or for a line that
    spans several source lines)."""

    text: str
    location: Location
    aligned: bool

    def __reduce__(self) -> tuple[type, tuple[str, Location, bool]]:
        # Pickled as its fields (a digest holds hundreds of lines and comes back from a
        # worker): slots dataclasses otherwise go through dataclasses' Python __getstate__
        # and __setstate__, which call fields() for every object.
        return ProseLine, (self.text, self.location, self.aligned)

    def span(self, start: int, end: int) -> Location:
        """Where ``start``..``end`` of the text is: to the character when aligned, else the line."""
        here = self.location
        if not self.aligned:
            return here
        return Location(here.line, here.column + start, here.line, here.column + end, here.where)


class CellValue(NamedTuple):
    """One table cell as extracted: the number (None when blank or unreadable), the text as
    written, and where it is: a Location, or the line it is on and its offsets there (a
    tuple, and located only when asked: a digest holds hundreds of cells)."""

    value: int | float | None
    raw: str
    where: Location | ProseLine | None
    start: int = 0
    end: int = 0

    @property
    def location(self) -> Location | None:
        where = self.where
        return where.span(self.start, self.end) if isinstance(where, ProseLine) else where


# A ProseLine's location fields, then ``aligned``: plain tuples pickle in C.
LinePlace = tuple[int, int, int, int, str | None, str, Anchor | None, bool]


@dataclass(frozen=True, slots=True)
class SectionText:
    """A section's prose as a digest keeps it for the cross-report rules: its lines'
    texts, and where each is as plain tuples (``line(index)`` gives its ProseLine: only a
    GI502 finding asks). A digest comes back from a worker for every report; without a
    ProseLine and a Location a line, a result pickles in 0.092 ms instead of 0.157 and
    unpickles in 0.116 instead of 0.173 (/tmp/b600)."""

    key: str | None  # rules/profiles.yaml key; None for an unrecognised (or legacy) section
    number: int | None
    title: str
    location: Location  # the heading
    texts: tuple[str, ...]  # each line's text
    places: tuple[LinePlace, ...]  # each line's place

    @classmethod
    def of_lines(
        cls, key: str | None, number: int | None, title: str, location: Location, lines: Iterable[ProseLine]
    ) -> SectionText:
        lines = tuple(lines)
        places = tuple(
            (at.line, at.column, at.end_line, at.end_column, at.where, at.kind, at.anchor, line.aligned)
            for line in lines
            for at in (line.location,)
        )
        return cls(key, number, title, location, tuple(line.text for line in lines), places)

    def line(self, index: int) -> ProseLine:
        """The section's ``index``-th line, with its location."""
        *fields, aligned = self.places[index]
        return ProseLine(self.texts[index], Location(*fields), aligned)

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return SectionText, (self.key, self.number, self.title, self.location, self.texts, self.places)


@dataclass
class ReportDigest:
    """What the steps after single reports need of one report, without the report:
    the cross-report rules (GI5xx) and ``gilint extract --format csv|xlsx``. Small
    and picklable, since it comes back from the worker processes."""

    path: str
    report_index: int
    report_count: int
    agency: str | None
    agency_kind: str
    year: int | None
    profile: str | None
    anchor: Location | None  # the title, else the first line (report-wide findings)
    tables: dict[str, dict[str, dict[str, CellValue]]]  # table -> row -> column (TABLE-KEYS.md)
    sections: tuple[SectionText, ...]
    # Inline ``gilint: disable=CODE`` ranges: (code prefix, first line, last line).
    suppressions: tuple[tuple[str, int, int], ...] = ()

    def lines(self) -> set[int]:
        """The file's lines the digest holds a place on (the report's anchor, its cells, its
        sections' headings and lines): the only lines a cross-report finding is on."""
        found = {self.anchor.line} if self.anchor is not None else set()
        for rows in self.tables.values():
            for cells in rows.values():
                for cell in cells.values():
                    where = cell.where
                    if where is not None:
                        found.add(where.line if isinstance(where, Location) else where.location.line)
        for section in self.sections:
            found.add(section.location.line)
            found.update(line for line, *_ in section.places)  # (a LinePlace starts with its line)
        return found


@dataclass
class TableViewRow:
    """One row of a mandated table as plain data, for the renderers that redraw tables."""

    key: str  # TABLE-KEYS.md row key
    name: dict[str, str]  # language -> row name
    cells: dict[str, str]  # column key -> the cell's text as written (normalised)


@dataclass
class TableView:
    """A mandated table as plain data for renderers that redraw it (the HTML
    report): the model's rows and columns in order with the report's cell texts."""

    key: str  # TABLE-KEYS.md table key
    name: dict[str, str]  # language -> table name
    columns: dict[str, dict[str, str]]  # column key -> language -> column name, in order
    rows: list[TableViewRow]


@dataclass
class CheckedReport:
    """One report's result: what render needs."""

    path: str
    report_index: int
    report_count: int
    profile: str | None
    report_year: int | None
    agency: str | None
    agency_kind: str
    diagnostics: list[Diagnostic]
    # The file's own lines, for renderers that quote the source (None for DOCX/PDF).
    source_lines: list[str] | None = None
    # The mandated tables as found, for renderers that redraw them.
    tables: list[TableView] = field(default_factory=list)
    # Findings past the per-code cap: counted, not listed.
    omitted: list[Omitted] = field(default_factory=list)
    # The extracted data the cross-report step reads (None for an unreadable file).
    digest: ReportDigest | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Omitted:
    """How many findings of one code and severity a report has beyond those shown."""

    code: str
    severity: Severity
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity.value, "count": self.count}
