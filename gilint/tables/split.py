"""Digits a crawler glued together: ``640020470`` is 64/0/0/2/0/4/70.

The pieces of a row (text between spaces or cell borders) are cut into exactly
as many cells as the row has columns; a cut never crosses a piece border. A cell
has no leading zero (``0`` stands alone), a sign only in a signed column and a
decimal point only in an amount column. Each row's equalities (``总计`` = the sum
of the applicant columns) must hold; the last cell of a row is then forced, which
keeps the search small. The caller uses a split only when it is the only one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from gilint.patterns import linear

_CELL = {
    "count": linear(r"0|[1-9][0-9]{0,8}"),
    "signed": linear(r"[+\-]?(?:0|[1-9][0-9]{0,8})"),
    "amount": linear(r"(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,6})?"),
}
MAX_CELL = 13  # characters; longer cells are not tried


@dataclass(frozen=True)
class RowShape:
    """Column kinds of one row, its equalities ``sum(coef * cell) + constant == 0``
    and its bounds ``sum(coef * cell) + constant <= 0``."""

    kinds: tuple[str, ...]
    equalities: tuple[tuple[tuple[tuple[int, float], ...], float], ...] = ()
    bounds: tuple[tuple[tuple[tuple[int, float], ...], float], ...] = ()


@dataclass(frozen=True)
class Span:
    """Characters ``start``..``end`` of glued piece ``piece``: one cell's digits."""

    piece: int
    start: int
    end: int


@dataclass(frozen=True)
class SplitResult:
    """The ways glued digits split into cells that satisfy the identities."""

    solutions: tuple[tuple[tuple[Span, ...], ...], ...]  # per solution, per row, per cell
    exhausted: bool  # the search budget ran out: treat as ambiguous


def value_of(text: str) -> float:
    return float(text)


def _ceilings(pieces: Sequence[str], shape: RowShape) -> list[float] | None:
    """For a last row whose last cell is the sum of the others (总计): the
    largest total its final ``n`` characters can spell, for each ``n``. The
    total is a suffix of the last piece (cells never cross pieces), and the
    parts can never add up to more than it."""
    last = len(shape.kinds) - 1
    for terms, constant in shape.equalities:
        coefficients = dict(terms)
        total = coefficients.get(last, 0.0)
        if constant or abs(total) != 1 or any(coefficients.get(c, 0.0) != -total for c in range(last)):
            continue
        pattern = _CELL[shape.kinds[last]]
        text = pieces[-1]
        ceilings = [-1.0]
        for n in range(1, min(MAX_CELL, len(text)) + 1):
            value = float(text[-n:]) if pattern.fullmatch(text, len(text) - n) else -1.0
            ceilings.append(max(ceilings[-1], value))
        return ceilings
    return None


class _Search:
    def __init__(self, pieces: Sequence[str], shapes: Sequence[RowShape], limit: int, budget: int):
        self.pieces = pieces
        self.shapes = shapes
        self.limit = limit
        self.budget = budget
        self.cells = [(r, c) for r, shape in enumerate(shapes) for c in range(len(shape.kinds))]
        self.lengths = [len(piece) for piece in pieces]
        self.solutions: list[tuple[tuple[Span, ...], ...]] = []
        self.spans: list[Span] = []
        self.values: list[float] = []
        self.exhausted = False
        self.ceilings = _ceilings(pieces, shapes[-1]) if pieces and shapes else None

    def remaining_chars(self, piece: int, offset: int) -> int:
        return self.lengths[piece] - offset + sum(self.lengths[piece + 1 :])

    def run(self) -> SplitResult:
        if self.cells and self.pieces:
            self.step(0, 0, 0)
        return SplitResult(tuple(self.solutions), self.exhausted)

    def step(self, index: int, piece: int, offset: int) -> None:
        if len(self.solutions) >= self.limit or self.exhausted:
            return
        self.budget -= 1
        if self.budget < 0:
            self.exhausted = True
            return
        if index == len(self.cells):
            if piece == len(self.pieces):
                self.solutions.append(self.rows())
            return
        if piece == len(self.pieces):
            return
        left = len(self.cells) - index
        self.remaining_chars_now = self.remaining_chars(piece, offset)
        if self.remaining_chars_now < left or len(self.pieces) - piece > left:
            return
        row, column = self.cells[index]
        shape = self.shapes[row]
        if (
            self.ceilings is not None
            and row == len(self.shapes) - 1
            and column
            and self.too_big(column, left)
        ):
            return
        text = self.pieces[piece]
        for length in self.lengths_to_try(shape, column, text, offset):
            end = offset + length
            self.spans.append(Span(piece, offset, end))
            self.values.append(value_of(text[offset:end]))
            if column < len(shape.kinds) - 1 or self.row_holds(shape):
                if end == len(text):
                    self.step(index + 1, piece + 1, 0)
                else:
                    self.step(index + 1, piece, end)
            self.spans.pop()
            self.values.pop()

    def too_big(self, column: int, left: int) -> bool:
        """The parts placed so far exceed any total the characters left for it
        can spell (``left`` cells remain, the total among them)."""
        assert self.ceilings is not None
        room = min(self.remaining_chars_now - (left - 1), len(self.ceilings) - 1)
        return room < 1 or sum(self.values[len(self.values) - column :]) > self.ceilings[room]

    def lengths_to_try(self, shape: RowShape, column: int, text: str, offset: int) -> list[int]:
        pattern = _CELL[shape.kinds[column]]
        forced = self.forced(shape, column)
        if forced is not None:
            return [len(s) for s in forced if text.startswith(s, offset) and pattern.fullmatch(s)]
        available = min(MAX_CELL, len(text) - offset)
        return [n for n in range(1, available + 1) if pattern.fullmatch(text, offset, offset + n)]

    def forced(self, shape: RowShape, column: int) -> list[str] | None:
        """The last cell of a row, when an equality over the earlier cells fixes it."""
        if column != len(shape.kinds) - 1:
            return None
        first = len(self.values) - column
        for terms, constant in shape.equalities:
            coefficient = dict(terms).get(column, 0.0)
            if not coefficient or any(c > column for c, _ in terms):
                continue
            rest = sum(coef * self.values[first + c] for c, coef in terms if c != column) + constant
            value = -rest / coefficient
            if value != int(value):
                return []
            number = int(value)
            return (
                [str(number), f"+{number}"]
                if number > 0 and shape.kinds[column] == "signed"
                else [str(number)]
            )
        return None

    def row_holds(self, shape: RowShape) -> bool:
        first = len(self.values) - len(shape.kinds)
        for terms, constant in shape.equalities:
            total = sum(coef * self.values[first + c] for c, coef in terms) + constant
            if abs(total) > 1e-6:
                return False
        for terms, constant in shape.bounds:
            if sum(coef * self.values[first + c] for c, coef in terms) + constant > 1e-6:
                return False
        return True

    def rows(self) -> tuple[tuple[Span, ...], ...]:
        result: list[tuple[Span, ...]] = []
        position = 0
        for shape in self.shapes:
            result.append(tuple(self.spans[position : position + len(shape.kinds)]))
            position += len(shape.kinds)
        return tuple(result)


@lru_cache(maxsize=4096)
def split_pieces(
    pieces: tuple[str, ...], shapes: tuple[RowShape, ...], limit: int = 2, budget: int = 20_000
) -> SplitResult:
    """Up to ``limit`` ways to cut ``pieces`` into the cells of ``shapes``
    (cached: both layouts of a table, and many reports, split the same rows)."""
    return _Search(pieces, shapes, limit, budget).run()
