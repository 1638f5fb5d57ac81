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

CPython 3.11.0 to 3.11.4 (Debian 12's python3 is 3.11.2) mis-match a possessive repeat
(``(?:…)*+``, ``++``) of a subpattern that can backtrack: it may match more than the
repeat without ``+`` would, or where that fails (CPython gh-100061 and gh-106052, fixed in
3.11.5). gilint's patterns are possessive to stay linear; on such a Python its web-page
tokens ran over tags, every page fell back to the slow search of the source map (the
bench's 600 reports, in process: 3.5 s -> 10 s) and corpus positions came out wrong. There each
such repeat is compiled as the greedy repeat in an atomic group, ``(?>(?:…)*)``, which the
``re`` documentation gives as its equivalent and which those versions match right (what
3.11.5's first fix, gh-106515, did in the compiler).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Any

from gilint import cache

try:  # CPython's own modules behind ``re``; without them every pattern compiles with ``re``
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python implementation
    _sre = None

# Bumped when what an entry holds changes; the Python build and the _sre program format are
# part of the key too, so another interpreter never reads an entry.
_FORMAT = "sre-2"  # 2: programs with possessive repeats made atomic where re mis-matches them
_PREFIX = f"{_FORMAT}\0{sys.version}\0{getattr(_sre, 'MAGIC', '')}\0".encode()


def compile_pattern(source: str | bytes, flags: int) -> re.Pattern:
    """``re.compile(source, flags)``, from the cache when it holds the compiled program
    (on a Python whose possessive repeats are broken, with them made atomic groups)."""
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
    if possessive_repeats_broken():
        return _compile_atomic(source, flags, entry)
    compiled = re.compile(source, flags)
    if entry is not None:
        parts = _program(source, flags)
        if parts is not None and _rebuilt(source, parts) == compiled:
            cache.store(entry, parts)
    return compiled


@lru_cache(maxsize=1)
def possessive_repeats_broken() -> bool:
    """Whether this Python's ``re`` mis-matches a possessive repeat of a subpattern that can
    backtrack: the examples of CPython gh-100061 and gh-106052 (true on 3.11.0 to 3.11.4)."""
    return re.match("(.(?!C))++", "ABCD").end() != 1 or re.fullmatch("(?:ab?c)*+", "a") is not None


def _compile_atomic(source: str | bytes, flags: int, entry: Any) -> re.Pattern:
    """``source`` compiled with its backtracking possessive repeats made atomic groups."""
    parts = _program(source, flags, atomic=True)
    compiled = _rebuilt(source, parts) if parts is not None else None
    if compiled is None:  # not a valid pattern: ``re`` says why, as for any other
        return re.compile(source, flags)
    if entry is not None:
        cache.store(entry, parts)
    return compiled


def atomic_possessives(pattern: Any) -> Any:
    """Rewrite, in place, each possessive repeat in ``pattern`` (a parsed ``re`` pattern) whose
    subpattern is not a single character as that greedy repeat in an atomic group; return
    ``pattern``. A repeat of one character (``[^<]++``) cannot backtrack and stays as it is."""
    data = pattern.data
    for index, (op, value) in enumerate(data):
        for child in _subpatterns(op, value):
            atomic_possessives(child)
        if op is _parser.POSSESSIVE_REPEAT and not _compiler._simple(value[2]):
            repeat = _parser.SubPattern(pattern.state, [(_parser.MAX_REPEAT, value)])
            data[index] = (_parser.ATOMIC_GROUP, repeat)
    return pattern


def _subpatterns(op: Any, value: Any) -> list[Any]:
    """The parsed subpatterns inside one item of a parsed pattern."""
    if op is _parser.BRANCH:
        return list(value[1])
    if op in (_parser.SUBPATTERN, _parser.ASSERT, _parser.ASSERT_NOT):
        return [value[-1]]
    if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT):
        return [value[2]]
    if op is _parser.ATOMIC_GROUP:
        return [value]
    if op is _parser.GROUPREF_EXISTS:
        return [branch for branch in value[1:] if branch is not None]
    return []


def _key(source: str | bytes, flags: int) -> bytes:
    body = b"b" + source if isinstance(source, bytes) else b"s" + source.encode("utf-8", "surrogatepass")
    return _PREFIX + str(flags).encode() + b"\0" + body


def _program(source: str | bytes, flags: int, *, atomic: bool = False) -> tuple[Any, ...] | None:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` after the pattern: the
    flags, the program, the group count, and the group names both ways. ``atomic``: with
    the possessive repeats made atomic groups (``atomic_possessives``)."""
    try:
        parsed = _parser.parse(source, flags)
        if atomic:
            atomic_possessives(parsed)
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
