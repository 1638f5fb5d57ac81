"""Identities over table cells: parsed with grammar/expression.lark, never eval'd.

An identity is a linear comparison (``a + b == c + d``, ``x <= y + z``). It is
parsed once, at load time, into two linear forms; binding it to a table layout
(for one column, one row, or as written) gives coefficients over concrete cells.
Linearity is the point: the residual tells by how much one cell is off, so the
checker can say which single cell would fix every broken identity at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from lark import Lark, Transformer, v_args
from lark.exceptions import LarkError, VisitError

from gilint import cache
from gilint.data import grammar_dir
from gilint.structure.cache import lark_cache

Cell = tuple[str, str]  # (row key, column key)


class ExpressionError(ValueError):
    """An identity that does not parse or names no cell."""


@dataclass(frozen=True)
class Ref:
    """A key as written: ``new``, ``denied.*``, or ``fees[amount_10k_yuan]``."""

    key: str
    column: str | None = None

    @property
    def wildcard(self) -> bool:
        return self.key.endswith(".*")

    def matches(self, key: str) -> bool:
        if self.wildcard:
            return key.startswith(self.key[:-1])
        return key == self.key


@dataclass(frozen=True)
class Linear:
    """A sum of coefficients times cell references, plus a constant."""

    terms: tuple[tuple[float, Ref], ...]
    constant: float = 0.0

    def scaled(self, factor: float) -> Linear:
        return Linear(tuple((factor * c, r) for c, r in self.terms), factor * self.constant)

    def plus(self, other: Linear) -> Linear:
        return Linear(self.terms + other.terms, self.constant + other.constant)


_COMPARE: dict[str, Callable[[float], bool]] = {
    "==": lambda r: abs(r) < 1e-6,
    "!=": lambda r: abs(r) >= 1e-6,
    "<=": lambda r: r <= 1e-6,
    ">=": lambda r: r >= -1e-6,
    "<": lambda r: r < -1e-6,
    ">": lambda r: r > 1e-6,
}


@dataclass(frozen=True)
class Bound:
    """An identity bound to cells: ``sum(coef * cell) + constant  OP  0``."""

    coefficients: tuple[tuple[Cell, float], ...]
    constant: float
    operator: str

    @cached_property  # asked for every identity a table's analysis or a glued row's split looks at
    def cells(self) -> tuple[Cell, ...]:
        return tuple(cell for cell, _ in self.coefficients)

    def coefficient(self, cell: Cell) -> float:
        for candidate, coefficient in self.coefficients:
            if candidate == cell:
                return coefficient
        return 0.0

    def residual(self, values: dict[Cell, float | None]) -> float | None:
        """Left minus right; None when a term is unknown or absent."""
        total = self.constant
        for cell, coefficient in self.coefficients:
            value = values.get(cell)
            if value is None:
                return None
            total += coefficient * value
        return total

    def holds(self, residual: float) -> bool:
        return _COMPARE[self.operator](residual)

    @property
    def is_equality(self) -> bool:
        return self.operator == "=="


@dataclass(frozen=True)
class Expression:
    """An identity as parsed: two linear sides and the comparison between them."""

    source: str
    left: Linear
    operator: str
    right: Linear

    def refs(self) -> Iterable[Ref]:
        for _, ref in self.left.terms + self.right.terms:
            yield ref

    def bind(self, resolve: Callable[[Ref], list[Cell]]) -> Bound | None:
        """Cells for every reference (``resolve`` expands wildcards); None when a
        reference resolves to nothing, so the identity does not apply here."""
        coefficients: dict[Cell, float] = {}
        for sign, side in ((1.0, self.left), (-1.0, self.right)):
            for coefficient, ref in side.terms:
                cells = resolve(ref)
                if not cells:
                    return None
                for cell in cells:
                    coefficients[cell] = coefficients.get(cell, 0.0) + sign * coefficient
        terms = tuple((cell, c) for cell, c in coefficients.items() if c != 0.0)
        return Bound(terms, self.left.constant - self.right.constant, self.operator)


@v_args(inline=True)
class _ToLinear(Transformer):
    def comparison(self, left, operator, right) -> tuple[Linear, str, Linear]:
        return _linear(left), str(operator), _linear(right)

    def ref(self, key, column=None) -> Linear:
        if column is not None and str(column).endswith(".*"):
            raise ExpressionError(f"a column cannot be a wildcard: {column}")
        return Linear(((1.0, Ref(str(key), str(column) if column is not None else None)),))

    def number(self, token) -> Linear:
        return Linear((), float(token))

    def total(self, *refs: Linear) -> Linear:
        result = Linear(())
        for ref in refs:
            result = result.plus(ref)
        return result

    def add(self, left, right) -> Linear:
        return _linear(left).plus(_linear(right))

    def subtract(self, left, right) -> Linear:
        return _linear(left).plus(_linear(right).scaled(-1.0))

    def scale(self, factor, atom) -> Linear:
        return _linear(atom).scaled(float(factor))

    def negate(self, atom) -> Linear:
        return _linear(atom).scaled(-1.0)


def _linear(value: object) -> Linear:
    if isinstance(value, Linear):
        return value
    raise ExpressionError(f"unexpected term {value!r}")


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark.open(str(grammar_dir() / "expression.lark"), parser="lalr", cache=lark_cache("expression"))


# The official identities are a few dozen characters; the tree is turned into linear
# forms recursively, so a 3,000-term expression from a pack would exhaust the stack.
MAX_EXPRESSION_CHARS = 1000


@lru_cache(maxsize=512)
def parse_expression(source: str) -> Expression:
    if len(source) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(
            f"{source[:40]!r}…: {len(source)} characters, over the limit of {MAX_EXPRESSION_CHARS}"
        )
    # Parsing the packs' identities cost a fifth of building the linter: the linear forms are
    # kept between runs, keyed by the source and the grammar (errors are found afresh each time).
    key = f"expression-1\0{_grammar_text()}\0{source}".encode("utf-8", "surrogatepass")
    left, operator, right = cache.derived("expression", key, lambda: _plain(*_parse(source)))
    return Expression(source, _linear_of(left), operator, _linear_of(right))


def _parse(source: str) -> tuple[Linear, str, Linear]:
    try:
        tree = _parser().parse(source)
        return _ToLinear().transform(tree)
    except RecursionError:
        raise ExpressionError(f"{source[:40]!r}…: nested too deeply") from None
    except VisitError as error:
        raise ExpressionError(f"{source!r}: {error.orig_exc}") from error
    except LarkError as error:
        raise ExpressionError(f"{source!r}: {str(error).splitlines()[0]}") from error


Plain = tuple[tuple[tuple[float, str, str | None], ...], float]


def _plain(left: Linear, operator: str, right: Linear) -> tuple[Plain, str, Plain]:
    """The parsed sides as plain data (what the cache can hold)."""

    def side(linear: Linear) -> Plain:
        return tuple((c, ref.key, ref.column) for c, ref in linear.terms), linear.constant

    return side(left), operator, side(right)


def _linear_of(plain: Plain) -> Linear:
    terms, constant = plain
    return Linear(tuple((c, Ref(key, column)) for c, key, column in terms), constant)


@lru_cache(maxsize=1)
def _grammar_text() -> str:
    return (grammar_dir() / "expression.lark").read_text("utf-8")
