"""Every regular expression gilint applies to user text is compiled here.

Python's ``re`` backtracks, so a careless pattern turns a few kilobytes of hostile
text (a run of spaces, of digits, of ``| ``) into minutes of CPU. Two doors:

- ``linear(source, flags)`` for gilint's own patterns (module constants and the
  patterns built from rules/ data at load time);
- ``untrusted(source, where, flags)`` for patterns from rule packs, lexicons and
  table models, which may come from a ``.gilint.yaml`` next to a checked file: the
  pattern is refused at load (``UnsafePattern``, naming ``where``) unless
  ``linearity.check`` shows it linear.

Both record the pattern in a registry (``registered()``) so that
tests/test_linear_patterns.py can feed every one of them adversarial text and
assert the static check on the built-in ones too.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from gilint.patterns.linearity import NotLinear, check, problems
from gilint.patterns.store import compile_pattern

__all__ = [
    "LazyPattern",
    "NotLinear",
    "Registered",
    "UnsafePattern",
    "check",
    "compiled",
    "linear",
    "problems",
    "registered",
    "untrusted",
]

# A long-lived process (a server) compiling patterns from many packs must not grow
# without bound: past this the registry stops recording (the patterns still work).
_REGISTRY_LIMIT = 4096


class UnsafePattern(ValueError):
    """A pattern from data is not a valid regular expression or not linear."""


@dataclass(frozen=True)
class Registered:
    """A compiled pattern as the registry keeps it, for the adversarial tests."""

    pattern: re.Pattern
    origin: str  # module or data file (and key) it came from
    trusted: bool  # gilint's own (False: from a rule pack / lexicon / table model)
    searched: bool  # used with search/finditer/sub (False: only match/fullmatch at one position)
    exempt: str  # gilint's own pattern the static check cannot show linear: why it is


_registry: dict[tuple[object, int], Registered] = {}
_lock = threading.Lock()


def _record(entry: Registered, flags: int) -> None:
    key = (entry.pattern.pattern, flags)
    with _lock:
        if key not in _registry and len(_registry) < _REGISTRY_LIMIT:
            _registry[key] = entry


class LazyPattern:
    """A regular expression compiled at its first use, then exactly the compiled pattern.

    Python's ``re`` compiles in Python: gilint's few hundred patterns took about a third of
    a start, and a run uses only some of them (a Markdown report never needs the Word or
    PDF readers' patterns). The first attribute asked for compiles the pattern and puts
    its methods on this object, so later calls cost what they cost on the pattern itself.
    ``pattern`` (the source) is known without compiling; anything else compiles."""

    _METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")

    def __init__(self, source: str | bytes, flags: int):
        self.pattern = source
        self.source_flags = flags  # as given (``flags``, after compiling, adds re's own)

    def compiled(self) -> re.Pattern:
        """The compiled pattern (compiling it the first time)."""
        compiled = compile_pattern(self.pattern, self.source_flags)  # kept between runs (patterns.store)
        for name in self._METHODS:
            setattr(self, name, getattr(compiled, name))
        self.flags, self.groups, self.groupindex = compiled.flags, compiled.groups, compiled.groupindex
        return compiled

    def __getattr__(self, name: str):  # only for attributes not set yet: the first use
        if name.startswith("__") or name not in (*self._METHODS, "flags", "groups", "groupindex"):
            raise AttributeError(name)
        self.compiled()
        return getattr(self, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.source_flags})"


def compiled(pattern: re.Pattern | LazyPattern) -> re.Pattern:
    """The ``re.Pattern`` itself, for code that needs that type (hypothesis' from_regex)."""
    return pattern.compiled() if isinstance(pattern, LazyPattern) else pattern


def linear(
    source: str | bytes, flags: int = 0, *, searched: bool = True, exempt: str = "", origin: str = ""
) -> re.Pattern:
    """Compile one of gilint's own patterns (written to be linear; the tests check it).

    ``searched=False`` declares that the code only calls ``match``/``fullmatch`` on it
    (one position, so a search's re-scan cost does not arise). ``exempt`` names why a
    pattern the static check refuses is linear all the same; the adversarial test
    still runs it."""
    # Compiled at first use (LazyPattern); a pattern that does not compile is a bug the tests
    # find (every registered pattern is run there), not something a user can cause.
    pattern = LazyPattern(source, flags)
    _record(Registered(pattern, origin or _caller(), True, searched, exempt), flags)
    return pattern  # type: ignore[return-value]  # behaves as the compiled pattern


def untrusted(
    source: str, where: str, flags: int = 0, searched: bool = True, *, shipped: bool = False
) -> re.Pattern[str]:
    """Compile a pattern from rule data, refusing one that is invalid or not linear.
    ``searched=False``: the code only calls ``match`` on it (see ``linear``).
    ``shipped``: the data is gilint's own (rules/ of the installation). Its patterns are not
    analysed again at each start (that took 0.6 s of every run): tests/test_linear_patterns.py
    runs the same static check on every registered pattern, shipped ones included."""
    if shipped:  # vetted by the tests: compiled at first use, like gilint's own (``linear``)
        lazy = LazyPattern(source, flags)
        _record(Registered(lazy, where, False, searched, ""), flags)
        return lazy  # type: ignore[return-value]  # behaves as the compiled pattern
    compiled, problem = _compile_checked(source, flags, searched)
    if compiled is None:
        raise UnsafePattern(f"{where}: {problem}")
    _record(Registered(compiled, where, False, searched, ""), flags)
    return compiled


@lru_cache(maxsize=2048)  # rules compile their lexicon's patterns once per report
def _compile_checked(source: str, flags: int, searched: bool) -> tuple[re.Pattern[str] | None, str]:
    try:
        compiled = compile_pattern(source, flags)
    except (re.error, RecursionError, OverflowError, ValueError) as error:
        return None, f"bad regular expression: {error}"
    try:
        check(source, flags, searched)
    except NotLinear as error:
        return None, (
            f"regular expression may take super-linear time on some text ({error}); "
            "bound the repetition ({0,40}) or make the start unambiguous"
        )
    except RecursionError:
        return None, "regular expression is nested too deeply"
    return compiled, ""


def registered() -> list[Registered]:
    with _lock:
        return list(_registry.values())


def _caller() -> str:
    import sys

    frame = sys._getframe(2)
    return f"{frame.f_globals.get('__name__', '?')}:{frame.f_lineno}"
