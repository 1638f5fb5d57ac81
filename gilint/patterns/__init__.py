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

__all__ = [
    "NotLinear",
    "Registered",
    "UnsafePattern",
    "check",
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
    pattern: re.Pattern
    origin: str  # module or data file (and key) it came from
    trusted: bool  # gilint's own (False: from a rule pack / lexicon / table model)
    searched: bool  # used with search/finditer/sub (False: only match/fullmatch at one position)
    exempt: str  # gilint's own pattern the static check cannot show linear: why it is


_registry: dict[tuple[object, int], Registered] = {}
_lock = threading.Lock()


def _record(entry: Registered) -> None:
    key = (entry.pattern.pattern, entry.pattern.flags)
    with _lock:
        if key not in _registry and len(_registry) < _REGISTRY_LIMIT:
            _registry[key] = entry


def linear(
    source: str | bytes, flags: int = 0, *, searched: bool = True, exempt: str = "", origin: str = ""
) -> re.Pattern:
    """Compile one of gilint's own patterns (written to be linear; the tests check it).

    ``searched=False`` declares that the code only calls ``match``/``fullmatch`` on it
    (one position, so a search's re-scan cost does not arise). ``exempt`` names why a
    pattern the static check refuses is linear all the same; the adversarial test
    still runs it."""
    compiled = re.compile(source, flags)
    _record(Registered(compiled, origin or _caller(), True, searched, exempt))
    return compiled


def untrusted(
    source: str, where: str, flags: int = 0, searched: bool = True, *, shipped: bool = False
) -> re.Pattern[str]:
    """Compile a pattern from rule data, refusing one that is invalid or not linear.
    ``searched=False``: the code only calls ``match`` on it (see ``linear``).
    ``shipped``: the data is gilint's own (rules/ of the installation). Its patterns are not
    analysed again at each start (that took 0.6 s of every run): tests/test_linear_patterns.py
    runs the same static check on every registered pattern, shipped ones included."""
    checked = _compile_plain(source, flags) if shipped else _compile_checked(source, flags, searched)
    compiled, problem = checked
    if compiled is None:
        raise UnsafePattern(f"{where}: {problem}")
    _record(Registered(compiled, where, False, searched, ""))
    return compiled


@lru_cache(maxsize=2048)  # rules compile their lexicon's patterns once per report
def _compile_checked(source: str, flags: int, searched: bool) -> tuple[re.Pattern[str] | None, str]:
    try:
        compiled = re.compile(source, flags)
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


def _compile_plain(source: str, flags: int) -> tuple[re.Pattern[str] | None, str]:
    try:
        return re.compile(source, flags), ""
    except (re.error, RecursionError, OverflowError, ValueError) as error:
        return None, f"bad regular expression: {error}"


def registered() -> list[Registered]:
    with _lock:
        return list(_registry.values())


def _caller() -> str:
    import sys

    frame = sys._getframe(2)
    return f"{frame.f_globals.get('__name__', '?')}:{frame.f_lineno}"
