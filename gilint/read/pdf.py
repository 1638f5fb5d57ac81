"""PDF reader: a published PDF -> Document.

pdfplumber (on pdfminer.six) gives every character with its position, which
is what both halves of the job need: ruled tables are rebuilt as grids from
their ruling lines, and the remaining text is regrouped into lines and
paragraphs. Page furniture (running page numbers like ``- 5 -``) is dropped.

Geometry, not text, decides:
- a table is real only if drawn with visible rules. Word/WPS exports paint
  a white filled rectangle behind every line of text, which pdfplumber's
  default finder takes for table cells, so filled, non-hairline rectangles
  are ignored;
- characters closer than half their size belong to one word (CJK text
  justified with letter-spacing stays one run; table columns stay apart);
- a line continues the previous one when that one runs to the right margin
  and this one starts at the left margin without the paragraph indent (also
  across a page break); a line holding a gap wider than 1.5 characters is a
  table row and is never joined, so unruled tables keep one row per line;
  a title set centred in large type over two lines is one line;
- a ruled table broken by a page break is one grid: the next page's part
  starts that page with the same outer rules; repeated header rows are
  dropped, a merged label cut by the break is carried over, and the rule a
  break leaves out under the last row (or above the first) is put back.

Locations: ``where="第P页"``, ``line`` = line on that page (a table row
counts as one line), ``column`` = grid column for cells.
"""

from __future__ import annotations

import io
import itertools
import logging
import statistics
from dataclasses import dataclass, field

from gilint.model import Block, Document, GridBlock, GridCell, Location, TextBlock
from gilint.patterns import linear
from gilint.read.base import LoadError
from gilint.read.common import cell_text, is_wide, join_wrapped, unreadable
from gilint.read.grid import SpanGrid
from gilint.read.safety import (
    LIMITS,
    Deadline,
    FontMapTooLarge,
    Limits,
    ReferenceLoop,
    StreamTooLarge,
    Timeout,
    install_pdf_stream_limits,
    stream_budget,
    time_limit,
)

WORD_GAP = 0.5  # × character size: a wider gap separates words/cells
TABLE_GAP = 1.5  # × size: a gap this wide inside a line means columns
SNAP = 2.0  # points: cell edges closer than this are the same rule
PAGE_SNAP = 6.0  # points: the same rule on the next page of a broken table
MIN_TEXT_CHARS = 20  # fewer visible characters in the whole file = no text layer

_SENTENCE_END = "。！？!?"
_PAGE_NUMBER = linear(
    r"[-—–－~〜]\s*+\d{1,4}\s*+[-—–－~〜]|第\s*+\d{1,4}\s*+页(?:\s*+[，,/]?\s*+共\s*+\d{1,4}\s*+页)?"
)
_MARGIN_PAGE_NUMBER = linear(r"\d{1,4}(?:\s*/\s*\d{1,4})?")


@dataclass
class _Line:
    """A line of text on a PDF page, with its box and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    gappy: bool
    number: int = 0  # line number within the page


@dataclass
class _Cell:
    """A table cell pdfplumber found, with its box."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class _TablePart:
    """The part of a ruled table on one page."""

    page: int
    cells: list[_Cell]
    x0: float
    x1: float
    top: float
    bottom: float
    row_edges: list[float] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)


@dataclass
class _Page:
    """A PDF page as lines and table parts in reading order."""

    number: int
    items: list[_Line | _TablePart]
    chars: int


# ------------------------------------------------------------------ entry


