"""Table kinds: the three mandated tables are there, well formed, and add up.

- ``table_presence`` (GI104 absent, GI004 unreadable): a section with no table,
  or a table heading whose cells are gone;
- ``table_shape`` (GI105): rows with the wrong number of cells, rows that could
  not be placed, mandated rows missing;
- ``input_damage`` (GI006): digits glued together by a copy or crawl, row labels
  lost; info notes when a glued row was split or a row placed by order;
- ``table_cells`` (GI206): a cell that is not a valid number (unknown, not 0);
- ``table_identity`` (GI201–GI205, GI210, and custom packs): identities of the
  table models, or one given in the rule's params;
- ``table_layout`` (GI403): a table in another format version's layout.

Every numeric finding names its cell, points at the cell's text and shows the
arithmetic in the message and in ``data``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from gilint.checks.kinds.base import Finding, Kind, Rule, register
from gilint.checks.phrases import joined, phrase
from gilint.data import rules_dir
from gilint.model import CellRef, Location, Report, Severity
from gilint.tables import Cell, Table, analyse, extract_tables, load_table_models
from gilint.tables.analysis import Failure
from gilint.tables.expression import ExpressionError, parse_expression
from gilint.tables.models import LAYOUTS, IdentityModel, Instance, TableModelError, check_identity

_TABLES = {"type": "array", "items": {"type": "string"}, "minItems": 1}


def tables_of(report: Report, context: Any) -> dict[str, Table]:
    """The report's tables; extracted here when the pipeline has not done it."""
    if not report.tables:
        models = getattr(context, "table_models", None) or load_table_models([rules_dir()])
        extract_tables(report, models)
    return {key: table for key, table in report.tables.items() if isinstance(table, Table)}


def _selected(report: Report, rule: Rule, context: Any) -> Iterable[Table]:
    wanted = rule.params.get("tables")
    for key, table in tables_of(report, context).items():
        if wanted is None or key in wanted:
            yield table


# ----------------------------------------------------------------- naming


def row_name(table: Table, row: str, lang: str) -> str:
    return table.model.row_name(row).get(lang, row)


def column_name(table: Table, column: str, lang: str) -> str:
    model = table.model.columns.get(column)
    return model.name.get(lang, column) if model else column


def cell_name(table: Table, row: str, column: str, lang: str) -> str:
    return f"{row_name(table, row, lang)} × {column_name(table, column, lang)}"


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


def _anchor(table: Table, row: str | None, location: Location | None = None) -> Location | None:
    return location or (table.row_location(row) if row else None) or table.location or table.heading


# ---------------------------------------------------------------- GI104 / GI004


@register
class TablePresence(Kind):
    """A section's mandated table is missing (GI104) or its cells are gone (GI004)."""

    name = "table_presence"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["when"],
        "properties": {"tables": _TABLES, "when": {"enum": ["absent", "unreadable"]}},
    }

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        for table in _selected(report, rule, context):
            if table.status in ("ok", "missing"):
                continue  # a missing section is GI101's business
            unreadable = table.status == "bare" or table.has_labels
            if unreadable != (rule.params["when"] == "unreadable"):
                continue
            yield Finding(
                rule.message("default", table=table.model.name["zh"], table_en=table.model.name["en"]),
                table.heading or table.location,
                table=table.key,
                data={"table": table.key, "status": table.status},
            )


# ------------------------------------------------------------ GI105 / GI006


