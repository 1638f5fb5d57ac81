"""Observed rows -> a canonical table for one layout.

Labels first: each observed row gets the model rows its label may name (fuzzy,
with rivals kept). The rows whose labels agree with the model's order are chosen
by a longest-increasing-subsequence over those candidates, so a label that a PDF
converter moved out of place does not drag its neighbours with it. Rows without
a usable label are placed only where their number fits exactly: between two
placed rows when as many unplaced rows as missing model rows lie between them, or
as a group's sub-rows when the values divide into exactly that many rows
(``（三）不予公开`` followed by 56 numbers). Never by position alone otherwise.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from gilint.tables.labels import Candidate, canon, looks_like_prose
from gilint.tables.models import Layout, RowModel
from gilint.tables.observe import Observed, Piece
from gilint.tables.split import RowShape, Span, SplitResult, split_pieces
from gilint.tables.table import Cell, Issue, Spot, Where
from gilint.tables.values import is_marker, parse_value, strip_unit

# A confident own label is placed even out of the model's order.
CONFIDENT = 90.0
PENDING_WEIGHT = 0.5
# A row placed by order alone counts a little less than a label read above it.
GAP_ROW = 0.4
MAX_SHOWN = 8  # glued rows listed in one note
MAX_SPLITS = 12  # splits of one glued row weighed against the table's totals
GLUED_DIGITS = 7  # a lone run this long after unknown text may be a row of glued cells
MAX_COMBINATIONS = 4096  # joint choices of splits for the ambiguous rows of one table
# Far above the rounding of a table's scores (tens): an option is passed over only when
# it is below the best by more (so it could not even tie).
BOUND_MARGIN = 1e-6


@dataclass(slots=True)  # one a row, slotted like Cell
class Slot:
    """An observed row and the model rows it could be."""

    observed: Observed
    candidates: list[tuple[int, float, Candidate | None]]  # (model row index, weight, label)
    preset: list[Cell] | None = None  # cells already decided (a split group or combined row)
    inferred: bool = False  # placed by order, its label lost
    row: RowModel | None = None
    label: Candidate | None = None


@dataclass
class Assembly:
    """A table put together from observed rows for one layout, and how well it fits."""

    layout: Layout
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    rows: dict[str, Where] = field(default_factory=dict)  # row key -> where its label is
    score: float = 0.0
    glued: list[dict[str, object]] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)
    ambiguous: list[_Ambiguous] = field(default_factory=list)


# ------------------------------------------------------------- candidates


def _candidates(layout: Layout, observed: Observed) -> tuple[list[tuple[int, float, Candidate | None]], bool]:
    """Model rows the row's label may name, and whether the row may fill a gap.

    Label-only text above a row is weaker evidence, and never names a group's
    subtotal row (a subtotal carries its own label). In running text (lines,
    cells) an unmatched label with a single number is a sentence, not a row."""
    matcher = layout.matcher
    own = [fragment.text for fragment in observed.own]
    found = matcher.match_fragments(own, last_only=True) if own else []
    if (
        not found
        and not any(piece.text.strip() and not is_marker(piece.text) for piece in observed.pieces)
        and not _blank_combined_row(layout, observed)
    ):
        return [], False  # placeholders or blanks under no row label: a header or a converter's filler
    weight = 1.0
    if not found:
        text_mode = observed.mode in ("lines", "cells")
        sentence = own and (looks_like_prose(own[-1]) or (text_mode and _lone_number(observed)))
        if sentence and not matcher.is_group(own[-1]):
            return [], False
        found = [
            c
            for c in matcher.match_fragments([f.text for f in observed.pending], last_only=False)
            if c.key in layout.by_key and not layout.by_key[c.key].optional
        ]
        weight = PENDING_WEIGHT
    rows = layout.by_key
    return [(rows[c.key].index, weight * c.score / 100.0, c) for c in found if c.key in rows], True


def _blank_combined_row(layout: Layout, observed: Observed) -> bool:
    """A real table's unlabelled row of exactly as many empty cells as table 四
    holds (a blank template): empty cells to report, not filler."""
    combined = layout.combined_rows
    width = sum(len(row.columns) for row in combined)
    return observed.cells_fixed and bool(combined) and len(observed.pieces) == width


def _lone_number(observed: Observed) -> bool:
    """One short number after unknown text: a figure in a sentence (a year, a
    count), where a row of glued cells would be one long run of digits."""
    return len(observed.pieces) < 2 and len(observed.pieces[0].text) < GLUED_DIGITS


# -------------------------------------------------------------- the cells


def _shape(layout: Layout, row: RowModel) -> RowShape:
    """The row's kinds and identities for splitting its glued digits: made once per layout and row."""
    shapes: dict[str, RowShape] = layout.derived.setdefault("shapes", {})
    shape = shapes.get(row.key)
    if shape is None:
        shape = shapes[row.key] = _make_shape(layout, row)
    return shape


