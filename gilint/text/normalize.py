"""Step 2, normalize: the user's text -> the text the parser sees, with a map back.

What changes, and why:
- CRLF / CR -> LF;
- pinyin that scraped traditional-character pages glue after a character
  (``態(tài)環(huán)境`` -> ``態環境``) is removed; a parenthesis holding anything else
  (``(2019)``, ``(以下简称《条例》)``, ``(OA)``) is kept;
- full-width ASCII (``（一）``, ``１２``, ``：``) -> ASCII; NBSP, ideographic and other
  spaces -> space; zero-width characters are dropped;
- traditional -> simplified (OpenCC t2s), only when the text holds traditional
  characters: converting costs ~1.3 µs a character and most reports are simplified;
- a heading that scraped text runs into the previous sentence (``…权。 一、总体情况``)
  starts a new line. Only a heading marker after a sentence end or a space is split:
  ``一是``, ``第一``, ``按照（一）项`` and table labels glued to digits are left alone.

Every normalised character keeps the offset of the original character it came
from (``NormText.origin``), so diagnostics quote and point at the user's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from gilint import cache
from gilint.model import GridCell, Line, NormText, OffsetMap, TextBlock
from gilint.patterns import linear
from gilint.text.prefilter import first_char_guard
from gilint.text.t2s import t2s

# --------------------------------------------------------------- rewriting


class _Rewriter:
    """Text plus, per character, the original offset it came from."""

    def __init__(self, text: str):
        self.text = text
        self.origin = OffsetMap.identity(len(text) + 1)

    def narrow(self) -> None:
        """Full-width ASCII and every kind of space -> ASCII (``_WIDTH``; no length change)."""
        self.text = narrow(self.text)

    def sub(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> None:
        """Regex substitution. Replacement characters map to the match start
        (or, where the replacement keeps the length, to the same offsets)."""
        pieces: list[str] = []
        origin = OffsetMap()
        last = 0
        text, old = self.text, self.origin
        changed = False
        for match in pattern.finditer(text):
            start, end = match.span()
            new = replace(match)
            if new == match.group(0):
                continue
            changed = True
            pieces.append(text[last:start])
            origin.extend_from(old, last, start)
            pieces.append(new)
            if len(new) == end - start:
                origin.extend_from(old, start, end)
            elif new:
                origin.append([old[start]] * len(new))
            last = end
        if not changed:
            return
        pieces.append(text[last:])
        origin.extend_from(old, last, len(old))  # includes the end sentinel
        self.text = "".join(pieces)
        self.origin = origin


# ------------------------------------------------------------ the mappings

_WIDTH: dict[int, int | str | None] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# Every kind of space -> ASCII space (tab, NBSP, ideographic, thin, ...).
_WIDTH.update(dict.fromkeys((0x09, 0xA0, 0x2002, 0x2003, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000), 0x20))
_WIDTH.update({0xFE59: 0x28, 0xFE5A: 0x29})  # small parentheses

# The characters _WIDTH replaces, each with its ASCII one: no replacement is itself replaced,
# so replacing them one after the other is what str.translate(_WIDTH) does at once.
_WIDE_TO_ASCII = {chr(code): chr(value) for code, value in _WIDTH.items() if isinstance(value, int)}
_WIDE = linear("[" + "".join(sorted(re.escape(wide) for wide in _WIDE_TO_ASCII)) + "]")


def narrow(text: str) -> str:
    """``text.translate(_WIDTH)``, many times faster: translate looks each character up in a
    dict (~0.2 µs a character). One regex scan finds the wide characters a text holds, and
    each is replaced everywhere at once (a str.replace scan) when first met: a text is scanned
    once plus once per kind of wide character in it, not once per entry of _WIDTH (94 scans:
    0.50M -> ~0.2M instructions a /tmp/b600 Markdown report)."""
    found = _WIDE.search(text)
    while found is not None:
        wide = found.group()
        text = text.replace(wide, _WIDE_TO_ASCII[wide])  # same length: positions stay
        found = _WIDE.search(text, found.start() + 1)
    return text


_ZERO_WIDTH = linear("[\u200b\u200c\u200d\u2060\ufeff]")
_NEWLINES = linear(r"\r\n?")

# Pinyin glued after a CJK character by a broken traditional-script page:
# lowercase letters with at least one tone mark, e.g. 態(tài), 關(guān).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# The "(" first, the character before it checked behind: a literal start lets the search jump
# from "(" to "(" (0.25 -> 0.01 ms a report) instead of trying every position.
_PINYIN = linear(rf"\((?<=[\u3400-\u9fff]\()(?=[a-z{_TONED}ü]*[{_TONED}])[a-z{_TONED}ü]{{1,7}}\)")

# A heading number in Chinese numerals (一 … 十二); parse and the tables step use it too.
CN_NUMERAL = "[一二三四五六七八九十]{1,3}"


def heading_split_pattern(markers: tuple[str, ...]) -> re.Pattern[str]:
    """Where a numbered heading runs into the previous sentence: before one of ``markers``
    (regular expressions from rules/profiles.yaml ``run_in_heading_markers``, ``{N}`` for a
    Chinese numeral) that follows a sentence end, or spaces after text."""
    alternatives = "|".join(marker.replace("{N}", CN_NUMERAL) for marker in markers)
    # right after a sentence end (spaces optional), or after spaces that follow text
    split = rf"(?:(?<=[。；;！!？?：:])[ ]*|(?<=[^\n |])[ ]+)(?=(?:{alternatives}))"
    # A look-ahead on where a split can start (a space, a marker's first character) rules the
    # other positions out with one test (the scan of a report: 1.1 -> 0.65 ms).
    return linear(first_char_guard(split) + split)


_NON_SPACE = linear(r"\S")


def _split_headings(rewriter: _Rewriter, heading_split: re.Pattern[str]) -> None:
    text = rewriter.text
    # The line of each match and its first non-space character, found once per line as
    # the matches come in order (looking back to the line start at every match was
    # quadratic on a file that is one long line, as scraped reports often are).
    searched = line_start = 0  # text[:searched] is searched for newlines
    first: int | None = None  # where the line's first non-space character is, once known

    def split(match: re.Match[str]) -> str:
        nonlocal searched, line_start, first
        newline = text.rfind("\n", searched, match.start())
        if newline != -1:
            line_start, first = newline + 1, None
        searched = match.start()
        if first is None:
            found = _NON_SPACE.search(text, line_start)
            first = found.start() if found else len(text)
        if first < match.start() and text[first] == "|":
            return match.group(0)  # a Markdown table row: its cells are not headings
        return "\n"

    rewriter.sub(heading_split, split)


@lru_cache(maxsize=1)
def _traditional_characters() -> frozenset[str]:
    """Characters OpenCC's t2s changes (from its own dictionary)."""
    import os

    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    with open(path, "rb") as handle:
        data = handle.read()
    # Reading the dictionary's 4,000 rows cost a tenth of building the linter: kept between runs.
    return cache.derived("t2s", b"traditional-1\0" + data, lambda: _changed_characters(data))


