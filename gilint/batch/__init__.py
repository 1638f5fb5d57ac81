"""Check many files, each under a time and a memory budget, and hand back one result
per file, in input order, as soon as it is known.

    from gilint.batch import Budget, FileJob, check_files

    jobs = [FileJob(path, options) for path in paths]
    for result in check_files(jobs, Budget(seconds=30, memory_mb=1024), workers=2):
        render(result.reports)          # result.index == position in ``jobs``

Every file is checked in a worker process (``--jobs 1`` too): a file that hangs is
stopped when its time budget runs out, one that needs more memory than its budget
fails its own allocation, and a worker that dies (killed, out of memory, crashed)
is replaced. The file then comes back as one GI001 diagnostic saying why (time
budget exceeded, memory budget exceeded, internal error with the exception type)
and the batch goes on with the next file. ``check_files`` is an iterator, so a
caller can stream the results or show progress while the batch runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from gilint.batch.budget import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Budget
from gilint.batch.jobs import FileJob, FileResult
from gilint.pipeline import Linter, Options

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_SECONDS", "Budget", "FileJob", "FileResult", "check_files"]


def check_files(
    jobs: Iterable[FileJob],
    budget: Budget | None = None,
    workers: int = 1,
    stdin: bytes | None = None,
    linters: dict[Options, Linter] | None = None,
    while_waiting: Callable[[], None] | None = None,
) -> Iterator[FileResult]:
    """Check every job, ``workers`` files at a time; yield each result in input order
    as soon as it and every result before it are known (``budget``: the defaults).
    ``linters``: Linters the caller already built for some options (built once, not again).
    ``while_waiting``: called once, when the first files are with the workers (the caller's
    own set-up then runs beside their checking instead of before it)."""
    from gilint.batch.runner import Runner

    yield from Runner(
        list(jobs), budget or Budget(), max(1, workers), stdin, linters, while_waiting
    ).results()