def pdf_document(path: str, data: bytes, limits: Limits = LIMITS) -> Document:
    if b"%PDF-" not in data[:1024]:
        raise unreadable(
            "文件不是 PDF（缺少 %PDF 文件头），可能已损坏或扩展名有误",
            "not a PDF (no %PDF header): damaged or misnamed",
        )
    install_pdf_stream_limits()
    try:
        with time_limit(limits.pdf_seconds) as deadline, stream_budget(limits):
            pages = _read_pages(data, limits, deadline)
    except Timeout:
        raise unreadable(
            f"PDF 解析超过 {limits.pdf_seconds:.0f} 秒仍未完成，已停止（文件可能已损坏或构造异常）",
            f"reading the PDF took over {limits.pdf_seconds:.0f} s and was stopped (damaged or malformed)",
        ) from None
    except StreamTooLarge as error:
        raise unreadable(
            f"PDF 中的数据流解压后超过 {error.limit} 字节（疑似解压炸弹），已拒绝读取",
            f"a PDF stream inflates to more than {error.limit} bytes (a decompression bomb); refused",
        ) from None
    except FontMapTooLarge as error:
        raise unreadable(*error.message) from None
    except ReferenceLoop:
        raise unreadable(
            "PDF 中有对象引用自身（引用链成环），文件已损坏或构造异常，已拒绝读取",
            "a PDF object refers to itself (a loop of references): the file is damaged or malformed; refused",
        ) from None
    if sum(page.chars for page in pages) < MIN_TEXT_CHARS:
        raise LoadError(
            "GI004",
            "PDF 没有可读取的文字层（可能是扫描件或图片），无法读取文字，需要先进行 OCR 文字识别",
            "the PDF has no text layer (a scan or images): its text cannot be read; run OCR first",
        )
    return Document(path=path, format="pdf", blocks=_assemble(pages, limits))


def _read_pages(data: bytes, limits: Limits, deadline: Deadline) -> list[_Page]:
    """Every page, read under the deadline. The document is closed only after a
    successful read: closing one that timed out would walk the same endless
    structure again (pdfplumber's close flushes every page's cache)."""
    import pdfplumber

    # pdfminer logs what it repairs or skips in a damaged file on stderr; the
    # diagnostic (or the text read anyway) is what the user gets.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _check_page_count(pdf, limits)
        pages = []
        for number, page in enumerate(pdf.pages, 1):
            deadline.check()
            pages.append(_read_page(page, number))
            page.close()  # drops the page's cached layout objects
        pdf.close()
        return pages
    except LoadError:
        raise
    except Exception as error:  # pdfminer raises many kinds (and RecursionError) on damaged files
        if _encrypted(error, data):
            raise unreadable(
                "PDF 已加密，需要密码才能打开；请提供未加密的文件",
                "the PDF is encrypted and needs a password; check an unencrypted copy",
            ) from error
        raise unreadable(
            "PDF 已损坏或结构异常，无法读取",
            f"the PDF is damaged or malformed and cannot be read ({type(error).__name__}: {error})",
        ) from error


