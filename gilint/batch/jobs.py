"""What the batch is given and what it hands back, per file."""

from __future__ import annotations

from dataclasses import dataclass, field

from gilint.model import CheckedReport
from gilint.pipeline import Options


@dataclass(frozen=True)
class FileJob:
    """One file to check (``-`` for standard input) with the options that apply to it.
    With ``data`` the bytes are given (an upload): ``path`` only names the file and its
    format, it is never opened."""

    path: str
    options: Options = field(default_factory=Options)
    refused: str | None = None  # why the file cannot be checked at all (its configuration is broken)
    data: bytes | None = None


@dataclass
class FileResult:
    """One file's outcome from a worker: its reports, or why it could not be checked."""

    index: int  # position of the job in the input
    job: FileJob
    reports: list[CheckedReport]  # the file's reports, or one GI001 report when it failed
    failure: str | None = None  # None, "time", "memory", "internal" or "rules"
    detail: str = ""  # the failure's cause as one line (the exception, the pack error)
