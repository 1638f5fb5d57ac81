"""DOCX reader: a Word draft -> Document.

python-docx opens the package (relationships, content types, the numbering
and styles parts); the body is then walked directly in XML order, because
python-docx's ``paragraphs`` and ``tables`` lists lose the interleaving of
text and tables and its ``cell.text`` ignores merges and numbering.

Before python-docx touches the bytes, ``safety.open_zip`` checks the zip
directory (member count, inflated sizes, compression ratios) and
``safety.refuse_dtds`` rejects any part with a DTD; python-docx's own XML
parser is created with ``resolve_entities=False`` and lxml's default
``no_network``/``huge_tree=False``, so entities are never expanded either way.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator

from gilint.model import (
    Block,
    Document,
    GridBlock,
    GridCell,
    Location,
    ParagraphAnchor,
    TableAnchor,
    TextBlock,
)
from gilint.read.base import OLE_MAGIC, LoadError
from gilint.read.common import cell_text, unreadable
from gilint.read.grid import SpanGrid
from gilint.read.numbering import Numbering, W
from gilint.read.safety import LIMITS, Limits, check_span, open_zip, refuse_dtds

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Run content that is not visible text: deletions and moved-away text of
# tracked changes, field codes, drawings and text boxes (whose paragraphs
# would otherwise be glued into the anchoring line), notes' reference marks.
_SKIP = frozenset(
    W + name
    for name in (
        "del", "moveFrom", "instrText", "delInstrText", "delText", "drawing", "pict", "object",
        "footnoteReference", "endnoteReference", "commentReference", "pPr", "rPr", "fldData",
    )
) | {MC + "AlternateContent"}  # fmt: skip
_CONTAINERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"})


def docx_document(path: str, data: bytes, limits: Limits = LIMITS) -> Document:
    if data.startswith(OLE_MAGIC):
        raise unreadable(
            "文件扩展名是 .docx，实际却是旧版 .doc 或加密的 Word 文档：请去掉密码并另存为 .docx",
            "named .docx but really an old .doc or a password-protected Word file: "
            "remove the password and save it as .docx",
        )
    archive = open_zip(data, limits)
    refuse_dtds(archive)
    document = _open(data)
    writer = _BodyWriter(_numbering(document), limits)
    writer.write(document.element.body)
    if not any(isinstance(b, GridBlock) or b.text.strip() for b in writer.blocks):
        raise unreadable("Word 文档中没有任何文字", "the Word document holds no text")
    return Document(path=path, format="docx", blocks=writer.blocks)


def _open(data: bytes):
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except LoadError:
        raise
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors…
        raise unreadable(
            "无法作为 Word 文档打开：文件已损坏，或不是 .docx 格式",
            f"cannot be opened as a Word document: damaged or not .docx ({type(error).__name__}: {error})",
        ) from error


def _numbering(document) -> Numbering:
    part = document.part
    numbering = None
    with contextlib.suppress(NotImplementedError, KeyError):  # no numbering part: nothing is numbered
        numbering = part.numbering_part.element
    return Numbering(numbering, document.styles.element)


def _children(element) -> Iterator:
    """Block-level children, looking through content controls and custom XML."""
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in _CONTAINERS:
            stack.append(iter(child))
        else:
            yield child


def body_blocks(body) -> Iterator[tuple[ParagraphAnchor | TableAnchor, object]]:
    """The body's paragraphs and tables in order, each with its number: every
    ``w:p`` counts (段落 N), empty ones too, and every ``w:tbl`` (表 N), so that
    the numbers stay those Word shows whatever the text. The reader and the
    comment writer (gilint.render.docx_comments) both number elements this way."""
    paragraphs = tables = 0
    for child in _children(body):
        if child.tag == W + "p":
            paragraphs += 1
            yield ParagraphAnchor(paragraphs), child
        elif child.tag == W + "tbl":
            tables += 1
            yield TableAnchor(tables), child


def table_rows(table) -> list:
    """A ``w:tbl``'s rows (``w:tr``), looking through content controls."""
    return [row for row in _children(table) if row.tag == W + "tr"]


def row_cells(row) -> list:
    """A ``w:tr``'s cells (``w:tc``), looking through content controls."""
    return [cell for cell in _children(row) if cell.tag == W + "tc"]


def cell_paragraphs(cell) -> list:
    """A ``w:tc``'s own paragraphs (not those of a table nested in it)."""
    return [child for child in _children(cell) if child.tag == W + "p"]


