"""What every subcommand shares: exit codes, the bilingual argument parser, argument
types that refuse nonsense (exit 2, one line), and a standard output that a closed
pipe cannot turn into a traceback or a different exit status."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A bad command line or configuration: one line on stderr, exit 2."""


def error(message: str) -> None:
    print(f"gilint: {message}", file=sys.stderr)


# ------------------------------------------------------------------ parser


class HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法 / usage: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with bilingual help (every help text is ``中文 / English``, like the
    rest of gilint's command line) and errors raised, not printed with the usage."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数 / arguments"
        self._optionals.title = "选项 / options"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出 / show this help and exit")

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


# ----------------------------------------------------------- argument types


def _whole_number(text: str, minimum: int, reason: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是整数 / not an integer: {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{reason}: {value}")
    return value


def positive_int(text: str) -> int:
    return _whole_number(text, 1, "必须至少为 1 / must be at least 1")


def non_negative_int(text: str) -> int:
    return _whole_number(text, 0, "不能为负数 / must not be negative")


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是数字 / not a number: {text!r}") from None
    if not 0 < value < float("inf"):  # NaN fails both comparisons
        raise argparse.ArgumentTypeError(f"必须是正数 / must be a positive number: {text}")
    return value


def rule_folder(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"规则包目录不存在 / no such rule-pack folder: {text}")
    return path


def split_codes(values: list[str] | None) -> tuple[str, ...]:
    """``--select GI1,GI201 --select GI4`` -> (GI1, GI201, GI4), upper-cased."""
    codes: list[str] = []
    for value in values or []:
        codes.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(codes)


# ------------------------------------------------------------------ output


class PipeSafe(io.TextIOBase):
    """A text stream whose reader may go away (``gilint check … | head``): once the pipe
    is closed, further output is dropped, so the command finishes and its findings
    decide the exit status (ruff's rule) instead of a BrokenPipeError."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        if not self.closed_pipe:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._closed()
        return len(text)

    def flush(self) -> None:
        if not self.closed_pipe:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._closed()

    def isatty(self) -> bool:
        return not self.closed_pipe and self.stream.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    def _closed(self) -> None:
        self.closed_pipe = True
        silence_stdout(self.stream)


def silence_stdout(stream: TextIO | None = None) -> None:
    """Point standard output at /dev/null so that the interpreter's final flush of a
    closed pipe raises nothing (the recipe of Python's signal documentation)."""
    if stream is not None and stream is not sys.stdout:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def describe_problem(problem: Exception) -> str:
    """One line for an error that stops a command or a file: configuration, rule pack, bug."""
    from gilint.config import ConfigError
    from gilint.structure.knowledge import KnowledgeError

    if isinstance(problem, ConfigError):
        return f"配置错误 / configuration error: {problem}"
    if isinstance(problem, KnowledgeError):
        return f"规则包错误 / rule pack error: {problem}"
    return f"internal error ({type(problem).__name__}): {problem}"
