"""Where the shipped rule packs, grammars and example reports are.

In an installed wheel they are ``gilint/rules``, ``gilint/grammar`` and ``gilint/examples``
(copied there at build time); in a source checkout or an editable install they are the
top-level ``rules/``, ``grammar/`` and ``examples/`` folders beside the package.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"gilint's {name}/ folder is missing from the installation")


def rules_dir() -> Path:
    return _find("rules")


def grammar_dir() -> Path:
    return _find("grammar")


def schema_dir() -> Path:
    return _find("schemas")


def examples_dir() -> Path:
    """The example reports (``examples/``; ``gilint/examples`` in a wheel)."""
    return _find("examples")


def is_shipped(where: str | Path) -> bool:
    """Whether a data file (or a "path: key" description of a place in one) is part of gilint's
    own rules/ folder. Shipped data is validated and its patterns checked by the test suite, so
    loading it skips those checks (they cost most of a start); user packs are always checked.
    ``GILINT_VET_SHIPPED=1`` checks shipped data at load too (tests, and anyone editing rules/)."""
    if os.environ.get("GILINT_VET_SHIPPED"):
        return False
    return str(where).startswith(str(rules_dir()) + os.sep)