class _TableIssues(Kind):
    """Issues extraction noted in a table, those of ``ISSUES`` (notes as info)."""

    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"tables": _TABLES, "notes": {"type": "boolean"}},
    }
    ISSUES: ClassVar[frozenset[str]] = frozenset()
    NOTES: ClassVar[frozenset[str]] = frozenset({"split_used", "inferred_rows"})

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        notes = rule.params.get("notes", True)
        for table in _selected(report, rule, context):
            for issue in table.issues:
                if issue.kind not in self.ISSUES or (issue.kind in self.NOTES and not notes):
                    continue
                message_id, values = self._values(table, issue)
                yield Finding(
                    rule.message(message_id, **values),
                    _anchor(table, issue.row, issue.location),
                    table=table.key,
                    severity=Severity.INFO if issue.kind in self.NOTES else None,
                    data={"table": table.key, "row": issue.row, "issue": issue.kind, **_plain(issue.data)},
                )

    @staticmethod
    def _values(table: Table, issue) -> tuple[str, dict[str, Any]]:
        data = issue.data
        values: dict[str, Any] = {"table": table.model.short["zh"], "table_en": table.model.short["en"]}
        if issue.row:
            values.update(row=row_name(table, issue.row, "zh"), row_en=row_name(table, issue.row, "en"))
        kind = issue.kind
        if kind in ("cell_count", "unsplittable", "ambiguous_split"):
            values.update(
                expected=data.get("expected"), found=" ".join(data.get("found", [])) or phrase("empty", "zh")
            )
            values.update(count=len(data.get("found", [])))
            if data.get("completed"):
                kind = "completed"
                values["values"] = "/".join(_number(v) for v in data["completed"])
            if kind == "ambiguous_split":
                for lang, name in (("zh", "splits"), ("en", "splits_en")):
                    splits = (" ".join(split) for split in data.get("splits", [])[:4])
                    values[name] = joined(splits, lang, "group_separator")
                if data.get("spans_rows"):  # one glued run holding several rows: name them all
                    kind = "ambiguous_split_rows"
                    for lang, name in (("zh", "rows"), ("en", "rows_en")):
                        values[name] = joined(
                            (row_name(table, key, lang) for key in data["spans_rows"]), lang
                        )
        elif kind == "unrecognised_rows":
            rows = data.get("rows", [])
            values["count"] = len(rows)
            for lang, name in (("zh", "rows"), ("en", "rows_en")):  # the rows as the report prints them
                values[name] = joined((_row_text(row) for row in rows[:4]), lang, "group_separator")
            gap = [row_name(table, key, "zh") for key in data.get("gap", [])]
            values.update(
                gap=joined(gap, "zh") or phrase("none", "zh"),
                gap_en=joined((row_name(table, k, "en") for k in data.get("gap", [])), "en")
                or phrase("none", "en"),
            )
        elif kind == "missing_rows":
            keys = data.get("rows", [])
            values.update(count=len(keys), rows=joined((row_name(table, k, "zh") for k in keys), "zh"))
            values["rows_en"] = joined((row_name(table, k, "en") for k in keys), "en")
        elif kind == "split_used":
            rows = data.get("rows", [])
            values["count"] = data.get("count", len(rows))
            for lang, name in (("zh", "rows"), ("en", "rows_en")):
                shown = (f"{row_name(table, r['row'], lang)} {r['raw']} → {r['split']}" for r in rows)
                values[name] = joined(shown, lang, "group_separator")
        elif kind == "inferred_rows":
            keys = data.get("rows", [])
            values.update(count=len(keys), rows=joined((row_name(table, k, "zh") for k in keys), "zh"))
            values["rows_en"] = joined((row_name(table, k, "en") for k in keys), "en")
        return kind, values


@register
class TableShape(_TableIssues):
    """GI105: rows with the wrong number of cells, rows that could not be placed,
    mandated rows missing: the table as the report printed it."""

    name = "table_shape"
    messages = ("cell_count", "completed", "unrecognised_rows", "missing_rows")
    ISSUES: ClassVar[frozenset[str]] = frozenset({"cell_count", "unrecognised_rows", "missing_rows"})


@register
class InputDamage(_TableIssues):
    """GI006: what copying, crawling or converting did to a table: digits glued
    together (split when only one split fits, else the row is unknown) and row
    labels lost (placed by order). A property of the input, not of the report."""

    name = "input_damage"
    messages = ("unsplittable", "ambiguous_split", "ambiguous_split_rows", "split_used", "inferred_rows")
    ISSUES: ClassVar[frozenset[str]] = frozenset(
        {"unsplittable", "ambiguous_split", "split_used", "inferred_rows"}
    )


def _row_text(row: dict[str, Any]) -> str:
    label = row.get("label") or phrase("no_label", "zh")
    return f"{label} {' '.join(row.get('values', []))}".strip()


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """Issue data without positions, for the JSON output."""
    result: dict[str, Any] = {}
    for key, value in data.items():
        if key == "where":
            continue
        if isinstance(value, list):
            value = [
                {k: v for k, v in item.items() if k != "where"} if isinstance(item, dict) else item
                for item in value
            ]
        result[key] = value
    return result


# ------------------------------------------------------------------ GI206


