"""A cheap test that a regular expression cannot match a text, derived from the
pattern itself.

The prose kinds try every lexicon pattern on every sentence, and nearly all of
them fail. Most patterns need some literal: 「申请」 somewhere, one of
「收到|受理|新收」, a count (the private-use mark of ``{N}``). ``required_chars``
reads the parsed pattern and returns a set of characters of which every match
holds at least one; when a text holds none of them the pattern cannot match and
the (much slower) regex search is skipped. Nothing is hand-written: the sets come
from the lexicon's patterns.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gilint import cache
from gilint.patterns import linear

try:  # the parser of the re module (Python 3.11+: re._parser; before: sre_parse)
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_constants = _sre_parse
_MAX_RANGE = 256  # a wider character class says nothing useful


def _set_of(kind: Any, value: Any) -> frozenset[str] | None:
    """Characters of which a match of one parsed element holds at least one (None: no such set)."""
    c = _constants
    if kind is c.LITERAL:
        return frozenset(chr(value))
    if kind is c.IN:
        chars: set[str] = set()
        for item_kind, item in value:
            if item_kind is c.LITERAL:
                chars.add(chr(item))
            elif item_kind is c.RANGE and item[1] - item[0] < _MAX_RANGE:
                chars.update(chr(code) for code in range(item[0], item[1] + 1))
            else:  # NEGATE, CATEGORY (\d \s …), a wide range
                return None
        return frozenset(chars) if chars else None
    if kind is c.BRANCH:
        union: set[str] = set()
        for branch in value[1]:
            found = _sequence(branch)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    return None  # anchors, look-arounds, back references, any character, conditionals


def _inner(kind: Any, value: Any) -> Any | None:
    """The parsed sequence a group or a repeat must match at least once (None: none)."""
    c = _constants
    if kind is c.SUBPATTERN:
        _, add_flags, _, pattern = value
        return None if add_flags & re.IGNORECASE else pattern
    if kind is c.ATOMIC_GROUP:
        return value
    if kind in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _, pattern = value
        return pattern if low >= 1 else None
    return None


def _all(pattern: Any) -> list[frozenset[str]]:
    """One set per mandatory element of a sequence (groups and repeats opened up):
    a match holds at least one character of each."""
    found: list[frozenset[str]] = []
    for kind, value in pattern:
        inner = _inner(kind, value)
        if inner is not None:
            found += _all(inner)
            continue
        chars = _set_of(kind, value)
        if chars is not None:
            found.append(chars)
    return found


def _sequence(pattern: Any) -> frozenset[str] | None:
    """The smallest of a sequence's sets."""
    return min(_all(pattern), key=len, default=None)


_KEPT = 4  # the most selective sets are enough
_FORMAT = "prefilter-1"  # bumped when what required_chars derives changes


