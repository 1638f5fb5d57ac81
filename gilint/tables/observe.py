"""The rows of a table as the text shows them, before any label is trusted.

Four shapes give the same ``Observed`` rows (label fragments + value pieces):

- ``pipe``: Markdown rows ``| 标签 | 13 | 0 | … |``; other lines in a region made
  of pipe rows are only label text (labels broken out of their row by a PDF
  converter);
- ``grid``: HTML/DOCX/PDF cells, merged cells repeated;
- ``lines``: one row per line, values separated by spaces or glued together,
  possibly the whole table on one line; label-only lines above a row may hold
  its label (wrapped labels, lost labels);
- ``cells``: one cell per line (a table copied from a web page): a row's label
  lines are followed by its values, each on its own line.

A value piece is a run without spaces (``000023``); how many cells it holds is
decided later, when the row is known.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from gilint.model import GridBlock, GridCell, Line, Location
from gilint.patterns import linear
from gilint.tables.labels import MARKER
from gilint.tables.table import Spot, Where
from gilint.tables.values import UNITS, looks_numeric
from gilint.text.normalize import normalize_cell
from gilint.text.quantities import CN_NUMERAL_CHARS

Segment = tuple[Line, int, int]  # a line and the span of it inside the table's region

_TOKEN = linear(
    rf"(?P<num>[+\-]?[0-9]+(?:,[0-9]{{3}})*(?:\.[0-9]+)?(?:{'|'.join(UNITS)})?)"
    r"|(?<![^\s|])(?P<mark>/|／|—+|－+|-+|无)(?![^\s|])"
)
_NOT_VALUE_AFTER = "年月日号%％"
_NUMBERING_AFTER = ".、"
_PAGE_NUMBER = linear(r"^\s*(?:[-—–－]+\s*[0-9]{1,3}\s*[-—–－]+|第\s*[0-9]{1,3}\s*页)\s*$")
_SEPARATOR_CELL = linear(r"^\s*:?-{3,}:?\s*$")
# Regions where at least this many pipe rows hold values are Markdown tables.
PIPE_ROWS = 3
# One value per line on at least this many lines (and most value lines): one cell per line.
CELL_LINES = 6


# Slotted: thousands are made per report (observe_lines, callgrind: -1.7% instructions).
@dataclass(slots=True)
class Fragment:
    """Label text, with where it is."""

    text: str
    line: Line | None = None
    start: int = 0
    end: int = 0
    location_: GridCell | Location | None = None

    @property
    def spot(self) -> Where:
        return Spot(self.line, self.start, self.end) if self.line is not None else self.location_


class Piece(Spot):
    """A run of value characters (one or more glued cells), or a blank cell.

    A piece of a line is the span of it that it covers, so a whole piece is its own
    cell's place: no Spot is made a cell (a piece and its place: 532 -> 355 ns)."""

    __slots__ = ("location_", "text")

    def __init__(
        self,
        text: str,
        line: Line | None = None,
        start: int = 0,
        location_: GridCell | Location | None = None,
    ) -> None:
        # Stripped: a blank cell's text is empty. The Spot's fields are set here, not by
        # calling its __init__ (a call less a piece); a grid cell's piece has no line.
        self.text, self.line, self.start, self.end = text, line, start, start + len(text)
        self._location: Location | None = None
        self.location_ = location_

    def __repr__(self) -> str:
        return f"Piece({self.text!r}, start={self.start})"

    def spot(self, start: int = 0, end: int | None = None) -> Where:
        """Where characters ``start:end`` of the piece are (a blank cell: its border)."""
        if self.line is None:
            return self.location_
        if start == 0 and end is None:
            return self
        end = len(self.text) if end is None else end
        return Spot(self.line, self.start + start, self.start + end)

    @property
    def blank(self) -> bool:
        return not self.text  # the text is stripped: no strip again for every look at the row


