"""A cache of parsed data files, keyed by their bytes.

Every start reads some twenty YAML files (rule packs, lexicons, table models, profiles);
parsing them (and importing the YAML library) took about a fifth of checking one report
end to end. The parsed value is kept with ``marshal``, which loads it some twenty times
faster and, unlike pickle, runs no code while loading; the entries live in the user's own
cache folder (``gilint.data.cache_dir``). An entry is named by a hash of the file's bytes
and of the parser's version: an edited file is a new entry, and a stale one is never read.
Anything that goes wrong with the cache (read-only home, a full disk, a damaged entry,
a value marshal cannot hold) falls back to parsing: the cache never changes a result.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gilint.data import cache_dir

# Bumped when what the loader returns changes (a new YAML loader, a different version of the
# data model): entries written before are then never read.
_FORMAT = "yaml-1"


def _entry(data: bytes, parser: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(f"{_FORMAT}\0{parser}\0{sys.version_info[:2]}\0".encode() + data).hexdigest()
    return folder / "data" / f"{key[:32]}.marshal"


def cached_parse(data: bytes, parser: str, parse: Callable[[bytes], Any]) -> Any:
    """``parse(data)``, or the value it gave for the same bytes before. ``parser`` names the
    parser and its version (part of the key)."""
    entry = _entry(data, parser)
    if entry is not None:
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            return marshal.loads(entry.read_bytes())
    value = parse(data)
    if entry is not None:
        _store(entry, value)
    return value


def _store(entry: Path, value: Any) -> None:
    try:
        blob = marshal.dumps(value)
    except ValueError:  # a type marshal cannot hold (a YAML date): parse it each time
        return
    with contextlib.suppress(OSError):
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a concurrent reader sees the whole entry or none.
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temporary, entry)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def lark_cache(grammar: str) -> str | bool:
    """Lark's ``cache`` argument for a grammar: a file in gilint's cache folder, where Lark keeps
    its LALR tables (building them cost 30–40 ms a grammar at every start). Lark names the
    grammar, its options, its own version and Python's inside the file and rebuilds on any
    difference, and carries on without the cache when the file cannot be read or written."""
    folder = cache_dir()
    if folder is None:
        return False
    try:
        (folder / "lark").mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return str(folder / "lark" / f"{grammar}.lark-cache")