def required_chars(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Sets of characters such that every match of ``pattern`` holds at least one
    character of each; empty when the pattern needs nothing particular (or
    ignores case)."""
    # The flags as given, for a pattern not compiled yet (LazyPattern): the parse below finds
    # inline ones itself.
    flags = getattr(pattern, "source_flags", None)
    flags = pattern.flags if flags is None else flags
    if flags & re.IGNORECASE:
        return ()
    # Parsing the pattern again cost a quarter of building the rules: kept between runs.
    key = f"{_FORMAT}\0{sys.version_info[:2]}\0{int(flags)}\0{pattern.pattern!r}".encode()
    return cache.derived("prefilter", key, lambda: _required(pattern.pattern, flags))


def _required(source: str | bytes, flags: int) -> tuple[frozenset[str], ...]:
    try:
        parsed = _sre_parse.parse(source, flags)
    except Exception:  # pragma: no cover - it compiled already; be safe with odd patterns
        return ()
    if parsed.state.flags & re.IGNORECASE:
        return ()
    return tuple(sorted(set(_all(parsed)), key=lambda chars: (len(chars), sorted(chars)))[:_KEPT])


# ------------------------------------------------- the first character of a match


class _Open(Exception):
    """A match may start with any character, or be empty: no guard."""


_ESCAPES = {
    _constants.CATEGORY_DIGIT: r"\d",
    _constants.CATEGORY_NOT_DIGIT: r"\D",
    _constants.CATEGORY_SPACE: r"\s",
    _constants.CATEGORY_NOT_SPACE: r"\S",
    _constants.CATEGORY_WORD: r"\w",
    _constants.CATEGORY_NOT_WORD: r"\W",
}


def _class_items(value: Any) -> list[str]:
    """A parsed character class back as the source of its items (not negated)."""
    c = _constants
    items: list[str] = []
    for kind, item in value:
        if kind is c.LITERAL:
            items.append(re.escape(chr(item)))
        elif kind is c.RANGE:
            items.append(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
        elif kind is c.CATEGORY and item in _ESCAPES:
            items.append(_ESCAPES[item])
        else:  # NEGATE, a locale or Unicode category re has no escape for
            raise _Open
    return items


def _inner_first(kind: Any, value: Any) -> tuple[list[str], bool] | None:
    """``_first`` of a group, repeat or alternation (None: not one of those)."""
    c = _constants
    if kind is c.SUBPATTERN:
        if value[1] & re.IGNORECASE:
            raise _Open
        return _first(value[3])
    if kind is c.ATOMIC_GROUP:
        return _first(value)
    if kind in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        items, empty = _first(value[2])
        return items, empty or value[0] == 0
    if kind is c.BRANCH:
        branches = [_first(branch) for branch in value[1]]
        return [item for items, _ in branches for item in items], any(empty for _, empty in branches)
    return None


def _first(pattern: Any) -> tuple[list[str], bool]:
    """Class items the first character of a match of a parsed sequence is among, and
    whether the sequence can match the empty string (then what follows adds its own)."""
    c = _constants
    items: list[str] = []
    for kind, value in pattern:
        if kind is c.LITERAL:
            return [*items, re.escape(chr(value))], False
        if kind is c.IN:
            return [*items, *_class_items(value)], False
        if kind is c.AT or kind is c.ASSERT_NOT or (kind is c.ASSERT and value[0] < 0):
            continue  # zero width: says nothing of the character here
        if kind is c.ASSERT:  # a look-ahead: if nothing was taken before, the character here is its first
            ahead, empty = _first(value[1])
            if not empty:
                return [*items, *ahead], False
            continue
        inner = _inner_first(kind, value)
        if inner is None:  # any character, a back reference, a conditional
            raise _Open
        items += inner[0]
        if not inner[1]:
            return items, False
    return items, True


_GUARD_FORMAT = "first-1"  # bumped when what first_char_guard derives changes


def first_char_guard(source: str, flags: int = 0) -> str:
    """A look-ahead on the characters a match of ``source`` can start with, to put before it:
    the search then rules out a position with one class test instead of trying the pattern
    there. Empty when re already jumps to a literal or class the pattern starts with, or when
    a match may start with anything or be empty."""
    # Parsing the pattern is kept between runs, like required_chars.
    key = f"{_GUARD_FORMAT}\0{sys.version_info[:2]}\0{int(flags)}\0{source!r}".encode()
    return cache.derived("first-char", key, lambda: _guard(source, flags))


def _guard(source: str, flags: int) -> str:
    parsed = _sre_parse.parse(source, flags)
    if (
        parsed.state.flags & re.IGNORECASE
        or not len(parsed)
        or parsed[0][0] in (_constants.LITERAL, _constants.IN)
    ):
        return ""
    try:
        items, empty = _first(parsed)
    except _Open:
        return ""
    return "" if empty or not items else f"(?=[{''.join(dict.fromkeys(items))}])"


def may_hold(text: str, needs: tuple[frozenset[str], ...]) -> bool:
    """False only when ``text`` holds no character of one of ``needs`` (``required_chars``
    of a pattern, which then cannot match it). ``in`` tests on the text itself: for a few
    patterns over a line, cheaper than building the set of its characters."""
    for chars in needs:
        for ch in chars:
            if ch in text:
                break
        else:
            return False
    return True


@dataclass(frozen=True, eq=False)
class Guarded:
    """A compiled pattern with the characters a text must hold for it to match
    (computed once, when the lexicon is compiled)."""

    pattern: re.Pattern[str]
    needs: tuple[frozenset[str], ...]

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Guarded:
        return cls(pattern, required_chars(pattern))

    def may_match(self, chars: frozenset[str]) -> bool:
        """False only when the pattern cannot match a text made of ``chars``."""
        for needed in self.needs:  # a plain loop: a generator would cost what the test saves
            if needed.isdisjoint(chars):
                break
        else:
            return True
        return False


_REMEMBERED = 4096  # distinct sets of needs GuardIndex.candidates keeps the answer for


class GuardIndex:
    """The needs of many Guarded patterns as bits, to test them all against one text at once:
    a text sets the bits of the needs it meets, and a pattern may match only when all of its
    bits are set. For the prose kinds' 25 lexicon patterns per sentence this is one pass over
    the text's relevant characters and an integer test per pattern instead of a ``may_match``
    call each (GI207's find_statements: 6.6M -> 5.5M instructions a report); the answers are
    ``Guarded.may_match``'s."""

    def __init__(self, guards: Iterable[Guarded]):
        self.guards = tuple(guards)
        bits: dict[frozenset[str], int] = {}
        required: list[int] = []
        for guard in self.guards:
            mask = 0
            for needed in guard.needs:
                mask |= bits.setdefault(needed, 1 << len(bits))
            required.append(mask)
        self.required = tuple(required)
        self.char_bits: dict[str, int] = {}
        for needed, bit in bits.items():
            for ch in needed:
                self.char_bits[ch] = self.char_bits.get(ch, 0) | bit
        self.chars = frozenset(self.char_bits)
        # The characters of any need, as one class: re scans a text for them in C, where
        # ``chars.intersection(text)`` made a string object of every character of the text
        # (GI207's find_statements: −0.67M instructions a Markdown report).
        self._any_need = linear(f"[{''.join(map(re.escape, sorted(self.chars)))}]") if self.chars else None
        # Which guards the bits of a text let through, by those bits: sentences meet few
        # distinct sets of needs, so most are answered by one dict look-up (-0.65M
        # instructions a Markdown report).
        self._candidates: dict[int, tuple[int, ...]] = {}

    def present(self, text: str) -> int:
        """The bits of the needs ``text`` meets."""
        present = 0
        if self._any_need is not None:
            char_bits = self.char_bits
            for ch in self._any_need.findall(text):
                present |= char_bits[ch]
        return present

    def candidates(self, text: str) -> tuple[int, ...]:
        """The indexes (in order) of the guards that may match ``text``."""
        present = self.present(text)
        found = self._candidates.get(present)
        if found is None:
            found = tuple(index for index, mask in enumerate(self.required) if present & mask == mask)
            if len(self._candidates) < _REMEMBERED:  # a bound on hostile text's many distinct sets
                self._candidates[present] = found
        return found