@dataclass(slots=True)
class Observed:
    """One row as found: its label fragments and its value pieces.

    A pipe or grid row whose every value cell is one piece keeps its cells' ``texts`` and
    ``anchors`` and makes its Piece objects only when ``pieces`` is asked for: a row read
    as it stands makes its cells from the texts (no Piece a cell: -0.9M instructions a
    Markdown report)."""

    own: list[Fragment]  # label text on the row itself
    pending: list[Fragment]  # label-only text just above it
    found: list[Piece] | None  # the pieces, once made
    mode: str  # pipe | grid | lines | cells
    cells_fixed: bool = False  # pipe/grid: every piece is one cell (blank ones count)
    texts: list[str] | None = None  # one piece a cell: the cells' texts (stripped)
    anchors: Sequence[Anchor] = ()  # and where each is
    line: Line | None = None  # the pipe row's line

    @property
    def pieces(self) -> list[Piece]:
        if self.found is None:
            self.found = _pieces(self.texts or [], self.anchors, self.line)
        return self.found

    def has_values(self) -> bool:
        """A piece that is not blank."""
        if self.texts is not None:
            return any(self.texts)  # stripped texts: a blank one is empty
        return any(not piece.blank for piece in self.pieces)

    @property
    def spot(self) -> Where:
        """The row's label, else its first value."""
        for fragment in reversed(self.own):
            spot = fragment.spot  # made once: it is a new Spot each time it is asked for
            if spot is not None:
                return spot
        return self.pieces[0].spot() if self.pieces else None

    @property
    def label(self) -> str:
        return " ".join(fragment.text for fragment in self.own)


# -------------------------------------------------------------- text lines


def _is_pipe(text: str) -> bool:
    return text.lstrip().startswith("|")


def _tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """("text" | "value", start, end) runs of one line, values already told
    apart from numbering (``2.其他``), dates (``2022年``) and notes (``（1）``)."""
    position = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if match.group("num"):
            after = text[end : end + 2].strip()[:1]
            before = text[start - 1 : start] if start else ""
            if (after and after in _NOT_VALUE_AFTER) or (before == "(" and after == ")") or before == "第":
                continue
            if text[end : end + 1] in _NUMBERING_AFTER and end < len(text) and _label_follows(text, end + 1):
                number = match.group("num")
                if len(number) == 1:
                    continue  # the whole number is the next label's numbering
                if number[-1] in "123456789" and number[-2].isdigit():
                    end -= 1  # its last digit numbers the next label (…00000002.其他)
        if start > position:
            yield "text", position, start
        yield "value", start, end
        position = end
    if position < len(text):
        yield "text", position, len(text)


def _label_follows(text: str, position: int) -> bool:
    rest = text[position : position + 3].lstrip()
    return bool(rest) and not rest[0].isdigit()


@dataclass
class _Builder:
    """The rows being observed in one table region."""

    mode: str
    rows: list[Observed] = field(default_factory=list)
    own: list[Fragment] = field(default_factory=list)
    pending: list[Fragment] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)

    def text(self, fragment: Fragment) -> None:
        if not fragment.text.strip():
            return
        if self.pieces:
            self.flush()
        self.own.append(fragment)

    def value(self, piece: Piece) -> None:
        self.pieces.append(piece)

    def end_line(self) -> None:
        """Lines mode: a line's values end its row; a line without values is
        label-only text for the row below."""
        if self.pieces:
            self.flush()
        elif self.own:
            self.pending.extend(self.own)
            self.own = []

    def flush(self) -> None:
        if self.pieces:
            self.rows.append(Observed(self.own, self.pending, self.pieces, self.mode))
            self.pending = []
        elif self.own:
            self.pending.extend(self.own)
        self.own, self.pieces = [], []

    def row(self, observed: Observed) -> None:
        self.flush()
        observed.pending = self.pending + observed.pending
        # A label over blank cells is a row of unknowns if the label names a
        # row, else a header whose text may label the row below.
        self.pending = [] if observed.has_values() else list(observed.own)
        self.rows.append(observed)

    def label_only(self, fragments: list[Fragment]) -> None:
        self.flush()
        self.pending.extend(fragments)


# A pipe row's cells: their texts (stripped) and their offsets in the line.
PipeCells = tuple[list[str], list[int]]


