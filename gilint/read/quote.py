"""The user's own text at a Location, for files without source lines (DOCX, PDF).

Renderers quote text files from ``Document.source_lines``; a Word paragraph or
table cell, or a PDF line, is found here by the label its Location carries
(``段落 12``, ``Word 文件中第 2 个表格 第3行第4列``, ``第5页``) and the line within that block.
"""

from __future__ import annotations

from gilint.model import Document, GridBlock, Location, TextBlock

# Whole paragraphs can be long: quote a window around the span.
CONTEXT_BEFORE = 30
CONTEXT_AFTER = 50


def _start(location: Location) -> tuple[str | None, int, int]:
    """A cell by where it starts: a label alone is not enough (a PDF page's label
    ``第5页`` is that of every cell and line on the page)."""
    return location.where, location.line, location.column


class Quoter:
    def __init__(self, document: Document):
        self._cells: dict[tuple[str | None, int, int], str] = {}
        self._blocks: dict[str, list[TextBlock]] = {}
        for block in document.blocks:
            if isinstance(block, GridBlock):
                for row in block.rows:
                    for cell in row:
                        self._cells.setdefault(_start(cell.location), cell.text)
            elif block.where:
                self._blocks.setdefault(block.where, []).append(block)

    def quote(self, location: Location | None) -> str | None:
        if location is None or location.where is None:
            return None
        cell = self._cells.get(_start(location))
        if cell is not None:
            return cell or None
        for block in self._blocks.get(location.where, ()):
            lines = block.text.split("\n")
            index = location.line - block.line
            if 0 <= index < len(lines):
                first_column = block.column if index == 0 else 1
                return _window(lines[index], location.column - first_column)
        return None


def _window(text: str, start: int) -> str | None:
    text = text.replace("\t", " ").strip("\r")
    start = max(0, min(start, len(text)))
    window_start = max(0, start - CONTEXT_BEFORE)
    window_end = min(len(text), start + CONTEXT_AFTER)
    quoted = text[window_start:window_end].strip()
    if not quoted:
        return None
    return ("…" if window_start > 0 else "") + quoted + ("…" if window_end < len(text) else "")