def _make_shape(layout: Layout, row: RowModel) -> RowShape:
    index = {column: i for i, column in enumerate(row.columns)}
    equalities = []
    for bound in layout.row_constraints(row.key):
        terms = tuple((index[column], coefficient) for (_, column), coefficient in bound.coefficients)
        equalities.append((terms, bound.constant))
    bounds = []
    for bound in layout.row_bounds(row.key):
        sign = 1.0 if bound.operator == "<=" else -1.0  # as sum(...) + constant <= 0
        terms = tuple((index[column], sign * coefficient) for (_, column), coefficient in bound.coefficients)
        bounds.append((terms, sign * bound.constant))
    return RowShape(layout.kinds[row.key], tuple(equalities), tuple(bounds))


def _unpadded(texts: Sequence[str], count: int) -> tuple[int, int]:
    """The bounds of a pipe or grid row's cells (``texts``) without its padding: the blank
    cells beyond the row's width (``count``), at either end."""
    first, last = 0, len(texts)
    while last - first > count and not texts[first]:
        first += 1
    while last - first > count and not texts[last - 1]:
        last -= 1
    return first, last


def _trim(pieces: list[Piece], count: int, fixed: bool) -> list[Piece]:
    """Pipe/grid rows (``fixed``: one piece a cell): the pieces without the padding."""
    if not fixed:
        return list(pieces)
    first, last = _unpadded([piece.text for piece in pieces], count)  # (a blank piece's text is empty)
    return pieces[first:last]


def _whole_cells(layout: Layout, row: RowModel, observed: Observed) -> list[Cell] | None:
    """A pipe or grid row kept as its cells' texts (``Observed.texts``), read as it stands: one
    cell a text once the blank padding beyond the row's width is trimmed (``_unpadded``); None
    when the count does not fit. Each cell is made with its line and offset, its place left
    to be made when asked for (``Cell.where``)."""
    texts, anchors = observed.texts, observed.anchors
    assert texts is not None
    count = len(row.columns)
    first, last = _unpadded(texts, count)
    if last - first != count:
        return None
    key, line = row.key, observed.line
    cells: list[Cell] = []
    for column, kind, text, anchor in zip(
        row.columns, layout.kinds[key], texts[first:last], anchors[first:last], strict=True
    ):
        parsed = parse_value(text, kind)
        if line is None:  # a grid cell: its location
            cells.append(Cell(key, column, parsed.value, text, kind, anchor, parsed.status, parsed.unit))
        else:
            cells.append(
                Cell(key, column, parsed.value, text, kind, None, parsed.status, parsed.unit, line, anchor)
            )
    return cells


def _cell(row: str, column: str, kind: str, text: str, where: Where, status: str | None = None) -> Cell:
    parsed = parse_value(text, kind)
    final = parsed.status if parsed.status != "ok" or status is None else status
    return Cell(row, column, parsed.value, text, kind, where, final, parsed.unit)