def _pipe_cells(line: Line, start: int, end: int) -> PipeCells:
    """Cells of a pipe row with their offsets in the line."""
    text = line.text
    first = text.find("|", start, end)
    if first == -1:
        return [], []
    # One split of the row, not a find per bar (a third of this function's time).
    raws = text[first + 1 : end].split("|")
    if not raws[-1].strip():  # the closing bar
        raws.pop()
    # Two lists, not a (text, offset) tuple a cell: the texts are what most readers of a row want.
    texts: list[str] = []
    offsets: list[int] = []
    left = first + 1
    for raw in raws:
        texts.append(raw.strip())
        offsets.append(left + len(raw) - len(raw.lstrip()))
        left += len(raw) + 1
    return texts, offsets


def _pipe_row(line: Line, cells: PipeCells) -> Observed | list[Fragment] | None:
    """A pipe row (its ``_pipe_cells``): an Observed row, label-only fragments, or None (separator)."""
    texts, offsets = cells
    # Only a line with "---" can be a separator: the others are not looked at cell by cell
    # (a row of blank cells gives no row in _cell_row either): 2.9% -> 0.9% of the step's samples.
    if not texts or ("---" in line.text and all(not text or _SEPARATOR_CELL.match(text) for text in texts)):
        return None
    return _cell_row(texts, offsets, line, "pipe")


@lru_cache(maxsize=4096)  # cell texts repeat (0, 无, the labels): a lookup, not a call and a scan per cell
def _is_label(text: str) -> bool:
    """A cell that can be (part of) a row label: words, or a numbering marker
    (``三、``, ``（一）``). Text that is neither (``abc``, the letter ``O``, a Chinese
    numeral ``一``) standing among a row's numbers is a bad value in its cell."""
    if not text or looks_numeric(text):
        return False
    if any("\u4e00" <= char <= "\u9fff" and char not in CN_NUMERAL_CHARS for char in text):
        return True
    return bool(MARKER.fullmatch(text.strip()))


# Where a cell is: its offset in the row's line (text rows), or the grid's cell (located
# when asked).
Anchor = int | GridCell | Location


def _fragment(text: str, line: Line | None, anchor: Anchor) -> Fragment:
    if isinstance(anchor, int):
        return Fragment(text, line, anchor, anchor + len(text))
    return Fragment(text, location_=anchor)


def _pieces(texts: Sequence[str], anchors: Sequence[Anchor], line: Line | None) -> list[Piece]:
    """The value cells' runs of value characters (one per cell, or none: a blank cell)."""
    pieces: list[Piece] = []
    for text, anchor in zip(texts, anchors, strict=True):
        start, location = (anchor, None) if isinstance(anchor, int) else (0, anchor)
        # The common case: the cell (stripped) is its one piece, no search (digits: no split either).
        if text.isdigit() or len(parts := text.split()) <= 1:
            pieces.append(Piece(text, line, start, location))
            continue
        position = start
        for part in parts:
            if line is not None:
                position = line.text.find(part, position)
            pieces.append(Piece(part, line, position, location))
            position += len(part)
    return pieces


def _cell_row(
    texts: list[str], anchors: Sequence[Anchor], line: Line | None, mode: str
) -> Observed | list[Fragment]:
    """Label cells up to the last cell holding a label; value cells after it (``texts``: the
    cells' texts, stripped; ``anchors``: where each is)."""
    last_label = -1
    for index in range(len(texts) - 1, -1, -1):  # from the right: the label cells are not all looked at
        text = texts[index]
        # Blank and digit cells are no labels, known without a call (with the other changes here:
        # observe_lines 4.52M -> 4.22M instructions a Markdown report).
        if text and not text.isdigit() and _is_label(text):
            last_label = index
            break
    labels: list[Fragment] = []
    for index in range(last_label + 1):
        text = texts[index]
        if text and (not labels or labels[-1].text != text):  # merged cells repeat their text
            labels.append(_fragment(text, line, anchors[index]))
    values = texts[last_label + 1 :]
    # In text, an unlabelled blank row is filler; in a real table it is a row of
    # empty cells (table 四's one data row in a blank template) that GI206 reports.
    if not values or (not labels and mode != "grid" and not any(values)):
        return labels
    places = anchors[last_label + 1 :]
    # No cell holding spaces (each is one piece, a blank one too): pieces made only if asked for.
    if len(" ".join(values).split()) == len(values) - values.count(""):
        return Observed(labels, [], None, mode, True, values, places, line)
    return Observed(labels, [], _pieces(values, places, line), mode, cells_fixed=True)