@register
class TableCells(Kind):
    """A cell that is not a valid number: blank, a placeholder, text, a negative
    count or a decimal count. Its value is unknown, not 0. Many blank cells or
    placeholders in one table (a form left empty for none) are one finding."""

    name = "table_cells"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"tables": _TABLES, "max_cells": {"type": "integer", "minimum": 1}},
    }
    messages = (
        "blank",
        "marker",
        "text",
        "negative",
        "decimal",
        "zero_marker",
        "numeral",
        "blank_many",
        "marker_many",
    )
    NOTES: ClassVar[frozenset[str]] = frozenset({"zero_marker", "numeral"})  # read, with a note
    GROUPED: ClassVar[tuple[str, ...]] = ("blank", "marker")

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        limit = rule.params.get("max_cells", 6)
        for table in _selected(report, rule, context):
            by_status: dict[str, list[Cell]] = {}
            for cell in table.cells.values():
                if cell.status in self.messages:
                    by_status.setdefault(cell.status, []).append(cell)
            for status, cells in by_status.items():
                if status in self.GROUPED and len(cells) > limit:
                    yield self._many(table, rule, status, cells)
                else:
                    yield from (self._one(table, rule, cell) for cell in cells)

    @staticmethod
    def _one(table: Table, rule: Rule, cell: Cell) -> Finding:
        return Finding(
            rule.message(
                cell.status,
                table=table.model.short["zh"],
                table_en=table.model.short["en"],
                cell=cell_name(table, cell.row, cell.column, "zh"),
                cell_en=cell_name(table, cell.row, cell.column, "en"),
                raw=cell.raw,
                value=_number(cell.value),
            ),
            _anchor(table, cell.row, cell.location),
            cell=CellRef(table.key, cell.row, cell.column),
            table=table.key,
            severity=Severity.INFO if cell.status in TableCells.NOTES else None,
            data={"raw": cell.raw, "status": cell.status, "value": cell.value},
        )

    @staticmethod
    def _many(table: Table, rule: Rule, status: str, cells: list[Cell]) -> Finding:
        used = {cell.column for cell in cells}
        columns = [column for column in table.model.columns if column in used]
        first = cells[0]
        return Finding(
            rule.message(
                f"{status}_many",
                table=table.model.short["zh"],
                table_en=table.model.short["en"],
                count=len(cells),
                raw=joined(sorted({cell.raw for cell in cells}), "zh"),
                columns=joined((column_name(table, c, "zh") for c in columns), "zh"),
                columns_en=joined((column_name(table, c, "en") for c in columns), "en"),
            ),
            _anchor(table, first.row, first.location),
            cell=CellRef(table.key, first.row, first.column),
            table=table.key,
            data={
                "status": status,
                "cells": [{"row": c.row, "column": c.column, "raw": c.raw} for c in cells],
            },
        )


# ------------------------------------------------------- GI201–GI205, GI210


_IDENTITY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["table"],
    "properties": {
        "table": {"type": "string"},
        # Identities of the table model, by name …
        "identities": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        # … or one written here (a custom pack's own check).
        "expression": {"type": "string"},
        "each": {"enum": ["row", "column", "none"]},
        "over": {"type": "array", "items": {"type": "string"}},
        "target": {"type": "string"},
        "layouts": {"type": "array", "items": {"enum": list(LAYOUTS)}},
        "message": {"type": "string"},
    },
    "oneOf": [{"required": ["identities"]}, {"required": ["expression"]}],
}


