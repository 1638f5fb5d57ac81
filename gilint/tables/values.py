"""Cell text -> value.

A count is a non-negative integer; ``本年增/减`` is signed (``+8``, ``-3``); an amount
may have decimals and a unit (``4068.208``, ``251000元``). Blank cells and the
placeholders ``/ — - 无`` are unknown, not zero: an identity with an unknown term
is skipped, and the cell is reported (GI206). A count written as a Chinese numeral
(``一``, ``十二``) is read, with a note; any other text (``abc``, the letter ``O``) is
unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from gilint.patterns import linear
from gilint.text.quantities import parse_chinese_int

UNITS = ("万元", "元", "件", "条", "个", "项", "笔")
MARKERS = frozenset({"/", "／", "-", "－", "—", "——", "–", "无", "空"})
_NUMBER = linear(r"(?P<sign>[+\-]?)(?P<digits>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<fraction>\.[0-9]+)?")


@dataclass(frozen=True)
class Parsed:
    """A cell's text read as a value, and what kind of text it was."""

    value: int | float | None
    status: str  # ok | blank | marker | text | negative | decimal | numeral
    unit: str | None = None


def strip_unit(text: str) -> tuple[str, str | None]:
    for unit in UNITS:
        if text.endswith(unit) and len(text) > len(unit):
            return text[: -len(unit)].rstrip(), unit
    return text, None


def is_marker(text: str) -> bool:
    stripped = text.strip()
    return stripped in MARKERS or (len(stripped) > 1 and set(stripped) <= {"-", "—", "－", "–"})


@lru_cache(maxsize=4096)  # cell texts repeat (0, 无, row labels) across rows and reports
def looks_numeric(text: str) -> bool:
    """A whole cell holding a value or a placeholder (not a label)."""
    stripped = text.strip()
    if not stripped or is_marker(stripped):
        return True
    body, _ = strip_unit(stripped)
    return bool(_NUMBER.fullmatch(body))


@lru_cache(maxsize=4096)  # the same cell texts repeat; Parsed is immutable
def parse_value(raw: str, kind: str) -> Parsed:
    if raw.isascii() and raw.isdigit():  # the common case, 0 and plain counts
        return Parsed(int(raw), "ok")
    text = raw.strip()
    if not text:
        return Parsed(None, "blank")
    if is_marker(text):
        return Parsed(None, "marker")
    body, unit = strip_unit(text)
    match = _NUMBER.fullmatch(body)
    if not match:
        numeral = None if body.isascii() else parse_chinese_int(body, digit_string=False)
        return Parsed(numeral, "numeral", unit) if numeral is not None else Parsed(None, "text")
    digits = match.group("digits").replace(",", "")
    sign = -1 if match.group("sign") == "-" else 1
    if match.group("fraction"):
        value: int | float = sign * float(digits + match.group("fraction"))
        if kind != "amount" and value != int(value):
            return Parsed(value, "decimal", unit)
        value = value if kind == "amount" else int(value)
    else:
        value = sign * int(digits)
    if value < 0 and kind != "signed":
        return Parsed(value, "negative", unit)
    return Parsed(value, "ok", unit)