def _encrypted(error: BaseException, data: bytes) -> bool:
    """Whether reading failed on the PDF's encryption: pdfminer's password and
    encryption errors (pdfplumber wraps them), or any failure of a file whose
    trailer names an /Encrypt dictionary."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, PDFPasswordIncorrect | PDFEncryptionError):
            return True
        pending += [current.__cause__, current.__context__]
        pending += [arg for arg in current.args if isinstance(arg, BaseException)]
    return b"/Encrypt" in data


def _check_page_count(pdf, limits: Limits) -> None:
    count = len(pdf.pages)
    if count == 0:
        raise unreadable("PDF 中没有任何页面", "the PDF has no pages")
    if count > limits.pdf_pages:
        raise unreadable(
            f"PDF 共 {count} 页，超过上限 {limits.pdf_pages} 页，已拒绝读取",
            f"the PDF has {count} pages, over the limit of {limits.pdf_pages}; refused",
        )


# ------------------------------------------------------------------- page


def _is_rule(obj: dict) -> bool:
    """Characters plus what is drawn as a visible rule (see module doc)."""
    kind = obj.get("object_type")
    if kind in ("char", "line"):
        return True
    if kind in ("rect", "curve"):
        return bool(obj.get("stroke")) or min(obj.get("width", 0), obj.get("height", 0)) <= 2.5
    return False


def _read_page(page, number: int) -> _Page:
    tables = _tables(page, number)
    boxes = [(t.x0, t.top, t.x1, t.bottom) for t in tables]

    def outside_tables(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return False
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    words = page.filter(outside_tables).extract_words(
        x_tolerance_ratio=WORD_GAP, y_tolerance=3, keep_blank_chars=False, extra_attrs=["size"]
    )
    lines = _drop_page_numbers(_lines(words), float(page.height))
    items: list[_Line | _TablePart] = sorted([*lines, *tables], key=lambda item: item.top)
    _number_lines(items)
    chars = sum(1 for char in page.chars if not char.get("text", " ").isspace())
    return _Page(number, items, chars)


def _closing_rules(ruled) -> list[dict]:
    """Horizontal rules a page break left out. A table that runs past the
    bottom of the page (or resumes at the top of the next) often lacks all or
    part of the rule under its last row (above its first), so that row and
    any cell spanning into it would be lost; the vertical rules still show
    where the table stops."""
    vertical = [e for e in ruled.edges if e["orientation"] == "v" and e["height"] >= 5]
    horizontal = [e for e in ruled.edges if e["orientation"] == "h"]
    if len(vertical) < 2:
        return []
    rules = []
    for y, side in ((max(e["bottom"] for e in vertical), "bottom"), (min(e["top"] for e in vertical), "top")):
        ends = [e for e in vertical if abs(e[side] - y) <= SNAP]
        if len(ends) < 2:
            continue
        x0, x1 = min(e["x0"] for e in ends), max(e["x0"] for e in ends)
        if not _covered([e for e in horizontal if abs(e["top"] - y) <= 2 * SNAP], x0, x1):
            rules.append(
                {
                    "object_type": "line",
                    "x0": x0,
                    "x1": x1,
                    "top": y,
                    "bottom": y,
                    "width": x1 - x0,
                    "height": 0,
                }
            )
    return rules


def _covered(edges: list[dict], x0: float, x1: float) -> bool:
    """Whether horizontal edges run, without a gap, from x0 to x1."""
    reach = x0 + SNAP
    for edge in sorted(edges, key=lambda e: e["x0"]):
        if edge["x0"] > reach:
            break
        reach = max(reach, edge["x1"])
    return reach >= x1 - SNAP


def _tables(page, number: int) -> list[_TablePart]:
    ruled = page.filter(_is_rule)
    found = ruled.find_tables(table_settings={"explicit_horizontal_lines": _closing_rules(ruled)})
    parts = []
    for table in found:
        cells: list[_Cell] = []
        for row, texts in zip(table.rows, table.extract(x_tolerance_ratio=WORD_GAP), strict=False):
            for box, text in zip(row.cells, texts, strict=False):
                if box is not None:
                    cells.append(_Cell(cell_text((text or "").split("\n")), box[0], box[2], box[1], box[3]))
        columns = _cluster([x for cell in cells for x in (cell.x0, cell.x1)])
        rows = _cluster([y for cell in cells for y in (cell.top, cell.bottom)])
        if len(columns) < 3 or len(rows) < 3:
            continue  # a single boxed paragraph or line is text, not a table
        x0, top, x1, bottom = table.bbox
        parts.append(_TablePart(number, cells, x0, x1, top, bottom, rows))
    return parts


def _lines(words: list[dict]) -> list[_Line]:
    """Words -> visual lines (same baseline band), left to right."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        size = float(word.get("size") or (word["bottom"] - word["top"]))
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= max(2.0, 0.3 * size):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_line(sorted(group, key=lambda w: w["x0"])) for group in lines]


def _line(words: list[dict]) -> _Line:
    size = max(float(w.get("size") or (w["bottom"] - w["top"])) for w in words)
    gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(words)]
    text = words[0]["text"]
    for gap, word in zip(gaps, words[1:], strict=False):
        # A narrow gap next to a Chinese character is spacing (justification,
        # a bold run, Word's CJK/Latin autospace), not a typed space.
        narrow = gap < TABLE_GAP * size and (is_wide(text[-1]) or is_wide(word["text"][0]))
        text += ("" if narrow else " ") + word["text"]
    return _Line(
        text=text,
        x0=words[0]["x0"],
        x1=words[-1]["x1"],
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        size=size,
        gappy=any(gap > TABLE_GAP * size for gap in gaps),
    )


def _drop_page_numbers(lines: list[_Line], height: float) -> list[_Line]:
    """Running page numbers are not report text: ``- 5 -``, ``— 5 —`` and
    ``第5页`` anywhere; ``5`` or ``5/12`` alone in the top or bottom margin."""
    kept = []
    for line in lines:
        text = line.text.strip()
        in_margin = line.top > 0.88 * height or line.bottom < 0.08 * height
        if _PAGE_NUMBER.fullmatch(text) or (in_margin and _MARGIN_PAGE_NUMBER.fullmatch(text)):
            continue
        kept.append(line)
    return kept


