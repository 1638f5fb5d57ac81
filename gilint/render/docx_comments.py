"""A copy of a Word draft with every finding as a comment (批注) on the text it is about.

The comments are written with python-docx's comments API (``Document.add_comment``):
it adds the comments part and the ``w:commentRangeStart``/``End`` markers and
reference run, nothing else, so the draft's text and tables stay as they were.
Each comment is anchored on the element its Location's ``anchor`` names, found
by numbering the body the way the reader does (``gilint.read.docx.body_blocks``):
a table cell (表三 （七）总计 × 自然人), a paragraph or heading, a whole table; a
finding without an anchor (a report-wide one) goes on the first paragraph with text.

Only bytes that the reader accepted reach here (the caller checks first), so
python-docx opens a package that has already passed the zip and DTD checks.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext

from gilint.model import CheckedReport, Diagnostic, Location, ParagraphAnchor, TableAnchor
from gilint.read.docx import W, body_blocks, cell_paragraphs, paragraph_text, row_cells, table_rows
from gilint.render.base import expected_value, label

AUTHOR = "gilint"
INITIALS = "GL"


def comment_text(diagnostic: Diagnostic, lang: str) -> str:
    """Code, severity and name; the message with its numbers; the value the cell should hold."""
    lines = [
        f"{diagnostic.code} [{label(lang, diagnostic.severity.value)}] {diagnostic.name}",
        diagnostic.text(lang),
    ]
    expected = expected_value(diagnostic)
    if expected is not None:
        lines.append(label(lang, "expected").format(value=expected))
    return "\n".join(lines)


def annotate_docx(
    data: bytes,
    results: list[CheckedReport],
    lang: str = "zh",
    step: Callable[[], AbstractContextManager] = nullcontext,
) -> bytes:
    """The Word file ``data`` with one comment per diagnostic of ``results``;
    with no diagnostics, the same bytes (a copy without a single change). ``step``: a context
    each parsing step with python-docx runs in (opening the file, adding one comment, saving):
    the upload server's guard against forking a worker meanwhile (gilint.serve.tasks), held
    a comment at a time, not for the whole copy (adding a comment grows with the comments
    there are: thousands take seconds)."""
    diagnostics = [diagnostic for result in results for diagnostic in result.diagnostics]
    if not diagnostics:
        return data
    with step():
        import docx

        document = docx.Document(io.BytesIO(data))
    body = _Body(document)
    for diagnostic in diagnostics:
        runs = body.runs_at(diagnostic.location)
        with step():
            document.add_comment(runs, text=comment_text(diagnostic, lang), author=AUTHOR, initials=INITIALS)
    out = io.BytesIO()
    with step():
        document.save(out)
    return out.getvalue()


class _Body:
    """The body's paragraphs and tables by the numbers the reader gave them."""

    def __init__(self, document) -> None:
        self._document = document
        self._paragraphs: dict[int, object] = {}
        self._tables: dict[int, object] = {}
        for anchor, element in body_blocks(document.element.body):
            if isinstance(anchor, ParagraphAnchor):
                self._paragraphs[anchor.paragraph] = element
            else:
                self._tables[anchor.table] = element

    def runs_at(self, location: Location | None) -> list:
        """The first and last run of the element a location is in (a run is added
        to an element that has none: an empty cell still gets its comment)."""
        paragraphs = self._paragraphs_at(location.anchor if location else None) or self._first_text()
        return self._runs(paragraphs)

    def _paragraphs_at(self, anchor: ParagraphAnchor | TableAnchor | None) -> list:
        if isinstance(anchor, ParagraphAnchor):
            paragraph = self._paragraphs.get(anchor.paragraph)
            return [paragraph] if paragraph is not None else []
        if isinstance(anchor, TableAnchor) and anchor.table in self._tables:
            table = self._tables[anchor.table]
            if anchor.row is None or anchor.cell is None:
                every = list(table.iter(W + "p"))  # the whole table: from its first to its last paragraph
                return every[:1] + every[-1:]
            rows = table_rows(table)
            cells = row_cells(rows[anchor.row]) if anchor.row < len(rows) else []
            return cell_paragraphs(cells[anchor.cell]) if anchor.cell < len(cells) else []
        return []

    def _first_text(self) -> list:
        """Where report-wide findings go: the first paragraph with text (the title),
        else the first paragraph of the first table."""
        for paragraph in self._paragraphs.values():
            if paragraph_text(paragraph).strip():
                return [paragraph]
        for table in self._tables.values():
            first = next(table.iter(W + "p"), None)
            if first is not None:
                return [first]
        return list(self._paragraphs.values())[:1]

    def _runs(self, elements: Sequence) -> list:
        from docx.text.paragraph import Paragraph

        paragraphs = [Paragraph(element, self._document) for element in elements]
        if not paragraphs:  # a body without a single paragraph: give the comment one
            paragraphs = [self._document.add_paragraph()]
        runs = [run for paragraph in paragraphs for run in paragraph.runs]
        if not runs:
            runs = [paragraphs[0].add_run()]
        return [runs[0], runs[-1]]