def _changed_characters(dictionary: bytes) -> frozenset[str]:
    chars: set[str] = set()
    for row in dictionary.decode("utf-8").splitlines():
        key, _, values = row.partition("\t")
        if len(key) == 1 and values.split()[:1] != [key]:
            chars.add(key)
    return frozenset(chars)


@lru_cache(maxsize=1)
def _traditional_bmp() -> re.Pattern[str]:
    """A class of the traditional characters below U+10000: re tests those against a bitmap,
    10-25x faster than ``frozenset.isdisjoint`` over a report (0.25 -> 0.02 ms); a class with
    astral characters in it would be a list re walks for every character, slower than the set."""
    return linear(
        "[" + "".join(sorted(re.escape(ch) for ch in _traditional_characters() if ch < _ASTRAL_START)) + "]"
    )


_ASTRAL_START = "\U00010000"
_ASTRAL = linear("[\U00010000-\U0010ffff]")


def has_traditional(text: str) -> bool:
    if _traditional_bmp().search(text):
        return True
    return _ASTRAL.search(text) is not None and not _traditional_characters().isdisjoint(text)


def to_simplified(text: str) -> str:
    """t2s, line by line so that a length change stays local."""
    return "\n".join(t2s(line) if has_traditional(line) else line for line in text.split("\n"))