def _direct(layout: Layout, row: RowModel, pieces: list[Piece]) -> list[Cell]:
    """One piece a cell: each cell's text as found (no split status to weigh, so ``_cell``'s
    work is done here, a call less a cell; with the slotted Cell and the pieces as their own
    places, assemble went 4.47M -> 3.99M instructions a Markdown report)."""
    key = row.key
    cells: list[Cell] = []
    for column, kind, piece in zip(row.columns, layout.kinds[key], pieces, strict=True):
        text = piece.text
        parsed = parse_value(text, kind)
        # The whole piece's place (piece.spot()) without a method call a cell: a line's piece is its
        # own place, a grid cell's piece points at its cell (tables step 9.87M -> 9.61M instructions
        # a Markdown report).
        where = piece if piece.line is not None else piece.location_
        cells.append(Cell(key, column, parsed.value, text, kind, where, parsed.status, parsed.unit))
    return cells


def _from_split(
    layout: Layout, rows: list[RowModel], pieces: list[Piece], spans: tuple[tuple[Span, ...], ...]
) -> list[Cell]:
    cells: list[Cell] = []
    for row, row_spans in zip(rows, spans, strict=True):
        for column, kind, span in zip(row.columns, layout.kinds[row.key], row_spans, strict=True):
            piece = pieces[span.piece]
            whole = span.start == 0 and span.end >= len(strip_unit(piece.text)[0])
            text = piece.text if whole else piece.text[span.start : span.end]
            status = None if whole else "split"
            cells.append(_cell(row.key, column, kind, text, piece.spot(span.start, span.end), status))
    return cells


def _splittable(pieces: list[Piece]) -> bool:
    return bool(pieces) and not any(piece.blank or is_marker(piece.text) for piece in pieces)


def _split(layout: Layout, rows: list[RowModel], pieces: list[Piece], limit: int = MAX_SPLITS) -> SplitResult:
    texts = tuple(strip_unit(piece.text)[0] for piece in pieces)
    return split_pieces(texts, tuple(_shape(layout, row) for row in rows), limit=limit)


def _complete(layout: Layout, row: RowModel, pieces: list[Piece]) -> list[Cell] | None:
    """A row one cell short: the cells, when wherever the missing cell was,
    the row's equalities give the same values (a row of zeros)."""
    shape = _shape(layout, row)
    if not shape.equalities or len(pieces) != len(row.columns) - 1:
        return None
    parsed = [parse_value(piece.text, "count") for piece in pieces]
    if any(p.status != "ok" for p in parsed):
        return None
    outcomes: set[tuple[float, ...]] = set()
    chosen: tuple[int, float] | None = None
    for missing in range(len(row.columns)):
        values = [p.value for p in parsed]
        values.insert(missing, 0.0)
        terms, constant = shape.equalities[0]
        coefficient = dict(terms).get(missing, 0.0)
        if not coefficient:
            return None
        rest = sum(c * values[i] for i, c in terms if i != missing) + constant
        value = -rest / coefficient
        if value < 0 or value != int(value):
            continue
        values[missing] = value
        if all(abs(sum(c * values[i] for i, c in t) + k) < 1e-6 for t, k in shape.equalities):
            outcomes.add(tuple(values))
            chosen = chosen or (missing, value)
    if len(outcomes) != 1 or chosen is None:
        return None
    missing, value = chosen
    cells: list[Cell] = []
    remaining = iter(pieces)
    for index, (column, kind) in enumerate(zip(row.columns, layout.kinds[row.key], strict=True)):
        if index == missing:
            cells.append(Cell(row.key, column, int(value), "", kind, None, "inferred"))
        else:
            piece = next(remaining)
            cells.append(_cell(row.key, column, kind, piece.text, piece.spot()))
    return cells


# Problems with the digits themselves point at the digits, the others at the row's label.
DIGIT_ISSUES = frozenset({"unsplittable", "ambiguous_split"})


def _row_issue(kind: str, row: RowModel, slot: Slot, **data: object) -> Issue:
    found = [piece.text for piece in slot.observed.pieces]
    where = _digits_spot(slot.observed) if kind in DIGIT_ISSUES else slot.observed.spot
    return Issue(kind, row.key, where, {"found": found, "expected": len(row.columns), **data})


def _digits_spot(observed: Observed) -> Where:
    """From the row's first number to its last, when they stand on one line."""
    pieces = [piece for piece in observed.pieces if not piece.blank]
    if not pieces:
        return observed.spot
    first, last = pieces[0], pieces[-1]
    if first.line is not None and first.line is last.line:
        return Spot(first.line, first.start, last.start + len(last.text))
    return first.spot()