def _line_tokens(builder: _Builder, line: Line, start: int, end: int, label_only: bool) -> None:
    text = line.text[start:end]
    if label_only:
        if text.strip():
            stripped = text.strip()
            offset = start + text.find(stripped)
            builder.label_only([Fragment(stripped, line, offset, offset + len(stripped))])
        return
    for kind, a, b in _tokens(text):
        piece = text[a:b]
        if kind == "value":
            builder.value(Piece(piece, line, start + a))
        else:
            stripped = piece.strip()
            if stripped:
                offset = start + a + piece.find(stripped)
                builder.text(Fragment(stripped, line, offset, offset + len(stripped)))


def _mode(segments: Sequence[Segment], pipe_cells: dict[int, PipeCells]) -> str:
    pipe_rows = 0
    single = multi = 0
    for index, (line, start, end) in enumerate(segments):
        if index in pipe_cells:
            # Cheap tests first: the separator regex only for a cell that looks like a value.
            if any(t and looks_numeric(t) and not _SEPARATOR_CELL.match(t) for t in pipe_cells[index][0]):
                pipe_rows += 1
                if pipe_rows >= PIPE_ROWS:
                    return "pipe"  # decided: the lines below need no tokens
            continue
        text = line.text[start:end]
        tokens = list(_tokens(text))  # once for the values and the text
        values = sum(1 for kind, _, _ in tokens if kind == "value")
        has_text = any(kind == "text" and text[a:b].strip() for kind, a, b in tokens)
        if values == 1 and not has_text:
            single += 1
        elif values > 1:
            multi += 1
    return "cells" if single >= CELL_LINES and single > 2 * multi else "lines"


def observe_lines(segments: Sequence[Segment]) -> tuple[list[Observed], str]:
    """Observed rows of a region of text lines, and the region's shape."""
    # The cells of each pipe row, split once for the shape and the rows.
    pipe_cells = {
        index: _pipe_cells(line, start, end)
        for index, (line, start, end) in enumerate(segments)
        if _is_pipe(line.text[start:end])
    }
    mode = _mode(segments, pipe_cells)
    builder = _Builder("cells" if mode == "cells" else "lines")
    for index, (line, start, end) in enumerate(segments):
        if index in pipe_cells:  # a pipe row is never a page number
            row = _pipe_row(line, pipe_cells[index])
            if isinstance(row, Observed):
                builder.row(row)
            elif row:
                builder.label_only(row)
            continue
        if _PAGE_NUMBER.match(line.text[start:end]):
            continue
        _line_tokens(builder, line, start, end, label_only=mode == "pipe")
        if mode != "cells":
            builder.end_line()
    builder.flush()
    return builder.rows, mode


# -------------------------------------------------------------------- grids


def observe_grid(grid: GridBlock, texts: list[list[str]]) -> list[Observed]:
    """Observed rows of a grid (``texts``: its ``grid_texts``)."""
    builder = _Builder("grid")
    for row, row_texts in zip(grid.rows, texts, strict=True):
        # A merged cell is the same object in every position it covers: once.
        unique = [index for index, cell in enumerate(row) if index == 0 or cell is not row[index - 1]]
        # (Each cell is its own place, located only if asked: most never are.)
        observed = _cell_row(
            [row_texts[index] for index in unique], [row[index] for index in unique], None, "grid"
        )
        if isinstance(observed, Observed):
            builder.row(observed)
        elif observed:
            builder.label_only(observed)
    builder.flush()
    return builder.rows


def grid_texts(grid: GridBlock) -> list[list[str]]:
    """The grid's cells' texts by position, normalised like the report's lines and the models'
    labels they are matched against (a traditional grid printed 主動公開 where the model says
    主动公开): made once for the grid's words and its rows."""
    return [[normalize_cell(cell) for cell in row] for row in grid.rows]


def grid_text(texts: list[list[str]]) -> str:
    """The grid's words (``texts``: its ``grid_texts``)."""
    return "\n".join(" ".join(row) for row in texts)
