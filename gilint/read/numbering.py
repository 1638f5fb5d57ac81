"""Word automatic numbering (``w:numPr``) rendered as the text Word shows.

A heading typed as ``总体情况`` in a style numbered ``一、`` reads as
``一、总体情况`` on screen and on paper; the parser must see the same. Numbers
are counted per abstract list in document order, as Word does: sibling list
instances continue one another unless a ``startOverride`` restarts them, and
a level restarts whenever a higher level advances.
"""

from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_STYLE_CHAIN = 20
# Word accepts list numbers from 0 to 32767; a file claiming more is hostile (a
# start of 10^20 in letters would be a label of 10^20 / 26 letters), so values are
# clamped there, and a level's text and each rendered number are bounded too.
_MAX_NUMBER = 32767
_MAX_LEVEL_TEXT = 64
_MAX_REPEATED_LETTERS = 10


def _val(element, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(f"{W}val") if found is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Level:
    """One level of a Word numbering definition (w:lvl)."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False


@dataclass
class _List:
    """A Word list (w:num): its abstract numbering and what it overrides."""

    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


def _number(value: str | None, default: int) -> int:
    return min(max(_int(value, default), 0), _MAX_NUMBER)


def _level(element) -> Level:
    return Level(
        start=_number(_val(element, f"{W}start"), 1),
        fmt=_val(element, f"{W}numFmt") or "decimal",
        text=(_val(element, f"{W}lvlText") or "")[:_MAX_LEVEL_TEXT],
        suffix=_val(element, f"{W}suff") or "tab",
        legal=element.find(f"{W}isLgl") is not None,
    )


class Numbering:
    def __init__(self, numbering_element, styles_element):
        self._abstract: dict[str, dict[int, Level]] = {}
        self._lists: dict[str, _List] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        if numbering_element is not None:
            self._read_numbering(numbering_element)
        if styles_element is not None:
            self._read_styles(styles_element)

    def _read_numbering(self, root) -> None:
        for abstract in root.iterchildren(f"{W}abstractNum"):
            levels = {_int(lvl.get(f"{W}ilvl"), 0): _level(lvl) for lvl in abstract.iterchildren(f"{W}lvl")}
            self._abstract[abstract.get(f"{W}abstractNumId") or ""] = levels
        for num in root.iterchildren(f"{W}num"):
            entry = _List(_val(num, f"{W}abstractNumId") or "")
            for override in num.iterchildren(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"), 0)
                start = _val(override, f"{W}startOverride")
                if start is not None:
                    entry.start_overrides[ilvl] = _number(start, 1)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    entry.level_overrides[ilvl] = _level(lvl)
            self._lists[num.get(f"{W}numId") or ""] = entry

    def _read_styles(self, root) -> None:
        for style in root.iterchildren(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id:
                num_pr = style.find(f"{W}pPr/{W}numPr")
                self._styles[style_id] = (
                    _val(num_pr, f"{W}numId"),
                    _val(num_pr, f"{W}ilvl"),
                    _val(style, f"{W}basedOn"),
                )

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, str | None]:
        """numId/ilvl a paragraph style gives, following ``basedOn`` (which
        may loop in a damaged file, hence the bound)."""
        num_id = ilvl = None
        for _ in range(_MAX_STYLE_CHAIN):
            if style_id is None or style_id not in self._styles:
                break
            style_num, style_lvl, based_on = self._styles[style_id]
            num_id = num_id or style_num
            ilvl = ilvl or style_lvl
            if num_id is not None:
                break
            style_id = based_on
        return num_id, ilvl

    def label(self, paragraph) -> str | None:
        """The number Word displays before this paragraph (``一、``, ``（二）``,
        ``3.``), advancing the counters; None for bullets and plain text."""
        ppr = paragraph.find(f"{W}pPr")
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        num_id, ilvl = _val(num_pr, f"{W}numId"), _val(num_pr, f"{W}ilvl")
        if num_id is None or ilvl is None:
            style_num, style_lvl = self._style_numbering(_val(ppr, f"{W}pStyle"))
            num_id, ilvl = num_id or style_num, ilvl or style_lvl
        entry = self._lists.get(num_id or "0")
        if entry is None:  # numId 0 switches numbering off
            return None
        return self._advance(num_id, entry, min(max(_int(ilvl, 0), 0), 8))

    def _levels(self, entry: _List) -> dict[int, Level]:
        levels = dict(self._abstract.get(entry.abstract_id, {}))
        levels.update(entry.level_overrides)
        return levels

    def _advance(self, num_id: str, entry: _List, ilvl: int) -> str | None:
        levels = self._levels(entry)
        level = levels.get(ilvl, Level())
        counters = self._counters.setdefault(entry.abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for lvl, start in entry.start_overrides.items():
                counters[lvl] = start - 1
        current = counters.get(ilvl)
        counters[ilvl] = level.start if current is None else min(current + 1, _MAX_NUMBER)
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            del counters[deeper]
        if level.fmt in ("bullet", "none") or not level.text:
            return None
        text = level.text
        for index in range(9):
            placeholder = f"%{index + 1}"
            if placeholder in text:
                shown = levels.get(index, Level())
                value = counters.get(index, shown.start)
                fmt = "decimal" if level.legal and index < ilvl else shown.fmt
                text = text.replace(placeholder, format_number(value, fmt))
        return text


# -------------------------------------------------------------- formatting

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_UNITS = ("", "十", "百", "千")
_CN_LEGAL_UNITS = ("", "拾", "佰", "仟")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"


def chinese_counting(number: int, digits: str = _CN_DIGITS, units: tuple[str, ...] = _CN_UNITS) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十, 105 -> 一百零五, 110 -> 一百一十."""
    if not 0 < number < 10000:
        return str(number)
    text = ""
    zero = False
    for power in (3, 2, 1, 0):
        digit = number // 10**power % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += digits[0]
            zero = False
        text += digits[digit] + units[power]
    if number < 20 and units is _CN_UNITS and text.startswith(digits[1] + units[1]):
        text = text[1:]  # 十一, not 一十一
    return text


def _roman(number: int) -> str:
    if not 0 < number < 4000:
        return str(number)
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = ""
    for value, symbol in numerals:
        while number >= value:
            out += symbol
            number -= value
    return out


def _letter(number: int) -> str:
    """Word repeats the letter: 27 -> AA, 28 -> BB (a number past ten letters is
    shown in digits: no report lists that far)."""
    if number < 1 or (number - 1) // 26 >= _MAX_REPEATED_LETTERS:
        return str(number)
    return chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(number: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese_counting(number)
    if fmt == "chineseLegalSimplified":
        return chinese_counting(number, _CN_LEGAL, _CN_LEGAL_UNITS)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(number)) if number >= 0 else str(number)
    if fmt == "ideographTraditional" and number > 0:
        return _HEAVENLY_STEMS[(number - 1) % 10]
    if fmt == "ideographZodiac" and number > 0:
        return _ZODIAC[(number - 1) % 12]
    if fmt == "decimalEnclosedCircle" and 0 < number <= 20:
        return chr(0x2460 + number - 1)
    if fmt == "decimalEnclosedParen" and 0 < number <= 20:
        return chr(0x2474 + number - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(number)) if number >= 0 else str(number)
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(number)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = _letter(number)
        return letter if fmt == "upperLetter" else letter.lower()
    return str(number)