def _number_lines(items: list[_Line | _TablePart]) -> None:
    """Line numbers within the page; each table row counts as one line."""
    counter = 0
    for item in items:
        if isinstance(item, _Line):
            counter += 1
            item.number = counter
        else:
            item.row_lines = list(range(counter + 1, counter + len(item.row_edges)))
            counter += len(item.row_edges) - 1


def _cluster(values: list[float]) -> list[float]:
    """Sorted distinct coordinates, merging those within SNAP points."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > SNAP:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


# --------------------------------------------------------------- assembly


@dataclass
class _Margins:
    """Where a page's prose lines start and end."""

    left: float
    right: float


def _margins(page: _Page) -> _Margins | None:
    prose = [item for item in page.items if isinstance(item, _Line) and not item.gappy]
    if not prose:
        return None
    return _Margins(min(line.x0 for line in prose), max(line.x1 for line in prose))


def _full(line: _Line, margins: _Margins) -> bool:
    """The line runs to the right margin and does not end a sentence."""
    return (
        not line.gappy
        and line.x1 >= margins.right - TABLE_GAP * line.size
        and not line.text.rstrip().endswith(tuple(_SENTENCE_END))
    )


def _continues(previous: _Line, line: _Line, margins: _Margins, same_page: bool) -> bool:
    if line.gappy or abs(line.size - previous.size) > 1.0:
        return False
    if line.x0 > margins.left + WORD_GAP * line.size:
        return False  # indented: a new paragraph
    # on one page, a wider gap than a line's height separates paragraphs
    return not (same_page and line.top - previous.bottom > TABLE_GAP * line.size)


def _body_size(pages: list[_Page]) -> float:
    """The most common character size of running text."""
    sizes = [round(item.size) for page in pages for item in page.items if isinstance(item, _Line)]
    return float(statistics.mode(sizes)) if sizes else 0.0


def _centred(line: _Line, margins: _Margins) -> bool:
    middle = (margins.left + margins.right) / 2
    return abs((line.x0 + line.x1) / 2 - middle) <= line.size and line.x0 > margins.left + line.size


def _joins(
    previous: _Line,
    line: _Line,
    margins: _Margins | None,
    edge: _Margins | None,
    same_page: bool,
    body_size: float,
) -> bool:
    """Whether ``line`` continues the paragraph that ``previous`` ends: a
    wrapped line of running text (possibly across a page break), or the
    second line of a title set centred in a larger type."""
    if margins is None or edge is None:
        return False
    if _full(previous, edge) and _continues(previous, line, margins, same_page):
        return True
    return (
        same_page
        and previous.size >= 1.15 * body_size
        and abs(line.size - previous.size) < 0.5
        and _centred(previous, margins)
        and _centred(line, margins)
        and line.top - previous.bottom < line.size
    )


def _assemble(pages: list[_Page], limits: Limits) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[_Line] = []
    paragraph_page = 0
    table: list[_TablePart] = []
    previous_margins: _Margins | None = None
    body_size = _body_size(pages)

    def flush_paragraph() -> None:
        nonlocal paragraph
        if paragraph:
            text = join_wrapped([line.text for line in paragraph])
            first = paragraph[0]
            blocks.append(TextBlock(text, first.number, 1, f"第{paragraph_page}页", "pdf_page_line"))
            paragraph = []

    def flush_table() -> None:
        nonlocal table
        if table:
            blocks.append(_grid(table, limits))
            table = []

    for page in pages:
        margins = _margins(page) or previous_margins
        for item in page.items:
            if isinstance(item, _TablePart):
                flush_paragraph()
                if table and not _same_table(table[-1], item):
                    flush_table()
                table.append(item)
                continue
            if table:
                flush_table()
            same_page = paragraph_page == page.number
            edge = margins if same_page else previous_margins
            if paragraph and _joins(paragraph[-1], item, margins, edge, same_page, body_size):
                paragraph.append(item)
                continue
            flush_paragraph()
            paragraph = [item]
            paragraph_page = page.number
        previous_margins = margins
    flush_paragraph()
    flush_table()
    return blocks


def _same_table(before: _TablePart, after: _TablePart) -> bool:
    """A table broken by a page break: the part on the next page starts the
    page and has the same outer edges."""
    return after.page == before.page + 1 and abs(after.x0 - before.x0) <= 3 and abs(after.x1 - before.x1) <= 3


