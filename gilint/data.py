"""Where the shipped rule packs and grammars are.

In an installed wheel they are ``gilint/rules`` and ``gilint/grammar`` (copied
there at build time); in a source checkout or an editable install they are the
top-level ``rules/`` and ``grammar/`` folders beside the package.
"""

from __future__ import annotations

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