@register
class TableIdentity(Kind):
    """An identity over a table's cells fails: named cell, reported and expected
    value, the terms; the single cell that would fix several failures at once."""

    name = "table_identity"
    params_schema: ClassVar[dict[str, Any]] = _IDENTITY

    def __init__(self) -> None:
        self._inline: dict[tuple[str, str], IdentityModel] = {}

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        table = tables_of(report, context).get(rule.params["table"])
        if table is None or table.layout_model is None:
            return
        if "expression" in rule.params:
            identity = self._identity(table, rule)
            failures = [f for f in analyse(table, (identity,)).failures if f.instance.identity is identity]
        else:
            names = set(rule.params["identities"])
            failures = [f for f in analyse(table).failures if f.instance.identity.name in names]
        for failure in failures:
            yield self._finding(table, rule, failure)

    def _identity(self, table: Table, rule: Rule) -> IdentityModel:
        key = (rule.pack, rule.code + rule.params["expression"])
        identity = self._inline.get(key)
        if identity is None:
            params = rule.params
            where = f"{rule.pack}: rule {rule.code}: params"
            try:
                expression = parse_expression(params["expression"])
                target = (
                    parse_expression(f"{params['target']} == 0").left.terms[0][1]
                    if params.get("target")
                    else None
                )
            except ExpressionError as error:
                raise TableModelError(f"{where}: {error}") from error
            identity = IdentityModel(
                name=f"{rule.code.lower()}_custom",
                code=rule.code,
                each=params.get("each", "none"),
                expression=expression,
                target=target,
                over=tuple(params["over"]) if params.get("over") else None,
                layouts=tuple(params.get("layouts", LAYOUTS)),
                message=params.get("message", "default"),
                source=where,
            )
            check_identity(table.model, identity, where)
            self._inline[key] = identity
        return identity

    def _finding(self, table: Table, rule: Rule, failure: Failure) -> Finding:
        instance = failure.instance
        cell = failure.cell
        values: dict[str, Any] = {
            "table": table.model.short["zh"],
            "table_en": table.model.short["en"],
            "expression": instance.identity.expression.source,
            "reported": _number(failure.reported),
            "expected": _number(failure.expected),
            "fix": "",
            "fix_en": "",
        }
        if cell is not None:
            values.update(cell=cell_name(table, *cell, "zh"), cell_en=cell_name(table, *cell, "en"))
            values.update(
                equation=_equation(table, instance, cell, "zh"),
                equation_en=_equation(table, instance, cell, "en"),
            )
        values["sides"] = _sides(table, failure)
        if failure.culprit and len(failure.fixes) > 1:
            for lang, key in (("zh", "fix"), ("en", "fix_en")):
                names = joined((_identity_name(table, i, lang) for i in failure.fixes), lang)
                values[key] = phrase("fix_one_cell", lang, identities=names)
        message_id = instance.identity.message if instance.identity.message in rule.messages else "default"
        location = table.cells[cell].location if cell in table.cells else None
        return Finding(
            rule.message(message_id, **values),
            _anchor(table, cell[0] if cell else None, location),
            cell=CellRef(table.key, *cell) if cell else None,
            table=table.key,
            data=_identity_data(table, failure),
        )


def _identity_name(table: Table, instance: Instance, lang: str) -> str:
    code = instance.identity.code
    axis = instance.axis
    if axis is None:
        return code
    if instance.identity.each == "column":
        return phrase("identity_per_column", lang, code=code, name=column_name(table, axis, lang))
    return phrase("identity_per_row", lang, code=code, name=row_name(table, axis, lang))


def _term_name(table: Table, instance: Instance, cell: tuple[str, str], lang: str) -> str:
    if instance.identity.each == "column":
        return row_name(table, cell[0], lang)
    if instance.identity.each == "row":
        return column_name(table, cell[1], lang)
    return cell_name(table, *cell, lang)


def _equation(table: Table, instance: Instance, cell: tuple[str, str], lang: str) -> str:
    """What the cell should be, as the other terms: ``（一）予以公开 13 + 其余 20 项为 0``."""
    bound = instance.bound
    own = bound.coefficient(cell)
    parts: list[str] = []
    zeros = 0
    for other, coefficient in bound.coefficients:
        if other == cell:
            continue
        value = table.value(*other) or 0
        factor = -coefficient / own
        if value == 0:
            zeros += 1
            continue
        sign = "+" if factor > 0 else "−"
        scale = "" if abs(factor) == 1 else f"{_number(abs(factor))}×"
        parts.append(f"{sign} {scale}{_term_name(table, instance, other, lang)} {_number(value)}")
    if bound.constant:
        constant = -bound.constant / own
        parts.append(f"{'+' if constant > 0 else '−'} {_number(abs(constant))}")
    text = " ".join(parts).lstrip("+ ").strip()
    if zeros:
        rest = phrase("other_terms_zero", lang, count=zeros)
        text = f"{text} + {rest}" if text else rest
    return text or "0"


def _sides(table: Table, failure: Failure) -> str:
    """The identity's two sides as numbers, as required: ``13 = 0``."""
    bound = failure.instance.bound
    left = sum(c * (table.value(*cell) or 0) for cell, c in bound.coefficients if c > 0)
    right = sum(-c * (table.value(*cell) or 0) for cell, c in bound.coefficients if c < 0) - bound.constant
    # The relation that does hold, since the identity failed: 13 ≠ 0, 10 > 5.
    negated = {"==": "≠", "!=": "=", "<=": ">", ">=": "<", "<": "≥", ">": "≤"}[bound.operator]
    return f"{_number(left)} {negated} {_number(right)}"


