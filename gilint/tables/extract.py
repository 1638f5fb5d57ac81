"""Step 4, tables: Report.lines / sections / grids -> Report.tables.

For each mandated table: find its region (``regions``), read the rows the text
or grid shows (``observe``), and place them in the model of each layout
(``assign``). The layout whose labels and shape fit best wins (what only it
prints weighs in: its column headers, 本年新制作数量 only exists in 2019, and
its own rows, 其他对外管理服务事项); on a tie the report's profile decides.
The result is a ``Table`` under ``report.tables[key]`` for every table of
the models, also when it is missing (status says how).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gilint.model import GridBlock, GridTable, Report
from gilint.tables.assign import DIGIT_ISSUES, Assembly, assemble
from gilint.tables.labels import canon
from gilint.tables.models import Layout, TableModel, TableModels
from gilint.tables.observe import Observed, grid_text, grid_texts, observe_grid, observe_lines
from gilint.tables.regions import Region, ReportText, find_regions
from gilint.tables.table import Signal, Table

# Issues that say a table may be laid out per the other format version.
MISFIT = frozenset(
    {"cell_count", "unsplittable", "ambiguous_split", "unrecognised_rows", "missing_rows", "foreign_label"}
)
MIN_GRID_HITS = 2


def extract_tables(report: Report, models: TableModels) -> None:
    """Fill ``report.tables[key]`` for every table model of the report's format
    version; the mandated tables are there (missing) in a legacy report too: the
    2008 条例 prescribed no tables, and its 统计表 is a table of its own."""
    applicable = [model for model in models if report.profile in model.layout_names]
    report.tables.update(
        {model.key: Table(model.key, model) for model in models if model.mandated and model not in applicable}
    )
    if not applicable:
        return
    text = ReportText(report.lines)
    regions = find_regions(report, text, applicable)
    grids = _grids_by_table(report, applicable)
    zero_markers: frozenset[str] | None = None
    for model in applicable:
        table = _extract(model, report, text, regions.get(model.key), grids.get(model.key, []))
        # The statements are sought only when a table has a placeholder to read as 0
        # (a regex scan of the whole report: 0.4 ms of 5.7 per Markdown report).
        if any(cell.status == "marker" for cell in table.cells.values()):
            if zero_markers is None:
                zero_markers = _zero_markers(applicable, text.text)
            _apply_zero_markers(table, zero_markers)
        report.tables[model.key] = table


def _zero_markers(models: Iterable[TableModel], text: str) -> frozenset[str]:
    """Placeholders the report itself says stand for zero (“/”表示0)."""
    return frozenset(
        match.group("marker")
        for model in models
        for pattern in model.zero_statements
        for match in pattern.finditer(text)
    )


def _apply_zero_markers(table: Table, markers: frozenset[str]) -> None:
    for cell in table.cells.values():
        if cell.status == "marker" and cell.raw.strip() in markers:
            cell.value, cell.status = 0, "zero_marker"


def _extract(
    model: TableModel, report: Report, text: ReportText, region: Region | None, grids: list[_Grid]
) -> Table:
    table = Table(model.key, model)
    # Each source's text in canonical form, made once for the layouts, the labels and the evidence.
    sources: list[tuple[str, list[Observed], str]] = []
    if grids:
        rows = [row for grid in grids for row in observe_grid(grid.block, grid.texts)]
        sources.append(("grid", rows, "".join(grid.compact for grid in grids)))
        table.place = grids[0].block  # (located only if reported: a GridBlock is a Where)
    body = ""
    if region is not None:
        table.heading_place = region.heading
        body = region.body(text)
        rows, shape = observe_lines(region.segments(text))
        sources.append((shape, rows, canon(body)))
        table.place = table.place or region.heading or text.spot(region.content, region.content + 1)
    best: tuple[float, int, Assembly, str] | None = None
    for shape, rows, compact in sources:
        for assembly in _layouts(model, rows, compact, report.profile):
            rank = (assembly.score, len(assembly.cells))
            if best is None or rank > (best[0], best[1]):
                best = (assembly.score, len(assembly.cells), assembly, shape)
        table.has_labels = table.has_labels or _has_labels(model, compact)
    if best is not None and _was_read(best[2]):
        _, _, assembly, shape = best
        table.layout, table.shape = assembly.layout.name, shape
        table.cells, table.issues = assembly.cells, assembly.issues
        table.rows = dict(assembly.rows)  # type: ignore[arg-type]
        table.status = "ok"
        table.evidence = _evidence(model, table, _source_text(sources, shape))
    elif region is not None or grids:
        table.status = "bare" if not body.strip() and not grids else "no_cells"
    return table


def _was_read(assembly: Assembly) -> bool:
    """Cells were placed, or the table's digits were found but are glued so that
    no one split can be told (a damaged table, GI006, not an unreadable one, GI004)."""
    return bool(assembly.cells) or any(issue.kind in DIGIT_ISSUES for issue in assembly.issues)


def _layouts(
    model: TableModel, rows: list[Observed], compact: str, profile: str | None
) -> Iterator[Assembly]:
    """The table read in the profile's layout, and in the other layout unless
    the first fits cleanly and no label of the other shows (``compact``: the source's canonical text)."""
    names = model.layout_names
    preferred = profile if profile in names else names[-1]
    first = assemble(model.variant(preferred, compact), rows)
    _add_signals(first, model, compact, preferred)
    yield first
    if not model.layouts_differ:
        return
    others = [name for name in names if name != preferred]
    clean = not any(issue.kind in MISFIT for issue in first.issues)
    if clean and not any(signal in compact for name in others for signal in model.layouts[name].signals):
        return
    for name in others:
        assembly = assemble(model.variant(name, compact), rows)
        _add_signals(assembly, model, compact, preferred)
        yield assembly


def _add_signals(assembly: Assembly, model: TableModel, compact: str, preferred: str) -> None:
    """What only one layout prints weighs in, as in the version evidence (``_evidence``,
    the model's layout_evidence): its column headers, and its rows that the table shows
    (2019's 其他对外管理服务事项: read in the 2021 layout, which has no such row, it was
    passed over unnoticed); the profile breaks ties (a hundredth of a matched label)."""
    layout = assembly.layout
    weights = model.evidence
    if weights is not None:
        signals = sum(1 for signal in layout.signals if signal in compact)
        own_rows = sum(
            1
            for key in assembly.rows
            if any(key not in other.by_key for other in model.layouts.values() if other is not layout)
        )
        assembly.score += weights.header * signals + weights.row * own_rows
    assembly.score += 0.01 if layout.name == preferred else 0.0


def _source_text(sources: list[tuple[str, list[Observed], str]], shape: str) -> str:
    return next((text for kind, _, text in sources if kind == shape), "")


def _evidence(model: TableModel, table: Table, compact: str) -> dict[str, list[Signal]]:
    """What in the table only one format version prints, per version, weighed with
    the model's layout_evidence: headers (either version's), rows and single rows of
    the version the table was read in, labels in the other version's wording."""
    weights = model.evidence
    if weights is None or not model.layouts_differ or table.layout is None:
        return {}
    found: dict[str, list[Signal]] = {name: [] for name in model.layouts}
    for name, layout in model.layouts.items():
        found[name] += [
            Signal("header", {"zh": text, "en": text}, weights.header)
            for key, text in layout.signals.items()
            if key in compact
        ]
    mine = model.layouts[table.layout]
    for name, other in model.layouts.items():
        if name == table.layout:
            continue
        for row in mine.rows:
            if row.key not in table.rows:
                continue
            if row.key not in other.by_key:
                found[table.layout].append(Signal("row", row.name, weights.row))
            elif other.by_key[row.key].children and not row.children and _single(table, other, row.key):
                found[table.layout].append(Signal("single_row", row.name, weights.single_row))
        for issue in table.issues:
            if issue.kind == "foreign_label":
                label = issue.data.get("label", "")
                found[name].append(Signal("label", {"zh": label, "en": label}, weights.label))
    return found


def _single(table: Table, other: Layout, key: str) -> bool:
    """A group the other version splits into sub-rows, written as one row with
    values and none of those sub-rows."""
    has_values = any(cell.row == key and cell.known for cell in table.cells.values())
    return has_values and not any(child in table.rows for child in other.by_key[key].children)


def _has_labels(model: TableModel, compact: str) -> bool:
    """Does the text under the heading (canonical) print this table's labels (its
    header, its row labels), even if no value came with them?"""
    return any(label in compact for label in _printed_labels(model))


def _printed_labels(model: TableModel) -> list[str]:
    """The model's header and start labels in canonical form, two characters or more."""
    labels = model.derived.get("printed_labels")
    if labels is None:
        labels = [
            canon(label)
            for column in model.columns.values()
            for texts in column.labels.values()
            for label in texts
        ]
        labels += [canon(label) for label in model.start_labels]
        labels = model.derived["printed_labels"] = [label for label in labels if label and len(label) >= 2]
    return labels


# -------------------------------------------------------------------- grids


def _report_grids(report: Report) -> Iterator[GridBlock]:
    # Grid nodes wrap the document's grid blocks: a text document has none to walk the sections for.
    if not any(isinstance(block, GridBlock) for block in report.document.blocks):
        return
    for node in report.preamble:
        if isinstance(node, GridTable):
            yield node.grid
    for section in report.sections:
        for node in section.walk():
            if isinstance(node, GridTable):
                yield node.grid
    if report.count == 1 and not report.sections and not report.preamble:
        yield from (block for block in report.document.blocks if isinstance(block, GridBlock))


@dataclass
class _Grid:
    """A grid of the report with its cells' texts and its words in canonical form, made
    once for the choice of its table and for reading it (a normalize_cell call a cell
    less)."""

    block: GridBlock
    texts: list[list[str]]  # its cells' texts, normalised (grid_texts)
    compact: str


def _grids_by_table(report: Report, models: Iterable[TableModel]) -> dict[str, list[_Grid]]:
    """Each grid goes to the table whose labels it prints most."""
    found: dict[str, list[_Grid]] = {}
    grids = list(_report_grids(report))
    if not grids:  # text reports: no vocabulary to build
        return found
    vocabulary = {model.key: _vocabulary(model) for model in models}
    for block in grids:
        texts = grid_texts(block)
        grid = _Grid(block, texts, canon(grid_text(texts)))
        hits = {key: sum(1 for word in words if word in grid.compact) for key, words in vocabulary.items()}
        key = max(hits, key=lambda k: hits[k]) if hits else None
        if key is not None and hits[key] >= MIN_GRID_HITS:
            found.setdefault(key, []).append(grid)
    return found


def _vocabulary(model: TableModel) -> set[str]:
    """The model's labels in canonical form, two characters or more: built once per
    model (was once per report with grids, ~15,000 canon calls over /tmp/b600)."""
    words = model.derived.get("vocabulary")
    if words is None:
        columns = model.columns.values()
        words = {canon(t) for column in columns for texts in column.labels.values() for t in texts}
        words |= {canon(t) for row in model.rows for texts in row["labels"].values() for t in texts}
        words |= {canon(t) for t in model.group_labels + model.start_labels}
        words = model.derived["vocabulary"] = {word for word in words if len(word) >= 2}
    return words
