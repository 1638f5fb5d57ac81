"""JSON text as ``json.dump(value, out, ensure_ascii=False, indent=2)`` writes it, the same
characters, written in a fraction of the time.

With ``indent`` set, the standard library encodes in Python (its C encoder cannot indent
before Python 3.13), each piece passed up through one generator per level of nesting: the JSON
of the 600 bench reports (4 MB, 10,000 findings) took 0.10 s to write, the last step of a
run, after every file is checked. Here one recursive function appends the pieces to a list,
written out every few thousand: 0.04 s. Strings go through the standard library's own
escaping (C), numbers through ``int.__repr__`` and ``float.__repr__`` as ``json`` does.
"""

from __future__ import annotations

import json.encoder
from typing import Any, TextIO

_ESCAPE = json.encoder.encode_basestring  # (ensure_ascii=False: the C function where there is one)
_INDENT = "  "
_CHUNK = 8192  # pieces joined per write


def write_json(value: Any, out: TextIO) -> None:
    """``json.dump(value, out, ensure_ascii=False, indent=2)``: the same text."""
    writer = _Writer(out)
    writer.value(value, "\n")
    writer.flush()


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """A dict key as ``json`` writes it (its keys may be numbers, booleans or None)."""
    if isinstance(key, str):
        return _ESCAPE(key)
    if isinstance(key, float):
        return '"' + _float(key) + '"'
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return '"' + int.__repr__(key) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


class _Writer:
    """Appends a value's pieces; ``newline`` is a line break and the indent of the value's line."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.pieces: list[str] = []
        # Each text key escaped once (a document repeats a few dozen keys 100,000 times); only
        # text keys: 1, 1.0 and True are one dict key but three JSON keys.
        self.keys: dict[str, str] = {}

    def flush(self) -> None:
        self.out.write("".join(self.pieces))
        self.pieces.clear()

    def value(self, value: Any, newline: str) -> None:
        # The order of json's own checks: a str subclass (StrEnum) is a string, a bool is not an int.
        pieces = self.pieces
        if isinstance(value, str):
            pieces.append(_ESCAPE(value))
        elif value is None:
            pieces.append("null")
        elif value is True:
            pieces.append("true")
        elif value is False:
            pieces.append("false")
        elif isinstance(value, int):
            pieces.append(int.__repr__(value))
        elif isinstance(value, float):
            pieces.append(_float(value))
        elif isinstance(value, (list, tuple)):
            self.array(value, newline)
        elif isinstance(value, dict):
            self.object(value, newline)
        else:
            raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")

    def array(self, items: list[Any] | tuple[Any, ...], newline: str) -> None:
        if not items:
            self.pieces.append("[]")
            return
        inner = newline + _INDENT
        self.pieces.append("[" + inner)
        separator = "," + inner
        for index, item in enumerate(items):
            if index:
                self.pieces.append(separator)
            self.value(item, inner)
        self.pieces.append(newline + "]")
        if len(self.pieces) > _CHUNK:
            self.flush()

    def object(self, items: dict[Any, Any], newline: str) -> None:
        pieces = self.pieces
        if not items:
            pieces.append("{}")
            return
        inner = newline + _INDENT
        separator = "," + inner
        opening = "{" + inner
        keys = self.keys
        for key, item in items.items():
            written = keys.get(key) if type(key) is str else None
            if written is None:
                written = _key(key) + ": "
                if type(key) is str:
                    keys[key] = written
            pieces.append(opening + written)
            opening = separator
            # (Scalars inline, as ``value`` would write them: most values of a finding are.)
            if isinstance(item, str):
                pieces.append(_ESCAPE(item))
            elif item is None:
                pieces.append("null")
            elif isinstance(item, (dict, list, tuple, float)) or item is True or item is False:
                self.value(item, inner)
            elif isinstance(item, int):
                pieces.append(int.__repr__(item))
            else:
                self.value(item, inner)
        pieces.append(newline + "}")