@dataclass
class _Ambiguous:
    """A glued row several splits fit: the cells all splits agree on are kept,
    the others wait for the table's other identities to pick one split."""

    row: RowModel
    slot: Slot
    pieces: list[Piece]
    options: list[list[Cell]]
    shown: list[list[str]]
    spans: tuple[str, ...] = ()  # every row the glued run holds, when it is several (table 四's 15)


def build_row(layout: Layout, row: RowModel, slot: Slot, assembly: Assembly) -> list[Cell] | None:
    if slot.preset is not None:
        return slot.preset
    if slot.observed.texts is not None:
        whole = _whole_cells(layout, row, slot.observed)
        if whole is not None:
            return whole
    count = len(row.columns)
    pieces = _trim(slot.observed.pieces, count, slot.observed.cells_fixed)
    if len(pieces) == count:
        return _direct(layout, row, pieces)
    if len(pieces) < count and _splittable(pieces):
        result = _split(layout, [row], pieces)
        options = [_from_split(layout, [row], pieces, solution) for solution in result.solutions]
        if len(options) == 1 and not result.exhausted:
            _note_glued(assembly, row, pieces, options[0])
            return options[0]
        if options and not result.exhausted:
            assembly.ambiguous.append(_Ambiguous(row, slot, pieces, options, _show(pieces, result)))
            return _agreed(options)
        if options or result.exhausted:  # a search cut short proves nothing: not "unsplittable"
            assembly.issues.append(_row_issue("ambiguous_split", row, slot, splits=_show(pieces, result)))
            return None
    completed = _complete(layout, row, pieces)
    glued = len(pieces) < count and any(len(strip_unit(p.text)[0]) > 1 for p in pieces)
    kind = "unsplittable" if glued and completed is None else "cell_count"
    assembly.issues.append(
        _row_issue(kind, row, slot, completed=[c.value for c in completed] if completed else None)
    )
    return completed


def _agreed(options: list[list[Cell]]) -> list[Cell]:
    """The cells every split gives the same value (e.g. the row's 总计)."""
    first, rest = options[0], options[1:]
    return [cell for i, cell in enumerate(first) if all(option[i].value == cell.value for option in rest)]


def _resolve(assembly: Assembly) -> None:
    """Pick, for each ambiguous glued row, the one split under which every
    identity over its cells holds, trying the ambiguous rows together (two rows
    of one column decide each other). A row several splits still fit is
    reported, keeping only the cells its splits agree on."""
    items = assembly.ambiguous
    if not items:
        return
    choices: list[set[int]] = [set() for _ in items]
    combinations = 1
    for item in items:
        combinations *= len(item.options)
    if combinations <= MAX_COMBINATIONS:
        for combination in itertools.product(*(range(len(item.options)) for item in items)):
            chosen = [
                cell for item, index in zip(items, combination, strict=True) for cell in item.options[index]
            ]
            if _fits(assembly, chosen):
                for position, index in enumerate(combination):
                    choices[position].add(index)
    for item, fitting in zip(items, choices, strict=True):
        if len(fitting) == 1:
            option = item.options[fitting.pop()]
            for cell in option:
                assembly.cells[(cell.row, cell.column)] = cell
            _note_glued(assembly, item.row, item.pieces, option, by_totals=True)
        else:
            spans = {"spans_rows": list(item.spans)} if item.spans else {}
            assembly.issues.append(
                _row_issue("ambiguous_split", item.row, item.slot, splits=item.shown, **spans)
            )


def _fits(assembly: Assembly, chosen: list[Cell]) -> bool:
    values = {key: (cell.value if cell.known else None) for key, cell in assembly.cells.items()}
    values.update({(cell.row, cell.column): cell.value for cell in chosen})
    mine = {(cell.row, cell.column) for cell in chosen}
    for instance in assembly.layout.instances:
        bound = instance.bound
        if bound.is_equality and mine.intersection(bound.cells):
            residual = bound.residual(values)
            if residual is not None and not bound.holds(residual):
                return False
    return True


