"""A cache of parsed data files, keyed by their bytes.

Every start reads some twenty YAML files (rule packs, lexicons, table models, profiles);
parsing them (and importing the YAML library) took about a fifth of checking one report
end to end. The parsed value is kept in gilint's cache folder (``gilint.cache``): named by a
hash of the file's bytes and of the parser's version, so an edited file is a new entry and a
stale one is never read; anything that goes wrong with the cache falls back to parsing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from gilint import cache

# Bumped when what the loader returns changes (a new YAML loader, a different version of the
# data model): entries written before are then never read.
_FORMAT = "yaml-1"


def cached_parse(data: bytes, parser: str, parse: Callable[[bytes], Any]) -> Any:
    """``parse(data)``, or the value it gave for the same bytes before. ``parser`` names the
    parser and its version (part of the key)."""
    key = f"{_FORMAT}\0{parser}\0{sys.version_info[:2]}\0".encode() + data
    return cache.derived("data", key, lambda: parse(data))


def lark_cache(grammar: str) -> str | bool:
    """Lark's ``cache`` argument for a grammar: a file in gilint's cache folder, where Lark keeps
    its LALR tables (building them cost 30–40 ms a grammar at every start). Lark names the
    grammar, its options, its own version and Python's inside the file and rebuilds on any
    difference, and carries on without the cache when the file cannot be read or written."""
    folder = cache.cache_dir()
    if folder is None:
        return False
    try:
        (folder / "lark").mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return str(folder / "lark" / f"{grammar}.lark-cache")
