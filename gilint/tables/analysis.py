"""The identities of a table, evaluated once, and the cell to blame.

An identity with an unknown or absent term is skipped, not failed. When one
wrong cell breaks several identities (a sub-row's 自然人 breaks its column's
outcome total and its row's applicant total), changing that one cell would fix
them all while changing the totals would break others: such a cell, when it is
the only one, is named by every failure it explains, so the user corrects the
right number. Otherwise a failure names the identity's target (the total).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gilint.tables.expression import Cell
from gilint.tables.models import IdentityModel, Instance, Layout, bind
from gilint.tables.table import Table


@dataclass(frozen=True)
class Failure:
    """A broken identity, and the cell to blame when one can be named."""

    instance: Instance
    residual: float  # left minus right
    cell: Cell | None  # the cell the finding names
    reported: float | None  # its value
    expected: float | None  # the value that satisfies this identity (equalities)
    culprit: bool = False  # the one cell whose change fixes every identity it is in
    fixes: tuple[Instance, ...] = ()  # the broken identities that change repairs

    @property
    def code(self) -> str:
        return self.instance.identity.code


@dataclass
class Analysis:
    """What evaluating a table's identities found."""

    failures: list[Failure] = field(default_factory=list)
    checked: int = 0
    skipped: int = 0

    def for_code(self, code: str) -> list[Failure]:
        return [failure for failure in self.failures if failure.code == code]


@dataclass
class _Evaluated:
    """An identity instance with its residual."""

    instance: Instance
    residual: float
    holds: bool


def analyse(table: Table, extra: Sequence[IdentityModel] = ()) -> Analysis:
    """Evaluate the layout's identities (and ``extra`` ones, e.g. from a rule's
    params); cached on the table when there are no extra ones."""
    if not extra and table.analysis is not None:
        return table.analysis
    layout = table.layout_model
    if layout is None:
        return Analysis()
    instances = list(layout.instances)
    for identity in extra:
        if layout.name in identity.layouts:
            instances.extend(bind(identity, layout))
    result = _analyse(table, layout, instances)
    if not extra:
        table.analysis = result
    return result


def _analyse(table: Table, layout: Layout, instances: list[Instance]) -> Analysis:
    values = table.values()
    analysis = Analysis()
    # Plain (instance, residual, holds) tuples: the cells' index of the identities is
    # built only when one fails (analysis: 1.89M -> 1.2M instructions a Markdown report).
    evaluated: list[tuple[Instance, float, bool]] = []
    for instance in instances:
        bound = instance.bound
        residual = bound.residual(values)
        if residual is None:
            analysis.skipped += 1
            continue
        evaluated.append((instance, residual, bound.holds(residual)))
    analysis.checked = len(evaluated)
    if all(holds for _, _, holds in evaluated):
        return analysis
    items = [_Evaluated(*item) for item in evaluated]
    by_cell: dict[Cell, list[_Evaluated]] = {}
    for item in items:
        if item.instance.bound.is_equality:
            for cell in item.instance.bound.cells:
                by_cell.setdefault(cell, []).append(item)
    for item in items:
        if not item.holds:
            analysis.failures.append(_blame(table, layout, item, by_cell, values))
    return analysis


def _fix(
    cell: Cell, item: _Evaluated, by_cell, values, layout: Layout
) -> tuple[float, tuple[Instance, ...]] | None:
    """The value ``cell`` needs for ``item`` to hold, if that change keeps every
    other identity the cell is in satisfied; with the broken ones it repairs."""
    current = values[cell]
    assert current is not None
    new = current - item.residual / item.instance.bound.coefficient(cell)
    kind = layout.column_kind(cell[1])
    if (kind != "amount" and abs(new - round(new)) > 1e-6) or (kind != "signed" and new < -1e-6):
        return None
    fixed: list[Instance] = []
    for other in by_cell.get(cell, ()):
        after = other.residual + other.instance.bound.coefficient(cell) * (new - current)
        if abs(after) > 1e-6:
            return None
        if not other.holds:
            fixed.append(other.instance)
    return new, tuple(fixed)


def _blame(table: Table, layout: Layout, item: _Evaluated, by_cell, values) -> Failure:
    instance = item.instance
    if instance.bound.is_equality:
        options: list[tuple[Cell, float, tuple[Instance, ...]]] = []
        for cell in instance.bound.cells:
            found = _fix(cell, item, by_cell, values, layout)
            if found is not None:
                options.append((cell, found[0], found[1]))
        if options:
            most = max(len(fixes) for _, _, fixes in options)
            best = [option for option in options if len(option[2]) == most]
            if len(best) == 1 and (most >= 2 or len(options) == 1):
                cell, expected, fixes = best[0]
                return Failure(instance, item.residual, cell, values[cell], expected, True, fixes)
    target = instance.target
    if target is None or values.get(target) is None:
        return Failure(instance, item.residual, target, None, None)
    expected = None
    if instance.bound.is_equality:
        expected = values[target] - item.residual / instance.bound.coefficient(target)
    return Failure(instance, item.residual, target, values[target], expected)
