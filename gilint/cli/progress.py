"""A progress bar on standard error while ``check`` runs a batch: only when standard
error is a terminal (never in CI logs, never in standard output) and only for more
than a handful of files (a few finish before a bar would help)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TextIO

HANDFUL = 8  # files: a batch this small gets no bar


class BatchProgress:
    """``with BatchProgress(total, output) as progress``: ``advance()`` after each file;
    ``paused()`` around writing to ``output`` — when that is the same terminal, the bar
    is taken down while the lines are written, so that they never mix."""

    def __init__(self, total: int, output: TextIO, stderr: TextIO | None = None):
        stderr = stderr or sys.stderr
        self.bar = None
        self.shares_terminal = False
        if total > HANDFUL and stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("检查 / checking"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=stderr),
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.task = self.bar.add_task("check", total=total)
            self.shares_terminal = output.isatty()

    def __enter__(self) -> BatchProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    @contextmanager
    def paused(self) -> Iterator[None]:
        if self.bar is None or not self.shares_terminal:
            yield
            return
        self.bar.stop()
        try:
            yield
        finally:
            self.bar.start()