def _show(pieces: list[Piece], result: SplitResult) -> list[list[str]]:
    texts = [strip_unit(piece.text)[0] for piece in pieces]
    return [
        ["/".join(texts[s.piece][s.start : s.end] for s in row) for row in solution]
        for solution in result.solutions
    ]


def _note_glued(
    assembly: Assembly, row: RowModel, pieces: list[Piece], cells: list[Cell], by_totals: bool = False
) -> None:
    if any(cell.status == "split" for cell in cells):
        assembly.glued.append(
            {
                "row": row.key,
                "raw": " ".join(piece.text for piece in pieces),
                "split": "/".join(cell.raw for cell in cells),
                "by_totals": by_totals,
                "where": pieces[0].spot(),
            }
        )


# ------------------------------------------------------------- expansions


def _expand(layout: Layout, slot: Slot, assembly: Assembly) -> list[Slot] | None:
    """One observed row that is several model rows: a group label followed by its
    sub-rows' values (labels lost), or table 四's 15 numbers in one row (glued
    digits several splits fit wait, like a glued row, for the table's totals)."""
    observed = slot.observed
    top = slot.candidates[0][2] if slot.candidates else None
    children = layout.by_key[top.key].children if top is not None else ()
    combined = list(layout.combined_rows) if top is None or top.key in layout.combined else []
    if not children and not combined:
        return None  # most rows: no pieces to gather
    pieces = (
        observed.pieces if observed.cells_fixed else [piece for piece in observed.pieces if not piece.blank]
    )
    if children:
        group = [layout.by_key[key] for key in children]
        width = len(group[0].columns)
        if all(len(row.columns) == width for row in group) and len(pieces) == width * len(group) != width:
            return _chunks(layout, slot, group, pieces, width, inferred=True)
    if not combined:
        return None
    width = len(combined[0].columns)
    if len(pieces) == width * len(combined):
        return _chunks(layout, slot, combined, pieces, width, inferred=False)
    if len(pieces) < width * len(combined) and _splittable(pieces):
        one_row = len(pieces) <= width and not _names_several(combined, observed)
        if one_row and _split(layout, [combined[0]], pieces).solutions:
            return None  # one row of glued cells, not the whole table
        result = _split(layout, combined, pieces)
        if not result.solutions or result.exhausted:
            return None
        options = [_from_split(layout, combined, pieces, solution) for solution in result.solutions]
        cells = options[0]
        if len(options) > 1:
            spans = tuple(row.key for row in combined)
            assembly.ambiguous.append(
                _Ambiguous(combined[0], slot, pieces, options, _show(pieces, result), spans)
            )
            cells = _agreed(options)
        return [
            Slot(slot.observed, [(row.index, 1.0, None)], [c for c in cells if c.row == row.key])
            for row in combined
        ]
    return None


def _names_several(rows: list[RowModel], observed: Observed) -> bool:
    """The text right before the numbers names two or more of ``rows`` (「…行政复议…
    未经复议直接起诉复议后起诉1001215…」): the table's header, not one row's label."""
    text = canon(" ".join(fragment.text for fragment in observed.own))
    named = [row for row in rows if any(_names(label.numbered.text, text) for label in row.labels)]
    return len(named) >= 2


def _names(label: str, text: str) -> bool:
    return bool(label) and label in text


def _chunks(
    layout: Layout, slot: Slot, rows: list[RowModel], pieces: list[Piece], width: int, inferred: bool
) -> list[Slot]:
    slots: list[Slot] = []
    for number, row in enumerate(rows):
        chunk = pieces[number * width : (number + 1) * width]
        slots.append(
            Slot(slot.observed, [(row.index, 1.0, None)], _direct(layout, row, chunk), inferred=inferred)
        )
    return slots


# -------------------------------------------------------------- placement


def _valued(slot: Slot) -> bool:
    return slot.preset is not None or slot.observed.has_values()