def _convert_simplified(rewriter: _Rewriter) -> None:
    if not has_traditional(rewriter.text):
        return
    lines = rewriter.text.split("\n")
    converted = [t2s(line) if has_traditional(line) else line for line in lines]
    rewriter.text = "\n".join(converted)
    # OpenCC's t2s dictionaries map every phrase and character to one as long: then every
    # offset stays where it was and the map is kept, not rebuilt line by line (two runs a
    # line: normalising 4.83M -> 4.53M instructions a /tmp/bmd report, a fifth of them traditional).
    if any(len(new) != len(line) for line, new in zip(lines, converted, strict=True)):
        rewriter.origin = _spread_origin(rewriter.origin, lines, converted)


def _spread_origin(old: OffsetMap, lines: list[str], converted: list[str]) -> OffsetMap:
    """The origin map of ``converted`` (``lines`` converted one by one): a line that changed
    length has its offsets spread over its new characters."""
    origin = OffsetMap()
    position = 0
    for index, (line, new) in enumerate(zip(lines, converted, strict=True)):
        if len(new) == len(line):
            origin.extend_from(old, position, position + len(line))
        else:  # a phrase changed length: spread the line's offsets over it
            segment = old.values(position, position + len(line))
            origin.append([segment[min(i * len(line) // len(new), len(line) - 1)] for i in range(len(new))])
        position += len(line)
        if index < len(lines) - 1:
            origin.extend_from(old, position, position + 1)  # the newline
            position += 1
    origin.extend_from(old, position, position + 1)
    return origin


def normalize_block(block: TextBlock, heading_split: re.Pattern[str] | None = None) -> NormText:
    """The block's text normalised, with the origin map; ``heading_split`` (see
    ``heading_split_pattern``) puts run-in numbered headings on lines of their own."""
    rewriter = _Rewriter(block.text)
    if "\r" in rewriter.text:  # a fast test: the regex scan of a whole file is not
        rewriter.sub(_NEWLINES, lambda m: "\n")
    rewriter.sub(_ZERO_WIDTH, lambda m: "")
    rewriter.sub(_PINYIN, lambda m: "")
    rewriter.narrow()
    _convert_simplified(rewriter)
    if heading_split is not None:
        _split_headings(rewriter, heading_split)
    return NormText(rewriter.text, rewriter.origin, block)


def normalize_label(text: str) -> str:
    """The same character normalisation for labels and titles written in YAML,
    so data can be written as the regulation prints it."""
    text = _PINYIN.sub("", text.translate(_WIDTH))
    if has_traditional(text):
        text = to_simplified(text)
    return text


def normalize_cell(cell: GridCell) -> str:
    """A grid cell's text normalised as report lines are (simplified, half-width): grids keep
    the file's text for quoting, so whatever reads their words reads them through here."""
    text = cell.text
    return _cached_cell_text(text) if len(text) <= _CACHED_CELL else _cell_text(text)


def _cell_text(text: str) -> str:
    return normalize_label(text).strip()


# Cached: a grid is read up to four times (its words twice, its rows, the fee unit) and short
# cells repeat across grids and reports (0, 件, the mandated labels): saves 1.5-8 µs a cell, a
# hit costs 0.2 µs. Only short texts, so the cache stays small whatever the pages hold.
_CACHED_CELL = 64
_cached_cell_text = lru_cache(maxsize=4096)(_cell_text)


def split_lines(norm: NormText) -> list[Line]:
    lines: list[Line] = []
    start = 0
    text = norm.text
    for piece in text.split("\n"):
        lines.append(Line(piece, norm, start))
        start += len(piece) + 1
    return lines
