"""What the front ends do with one file's bytes: check them, or check them and
write the findings into a commented Word copy.

`gilint annotate` and the web app (gilint.serve.app) both call these; the web
app calls them from worker threads. ``check_bytes`` is the only place either
runs the pipeline on bytes, so that a runner with per-file time and memory
budgets can take its place without touching the callers.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from dataclasses import dataclass

from gilint.batch import Budget, FileJob, check_files
from gilint.model import CheckedReport
from gilint.pipeline import Linter, Options
from gilint.read.load import extension_of
from gilint.render.docx_comments import annotate_docx

# Codes meaning the file itself could not be used: nothing to write comments into.
UNREADABLE_CODES = ("GI001", "GI002")
ANNOTATABLE = ".docx"

_local = threading.local()


def linter_for(options: Options) -> Linter:
    """One Linter per thread and options (a Linter keeps per-rule caches)."""
    linters: dict[Options, Linter] = getattr(_local, "linters", None) or {}
    _local.linters = linters
    if options not in linters:
        linters[options] = Linter(options)
    return linters[options]


def check_bytes(
    name: str, data: bytes, options: Options, budget: Budget | None = None
) -> list[CheckedReport]:
    """Check one file's bytes in a worker process under ``budget`` (gilint.batch, as the
    CLI does): a file that hangs or needs too much memory comes back as GI001. ``name``
    only says which reader (by its extension) and how the file is called in the findings:
    it is never opened."""
    job = FileJob(name, options, data=data)
    (result,) = check_files([job], budget, 1, None, {options: linter_for(options)})
    return result.reports


def without_codes(results: list[CheckedReport], prefixes: tuple[str, ...]) -> list[CheckedReport]:
    """Drop findings whose code starts with one of ``prefixes`` (per-file ignores)."""
    if prefixes:
        for result in results:
            result.diagnostics = [d for d in result.diagnostics if not d.code.startswith(prefixes)]
    return results


def unreadable(results: list[CheckedReport]) -> bool:
    """Whether the file itself was refused (GI001 unreadable, GI002 unsupported)."""
    return any(d.code in UNREADABLE_CODES for result in results for d in result.diagnostics)


@dataclass
class Annotation:
    """A checked upload's results and its commented Word copy."""

    results: list[CheckedReport]
    docx: bytes | None  # the commented copy; None when the file could not be read
    comments: int


def annotate_bytes(
    name: str,
    data: bytes,
    options: Options,
    lang: str = "zh",
    ignore: tuple[str, ...] = (),
    budget: Budget | None = None,
) -> Annotation:
    """Check a Word file's bytes, then write every finding into a copy as a comment.
    The caller makes sure ``name`` ends in .docx (see ``can_annotate``)."""
    results = without_codes(check_bytes(name, data, options, budget), ignore)
    if unreadable(results):
        return Annotation(results, None, 0)
    comments = sum(len(result.diagnostics) for result in results)
    return Annotation(results, annotate_docx(data, results, lang), comments)


def can_annotate(name: str) -> bool:
    return extension_of(name) == ANNOTATABLE


NOT_DOCX = {
    "zh": "只有 Word（.docx）文件可以生成带批注的副本；其他格式请查看网页报告"
    "（gilint check 文件 --output-format html，或在上传页面点「检查」）",
    "en": "only Word (.docx) files can be annotated; for other formats use the HTML report "
    "(gilint check FILE --output-format html, or Check on the upload page)",
}


def upload_name(client_name: str | None) -> str:
    """A display name for an uploaded file: the last path component of what the
    client sent, without control characters, at most 120 characters. It names
    the file in findings and picks the reader by extension; it is never a path."""
    name = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    if len(name) > 120:
        stem, extension = os.path.splitext(name)
        extension = extension[:16]
        name = stem[: 120 - len(extension)] + extension
    return name or "upload"
