"""Compiled regular expressions kept between runs.

Python's ``re`` parses and compiles a pattern in Python code. gilint's few hundred patterns
(its own and the rule packs') took about 0.15 s of checking one report end to end, at every
run, for the same sources. What the compiler produces is small plain data: the ``_sre``
program (a list of integers), the flags and the group names. It is kept in gilint's cache
folder (``gilint.cache``), keyed by the source, the flags and the exact Python build, and
turned back into a pattern by ``_sre.compile``, the C constructor ``re.compile`` itself ends
with.

An entry is written only when the pattern rebuilt from it equals the one ``re.compile``
gave (``re.Pattern`` equality compares the source, the flags and the compiled program),
and anything unexpected (a damaged entry, a Python whose ``re`` internals differ) compiles
with ``re`` as before: the cache never changes a result.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from gilint import cache

try:  # CPython's own modules behind ``re``; without them every pattern compiles with ``re``
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python implementation
    _sre = None

# Bumped when what an entry holds changes; the Python build and the _sre program format are
# part of the key too, so another interpreter never reads an entry.
_FORMAT = "sre-1"
_PREFIX = f"{_FORMAT}\0{sys.version}\0{getattr(_sre, 'MAGIC', '')}\0".encode()


def compile_pattern(source: str | bytes, flags: int) -> re.Pattern:
    """``re.compile(source, flags)``, from the cache when it holds the compiled program."""
    if _sre is None:
        return re.compile(source, flags)
    flags = int(flags)
    entry = cache.entry_path("re", _key(source, flags))
    parts = cache.load(entry)
    if parts is not None:
        try:
            return _sre.compile(source, *parts)
        except Exception:  # a damaged or foreign entry: compile afresh below
            pass
    compiled = re.compile(source, flags)
    if entry is not None:
        parts = _program(source, flags)
        if parts is not None and _rebuilt(source, parts) == compiled:
            cache.store(entry, parts)
    return compiled


def _key(source: str | bytes, flags: int) -> bytes:
    body = b"b" + source if isinstance(source, bytes) else b"s" + source.encode("utf-8", "surrogatepass")
    return _PREFIX + str(flags).encode() + b"\0" + body


def _program(source: str | bytes, flags: int) -> tuple[Any, ...] | None:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` after the pattern: the
    flags, the program, the group count, and the group names both ways."""
    try:
        parsed = _parser.parse(source, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        groups = parsed.state.groups - 1
        # The opcodes are int subclasses (named constants) marshal cannot hold: plain ints.
        return (flags | parsed.state.flags, [int(op) for op in code], groups, groupindex, tuple(indexgroup))
    except Exception:  # re's internals differ here: nothing is kept
        return None


def _rebuilt(source: str | bytes, parts: tuple[Any, ...]) -> re.Pattern | None:
    try:
        return _sre.compile(source, *parts)
    except Exception:  # see _program
        return None