def _identity_data(table: Table, failure: Failure) -> dict[str, Any]:
    instance = failure.instance
    return {
        "identity": instance.identity.name,
        "expression": instance.identity.expression.source,
        "axis": instance.axis,
        "reported": failure.reported,
        "expected": failure.expected,
        "residual": failure.residual,
        "culprit": failure.culprit,
        "fixes": [
            {"identity": i.identity.name, "code": i.identity.code, "axis": i.axis} for i in failure.fixes
        ],
        "terms": [
            {"row": cell[0], "column": cell[1], "coefficient": coefficient, "value": table.value(*cell)}
            for cell, coefficient in instance.bound.coefficients
        ],
    }


# ------------------------------------------------------------ GI403 / GI109


def other_version(table: Table, profile: str) -> bool:
    """Whether the table is in another format version than the report's: read in
    that version's layout, and what only that version prints outweighs what only
    the report's prints by the model's margin (rules/tables layout_evidence)."""
    weights = table.model.evidence
    if weights is None or table.layout is None or table.layout == profile:
        return False
    return table.weight(table.layout) - table.weight(profile) >= weights.margin


def _signals(table: Table, layout: str, lang: str) -> str:
    return joined(
        (
            phrase(f"signal_{signal.kind}", lang, name=signal.name[lang], weight=_number(signal.weight))
            for signal in table.evidence.get(layout, ())
        ),
        lang,
    )


@register
class TableLayout(Kind):
    """GI403: a table in another format version than the report's profile, decided
    from the weight of what only one version prints; the message names it."""

    name = "table_layout"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"tables": _TABLES},
    }
    messages = ("layout",)

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        profile = report.profile
        for table in _selected(report, rule, context):
            if table.status != "ok" or profile not in table.model.layouts:
                continue
            if not other_version(table, profile):
                continue
            layout = table.layout or ""
            yield Finding(
                rule.message(
                    "layout",
                    table=table.model.name["zh"],
                    table_en=table.model.name["en"],
                    profile=profile,
                    layout=layout,
                    evidence=_signals(table, layout, "zh"),
                    evidence_en=_signals(table, layout, "en"),
                    weight=_number(table.weight(layout)),
                    profile_weight=_number(table.weight(profile)),
                ),
                table.heading or table.location,
                table=table.key,
                data={
                    "layout": layout,
                    "profile": profile,
                    "weights": {name: table.weight(name) for name in table.evidence},
                    "signals": [
                        {"kind": signal.kind, "name": signal.name["zh"], "weight": signal.weight}
                        for signal in table.evidence.get(layout, ())
                    ],
                },
            )


@register
class TableLabel(Kind):
    """GI109: a row label in the other format version's wording (规范性文件 for
    行政规范性文件) in a table that is in the report's version: a wording slip."""

    name = "table_label"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"tables": _TABLES},
    }

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        profile = report.profile
        for table in _selected(report, rule, context):
            if table.status != "ok" or table.layout != profile or table.layout_model is None:
                continue
            for issue in table.issues:
                if issue.kind != "foreign_label" or issue.row not in table.layout_model.by_key:
                    continue
                label = issue.data.get("label", "")
                labels = table.layout_model.by_key[issue.row].labels
                expected = [lbl.text for lbl in labels if not lbl.foreign]
                yield Finding(
                    rule.message(
                        "default",
                        table=table.model.short["zh"],
                        table_en=table.model.short["en"],
                        label=label,
                        expected=joined(expected, "zh"),
                        profile=profile,
                        version=_wording_of(table, issue.row, label) or "?",
                    ),
                    _anchor(table, issue.row, issue.location),
                    table=table.key,
                    data={"label": label, "row": issue.row, "expected": expected},
                )


def _wording_of(table: Table, row: str, label: str) -> str | None:
    """The format version whose own wording a row label is."""
    for name, layout in table.model.layouts.items():
        model_row = layout.by_key.get(row)
        if model_row is not None and any(lbl.text == label and not lbl.foreign for lbl in model_row.labels):
            return name
    return None
