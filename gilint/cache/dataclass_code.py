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
_LIMIT = 4096  # new code objects a process may add (gilint has a few hundred)


class _CodeCache:
    def __init__(self) -> None:
        self.codes: dict[str, CodeType] | None = None  # read at the first class
        self.new: dict[str, CodeType] = {}  # compiled in this process

    def exec(self, source: Any, namespace: Any = None, local_names: Any = None) -> None:
        if not isinstance(source, str):
            return builtins.exec(source, namespace, local_names)
        if not _ours(namespace):
            return builtins.exec(_compiled(source), namespace, local_names)
        if self.codes is None:
            self.codes = self._read()
        code = self.codes.get(source)
        if code is None:
            code = self.codes[source] = _compiled(source)
            if not self.new:
                atexit.register(self.save)
            self.new[source] = code
        return builtins.exec(code, namespace, local_names)

    def _read(self) -> dict[str, CodeType]:
        codes = cache.load(cache.entry_path("code", _KEY))
        if not isinstance(codes, dict) or not all(isinstance(code, CodeType) for code in codes.values()):
            return {}
        return codes

    def save(self) -> None:
        """Add what this process compiled to what is kept (at exit, when there is something
        new; merged with the entry as it is now, since other commands make other classes)."""
        if self.new and len(self.new) < _LIMIT:
            cache.store(cache.entry_path("code", _KEY), {**self._read(), **self.new})


def _compiled(source: str) -> CodeType:
    # dont_inherit: compiled as the builtin exec in ``dataclasses`` does, without this module's
    # ``from __future__ import annotations`` (exec of a string here would inherit it).
    return compile(source, "<string>", "exec", dont_inherit=True)


def _ours(namespace: Any) -> bool:
    """A class of gilint's (``dataclasses`` runs the code in the class's module globals):
    other libraries' classes are compiled as usual and not kept."""
    return isinstance(namespace, dict) and str(namespace.get("__name__", "")).startswith("gilint.")


def install() -> None:
    """Called by the command line before it imports a command (not at ``import gilint``: a
    library user's process keeps its ``dataclasses`` untouched, and ``--version`` stays light)."""
    if cache.cache_dir() is None or getattr(dataclasses, "exec", None) is not None:
        return
    dataclasses.exec = _CodeCache().exec  # type: ignore[attr-defined]