def _columns(parts: list[_TablePart]) -> list[float]:
    """Column edges of a table, its later parts snapped onto the first: the
    same rule can sit a few points off on the next page."""
    columns = _cluster([x for cell in parts[0].cells for x in (cell.x0, cell.x1)])
    for part in parts[1:]:
        for x in _cluster([x for cell in part.cells for x in (cell.x0, cell.x1)]):
            if min(abs(x - edge) for edge in columns) > PAGE_SNAP:
                columns = sorted([*columns, x])
    return columns


def _is_label(text: str) -> bool:
    return bool(text) and not all(ch.isdigit() or ch in " .,-%" for ch in text)


# A cell text opening with a list marker starts a new label; one that does
# not, right under a label cut by the page break, is that label's remainder.
_LIST_MARKER = linear(
    r"\s*(?:[（(][一二三四五六七八九十0-9]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[0-9]{1,2}[.、．])",
    searched=False,
)


@dataclass
class _Placed:
    """A PDF table cell placed on the grid: the rows and columns it covers."""

    cell: _Cell
    rows: tuple[int, int]
    columns: tuple[int, int]


def _placed(part: _TablePart, columns: list[float]) -> list[_Placed]:
    out = []
    for cell in part.cells:
        rows = (_index(part.row_edges, cell.top), _index(part.row_edges, cell.bottom))
        span = (_index(columns, cell.x0), _index(columns, cell.x1))
        if rows[1] > rows[0] and span[1] > span[0]:
            out.append(_Placed(cell, rows, span))
    return out


def _repeated_header_rows(first: list[_Placed], part: list[_Placed]) -> int:
    """How many leading rows of a later part repeat the table's first rows
    (Word's "repeat header rows"): those are dropped, not read twice."""

    def row(placed: list[_Placed], index: int) -> list[tuple]:
        return sorted((p.columns, p.rows[1] - p.rows[0], p.cell.text) for p in placed if p.rows[0] == index)

    count = 0
    while row(part, count) and row(part, count) == row(first, count):
        count += 1
    return count


def _grid(parts: list[_TablePart], limits: Limits) -> GridBlock:
    columns = _columns(parts)
    grid = SpanGrid(limits)
    row_pages: list[tuple[int, int]] = []  # grid row -> (page, line)
    offset = 0
    first = _placed(parts[0], columns)
    # A merged label cell cut by a page break shows the rest of its text (or
    # nothing) at the top of the next page: that cell is the same cell.
    carried: dict[tuple[int, int], GridCell] = {}
    for index, part in enumerate(parts):
        placed = first if index == 0 else _placed(part, columns)
        skip = _repeated_header_rows(first, placed) if index else 0
        height = len(part.row_edges) - 1
        reaching_bottom: dict[tuple[int, int], GridCell] = {}
        for item in placed:
            r0, r1 = item.rows
            if r0 < skip:
                continue
            line = part.row_lines[r0] if r0 < len(part.row_lines) else 0
            text = item.cell.text
            grid_cell = GridCell(
                text,
                Location(
                    line, item.columns[0] + 1, line, item.columns[1] + 1, f"第{part.page}页", "pdf_page_line"
                ),
            )
            above = carried.get(item.columns) if r0 == skip else None
            if above is not None and (not text or (_is_label(text) and not _LIST_MARKER.match(text))):
                above.text = join_wrapped([above.text, text])
                grid_cell = above
            grid.put(
                offset + r0 - skip, item.columns[0], grid_cell, r1 - r0, item.columns[1] - item.columns[0]
            )
            if r1 == height and _is_label(grid_cell.text):
                reaching_bottom[item.columns] = grid_cell
        carried = reaching_bottom
        row_pages.extend((part.page, line) for line in part.row_lines[skip:])
        offset += height - skip

    def empty(r: int, c: int) -> GridCell:
        page, line = row_pages[r] if r < len(row_pages) else (parts[0].page, 0)
        return GridCell("", Location(line, c + 1, line, c + 2, f"第{page}页", "pdf_page_line"))

    first_line = parts[0].row_lines[0] if parts[0].row_lines else 1
    where = f"第{parts[0].page}页"
    return GridBlock(grid.rows(empty), Location(first_line, 1, first_line, 1, where, "pdf_page_line"))
