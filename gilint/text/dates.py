"""Dates, periods and report years in report text.

Every form reports use: ``2022年1月10日``, ``二〇二二年一月十日`` / ``二O一O年三月五日`` /
``二○一一年元月二十日``, the ``2021-02-23 17:37`` stamp of a web page, ``2022.1.10``,
``2022/01/10``; statistics periods (``统计期限自2021年1月1日起至2021年12月31日止``,
``2020年1月1日至12月31日``); and the year a report is about, from its title
(``常州市生态环境局2021年政府信息公开工作年度报告``, ``…2009政府信息公开工作总结``,
``二〇二一年度``), its opening sentence (``2021年，市生态环境局…``) or its period.

Pure functions over strings. A date that does not exist (``2021年2月30日``) is
returned with ``valid`` false and a ``problem``, never raised. Offsets index the
input string, so a caller holding a ``model.Line`` maps a result with
``line.locate(match.start, match.end)``.
"""

from __future__ import annotations

import calendar
import datetime
import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from gilint.patterns import linear
from gilint.text.prefilter import may_hold, required_chars
from gilint.text.quantities import ascii_digits, parse_chinese_int

# ------------------------------------------------------------------ tokens

_ZEROS = "〇○OoΟ零0"
# A year: 1900–2099 in Arabic digits, or four Chinese digits (二〇二一, 二O一O, 一九九九).
_YEAR_ARABIC = r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])"
_CN_DIGIT = f"[{_ZEROS}一二三四五六七八九]"
_YEAR_CHINESE = rf"(?<!{_CN_DIGIT})[一二]{_CN_DIGIT}{{3}}(?![十]|{_CN_DIGIT})"
_YEAR = rf"(?:{_YEAR_ARABIC}|{_YEAR_CHINESE})"
_MONTH = r"(?:[0-9]{1,2}|元|十[一二]?|[一二三四五六七八九十])"
_ONE_NINE = "[一二三四五六七八九]"
_DAY = rf"(?:[0-9]{{1,2}}|三十一?|二十{_ONE_NINE}?|十{_ONE_NINE}?|廿{_ONE_NINE}?|{_ONE_NINE}|十)"
_S = r"[ \t\n]*"  # scraped text puts spaces and line breaks inside dates: 「2009年12月31 日」

_CN_DATE = linear(rf"(?P<y>{_YEAR}){_S}年{_S}(?P<m>{_MONTH}){_S}月{_S}(?P<d>{_DAY}){_S}[日号]")
_ISO_DATE = linear(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])"
    r"(?:[ T]+(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::[0-9]{2})?(?![0-9]))?"
)
_DOTTED_DATE = linear(
    r"(?<![0-9.])(?P<y>(?:19|20)[0-9]{2})\.(?P<m>[0-9]{1,2})\.(?P<d>[0-9]{1,2})(?![0-9]|\.[0-9])"
)
_SLASHED_DATE = linear(
    r"(?<![0-9/])(?P<y>(?:19|20)[0-9]{2})/(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})(?![0-9]|/[0-9])"
)
_FULL_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", _CN_DATE),
    ("iso", _ISO_DATE),
    ("dotted", _DOTTED_DATE),
    ("slashed", _SLASHED_DATE),
)
# Every form has a 月 or digits joined by - . / (2021-02-23, 2022.1.10, 2022/01/10): ``月 in``
# a text, then this pattern, which re scans for its first digit in C (one pattern with both
# was tried at every position of every line).
_JOINED_DIGITS = linear(r"[0-9][ ]*[-./][ ]*[0-9]")
# Partial dates: 12月31日 (a period's end, a deadline) and 二〇一三年一月 (a signature).
_MONTH_DAY = linear(
    rf"(?<![0-9年一二三四五六七八九十元{_ZEROS}])(?P<m>{_MONTH}){_S}月{_S}(?P<d>{_DAY}){_S}[日号]"
)
_YEAR_MONTH = linear(rf"(?P<y>{_YEAR}){_S}年{_S}(?P<m>{_MONTH}){_S}月(?!{_S}{_DAY}{_S}[日号])(?!份)")

