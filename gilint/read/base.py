"""What every reader shares: the error that becomes GI001/GI002 and the read options.

The bottom of ``gilint.read``: the readers and the dispatcher in ``load`` import it,
it imports nothing of theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gilint.model import Document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# An OLE compound file: an old binary .doc/.wps (or a password-protected Word file).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class LoadError(Exception):
    """The file cannot be checked; ``code`` is GI001 or GI002."""

    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message = {"zh": message_zh, "en": message_en}


@dataclass(frozen=True)
class LoadOptions:
    """Limits the readers apply to a file, and what the run will ask of what they read."""

    max_bytes: int = DEFAULT_MAX_BYTES
    # The run asks where every line and table cell starts (it makes digests, which locate
    # each section and cell): a reader that finds positions only when asked (HTML) finds
    # them as it reads instead.
    locate_all: bool = False


Reader = Callable[[str, bytes, LoadOptions], Document]
