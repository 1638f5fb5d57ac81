"""Readers for web pages (.html/.htm), Word (.docx) and PDF (.pdf).

Importing this package registers them with ``gilint.load.reader``. The
registered functions only import their module (and it its library: lxml,
python-docx, pdfplumber) on first use, so registering costs nothing at
start-up (``gilint --version`` must answer in < 300 ms).
"""

from __future__ import annotations

from ..load import LoadOptions, reader
from ..model import Document


@reader(".html", ".htm")
def read_html(path: str, data: bytes, options: LoadOptions) -> Document:
    from .html_reader import html_document

    return html_document(path, data)


@reader(".docx")
def read_docx(path: str, data: bytes, options: LoadOptions) -> Document:
    from .docx_reader import docx_document

    return docx_document(path, data)


@reader(".pdf")
def read_pdf(path: str, data: bytes, options: LoadOptions) -> Document:
    from .pdf_reader import pdf_document

    return pdf_document(path, data)
