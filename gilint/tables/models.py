"""The table models as data: rules/tables/*.yaml -> TableModels.

Each file describes one mandated table (or, with ``extends: true``, adds label
variants and identities to one defined earlier, e.g. a province's own checks).
Files are validated with schemas/table-model.schema.json and then for meaning
(unknown keys, identities that do not parse or name nothing); every error names
the file and the key. A loaded model is split into one ``Layout`` per format
version ("2019", "2021"): the rows that exist in it, their columns, and the
identities bound to concrete cells.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from gilint.data import is_shipped, schema_dir
from gilint.patterns import UnsafePattern, untrusted
from gilint.structure.knowledge import KnowledgeError, read_yaml, validate
from gilint.tables.expression import Bound, Cell, Expression, ExpressionError, Ref, parse_expression
from gilint.tables.labels import Label, LabelMatcher, canon, strip_numbering
from gilint.text.normalize import normalize_label

LAYOUTS = ("2019", "2021")  # the format versions of the mandated tables (a model's default)
TABLE_ORDER = ("proactive", "application", "review_litigation")


class TableModelError(KnowledgeError):
    """A table model file is malformed (the message names file and key)."""


@dataclass(frozen=True)
class ColumnModel:
    """A column of a mandated table (rules/tables/*.yaml)."""

    key: str
    name: dict[str, str]
    kind: str  # count | signed | amount
    unit: str | None
    labels: dict[str | None, tuple[str, ...]]  # layout (None: every layout) -> labels
    layouts: tuple[str, ...]
    optional: bool = False  # a column some tables leave out: there when its header is printed


@dataclass(frozen=True)
class RowModel:
    """A row as it exists in one layout."""

    key: str
    index: int
    name: dict[str, str]
    labels: tuple[Label, ...]
    columns: tuple[str, ...]
    children: tuple[str, ...]  # sub-rows in this layout: the row is then an optional subtotal
    required: bool = True  # False: a table may leave the row out (the legacy 统计表's indicators)

    @property
    def optional(self) -> bool:
        return bool(self.children) or not self.required


@dataclass(frozen=True)
class IdentityModel:
    """An arithmetic identity a table's cells must satisfy (rules/tables/*.yaml)."""

    name: str
    code: str
    each: str  # row | column | none
    expression: Expression
    target: Ref | None
    over: tuple[str, ...] | None
    layouts: tuple[str, ...]
    message: str
    source: str


@dataclass(frozen=True)
class Instance:
    """An identity bound to the cells of one layout (one per column or row)."""

    identity: IdentityModel
    axis: str | None  # the column (each: column) or the row (each: row)
    bound: Bound
    target: Cell | None


@dataclass
class Layout:
    """One way a table is printed (a format's rows and columns), with its facts worked out once."""

    table: str
    name: str
    rows: tuple[RowModel, ...]
    columns: dict[str, ColumnModel]
    instances: tuple[Instance, ...]
    signals: dict[str, str]  # column labels only this layout prints: canonical form -> as printed
    combined: tuple[str, ...]
    matcher: LabelMatcher
    by_key: dict[str, RowModel] = field(default_factory=dict)
    # Derived once per layout, not once per table read (models load once per process):
    # required rows before each row index, each row's column kinds, the combined rows.
    required_before: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)
    combined_rows: tuple[RowModel, ...] = field(default=(), init=False, repr=False, compare=False)
    # What the tables step derives from the bound layout on first use (row shapes for splits).
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.by_key = {row.key: row for row in self.rows}
        required = [0]
        for row in self.rows:
            required.append(required[-1] + (0 if row.optional else 1))
        self.required_before = tuple(required)
        self.kinds = {row.key: tuple(self.columns[c].kind for c in row.columns) for row in self.rows}
        self.combined_rows = tuple(self.by_key[key] for key in self.combined)

    def row(self, key: str) -> RowModel:
        return self.by_key[key]

    def column_kind(self, column: str) -> str:
        return self.columns[column].kind

    @property
    def cells(self) -> list[Cell]:
        return [(row.key, column) for row in self.rows for column in row.columns]

    def row_constraints(self, row: str) -> tuple[Bound, ...]:
        """Equalities within one row (e.g. 总计 = the six applicant columns), used
        to split digits a crawler glued together."""
        return tuple(
            instance.bound
            for instance in self.instances
            if instance.axis == row and instance.identity.each == "row" and instance.bound.is_equality
        )

    def row_bounds(self, row: str) -> tuple[Bound, ...]:
        """Inequalities within one row (本年度 <= 历年累计): a split of glued digits
        that breaks one is not a reading."""
        return tuple(
            instance.bound
            for instance in self.instances
            if instance.axis == row
            and instance.identity.each == "row"
            and instance.bound.operator in ("<=", ">=")
        )


@dataclass(frozen=True)
class EvidenceWeights:
    """How much each kind of signal weighs for a table's format version (GI403):
    a column header only one version prints, a row only one version has, a group
    written as one row where the other version has sub-rows, a row label in only
    one version's wording; ``margin``: by how much the signals for another version
    must outweigh those for the report's own to call the table that version."""

    header: float
    row: float
    single_row: float
    label: float
    margin: float


@dataclass
class TableModel:
    """A mandated table: its titles, labels and layouts (rules/tables/*.yaml)."""

    key: str
    name: dict[str, str]
    short: dict[str, str]
    titles: tuple[str, ...]
    start_labels: tuple[str, ...]
    group_labels: tuple[str, ...]
    combined: tuple[str, ...]
    zero_statements: tuple[re.Pattern[str], ...]
    columns: dict[str, ColumnModel]
    rows: list[dict[str, Any]]  # raw row specs (labels already normalised)
    identities: list[IdentityModel]
    sources: list[str]
    layouts: dict[str, Layout] = field(default_factory=dict)
    layouts_differ: bool = True
    evidence: EvidenceWeights | None = None
    # The format versions (profiles) the table belongs to: the mandated tables' 2019
    # and 2021 layouts by default; the legacy 统计表 its own.
    layout_names: tuple[str, ...] = LAYOUTS
    optional_rows: bool = False  # no row is mandated: a table prints the indicators it has
    label_units: tuple[str, ...] = ()  # a 计量单位 written after a row label (主动公开信息数 条)

    @property
    def mandated(self) -> bool:
        """One of the tables the 2019/2021 formats prescribe (present, maybe missing, in every report)."""
        return set(self.layout_names) <= set(LAYOUTS)

    def variant(self, name: str, printed: str) -> Layout:
        """The layout ``name`` without the optional columns whose headers ``printed``
        (the table's text, canonical) does not show: 「年末统计」 alone, no 「历年累计」."""
        layout = self.layouts[name]
        absent = frozenset(
            key
            for key, column in layout.columns.items()
            if column.optional and not any(canon(text) in printed for text in _column_texts(column, name))
        )
        if not absent:
            return layout
        cache = self.derived.setdefault("variants", {})
        if (name, absent) not in cache:
            cache[(name, absent)] = _without_columns(self, layout, absent)
        return cache[(name, absent)]

    # What the tables step derives from the loaded model (canonical label forms),
    # computed on first use instead of for every report.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def row_name(self, key: str) -> dict[str, str]:
        for row in self.rows:
            if row["key"] == key:
                return row["name"]
        return {"zh": key, "en": key}


@dataclass
class TableModels:
    """Every table model loaded, by key."""

    tables: dict[str, TableModel]
    folders: tuple[str, ...] = ()

    def __getitem__(self, key: str) -> TableModel:
        return self.tables[key]

    def __iter__(self):
        return iter(self.tables.values())


# ------------------------------------------------------------------ loading


def load_table_models(rules_dirs: Iterable[Path]) -> TableModels:
    """Every ``tables/*.yaml`` of each rules folder, in order; cached by folders."""
    return _load(tuple(str(Path(folder).resolve()) for folder in rules_dirs))


@lru_cache(maxsize=8)
def _load(folders: tuple[str, ...]) -> TableModels:
    schema = _schema()
    tables: dict[str, TableModel] = {}
    for folder in folders:
        base = Path(folder) / "tables"
        files = sorted([*base.glob("*.yaml"), *base.glob("*.yml")]) if base.is_dir() else []
        for path in files:
            raw = read_yaml(path)
            try:
                validate(raw, schema, str(path))
            except KnowledgeError as error:
                raise TableModelError(str(error)) from error
            _merge(tables, raw, str(path))
    for model in tables.values():
        model.layouts = {name: _layout(model, name) for name in model.layout_names}
        shapes = {
            tuple((r.key, r.columns, r.optional) for r in layout.rows) for layout in model.layouts.values()
        }
        model.layouts_differ = len(shapes) > 1
    ordered = {key: tables[key] for key in TABLE_ORDER if key in tables}
    ordered.update({key: model for key, model in tables.items() if key not in ordered})
    return TableModels(ordered, folders)


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    with open(schema_dir() / "table-model.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def _patterns(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for index, pattern in enumerate(patterns):
        try:
            compiled.append(untrusted(pattern, f"{where}/{index}", shipped=is_shipped(where)))
        except UnsafePattern as error:
            raise TableModelError(str(error)) from None
        if "marker" not in compiled[-1].groupindex:
            raise TableModelError(f"{where}/{index}: the pattern needs a (?P<marker>…) group")
    return tuple(compiled)


def _labels(raw: Any) -> dict[str | None, tuple[str, ...]]:
    if raw is None:
        return {}
    if isinstance(raw, list):
        return {None: tuple(normalize_label(text) for text in raw)}
    return {layout: tuple(normalize_label(text) for text in texts) for layout, texts in raw.items()}


def _text(raw: dict[str, str] | None, fallback: str) -> dict[str, str]:
    return dict(raw) if raw else {"zh": fallback, "en": fallback}


def _merge(tables: dict[str, TableModel], raw: dict[str, Any], source: str) -> None:
    key = raw["table"]
    existing = tables.get(key)
    if raw.get("extends"):
        if existing is None:
            raise TableModelError(f"{source}: at table: extends table {key!r}, which no earlier file defines")
        _extend(existing, raw, source)
        return
    if existing is not None:
        raise TableModelError(f"{source}: at table: {key!r} is already defined by {existing.sources[0]}")
    model = TableModel(
        key=key,
        name=_text(raw.get("name"), key),
        short=_text(raw.get("short"), key),
        titles=tuple(normalize_label(t) for t in raw.get("titles", [])),
        start_labels=tuple(normalize_label(t) for t in raw.get("start_labels", [])),
        group_labels=tuple(normalize_label(t) for t in raw.get("group_labels", [])),
        combined=tuple(raw.get("combined", [])),
        zero_statements=_patterns(raw.get("zero_statements", []), f"{source}: at zero_statements"),
        evidence=EvidenceWeights(**raw["layout_evidence"]) if raw.get("layout_evidence") else None,
        layout_names=tuple(raw.get("layouts", LAYOUTS)),
        optional_rows=raw.get("optional_rows", False),
        label_units=tuple(normalize_label(unit) for unit in raw.get("label_units", [])),
        columns={},
        rows=[],
        identities=[],
        sources=[source],
    )
    for column in raw.get("columns", []):
        model.columns[column["key"]] = ColumnModel(
            key=column["key"],
            name=_text(column.get("name"), column["key"]),
            kind=column.get("kind", "count"),
            unit=column.get("unit"),
            labels=_labels(column.get("labels")),
            layouts=tuple(column.get("layouts", model.layout_names)),
            optional=column.get("optional", False),
        )
    default_columns = tuple(model.columns)
    for index, row in enumerate(raw.get("rows", [])):
        columns = row.get("columns", list(default_columns))
        spec = {
            "key": row["key"],
            "name": _text(row.get("name"), row["key"]),
            "labels": _labels(row.get("labels")),
            "layouts": tuple(row.get("layouts", model.layout_names)),
            "columns": columns if isinstance(columns, dict) else {None: tuple(columns)},
        }
        for column in _all_columns(spec):
            if column not in model.columns:
                raise TableModelError(f"{source}: at rows/{index}/columns: unknown column {column!r}")
        model.rows.append(spec)
    tables[key] = model
    _extend(model, {"identities": raw.get("identities", [])}, source)


def _all_columns(spec: dict[str, Any]) -> set[str]:
    return {column for columns in spec["columns"].values() for column in columns}


def _extend(model: TableModel, raw: dict[str, Any], source: str) -> None:
    """Label variants for known rows/columns and new identities."""
    rows = {row["key"]: row for row in model.rows}
    for index, row in enumerate(raw.get("rows", [])):
        if row["key"] not in rows:
            raise TableModelError(f"{source}: at rows/{index}/key: {model.key} has no row {row['key']!r}")
        for layout, texts in _labels(row.get("labels")).items():
            labels = rows[row["key"]]["labels"]
            labels[layout] = labels.get(layout, ()) + texts
    if model.sources[-1] != source:
        model.sources.append(source)
    for index, entry in enumerate(raw.get("identities", [])):
        model.identities.append(_identity(model, entry, f"{source}: at identities/{index}"))


def _identity(model: TableModel, entry: dict[str, Any], where: str) -> IdentityModel:
    try:
        expression = parse_expression(entry["expression"])
        target = parse_expression(f"{entry['target']} == 0").left.terms[0][1] if entry.get("target") else None
    except ExpressionError as error:
        raise TableModelError(f"{where}/expression: {error}") from error
    identity = IdentityModel(
        name=entry["name"],
        code=entry["code"],
        each=entry.get("each", "none"),
        expression=expression,
        target=target,
        over=tuple(entry["over"]) if entry.get("over") else None,
        layouts=tuple(entry.get("layouts", model.layout_names)),
        message=entry.get("message", "default"),
        source=where,
    )
    check_identity(model, identity, where)
    return identity


def check_identity(model: TableModel, identity: IdentityModel, where: str) -> None:
    """Every reference must name a row or column of the table (a wildcard, at
    least one); ``row[column]`` is for identities that are not per row/column."""
    rows = {row["key"] for row in model.rows}
    refs = list(identity.expression.refs()) + ([identity.target] if identity.target else [])
    for ref in refs:
        if identity.each == "none" and (ref.column is None or ref.wildcard):
            raise TableModelError(
                f"{where}: {ref.key!r}: write row[column] in an identity that is not per row/column"
            )
        names_row = identity.each != "row" or ref.column is not None
        known = rows if names_row else set(model.columns)
        if not any(ref.matches(key) for key in known):
            raise TableModelError(
                f"{where}: {ref.key!r} names no {'row' if names_row else 'column'} of {model.key}"
            )
        if ref.column is not None and ref.column not in model.columns:
            raise TableModelError(f"{where}: {ref.column!r} names no column of {model.key}")


# ----------------------------------------------------------------- layouts


def _layout(model: TableModel, name: str) -> Layout:
    specs = [spec for spec in model.rows if name in spec["layouts"]]
    keys = [spec["key"] for spec in specs]
    rows: list[RowModel] = []
    labels: list[Label] = []
    for index, spec in enumerate(specs):
        columns = spec["columns"].get(name) or spec["columns"].get(None, ())
        children = tuple(k for k in keys if k.startswith(spec["key"] + "."))
        row_labels = _row_labels(spec, name)
        row = RowModel(spec["key"], index, spec["name"], row_labels, tuple(columns), children)
        rows.append(replace(row, required=False) if model.optional_rows else row)
        labels.extend(row_labels)
    used = {column for row in rows for column in row.columns}
    columns = {key: column for key, column in model.columns.items() if key in used}
    layout = Layout(
        table=model.key,
        name=name,
        rows=tuple(rows),
        columns=columns,
        instances=(),
        signals=_signals(model, name),
        combined=tuple(key for key in model.combined if key in keys),
        matcher=LabelMatcher(labels, model.group_labels, model.label_units),
    )
    layout.instances = tuple(
        instance
        for identity in model.identities
        if name in identity.layouts
        for instance in bind(identity, layout)
    )
    return layout


def _row_labels(spec: dict[str, Any], layout: str) -> tuple[Label, ...]:
    """The row's labels in this layout first, then other layouts' wording (foreign)."""
    own = spec["labels"].get(layout, ()) + spec["labels"].get(None, ())
    labels = [Label(spec["key"], text, strip_numbering(text)) for text in own]
    for other, texts in spec["labels"].items():
        if other not in (layout, None):
            labels.extend(
                Label(spec["key"], text, strip_numbering(text), True) for text in texts if text not in own
            )
    return tuple(labels)


def _signals(model: TableModel, layout: str) -> dict[str, str]:
    """Column labels printed only in this layout, which no label of another
    layout contains (处理决定数量 is inside 2021's 本年处理决定数量): canonical
    form -> the label as printed."""

    def labels_of(name: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for column in model.columns.values():
            if name in column.layouts:
                for text in column.labels.get(name, ()) + column.labels.get(None, ()):
                    found.setdefault(canon(text), text)
        return found

    mine = labels_of(layout)
    others: set[str] = set()
    for other in model.layout_names:
        if other != layout:
            others.update(labels_of(other))
    return {label: text for label, text in mine.items() if not any(label in other for other in others)}


def _column_texts(column: ColumnModel, layout: str) -> tuple[str, ...]:
    return column.labels.get(layout, ()) + column.labels.get(None, ())


def _without_columns(model: TableModel, layout: Layout, absent: frozenset[str]) -> Layout:
    rows = tuple(
        replace(row, columns=tuple(column for column in row.columns if column not in absent))
        for row in layout.rows
    )
    variant = Layout(
        table=layout.table,
        name=layout.name,
        rows=rows,
        columns={key: column for key, column in layout.columns.items() if key not in absent},
        instances=(),
        signals=layout.signals,
        combined=layout.combined,
        matcher=layout.matcher,
    )
    variant.instances = tuple(
        instance
        for identity in model.identities
        if layout.name in identity.layouts
        for instance in bind(identity, variant)
    )
    return variant


def bind(identity: IdentityModel, layout: Layout) -> list[Instance]:
    """One instance per column (each: column), per row (each: row), or one."""
    row_keys = [row.key for row in layout.rows]
    has = {(row.key, column) for row in layout.rows for column in row.columns}
    named: dict[Ref, list[str]] = {}  # the rows a key names, found once, not once per column

    def rows_of(ref: Ref) -> list[str]:
        found = named.get(ref)
        if found is None:
            found = named[ref] = [key for key in row_keys if ref.matches(key)]
        return found

    def cells(ref: Ref, axis: str | None) -> list[Cell]:
        if ref.column is not None:
            found = [(key, ref.column) for key in rows_of(ref)]
        elif identity.each == "column":
            found = [(key, axis) for key in rows_of(ref)]
        else:
            found = [(axis, ref.key)] if ref.key in layout.columns else []
        # A wildcard names the group's leaves, never the subtotal rows among them.
        if ref.wildcard:
            found = [(r, c) for r, c in found if not layout.by_key[r].children]
        return [cell for cell in found if cell in has]

    if identity.each == "column":
        axes: list[str | None] = list(layout.columns)
    elif identity.each == "row":
        axes = [key for key in row_keys if identity.over is None or key in identity.over]
    else:
        axes = [None]
    instances: list[Instance] = []
    for axis in axes:
        bound = identity.expression.bind(lambda ref, axis=axis: cells(ref, axis))
        if bound is None or not bound.coefficients:
            continue
        target = None
        if identity.target is not None:
            found = cells(identity.target, axis)
            target = found[0] if found else None
        instances.append(Instance(identity, axis, bound, target))
    return instances