class _Gaps:
    """What the rows between two placed rows are worth: as many unplaced rows as
    missing model rows fill them (+); otherwise they are unexplained (-). Around
    the table, stray numbers with no model row missing are ignored."""

    def __init__(self, layout: Layout, slots: list[Slot]):
        self.slots = len(slots)
        self.prefix = layout.required_before
        # Blank rows under a label (a header over empty cells) fill no gap.
        self.valued = [0]
        for slot in slots:
            self.valued.append(self.valued[-1] + (1 if _valued(slot) else 0))

    def missing(self, r0: int, r1: int) -> int:
        return self.prefix[r1] - self.prefix[r0 + 1]

    def value(self, s0: int, r0: int, s1: int, r1: int) -> float:
        free, missing = self.valued[s1] - self.valued[s0 + 1], self.missing(r0, r1)
        if missing == 0 and free != 0 and (s0 < 0 or s1 >= self.slots):
            return 0.0
        return _fit(free, missing)


def _fit(free: int, missing: int) -> float:
    """Unplaced rows between two placed rows: a gap they fill exactly, or unexplained rows."""
    return GAP_ROW * free if free == missing else -free - 0.5 * missing


def _increasing(slots: list[Slot], layout: Layout) -> list[tuple[int, int, float, Candidate | None]]:
    """The best choice of one candidate per slot (or none) whose model rows
    strictly increase with the slots, counting the labels' weights and how well
    the unlabelled rows between them fit: (slot, model row, weight, label)."""
    gaps = _Gaps(layout, slots)
    valued, required = gaps.valued, gaps.prefix
    end_slot, end_row = len(slots), len(layout.rows)
    options: list[tuple[int, int, float, Candidate | None]] = []
    firsts: list[int] = []  # per option: the first option of its slot (options go by slot)
    for s, slot in enumerate(slots):
        first = len(options)
        for index, weight, label in slot.candidates:
            options.append((s, index, weight, label))
            firsts.append(first)
    best: list[tuple[float, int]] = []  # per option: (value of the best chain ending here, previous option)
    # Per option: its model row, and the valued slots / required rows up to it.
    ends: list[tuple[int, int, int]] = []
    # Per option: the most (best value - GAP_ROW * valued slots) of the options up to it. A
    # gap is worth at most GAP_ROW a free row, so a chain from option j to option i is worth
    # at most weight_i + GAP_ROW * valued_i + that: the earlier options need no look once
    # it is below the best found (this function: 385k -> 304k instructions a table, quadratic
    # no more in a long table whose rows are found in order).
    reach: list[float] = []
    for i, (slot_i, row_i, weight_i, _) in enumerate(options):
        start = weight_i + gaps.value(-1, -1, slot_i, row_i)
        valued_i, required_i = valued[slot_i], required[row_i]
        ceiling = weight_i + GAP_ROW * valued_i
        most, previous = -math.inf, -1
        # Only the options of earlier slots, latest first (most often the best), the earliest
        # kept on a tie; the gap's value inlined (_Gaps.value between two placed rows is _fit).
        for j in range(firsts[i] - 1, -1, -1):
            if ceiling + reach[j] < most - BOUND_MARGIN:
                break
            row_j, valued_j, required_j = ends[j]
            if row_j < row_i:
                free, missing = valued_i - valued_j, required_i - required_j
                gap = GAP_ROW * free if free == missing else -free - 0.5 * missing
                value = best[j][0] + weight_i + gap
                if value >= most:
                    most, previous = value, j
        total = most if most > start else start
        best.append((total, previous if most > start else -1))
        ends.append((row_i, valued[slot_i + 1], required[row_i + 1]))
        reach.append(max(reach[-1] if reach else -math.inf, total - GAP_ROW * valued[slot_i + 1]))
    finals = [best[i][0] + gaps.value(s, r, end_slot, end_row) for i, (s, r, _, _) in enumerate(options)]
    if not finals or max(finals) < gaps.value(-1, -1, end_slot, end_row):
        return []
    position = max(range(len(finals)), key=lambda i: finals[i])
    chain: list[tuple[int, int, float, Candidate | None]] = []
    while position >= 0:
        chain.append(options[position])
        position = best[position][1]
    return chain[::-1]