# Between the two ends of a period: 至, 到, a dash, with 起 / 止 around.
_PERIOD_JOIN = linear(r"^[ \t\n]*+起?[ \t\n]*+(?:至|到|—+|－|-|~|～|–)[ \t\n]*+$", searched=False)
_STATISTICS_LABEL = linear(r"统计(?:期限|时限|时间|期间|周期|区间|范围|截止|期)|统计日期")
_LABEL_REACH = 24  # how far before a period its 统计期限 label may stand


def _number(token: str) -> int | None:
    token = token.strip()
    if token == "元":  # 元月: January
        return 1
    if token.isdigit():
        return int(token)
    return parse_chinese_int(token, digit_string=True)


# ------------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateMatch:
    """A date found in text. ``year`` is None for 12月31日; ``day`` None for 二〇一三年一月.
    ``form``: cn (年月日, Arabic or Chinese digits), iso (2021-02-23), dotted, slashed,
    month_day, year_month."""

    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    day: int | None
    form: str
    hour: int | None = None
    minute: int | None = None

    @property
    def complete(self) -> bool:
        return self.year is not None and self.month is not None and self.day is not None

    @property
    def problem(self) -> str | None:
        """Why the date does not exist: ``month`` (no such month) or ``day`` (no such
        day in that month); None for a real date, and for a partial one that could be."""
        if self.month is not None and not 1 <= self.month <= 12:
            return "month"
        if self.day is not None and self.month is not None:
            # Without a year, 2月29日 could exist: check against a leap year.
            year = self.year if self.year is not None else 2000
            if not 1 <= self.day <= calendar.monthrange(year, self.month)[1]:
                return "day"
        if self.hour is not None and not (0 <= self.hour <= 24 and 0 <= (self.minute or 0) <= 59):
            return "time"
        return None

    @property
    def valid(self) -> bool:
        return self.problem is None

    @property
    def date(self) -> datetime.date | None:
        if not self.complete or not self.valid:
            return None
        assert self.year is not None and self.month is not None and self.day is not None
        return datetime.date(self.year, self.month, self.day)

    def with_year(self, year: int) -> DateMatch:
        return replace(self, year=year)

    def iso(self) -> str:
        """2021-02-23 (or the known part) for messages and data."""
        parts = [f"{self.year:04d}" if self.year is not None else "????"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


def _date_from(match: re.Match[str], form: str, text: str, offset: int = 0) -> DateMatch | None:
    groups = match.groupdict()
    year = _number(groups["y"]) if groups.get("y") else None
    month = _number(groups["m"]) if groups.get("m") else None
    day = _number(groups["d"]) if groups.get("d") else None
    if (
        (groups.get("y") and year is None)
        or (groups.get("m") and month is None)
        or (groups.get("d") and day is None)
    ):
        return None
    hour = int(groups["H"]) if groups.get("H") else None
    minute = int(groups["M"]) if groups.get("M") else None
    start, end = match.start() + offset, match.end() + offset
    return DateMatch(start, end, text[start:end], year, month, day, form, hour, minute)


def find_dates(text: str, *, partial: bool = False) -> list[DateMatch]:
    """Every date in ``text``, left to right. Complete dates always; with
    ``partial``, also 12月31日 (year None) and 二〇一三年一月 (day None)."""
    return list(_find_dates(text, partial))


@lru_cache(maxsize=2048)  # several rules read the dates of the same lines; DateMatch is immutable
def _find_dates(text: str, partial: bool) -> tuple[DateMatch, ...]:
    scan = ascii_digits(text)
    if "月" not in scan and not _JOINED_DIGITS.search(scan):
        return ()  # most lines hold no date: one cheap test instead of six patterns
    candidates: list[DateMatch] = []
    for form, pattern, needs in _searched_forms(partial):
        if not may_hold(scan, needs):
            continue
        for match in pattern.finditer(scan):
            found = _date_from(match, form, text)
            if found is not None:
                candidates.append(found)
    return tuple(_non_overlapping(candidates))


@lru_cache(maxsize=2)
def _searched_forms(partial: bool) -> tuple[tuple[str, re.Pattern[str], tuple[frozenset[str], ...]], ...]:
    """The forms ``_find_dates`` looks for, each with the characters a match needs: a line
    without 年 is not searched for 2021年1月1日, nor one without - for 2021-02-23 (with the
    cheaper hint above: the rules −1.4M instructions a Markdown report, GI401 and GI402)."""
    forms = [*_FULL_FORMS]
    if partial:
        forms += [("month_day", _MONTH_DAY), ("year_month", _YEAR_MONTH)]
    return tuple((form, pattern, required_chars(pattern)) for form, pattern in forms)


def _non_overlapping(candidates: list[DateMatch]) -> list[DateMatch]:
    chosen: list[DateMatch] = []
    taken_until = -1
    for candidate in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if candidate.start >= taken_until:
            chosen.append(candidate)
            taken_until = candidate.end
    return chosen


def parse_date(text: str) -> DateMatch | None:
    """The first complete date in ``text`` (a signature's date text, a stamp)."""
    for found in find_dates(text):
        if found.complete:
            return found
    return None


# ----------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """``2020年1月1日至2020年12月31日``: ``first`` and ``last`` (whose year, when not
    written, is the first's); ``statistics`` when labelled 统计期限/统计时限…"""

    start: int
    end: int
    text: str
    first: DateMatch
    last: DateMatch
    statistics: bool

    @property
    def year(self) -> int | None:
        """The one year the period lies in, or None when it spans several."""
        if self.first.year is not None and self.first.year == self.last.year:
            return self.first.year
        return None

    @property
    def full_year(self) -> bool:
        return (
            self.year is not None
            and (self.first.month, self.first.day) == (1, 1)
            and (self.last.month, self.last.day) == (12, 31)
        )


def find_periods(text: str) -> list[Period]:
    """Date ranges: a complete date, 至/到/—, then a complete date or a month-day."""
    dates = _find_dates(text, True)  # the cached tuple itself: most lines hold no two dates
    if len(dates) < 2:
        return []
    periods: list[Period] = []
    for first, last in itertools.pairwise(dates):
        if not first.complete or last.day is None or last.month is None:
            continue
        if not _PERIOD_JOIN.match(text[first.end : last.start]):
            continue
        if last.year is None:
            assert first.year is not None
            last = last.with_year(first.year)
        label_window = text[max(0, first.start - _LABEL_REACH) : first.start]
        statistics = bool(_STATISTICS_LABEL.search(label_window))
        periods.append(Period(first.start, last.end, text[first.start : last.end], first, last, statistics))
    return periods


# A labelled statistics period as written, its two ends whatever they hold: 「统计期限
# 自2018月1日起至2018年12月31日」, 「统计期限自至」. Bounded pieces: linear on any input.
_PERIOD_ENDS = r"(?P<a>[^至到。;,\n]{0,24}?)[ ]*(?:至|到)(?P<b>[^。;,\n止]{0,24}?)[ ]*(?=止|[。;,\n]|$)"
_PERIOD_STATEMENT = linear(
    rf"(?:{_STATISTICS_LABEL.pattern})[ ]*(?:为|是|:)?[ ]*(?:(?:自|从)[ ]*{_PERIOD_ENDS}"
    rf"|(?=[0-9一二{_ZEROS}]){_PERIOD_ENDS.replace('?P<a>', '?P<a2>').replace('?P<b>', '?P<b2>')})",
    exempt="the runs that may share text are bounded ({0,24}): constant work per start position",
)


@dataclass(frozen=True)
class PeriodStatement:
    """A labelled statistics period (统计期限自…至…) and, when it is malformed, why:
    ``start_missing`` / ``end_missing`` (nothing written), ``start_incomplete`` /
    ``end_incomplete`` (not a whole date: 2018月1日). ``first``/``last`` the ends' text."""

    start: int
    end: int
    text: str
    first: str
    last: str
    problems: tuple[str, ...]


def _end_problem(part: str, side: str, month_day_ok: bool) -> str | None:
    stripped = part.strip()
    if not stripped:
        return f"{side}_missing"
    # A whole date anywhere in the end (a stray footnote mark beside it is no matter).
    for found in find_dates(stripped, partial=True):
        if found.complete or (month_day_ok and found.form == "month_day"):
            return None
    return f"{side}_incomplete"


def statistics_periods(text: str) -> list[PeriodStatement]:
    """Every labelled statistics period in ``text``, well formed or not."""
    found: list[PeriodStatement] = []
    if not _STATISTICS_LABEL.search(text):
        return found
    for match in _PERIOD_STATEMENT.finditer(text):
        a_group = "a" if match.group("a") is not None else "a2"
        b_group = "b" if a_group == "a" else "b2"
        first, last = match.group(a_group), match.group(b_group)
        problems = (
            _end_problem(first, "start", month_day_ok=False),
            _end_problem(last, "end", month_day_ok=True),
        )
        found.append(
            PeriodStatement(
                match.start(),
                match.end(),
                match.group(0),
                first.strip().removesuffix("起").strip(),
                last.strip(),
                tuple(problem for problem in problems if problem is not None),
            )
        )
    return found


# ------------------------------------------------------------------- years


@dataclass(frozen=True)
class YearMatch:
    """A year that says which year a report is about, and where it was read:
    ``source`` is title, heading (a title-like line after the title), opening,
    period or subject."""

    year: int
    start: int
    end: int
    text: str
    source: str


_YEAR_TOKEN = linear(rf"(?P<y>{_YEAR})(?P<suffix>{_S}年度|{_S}年)?")
# A year inside 《…》 (another document's title) or 〔…〕/[…] (a document number)
# says nothing about the report.
_QUOTED = linear(r"《[^《》]*》|〔[^〔〕]*〕|\[[^\[\]]*\]|【[^【】]*】")
_AFTER_YEAR_DATE = linear(rf"{_S}(?:{_MONTH}){_S}月", searched=False)
# What the report year qualifies in a title: 2021年政府信息公开…, 2009政府信息公开工作总结.
_TITLE_SUBJECT = linear(r"[ ]*(?:的)?(?:政府|政务|信息公开|工作|年度报告|年报)", searched=False)
_OPENING = linear(rf"^[ \t]*(?:在)?(?P<y>{_YEAR})[ ]*(?P<suffix>年度|年)(?!{_S}(?:{_MONTH}){_S}月)(?![0-9])")
_SUBJECT = linear(rf"(?P<y>{_YEAR})[ ]*+(?:年度|年)?[ ]*+(?:的)?(?:政府信息公开|政务公开|信息公开)")


def _year_value(token: str) -> int | None:
    value = _number(ascii_digits(token))
    return value if value is not None and 1900 <= value <= 2099 else None


def _masked(text: str) -> str:
    """``text`` with quoted titles and document numbers blanked (same length)."""
    return _QUOTED.sub(lambda match: " " * len(match.group(0)), text)


def year_tokens(text: str) -> list[YearMatch]:
    """Every year written in ``text`` that is not part of a date and not inside
    《…》 or 〔…〕 (``source`` is ``text``)."""
    scan = _masked(ascii_digits(text))
    found: list[YearMatch] = []
    for match in _YEAR_TOKEN.finditer(scan):
        if match.group("suffix") and _AFTER_YEAR_DATE.match(scan, match.end()):
            continue  # 2021年2月: a date, not the report year
        value = _year_value(match.group("y"))
        if value is None:
            continue
        found.append(YearMatch(value, match.start(), match.end(), text[match.start() : match.end()], "text"))
    return found


def title_year(text: str) -> YearMatch | None:
    """The report year of a title: ``常州市生态环境局2021年政府信息公开工作年度报告``,
    ``2020年昭通市…``, ``…2009政府信息公开工作总结``, ``…二〇二一年度…``.

    Of several years, the one right before 政府/政务/信息公开/工作/年度报告 wins."""
    tokens = year_tokens(text)
    if not tokens:
        return None
    scan = ascii_digits(text)
    for token in tokens:
        if _TITLE_SUBJECT.match(scan, token.end):
            return replace(token, source="title")
    return replace(tokens[0], source="title")


def opening_year(text: str) -> YearMatch | None:
    """The year a body's opening sentence starts with: ``2021年，市生态环境局…``,
    ``2009年度主动公开…``; not ``2020年2月…`` (a date)."""
    match = _OPENING.match(ascii_digits(text))
    if match is None:
        return None
    value = _year_value(match.group("y"))
    if value is None:
        return None
    return YearMatch(value, match.start("y"), match.end(), text[match.start("y") : match.end()], "opening")


def subject_years(text: str) -> list[YearMatch]:
    """Years that qualify the disclosure work itself, outside quoted titles:
    ``现就我局2009年政府信息公开工作年度报告…``, ``对2009年政府信息公开工作总结如下``."""
    scan = _masked(ascii_digits(text))
    found: list[YearMatch] = []
    for match in _SUBJECT.finditer(scan):
        value = _year_value(match.group("y"))
        if value is not None:
            found.append(
                YearMatch(value, match.start(), match.end(), text[match.start() : match.end()], "subject")
            )
    return found


def period_years(text: str) -> list[YearMatch]:
    """The years of statistics periods: labelled ones (统计期限自…至…) and any period
    covering one whole calendar year (2020年1月1日至2020年12月31日)."""
    found: list[YearMatch] = []
    for period in find_periods(text):
        if period.year is not None and (period.statistics or period.full_year):
            found.append(YearMatch(period.year, period.start, period.end, period.text, "period"))
    return found


# Only whether it occurs matters: the first 信息公开 of the line, then a later 报告 or 总结
# (the atomic group keeps a failed line from being rescanned from every 信息公开).
_TITLE_LINE = linear(r"^(?>.*?信息公开).*(?:报告|总结)|年度报告")
_FIRST_SECTION = linear(r"^[ ]*一[、.]")
_TITLE_REACH = 12  # the title stands among the first non-empty lines
_TITLE_LENGTH = 60
_SENTENCE_PUNCTUATION = linear(r"[，,。；;]")
_HEADING_HEAD = linear(r"^[ ]*一[、.][^ 。]*[ 。]")


def report_years(text: str) -> list[YearMatch]:
    """Every piece of evidence in a whole report's text for the year it is about:
    the title (the first title-like line near the top) and the title-like lines
    after it (``heading``), years qualifying the
    disclosure work before section 一, the first sentence of section 一, and the
    statistics periods. Offsets index ``text``. For structured reports prefer the
    single-purpose functions on the parsed title and sections."""
    found: list[YearMatch] = []
    offset = 0
    title_seen = False
    before_first_section = True
    first_section_opening_pending = False
    non_empty = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            non_empty += 1
            if first_section_opening_pending and not _FIRST_SECTION.match(line):
                opening = opening_year(line)
                if opening is not None:
                    found.append(_shift(opening, offset))
                first_section_opening_pending = False
            if _FIRST_SECTION.match(line):
                before_first_section = False
                first_section_opening_pending = True
                # 一、总体情况 2021年，… on one line: the opening follows the heading.
                rest = _HEADING_HEAD.sub("", line, count=1)
                opening = opening_year(rest) if rest != line else None
                if opening is not None:
                    found.append(_shift(opening, offset + len(line) - len(rest)))
                    first_section_opening_pending = False
            elif before_first_section and non_empty <= _TITLE_REACH and is_title_like(line):
                # The first title-like line is the title; later ones repeat it as headings.
                year = title_year(line)
                assert year is not None
                found.append(_shift(replace(year, source="heading" if title_seen else "title"), offset))
                title_seen = True
            elif before_first_section:
                found.extend(_shift(year, offset) for year in subject_years(line))
        offset += len(line) + 1
    found.extend(period_years(text))
    return sorted(found, key=lambda year: year.start)


def is_title_like(line: str) -> bool:
    """A short line naming the report, with a year, that is not a sentence."""
    stripped = line.strip()
    return (
        len(stripped) <= _TITLE_LENGTH
        and not _SENTENCE_PUNCTUATION.search(stripped)
        and bool(_TITLE_LINE.search(stripped))
        and title_year(stripped) is not None
    )


def _shift(year: YearMatch, offset: int) -> YearMatch:
    return replace(year, start=year.start + offset, end=year.end + offset)


# --------------------------------------------------------- publication stamps

# A web page's publication time (2021-02-23 17:37), or a date labelled as the
# publication or issue date (发布时间：2022年1月10日).
_STAMP_LABEL = linear(r"(?:发布|公开|成文|印发|生成)(?:时间|日期)|(?:^|[ \t])(?:时间|日期)[ ]*[:：]")
_STAMP_REACH = 12


def publication_stamps(text: str) -> list[DateMatch]:
    """Dates that stamp publication: ISO dates with a time of day, and dates right
    after 发布时间/发布日期/成文日期/时间: labels."""
    stamps: list[DateMatch] = []
    for found in find_dates(text):
        if not found.complete:
            continue
        if found.form == "iso" and found.hour is not None:
            stamps.append(found)
            continue
        window = text[max(0, found.start - _STAMP_REACH) : found.start]
        if _STAMP_LABEL.search(window):
            stamps.append(found)
    return stamps
