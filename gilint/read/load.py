"""Step 1, read: bytes -> Document (blocks of the user's text, with positions).

Every failure is a ``LoadError`` carrying the diagnostic code (GI001 unreadable,
GI002 unsupported); the CLI turns it into a diagnostic, never a traceback.
``READERS`` maps each extension to its reader. The HTML, Word and PDF readers import
their module (and it its library: lxml, python-docx, pdfplumber) on first use, so
``gilint --version`` loads none of them.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from gilint.model import Document
from gilint.patterns import linear
from gilint.read.base import OLE_MAGIC, LoadError, LoadOptions, Reader
from gilint.read.text import read_text

# Old binary office formats: say what to do instead.
LEGACY_BINARY_EXTENSIONS = (".doc", ".wps", ".et", ".xls")


def _read_html(path: str, data: bytes, options: LoadOptions) -> Document:
    from gilint.read.html import html_document

    return html_document(path, data, locate_all=options.locate_all)


def _read_docx(path: str, data: bytes, options: LoadOptions) -> Document:
    from gilint.read.docx import docx_document

    return docx_document(path, data)


def _read_pdf(path: str, data: bytes, options: LoadOptions) -> Document:
    from gilint.read.pdf import pdf_document

    return pdf_document(path, data)


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
}


# ------------------------------------------------------------------ entries


def extension_of(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def load_bytes(
    path: str, data: bytes, options: LoadOptions | None = None, extension: str | None = None
) -> Document:
    """Read bytes named ``path``; ``extension`` (e.g. sniffed from standard input's
    bytes) overrides the one of ``path``."""
    options = options or LoadOptions()
    if not data:
        raise LoadError("GI001", "文件为空", "the file is empty")
    if len(data) > options.max_bytes:
        raise LoadError(
            "GI001",
            f"文件大小 {len(data)} 字节，超过上限 {options.max_bytes} 字节",
            f"the file is {len(data)} bytes, over the limit of {options.max_bytes}",
        )
    extension = extension or (sniff_extension(data) if path == "-" else extension_of(path))
    function = READERS.get(extension)
    if function is None:
        raise unsupported(path, extension)
    return function(path, data, options)


_HTML_START = linear(rb"<(?:!doctype[ \t\r\n]+html|html|head|body|meta)[ \t\r\n>/]", re.IGNORECASE)
_SNIFF_BYTES = 2048  # a page's markup starts within its first bytes (after a BOM or comments)


def sniff_extension(data: bytes) -> str:
    """The format of unnamed bytes (standard input), from the bytes themselves: a zip
    holding word/document.xml is Word, ``%PDF-`` a PDF, ``<html``/``<!DOCTYPE html``
    a web page, an OLE container an old .doc; anything else is text."""
    head = data[:_SNIFF_BYTES]
    if b"%PDF-" in data[:1024]:  # the PDF header may follow a little junk (ISO 32000 7.5.2)
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".docx" if _zip_holds(data, "word/document.xml") else ".zip"
    if head.startswith(OLE_MAGIC):
        return ".doc"
    if _HTML_START.search(head):
        return ".html"
    return ".txt"


def _zip_holds(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def unsupported(path: str, extension: str | None = None) -> LoadError:
    extension = extension or extension_of(path) or "（无扩展名）"
    if extension in LEGACY_BINARY_EXTENSIONS:
        return LoadError(
            "GI002",
            f"不支持旧版二进制格式 {extension}：请在 Word/WPS 中另存为 .docx 后再检查",
            f"old binary format {extension} is not supported: save it as .docx and check that",
        )
    supported = " ".join(sorted(READERS))
    return LoadError(
        "GI002",
        f"不支持的文件格式 {extension}；支持：{supported}",
        f"unsupported file format {extension}; supported: {supported}",
    )


def load_stdin(data: bytes, name: str | None = None, options: LoadOptions | None = None) -> Document:
    """Standard input, shown as ``name`` (``--stdin-filename``) or ``-``: the format is
    ``name``'s extension, or sniffed from the bytes when there is none."""
    extension = extension_of(name) if name else ""
    return load_bytes(name or "-", data, options, extension or sniff_extension(data))


def load_path(
    path: str, options: LoadOptions | None = None, stdin: bytes | None = None, stdin_name: str | None = None
) -> Document:
    """Read one file (or ``-`` for standard input) into a Document."""
    options = options or LoadOptions()
    if path == "-":
        return load_stdin(stdin or b"", stdin_name, options)
    if extension_of(path) not in READERS:
        raise unsupported(path)
    try:
        data = _read_regular_file(path, options.max_bytes)
    except LoadError:
        raise
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise LoadError("GI001", f"无法读取文件：{reason}", f"cannot read the file: {reason}") from error
    return load_bytes(path, data, options)


def _read_regular_file(path: str, max_bytes: int) -> bytes:
    """At most ``max_bytes`` + 1 bytes of a regular file. Opened without blocking and
    checked on the open descriptor: a FIFO, a device or a socket named on the command
    line would otherwise block the read forever or never end."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise LoadError(
                "GI001",
                "不是普通文件（命名管道、设备或套接字），不能检查",
                "not a regular file (a named pipe, device or socket): it cannot be checked",
            )
        if status.st_size > max_bytes:
            raise LoadError(
                "GI001",
                f"文件大小 {status.st_size} 字节，超过上限 {max_bytes} 字节",
                f"the file is {status.st_size} bytes, over the limit of {max_bytes}",
            )
        return read_at_most(handle, status.st_size, max_bytes)


def read_at_most(handle: BinaryIO, expected: int, max_bytes: int) -> bytes:
    """At most ``max_bytes`` + 1 bytes of an open file ``expected`` (its size when opened)
    to hold: ``handle.read(max_bytes + 1)`` allocates that much (20 MB) up front, for a
    10 KB report too (~30 µs and ten page faults a file). A file that holds more than
    ``expected`` (it grew; /proc files say 0) is read on, to the limit."""
    data = handle.read(min(expected, max_bytes) + 1)
    if len(data) > expected and len(data) <= max_bytes:
        data += handle.read(max_bytes + 1 - len(data))
    return data


# In a folder of reports these are the repository's own documents, not reports.
NOT_REPORTS = ("readme", "changelog", "license", "contributing")


def discover(paths: list[str]) -> Iterator[str]:
    """Expand directories into the files gilint can read, sorted; files given
    by name are yielded as they are (an unsupported one becomes GI002)."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = [
                str(candidate)
                for candidate in Path(path).rglob("*")
                if candidate.is_file()
                and candidate.suffix.lower() in READERS
                and candidate.stem.lower() not in NOT_REPORTS
                and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
            ]
            yield from sorted(found)
        else:
            yield path