def paragraph_text(paragraph) -> str:
    """The visible text of a w:p, in order: runs, tabs, line breaks."""
    out: list[str] = []
    stack = [iter(paragraph)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        tag = node.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == W + "t":
            out.append(node.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        else:
            stack.append(iter(node))
    return "".join(out)


def _with_number(text: str, label: str | None) -> str:
    """Prefix the rendered list number unless the typed text already has it.
    No space after a number that ends in punctuation (``一、总体情况``)."""
    if not label or text.lstrip().startswith(label.strip()):
        return text
    separator = "" if label[-1:] in "、.．)）:：" else " "
    return label + separator + text


class _BodyWriter:
    def __init__(self, numbering: Numbering, limits: Limits):
        self.numbering = numbering
        self.limits = limits
        self.blocks: list[Block] = []

    def write(self, body) -> None:
        for anchor, element in body_blocks(body):
            if isinstance(anchor, ParagraphAnchor):
                self._paragraph(element, anchor)
            else:
                grid = self._table(element, anchor.table)
                if grid.rows and grid.rows[0]:
                    self.blocks.append(grid)

    def _paragraph(self, element, anchor: ParagraphAnchor) -> None:
        # An empty paragraph produces no block (but keeps its number).
        number = anchor.paragraph
        text = _with_number(paragraph_text(element), self.numbering.label(element))
        if text.strip():
            self.blocks.append(TextBlock(text, number, 1, f"段落 {number}", "docx_paragraph", anchor))

    def _cell_lines(self, cell) -> list[str]:
        """Paragraph texts of a cell, nested tables flattened in order."""
        lines: list[str] = []
        stack = [_children(cell)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif child.tag == W + "p":
                # a line break inside a cell paragraph is a wrap like any other
                text = _with_number(paragraph_text(child), self.numbering.label(child))
                lines.extend(text.split("\n"))
            elif child.tag in (W + "tbl", W + "tr", W + "tc"):
                stack.append(_children(child))
        return lines

    def _table(self, table, number: int) -> GridBlock:
        grid = SpanGrid(self.limits)
        rows = table_rows(table)
        for r, row in enumerate(rows):
            column = min(
                max(0, _int_val(row.find(f"{W}trPr/{W}gridBefore"), 0)), self.limits.max_grid_columns
            )
            for index, cell in enumerate(row_cells(row)):
                column += self._place(grid, r, column, cell, TableAnchor(number, r, index))
        grid.cover_rows(len(rows))

        def empty(r: int, c: int) -> GridCell:  # a position no w:tc covers: the table itself
            return GridCell("", _cell_location(TableAnchor(number), r, c))

        where = table_label(number)
        return GridBlock(
            grid.rows(empty),
            Location(1, 1, max(1, grid.height), 1, where, "docx_table_cell", TableAnchor(number)),
        )

    def _place(self, grid: SpanGrid, r: int, column: int, cell, anchor: TableAnchor) -> int:
        props = cell.find(f"{W}tcPr")
        # gridSpan is clamped before it sizes any loop (gridSpan="999999999").
        span = _int_val(props.find(f"{W}gridSpan") if props is not None else None, 1)
        check_span(span, self.limits)
        span = max(1, min(span, self.limits.max_grid_columns))
        vmerge = props.find(f"{W}vMerge") if props is not None else None
        hmerge = props.find(f"{W}hMerge") if props is not None else None
        text = cell_text(self._cell_lines(cell))
        # A vMerge continuation shows the text of the cell above it (and an
        # hMerge continuation that of the cell to its left): copy it there.
        source = None
        if vmerge is not None and vmerge.get(f"{W}val") != "restart" and r > 0:
            source = [grid.get(r - 1, c) for c in range(column, column + span)]
        elif hmerge is not None and hmerge.get(f"{W}val") != "restart" and column > 0:
            source = [grid.get(r, column - 1)] * span
        if source and all(source):
            for offset, above in enumerate(source):
                grid.put(r, column + offset, above)
            return span
        return grid.put(r, column, GridCell(text, _cell_location(anchor, r, column)), 1, span)


def table_label(table: int) -> str:
    """The Word file's own count of tables, worded so that it cannot be read as the
    report's 表二/表三 (a report may have tables before its first mandated one)."""
    return f"Word 文件中第 {table} 个表格"


def _cell_location(anchor: TableAnchor, row: int, column: int) -> Location:
    """A grid position (row, column after spans) of a table; ``anchor`` names its w:tc."""
    where = f"{table_label(anchor.table)} 第{row + 1}行第{column + 1}列"
    return Location(row + 1, column + 1, row + 1, column + 2, where, "docx_table_cell", anchor)


def _int_val(element, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(f"{W}val"))
    except (TypeError, ValueError):
        return default
