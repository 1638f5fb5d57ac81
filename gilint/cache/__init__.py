"""Where gilint keeps what it derives from its own data between runs, and how.

Parsed YAML (``structure.cache``), Lark's parse tables and compiled regular expressions
(``patterns.store``) cost a large part of a start to derive again. They are kept with
``marshal``, which loads far faster than they are derived and, unlike pickle, runs no
code while loading, in the user's cache folder. An entry is named by a hash of what it
was derived from and of the deriving code's version, so a stale entry is never read.
Anything that goes wrong with the cache (read-only home, a full disk, a damaged entry,
a value marshal cannot hold) falls back to deriving: the cache never changes a result.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_MISSING = object()


def cache_dir() -> Path | None:
    """Where gilint keeps what it derived from data files (parsed YAML, Lark's parse tables,
    compiled patterns), so that a start does not derive them again: ``$GILINT_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/gilint``, else ``~/.cache/gilint``. None when caching is off
    (``GILINT_NO_CACHE=1``) or no home is known. Entries are keyed by the content they came
    from: a stale entry is never read."""
    environ = os.environ
    return _folder(
        environ.get("GILINT_NO_CACHE"),
        environ.get("GILINT_CACHE_DIR"),
        environ.get("XDG_CACHE_HOME"),
        environ.get("HOME"),
    )


@lru_cache(maxsize=8)  # asked once per pattern and data file: the answer for the same environment
def _folder(off: str | None, explicit: str | None, base: str | None, home: str | None) -> Path | None:
    if off:
        return None
    if explicit:
        return Path(explicit)
    if base:
        return Path(base) / "gilint"
    try:
        return Path.home() / ".cache" / "gilint"
    except RuntimeError:  # no home directory
        return None


def entry_path(kind: str, key: bytes) -> Path | None:
    """The file of the entry of ``kind`` (a subfolder) derived from ``key``, or None
    when caching is off."""
    import hashlib  # here, not at the top: ``gilint --version`` imports this module and needs none of it

    folder = cache_dir()
    if folder is None:
        return None
    return folder / kind / f"{hashlib.sha256(key).hexdigest()[:32]}.marshal"


def load(entry: Path | None, default: Any = None) -> Any:
    """The value kept in ``entry``; ``default`` when there is none or it is damaged."""
    if entry is not None:
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            return marshal.loads(entry.read_bytes())
    return default


def derived(kind: str, key: bytes, derive: Callable[[], T]) -> T:
    """``derive()``, or the value it gave before for the same ``key`` (which must name
    everything the value depends on, the deriving code's version included). An exception
    from ``derive`` passes through, and nothing is kept."""
    entry = entry_path(kind, key)
    value = load(entry, _MISSING)
    if value is _MISSING:
        value = derive()
        store(entry, value)
    return value


def store(entry: Path | None, value: Any) -> None:
    """Keep ``value`` in ``entry``; silently nothing when it cannot be written or held."""
    if entry is None:
        return
    import tempfile  # only when writing: rare (see entry_path)

    try:
        blob = marshal.dumps(value)
    except ValueError:  # a type marshal cannot hold (a YAML date): derived each time
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
