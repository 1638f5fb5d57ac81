"""The methods ``dataclasses`` writes for gilint's classes, compiled once, not at every start.

``@dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__``… as source text and
compiles it with ``exec``: for gilint's ~120 dataclasses that compiling was ~60 ms of every
start (a third of the imports). This module gives the ``dataclasses`` module an ``exec`` of
its own (a module global, which shadows the builtin there and nowhere else) that compiles
each distinct source once and keeps the code objects, with ``marshal`` as a ``.pyc`` does,
in gilint's cache folder (``gilint.cache``), keyed by the Python build. Running a kept code
object is exactly running its source: same text, same file name (``<string>``), no inherited
compiler flags. Anything unexpected falls back to the builtin ``exec``.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import sys
from types import CodeType
from typing import Any

from gilint import cache

_KEY = f"dataclass-code-1\0{sys.version}".encode()
_LIMIT = 4096  # code objects kept


class _CodeCache:
    def __init__(self) -> None:
        self.codes: dict[str, CodeType] | None = None  # read at the first class
        self.added = False

    def exec(self, source: Any, namespace: Any = None, local_names: Any = None) -> None:
        if not isinstance(source, str):
            return builtins.exec(source, namespace, local_names)
        if self.codes is None:
            self.codes = self._read()
        code = self.codes.get(source)
        if code is None:
            # dont_inherit: compiled as the builtin exec in ``dataclasses`` would (no __future__ flags).
            code = compile(source, "<string>", "exec", dont_inherit=True)
            if len(self.codes) < _LIMIT:  # a process making classes on the fly keeps only the first
                self.codes[source] = code
                if not self.added:
                    self.added = True
                    atexit.register(self.save)
        return builtins.exec(code, namespace, local_names)

    def _read(self) -> dict[str, CodeType]:
        codes = cache.load(cache.entry_path("code", _KEY))
        if not isinstance(codes, dict) or not all(isinstance(code, CodeType) for code in codes.values()):
            return {}
        return codes

    def save(self) -> None:
        """Keep what was compiled (at exit, once, when there is something new)."""
        if self.codes:
            cache.store(cache.entry_path("code", _KEY), self.codes)


def install() -> None:
    """Called by the command line before it imports a command (not at ``import gilint``: a
    library user's process keeps its ``dataclasses`` untouched, and ``--version`` stays light)."""
    if cache.cache_dir() is None or getattr(dataclasses, "exec", None) is not None:
        return
    dataclasses.exec = _CodeCache().exec  # type: ignore[attr-defined]
