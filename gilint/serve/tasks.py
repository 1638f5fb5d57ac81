"""What the front ends do with one file's bytes: check them, or check them and
write the findings into a commented Word copy.

`gilint annotate` and the web app (gilint.serve.app) both call these; the web
app calls them from worker threads. ``check_bytes`` is the only place either
runs the pipeline on bytes, so that a runner with per-file time and memory
budgets can take its place without touching the callers.
"""

from __future__ import annotations

import logging
import os
import threading
import unicodedata
from dataclasses import dataclass

from gilint.batch import Budget, FileJob, check_files
from gilint.data import examples_dir
from gilint.model import CheckedReport
from gilint.pipeline import Linter, Options
from gilint.read.load import extension_of
from gilint.render.docx_comments import annotate_docx

# Codes meaning the file itself could not be used: nothing to write comments into.
UNREADABLE_CODES = ("GI001", "GI002")
ANNOTATABLE = ".docx"

_local = threading.local()
log = logging.getLogger("gilint.serve")

# A worker is forked from whichever thread serves an upload, and any lock another thread holds
# at that moment stays held in the worker for ever: a module's import lock (a reader imported
# on first use), the lock an lxml parser holds through a parse (python-docx's and lxml's shared
# parsers; lxml lets other threads run meanwhile). Seen: warming the checker up in the threads,
# one of ten concurrent uploads hung until its time budget ran out. So the server imports and
# parses only before it serves (``warm_up_checker``) and under this lock, which every fork takes
# first (os.register_at_fork): writing a Word copy's comments and a fork wait for each other.
# Reentrant: a thread holding it may fork (it is not inside lxml then) without deadlocking.
_FORK_GUARD = threading.RLock()
os.register_at_fork(
    before=_FORK_GUARD.acquire, after_in_parent=_FORK_GUARD.release, after_in_child=_FORK_GUARD.release
)


def in_process_work() -> threading.RLock:
    """Held while this process imports or parses with lxml itself: no worker is forked
    meanwhile from another thread (what is imported or parsed then is the caller's to guard)."""
    return _FORK_GUARD


# The example reports a long-running front end's checker is warmed up with (``warm_up``).
WARM_UP_EXAMPLES = ("clean-2021.md", "clean-2021.html", "clean-2021.docx")
# Checkers warmed up at a front end's start, by options: shared by its threads, which never check
# with them, only hand them to the worker processes they fork (gilint.batch).
_warmed: dict[Options, Linter] = {}


def linter_for(options: Options) -> Linter:
    """The checker for ``options``: the one warmed up at start (``warm_up_checker``), else one
    per thread (a Linter keeps per-rule caches)."""
    warmed = _warmed.get(options)
    if warmed is not None:
        return warmed
    linters: dict[Options, Linter] = getattr(_local, "linters", None) or {}
    _local.linters = linters
    if options not in linters:
        linters[options] = Linter(options)
    return linters[options]


def warm_up_checker(options: Options) -> None:
    """Make the checker for ``options`` and warm it up (``warm_up``), for every thread to use.
    At a front end's start, before it serves anything: the first upload is then as quick as
    the others, and no upload waits for a warm-up (``in_process_work``)."""
    if options not in _warmed:
        linter = Linter(options)
        warm_up(linter)
        _warmed[options] = linter


def warm_up(linter: Linter) -> list[str]:
    """Check the bundled example reports with ``linter`` in this process, once, dropping the
    results; returns the names checked. Every upload is checked in a worker process forked
    from this one: it inherits what checking left ready here (the readers' libraries
    imported, patterns compiled, the rules' lexicons and table models, the t2s dictionaries)
    instead of making it all again for each upload (an upload of a small .docx 58 -> 21 ms,
    of a bench web page 47 -> 29 ms, of a Markdown report 33 -> 21 ms). An installation
    without the examples is not warmed; an upload then only takes longer."""
    try:
        folder = examples_dir()
    except FileNotFoundError:
        return []
    checked = []
    for name in WARM_UP_EXAMPLES:
        path = folder / name
        try:
            with in_process_work():
                linter.check_bytes(name, path.read_bytes())
        except Exception as error:  # a bug (the tests check every example): the uploads still go on
            log.warning("warming up with %s failed: %s: %s", path, type(error).__name__, error)
            continue
        checked.append(name)
    return checked


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
    return Annotation(results, annotate_docx(data, results, lang, in_process_work), comments)


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
