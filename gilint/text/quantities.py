"""Numbers and quantities in Chinese prose: ``50件``, ``一百二十三条``, ``1,234件``,
``1300余条``, ``约20人次``, ``61.7%``, ``百分之六十``, ``18651.06万元``.

Pure functions over strings: every result carries offsets into the input, so a
caller holding a ``model.Line`` maps it to a Location with ``line.locate(start, end)``.

Chinese numerals are parsed here rather than with a library: cn2an (the best-kept
PyPI package) converts a given string but does not find numerals in running text,
runs a traditional→simplified and width conversion on every call, rejects the
``二O一O`` spelling of dates in its strict mode, and brings the ``proces``
dependency. What reports need is small: integers with 十百千万亿, 零/〇/○/O, 两, 廿,
and digit-by-digit years; the parser below is checked by property tests against
its own inverse ``to_chinese``.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from gilint.patterns import linear
from gilint.text.prefilter import first_char_guard

# ------------------------------------------------------------ Chinese numerals

# Every spelling of zero met in reports: 零, 〇 (U+3007), ○ (U+25CB, a circle typed
# for 〇), the Latin letter O and the Greek Ο typed for 〇, and the ASCII digit.
ZERO_CHARS = "零〇○OoΟ0"
_DIGITS: dict[str, int] = {ch: 0 for ch in ZERO_CHARS}
_DIGITS.update(
    {
        "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
        "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
    }
)  # fmt: skip
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_DIGIT_CHARS = "".join(_DIGITS)
_LATIN_ZEROS = "OoΟ0"  # zero look-alikes that are letters or Arabic on their own
_CN_NUMERAL_CHARS = "零〇○两一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟廿"
CN_NUMERAL_CHARS = frozenset(_CN_NUMERAL_CHARS)  # every character a Chinese numeral is written with


def parse_chinese_int(text: str, *, digit_string: bool = True) -> int | None:
    """The value of a Chinese integer numeral, or None when ``text`` is not one.

    Positional forms: ``十一`` 11, ``一百二十三`` 123, ``一千零五`` 1005, ``两万`` 20000,
    ``一百五`` 150 (the spoken short form), ``一亿零一万`` 100010000. Digit strings
    (``二〇二一`` 2021, ``二O一O`` 2010) are read digit by digit when ``digit_string``
    is true. Ill-formed strings (``十十``, ``百``, ``一二百``) give None, not a guess.
    """
    text = text.strip().replace("廿", "二十")
    if not text:
        return None
    if all(ch in _DIGITS for ch in text):
        if len(text) == 1:
            return None if text in _LATIN_ZEROS else _DIGITS[text]
        if not digit_string or text[0] in _LATIN_ZEROS:
            return None
        return int("".join(str(_DIGITS[ch]) for ch in text))
    if text[0] in _LATIN_ZEROS:
        return None
    return _positional(text)


@dataclass
class _Reading:
    """The state of a positional read: 亿 groups done, 万 groups done, the current
    group below 万, a digit waiting for its unit, and the last units seen."""

    total: int = 0
    group: int = 0
    section: int = 0
    digit: int | None = None
    last_small: int = 10_000  # small units must decrease within a group
    last_big: int = 10**12  # and big units across groups
    zero: bool = False  # a 零 since the last unit
    previous_unit: int = 0  # the unit right before a trailing digit (一百五 = 150)


def _positional(text: str) -> int | None:
    state = _Reading()
    for ch in text:
        if ch in _DIGITS:
            ok = _read_digit(state, _DIGITS[ch])
        elif ch in _SMALL_UNITS:
            ok = _read_small_unit(state, _SMALL_UNITS[ch])
        elif ch in _BIG_UNITS:
            ok = _read_big_unit(state, _BIG_UNITS[ch])
        else:
            ok = False
        if not ok:
            return None
    if state.digit is not None:
        # 一百五 / 一万五: a digit right after a unit, with no 零, is worth a tenth of it.
        if not state.zero and state.previous_unit >= 100:
            state.section += state.digit * state.previous_unit // 10
            if state.previous_unit >= 10_000:  # the unit was 万/亿: the tenth belongs to that group
                state.group += state.section
                state.section = 0
        else:
            state.section += state.digit
    return state.total + state.group + state.section


def _read_digit(state: _Reading, value: int) -> bool:
    if value == 0:
        state.zero = True
        state.previous_unit = 0
        return True
    if state.digit is not None:
        return False  # two digits in a row without a unit: 一二百
    state.digit = value
    return True


def _read_small_unit(state: _Reading, unit: int) -> bool:
    if unit >= state.last_small:
        return False
    if state.digit is None:
        # 十 alone heads a group (十一, 一万十) or follows 零 (一千零十); 百/千 need a digit.
        if unit != 10 or not (state.section == 0 or state.zero):
            return False
        state.digit = 1
    state.section += state.digit * unit
    state.digit = None
    state.last_small = unit
    state.zero = False
    state.previous_unit = unit
    return True


def _read_big_unit(state: _Reading, unit: int) -> bool:
    if state.digit is not None:
        state.section += state.digit
        state.digit = None
    if unit >= state.last_big:
        return False
    if unit == 100_000_000:
        if state.section == 0 and state.group == 0:
            return False  # 亿 with nothing to multiply
        state.total += (state.group + state.section) * unit
        state.group = 0
    else:
        if state.section == 0:
            return False
        state.group += state.section * unit
    state.section = 0
    state.last_big = unit
    state.last_small = 10_000
    state.zero = False
    state.previous_unit = unit
    return True


_CN_DIGITS = "零一二三四五六七八九"


def to_chinese(number: int) -> str:
    """The standard Chinese numeral of a non-negative integer: 0 零, 10 十, 110 一百一十,
    1005 一千零五, 100010000 一亿零一万. The inverse of ``parse_chinese_int``."""
    if number < 0:
        raise ValueError("negative numbers have no Chinese numeral here")
    if number == 0:
        return "零"
    groups: list[int] = []
    while number:
        groups.append(number % 10_000)
        number //= 10_000
    units = ["", "万", "亿", "万亿"]
    pieces: list[str] = []
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            need_zero = bool(pieces)
            continue
        if pieces and (need_zero or value < 1000):
            pieces.append("零")
        pieces.append(_section_to_chinese(value) + units[index])
        need_zero = False
    result = "".join(pieces)
    # 10–19 at the head are written 十… (十一, not 一十一).
    if result.startswith("一十"):
        result = result[1:]
    return result


def _section_to_chinese(value: int) -> str:
    out: list[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_CN_DIGITS[digit] + name)
    return "".join(out)


# ----------------------------------------------------------------- Arabic numbers

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")


_PLAIN_NUMBER = linear(r"[0-9]+(?:\.[0-9]+)?")
_HAS_FULL_WIDTH = linear("[０-９．，％]")


def ascii_digits(text: str) -> str:
    """Full-width digits, point, comma and percent → ASCII, same length (offsets keep).
    Normalised text has none: checking first is ten times cheaper than translating."""
    return text.translate(_FULL_WIDTH_DIGITS) if _HAS_FULL_WIDTH.search(text) else text


def parse_arabic(text: str) -> int | float | None:
    """``1,234`` → 1234, ``61.7`` → 61.7, ``１２`` → 12; None when not a number."""
    text = ascii_digits(text).replace(",", "").strip()
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    return float(text) if "." in text else int(text)


def parse_number(text: str) -> int | float | None:
    """An Arabic or Chinese number as a whole string."""
    value = parse_arabic(text)
    return value if value is not None else parse_chinese_int(text)


# ------------------------------------------------------------------ quantities

# Unit spellings, longest first so that 人次 wins over 人 and 个百分点 over 个.
# Canonical names map different spellings of the same unit.
_UNIT_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("个百分点", "百分点"),
    ("百分点", "百分点"),
    ("个工作日", "工作日"),
    ("工作日", "工作日"),
    ("个月", "月"),
    ("人次", "人次"),
    ("万元", "万元"),
    ("亿元", "亿元"),
    ("千元", "千元"),
    ("元", "元"),
    ("%", "%"),
    ("‰", "‰"),
    ("件", "件"),
    ("条", "条"),
    ("个", "个"),
    ("次", "次"),
    ("份", "份"),
    ("项", "项"),
    ("篇", "篇"),
    ("期", "期"),
    ("场", "场"),
    ("家", "家"),
    ("批", "批"),
    ("笔", "笔"),
    ("宗", "宗"),
    ("起", "起"),
    ("例", "例"),
    ("封", "封"),
    ("页", "页"),
    ("户", "户"),
    ("名", "名"),
    ("人", "人"),
    ("天", "天"),
)
UNITS: dict[str, str] = dict(_UNIT_SPELLINGS)

# Units that count things a report may add up against each other: reports mix
# 件 and 条 in one list (「60件，其中…2条、…5件」).
_FAMILIES: dict[str, str] = {
    **dict.fromkeys(("件", "条", "个", "份", "项", "篇", "宗", "起", "例", "封", "笔"), "items"),
    **dict.fromkeys(("次", "人次"), "times"),
    **dict.fromkeys(("人", "名", "户", "家"), "people"),
    **dict.fromkeys(("元", "万元", "亿元", "千元"), "money"),
    "%": "percent",
    "‰": "permille",
}
# How many yuan one unit of a money unit is.
MONEY_SCALE: dict[str, int] = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
# Every spelling of a money unit holds 元 (5万元 is read as 万 + 元 too).
_MONEY_CHARACTER = "元"
assert all(_MONEY_CHARACTER in spelling for spelling, unit in _UNIT_SPELLINGS if unit in MONEY_SCALE)


def may_hold_money(text: str) -> bool:
    """False when ``text`` surely holds no money quantity (no 元 in it): a test that
    spares find_quantities on most texts a fee rule reads."""
    return _MONEY_CHARACTER in text


# Linear on hostile text (a run of 10,000 digits or 〇): a number never starts right
# after a digit (the look-behinds; find_quantities refuses such a start anyway), the
# thousands groups are bounded, and the digits are not given back.
_ARABIC = r"(?<![0-9])(?:[0-9]{1,3}(?:,[0-9]{3}){1,6}(?![0-9])|[0-9]++)(?:\.[0-9]++)?"
# Counts are written with 〇 or 零 for zero; the Latin O spelling only occurs in dates.
_CHINESE = rf"(?<![{_CN_NUMERAL_CHARS}〇○])[{_CN_NUMERAL_CHARS}〇○]+"
_UNIT_RE = "|".join(re.escape(spelling) for spelling, _ in _UNIT_SPELLINGS)
# Markers that make a figure approximate: before (约, 近, 超过, 逾, 不到…), between
# number and unit (余, 多, 来, with 万/亿 as multipliers), after the unit (左右, 以上…).
_APPROX_BEFORE = r"(?P<before>大约|约|将近|接近|近|逾|超过|多达|不少于|不足|不到|不超过)?"
_APPROX_AFTER = r"(?P<after>左右|以上|以下|上下|之多)?"
_QUANTITY_BODY = (
    _APPROX_BEFORE
    # spaces only from the start of their run (tried inside one, every position rescans it)
    + r"(?:(?<!\s)\s++)?(?:(?P<percent_word>百分之)(?P<cn_percent>"
    + _CHINESE
    + r"(?:点[零〇一二三四五六七八九]+)?|"
    + _ARABIC
    + r")|(?P<number>"
    + _ARABIC
    + "|"
    + _CHINESE
    + r")\s*+(?P<inner>余|多|来)?(?P<multiplier>万|亿)?(?P<inner2>余|多)?\s*+(?P<unit>"
    + _UNIT_RE
    + r"))"
    + _APPROX_AFTER
)
# A look-ahead on the characters a quantity can start with spares the search trying the
# whole pattern at every other position (find_quantities: 2.4 -> 0.9 ms a report).
_QUANTITY = linear(first_char_guard(_QUANTITY_BODY) + _QUANTITY_BODY)
# What may not stand right before a number: another digit or a letter (codes such
# as 〔2021〕30号 have no unit anyway), a decimal point, or 第 (an ordinal: 第3次).
_BAD_BEFORE = frozenset("0123456789.第〇○" + _CN_NUMERAL_CHARS + string.ascii_letters)
_BARE_UNITS = {"百": 100, "千": 1000, "万": 10_000}
_BARE_CHINESE_DIGITS = linear(rf"[{CHINESE_DIGIT_CHARS}]{{2,}}")


# Not frozen (nothing changes a quantity once found; hashable all the same): a frozen
# dataclass sets each field through object.__setattr__, 15K instructions a quantity
# against 3K with slots (-0.5M instructions a Markdown report).
@dataclass(slots=True, unsafe_hash=True)
class Quantity:
    """A number with its unit found in text; ``start``/``end`` cover the whole
    expression (markers included), ``number_start``/``number_end`` the digits."""

    start: int
    end: int
    number_start: int
    number_end: int
    text: str
    value: int | float
    unit: str  # canonical unit: 件, 条, 人次, %, 万元, …
    approximate: bool = False
    decimals: int = 0  # digits after the decimal point, as written (61.7 → 1)

    @property
    def family(self) -> str:
        return _FAMILIES.get(self.unit, self.unit)

    @property
    def is_count(self) -> bool:
        return self.family in ("items", "times", "people")

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_SCALE

    def yuan(self) -> float | None:
        """A money quantity in yuan."""
        scale = MONEY_SCALE.get(self.unit)
        return None if scale is None else self.value * scale


def same_family(a: Quantity, b: Quantity) -> bool:
    return a.family == b.family


def find_quantities(text: str) -> list[Quantity]:
    """Every number-with-unit in ``text``, left to right, not overlapping."""
    scan = ascii_digits(text)
    found: list[Quantity] = []
    position = 0
    while True:
        match = _QUANTITY.search(scan, position)
        if match is None:
            return found
        quantity = _quantity(scan, text, match)
        if quantity is None:
            # Retry one character later: the match may have swallowed the head of a real one.
            position = match.start() + 1
            continue
        found.append(quantity)
        position = quantity.end


def _quantity(scan: str, text: str, match: re.Match[str]) -> Quantity | None:
    if match.group("percent_word"):
        return _percent_word(scan, text, match)
    number_start, number_end = match.span("number")
    if number_start > 0 and scan[number_start - 1] in _BAD_BEFORE:
        return None
    # The groups in one call, not one call each (with the Arabic value and mask shortcuts
    # below: find_quantities + mask -6% instructions over the corpus' sentences).
    before, raw, inner, multiplier, inner2, unit_text, after = match.group(
        "before", "number", "inner", "multiplier", "inner2", "unit", "after"
    )
    value = _number_value(raw, approximate=bool(before))
    if value is None:
        return None
    unit = UNITS[unit_text]
    scaled = False
    if multiplier and unit == "元":
        unit = multiplier + "元"  # 5万元, 3万余元: the money unit 万元
    elif multiplier:
        value = value * _BIG_UNITS[multiplier]
        scaled = True
        if isinstance(value, float) and value.is_integer():
            value = int(value)
    start = match.start("before") if before else number_start
    approximate = bool(before or inner or inner2 or after)
    decimals = len(raw.split(".", 1)[1]) if "." in raw and not scaled else 0
    end = match.end()
    return Quantity(start, end, number_start, number_end, text[start:end], value, unit, approximate, decimals)


def _number_value(raw: str, approximate: bool = False) -> int | float | None:
    if raw[0].isdigit():
        # ``_ARABIC`` matched it in ASCII text: digits, thousands commas, a decimal part,
        # which is all parse_arabic would check again.
        digits = raw.replace(",", "")
        return float(digits) if "." in digits else int(digits)
    if approximate and raw in _BARE_UNITS:
        return _BARE_UNITS[raw]  # 近百件, 约千人: a round figure
    # Running text: a string of bare digits (三五件, 七八个) is a range, not a number.
    if _BARE_CHINESE_DIGITS.fullmatch(raw):
        return None
    return parse_chinese_int(raw, digit_string=False)


def _percent_word(scan: str, text: str, match: re.Match[str]) -> Quantity | None:
    raw = match.group("cn_percent")
    whole, _, fraction = raw.partition("点")
    value: int | float | None = _number_value(whole) if not whole[0].isdigit() else parse_arabic(raw)
    if value is None:
        return None
    decimals = 0
    if fraction:
        digits = "".join(str(_DIGITS[ch]) for ch in fraction)
        value = float(f"{value}.{digits}")
        decimals = len(digits)
    elif isinstance(value, float):
        decimals = len(raw.split(".", 1)[1])
    before = match.group("before") or ""
    number_start, number_end = match.span("cn_percent")
    start = match.start("before") if before else match.start("percent_word")
    end = match.end()
    approximate = bool(before or match.group("after"))
    return Quantity(start, end, number_start, number_end, text[start:end], value, "%", approximate, decimals)


def counts(quantities: list[Quantity]) -> list[Quantity]:
    return [quantity for quantity in quantities if quantity.is_count]


def format_value(value: int | float) -> str:
    """A number for a message: integers without a decimal point, others trimmed."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


# Private-use characters: a quantity's first character, then the rest of it.
MARKS = {"count": ("\ue000", "\ue001"), "money": ("\ue002", "\ue003"), "percent": ("\ue004", "\ue005")}


def mask(text: str, quantities: list[Quantity]) -> str:
    """``text`` with every count, amount and percentage replaced by its marks."""
    if not quantities:
        return text  # most sentences state no figure
    pieces: list[str] = []
    last = 0
    for quantity in quantities:
        kind = (
            "count"
            if quantity.is_count
            else "money"
            if quantity.is_money
            else "percent"
            if quantity.is_percent
            else None
        )
        if kind is None:
            continue
        head, rest = MARKS[kind]
        pieces.append(text[last : quantity.start])
        pieces.append(head + rest * (quantity.end - quantity.start - 1))
        last = quantity.end
    pieces.append(text[last:])
    return "".join(pieces)