def _place(layout: Layout, slots: list[Slot]) -> tuple[list[Issue], float]:
    chain = _increasing(slots, layout)
    taken: dict[int, int] = {}  # model row -> slot
    score = 0.0
    for s, index, weight, label in chain:
        slots[s].row, slots[s].label = layout.rows[index], label
        taken[index] = s
        score += weight
    anchors = [(s, index) for s, index, _, _ in chain]
    # A row's own confident label, out of the model's order (a table printed in pieces).
    for s, slot in enumerate(slots):
        for index, weight, label in slot.candidates:
            if slot.row is None and index not in taken and weight >= CONFIDENT / 100.0:
                slot.row, slot.label = layout.rows[index], label
                taken[index] = s
                score += weight
    issues: list[Issue] = []
    bounds = [(-1, -1), *anchors, (len(slots), len(layout.rows))]
    for (s0, r0), (s1, r1) in itertools.pairwise(bounds):
        if s1 == s0 + 1:
            continue  # no row between the two: none to place, none unexplained (most pairs)
        free = [s for s in range(s0 + 1, s1) if slots[s].row is None and _valued(slots[s])]
        missing = [i for i in range(r0 + 1, r1) if i not in taken and not layout.rows[i].optional]
        if free and len(free) == len(missing):
            for s, index in zip(free, missing, strict=True):
                slots[s].row, slots[s].inferred = layout.rows[index], True
                taken[index] = s
                score += GAP_ROW
            continue
        around = s0 < 0 or s1 >= len(slots)
        text_mode = all(slots[s].observed.mode in ("lines", "cells") for s in free)
        if free and not (around and not missing and text_mode):
            issues.append(_unplaced(slots, free, [layout.rows[i].key for i in missing]))
            score -= len(free)
    return issues, score


def _unplaced(slots: list[Slot], free: list[int], missing: list[str]) -> Issue:
    rows = [
        {"label": slots[s].observed.label, "values": [p.text for p in slots[s].observed.pieces]} for s in free
    ]
    return Issue("unrecognised_rows", None, slots[free[0]].observed.spot, {"rows": rows, "gap": missing})


# ----------------------------------------------------------------- entry


def assemble(layout: Layout, observed: list[Observed]) -> Assembly:
    assembly = Assembly(layout)
    slots: list[Slot] = []
    for row in observed:
        candidates, placeable = _candidates(layout, row)
        if not candidates and not placeable:
            continue
        slot = Slot(row, candidates)
        slots.extend(_expand(layout, slot, assembly) or [slot])
    issues, score = _place(layout, slots)
    assembly.issues.extend(issues)
    for slot in slots:
        if slot.row is None:
            continue
        if slot.row.key in assembly.rows:
            continue
        cells = build_row(layout, slot.row, slot, assembly)
        assembly.rows[slot.row.key] = slot.observed.spot
        if slot.inferred:
            assembly.inferred.append(slot.row.key)
        if slot.label is not None and slot.label.foreign:
            assembly.issues.append(
                Issue("foreign_label", slot.row.key, slot.observed.spot, {"label": slot.label.label})
            )
        for cell in cells or ():
            assembly.cells[(cell.row, cell.column)] = cell
    _resolve(assembly)
    _finish(assembly, score)
    return assembly


def _finish(assembly: Assembly, score: float) -> None:
    layout = assembly.layout
    bad = sum(
        1 for issue in assembly.issues if issue.kind in ("cell_count", "unsplittable", "ambiguous_split")
    )
    missing = [row.key for row in layout.rows if not row.optional and row.key not in assembly.rows]
    if assembly.cells and missing:
        where = next(iter(assembly.cells.values())).where
        assembly.issues.append(Issue("missing_rows", None, where, {"rows": missing}))
    if assembly.glued:
        first = assembly.glued[0]
        assembly.issues.append(
            Issue(
                "split_used",
                None,
                first["where"],
                {"rows": assembly.glued[:MAX_SHOWN], "count": len(assembly.glued)},
            )
        )
    if assembly.inferred:
        assembly.issues.append(Issue("inferred_rows", None, None, {"rows": assembly.inferred}))
    assembly.score = score - bad - 0.5 * len(missing)
