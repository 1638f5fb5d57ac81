"""Year and date kinds: the title's year against the body (GI401), publication
after the statutory deadline (GI402), dates that do not exist and signatures
before the report year ended (GI404). Deadlines are pack parameters (data)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from gilint.checks.kinds.base import Finding, Kind, Rule, register
from gilint.checks.kinds.prose import quote
from gilint.checks.lexicon import compile_pattern
from gilint.checks.phrases import joined, phrase, phrase_pair
from gilint.model import Item, Line, Location, Paragraph, Report, Section
from gilint.patterns import linear
from gilint.text.dates import (
    DateMatch,
    YearMatch,
    find_dates,
    find_periods,
    is_title_like,
    opening_year,
    parse_date,
    publication_stamps,
    statistics_periods,
    subject_years,
    title_year,
)

_TOP_LINES = 15  # a page's publication stamp stands near its top


def head_lines(report: Report) -> list[Line]:
    """The report's lines before its first section (title, preamble, stamps)."""
    first = report.sections[0].heading.line if report.sections else None
    head: list[Line] = []
    for line in report.lines:
        if first is not None and line.holds(first):  # headings are slices of report lines
            break
        head.append(line)
    return head


# --------------------------------------------------------------- GI401


@dataclass(frozen=True)
class Evidence:
    """A year found in the text, and the line it is on."""

    year: YearMatch
    line: Line

    @property
    def location(self) -> Location:
        return self.line.locate(self.year.start, self.year.end)

    @property
    def quote(self) -> str:
        """The year as written; for a sub-item's opening, the clause it opens."""
        if self.year.source != "item":
            return self.year.text
        sentence = _SENTENCE_END.search(self.line.text, self.year.end)
        end = sentence.start() if sentence else len(self.line.text)
        return quote(self.line.text[self.year.start : end], _QUOTE_REACH)


_SENTENCE_END = linear(r"[;。!?]")
_QUOTE_REACH = 24


def _first_paragraph(report: Report) -> Line | None:
    if not report.sections:
        return None
    for node in report.sections[0].walk():  # items' headings are skipped: 「(一)…」 is no sentence
        if isinstance(node, Paragraph) and node.line.text.strip():
            return node.line
    return None


def year_evidence(report: Report, openings: YearOpenings | None = None) -> list[Evidence]:
    """Where the body says which year it is about: title-like lines and years
    qualifying the work before section 一, the opening sentence of section 一, the
    opening sentences of the sub-items of the ``openings`` sections (总体情况,
    主动公开: 「(二)主要类别 2023年，在主动公开的…」) unless the year starts another
    period (2019年以来), and statistics periods (labelled anywhere; whole-year ones
    before section 二)."""
    found: list[Evidence] = []
    title = report.title.text.strip() if report.title is not None else None
    for line in head_lines(report):
        if not line.text.strip() or (title and title in line.text):
            continue  # the title itself, or a line repeating it (第三篇:<title>)
        if is_title_like(line.text):
            year = title_year(line.text)
            if year is not None:
                found.append(Evidence(YearMatch(year.year, year.start, year.end, year.text, "heading"), line))
                continue
        found += [Evidence(year, line) for year in subject_years(line.text)]
    opening = _first_paragraph(report)
    if opening is not None:
        year = opening_year(opening.text)
        if year is not None:
            found.append(Evidence(year, opening))
    if openings is not None:
        found += _item_openings(report, openings, opening)
    found += _period_evidence(report)
    return found


@dataclass(frozen=True)
class YearOpenings:
    """Which sections' sub-item openings state the report year (rule params)."""

    sections: frozenset[str]
    other_period: re.Pattern[str] | None  # after the year: another period (以来, 至…)


def _item_openings(report: Report, openings: YearOpenings, skip: Line | None) -> list[Evidence]:
    found: list[Evidence] = []
    for section in report.sections:
        if section.key not in openings.sections:
            continue
        for line in _opening_lines(section):
            if line is skip:
                continue
            year = opening_year(line.text)
            if year is None:
                continue
            rest = line.text[year.end :]
            if openings.other_period is not None and openings.other_period.match(rest):
                continue
            found.append(Evidence(replace(year, source="item"), line))
    return found


def _opening_lines(section: Section) -> list[Line]:
    """The first paragraph of the section and of each of its sub-items."""
    lines: list[Line] = []
    groups: list[list[Any]] = [section.children]
    groups += [node.children for node in section.walk() if isinstance(node, Item)]
    for children in groups:
        texts = (node.line for node in children if isinstance(node, Paragraph) and node.line.text.strip())
        first = next(texts, None)
        if first is not None:
            lines.append(first)
    return lines


def _period_evidence(report: Report) -> list[Evidence]:
    early = {id(line) for line in head_lines(report)}
    if report.sections:
        early.add(id(report.sections[0].heading.line))
        early.update(id(line) for line in report.sections[0].text_lines())
    found: list[Evidence] = []
    for line in report.lines:
        for period in find_periods(line.text):
            if period.year is None or not (period.statistics or (period.full_year and id(line) in early)):
                continue
            year = YearMatch(period.year, period.start, period.end, period.text, "period")
            found.append(Evidence(year, line))
    return found


@dataclass(frozen=True)
class YearCheck:
    """The title's year against the body's evidence."""

    title: YearMatch
    evidence: list[Evidence]

    @property
    def against(self) -> list[Evidence]:
        return [item for item in self.evidence if item.year.year != self.title.year]

    @property
    def body_year(self) -> int | None:
        """The year the whole body agrees on when it is not the title's: then the
        title is what is wrong."""
        against = self.against
        years = {item.year.year for item in against}
        if against and len(against) == len(self.evidence) and len(years) == 1:
            return against[0].year.year
        return None


def check_years(report: Report, openings: YearOpenings | None = None) -> YearCheck | None:
    if report.title is None:
        return None
    stated = title_year(report.title.text)
    if stated is None:
        return None
    return YearCheck(stated, year_evidence(report, openings))


def _source(source: str, lang: str) -> str:
    return phrase(f"year_source_{source}", lang)


def _sources(evidence: list[Evidence], lang: str) -> str:
    return joined(dict.fromkeys(_source(item.year.source, lang) for item in evidence), lang)


_OPENINGS_PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # Sections whose sub-items open with the year they report on (section keys).
        "opening_sections": {"type": "array", "items": {"type": "string"}},
        # What, right after such a year, makes it another period (2019年以来).
        "other_period": {"type": "string"},
    },
}


@register
class YearConsistency(Kind):
    """GI401: the year in the title disagrees with the body's opening, the statistics
    period, a heading or the preamble."""

    name = "year_consistency"
    messages = ("title", "evidence")
    params_schema = _OPENINGS_PARAMS

    def __init__(self) -> None:
        self._openings: dict[tuple[str, str], YearOpenings] = {}

    def _year_openings(self, rule: Rule) -> YearOpenings:
        key = (rule.pack, rule.code)
        openings = self._openings.get(key)
        if openings is None:
            other = rule.params.get("other_period")
            openings = self._openings[key] = YearOpenings(
                frozenset(rule.params.get("opening_sections", ())),
                compile_pattern(other, f"{rule.pack}: {rule.code}: other_period") if other else None,
            )
        return openings

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        check = check_years(report, self._year_openings(rule))
        if check is None or not check.against:
            return
        stated, against = check.title, check.against
        body = check.body_year
        if body is not None:
            yield Finding(
                rule.message(
                    "title",
                    title=stated.year,
                    body=body,
                    where_zh=_sources(against, "zh"),
                    where_en=_sources(against, "en"),
                ),
                report.title.locate(stated.start, stated.end) if report.title is not None else None,
                data={
                    "title_year": stated.year,
                    "body_year": body,
                    "sources": [e.year.source for e in against],
                },
            )
            return
        for item in against:
            zh, en = _source(item.year.source, "zh"), _source(item.year.source, "en")
            yield Finding(
                rule.message(
                    "evidence",
                    title=stated.year,
                    year=item.year.year,
                    where_zh=zh,
                    where_en=en,
                    quote=item.quote,
                ),
                item.location,
                data={"title_year": stated.year, "year": item.year.year, "source": item.year.source},
            )


# --------------------------------------------------------------- GI402

_MONTH_DAY = linear(r"^(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})$")


@dataclass(frozen=True)
class Dated:
    """A date with where it was written."""

    date: datetime.date
    match: DateMatch
    line: Line
    offset: int  # of the date text in the line

    @property
    def location(self) -> Location:
        return self.line.locate(self.offset + self.match.start, self.offset + self.match.end)


def signature_date(report: Report) -> Dated | None:
    signature = report.signature
    if signature is None or not signature.date_text:
        return None
    found = parse_date(signature.date_text)
    if found is None or found.date is None:
        return None
    offset = max(0, signature.line.text.find(signature.date_text))
    return Dated(found.date, found, signature.line, offset)


def stamp_dates(report: Report) -> list[Dated]:
    """Publication stamps near the top (2021-02-23 17:37, 发布时间：…)."""
    found: list[Dated] = []
    for line in head_lines(report)[:_TOP_LINES]:
        for stamp in publication_stamps(line.text):
            if stamp.date is not None:
                found.append(Dated(stamp.date, stamp, line, 0))
    return found


_DEADLINES = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {"type": "string", "pattern": "^[0-9]{1,2}-[0-9]{1,2}$"},
    },
}


_DEADLINE_PARAMS = {
    "type": "object",
    "required": ["deadlines"],
    "additionalProperties": False,
    "properties": {"deadlines": _DEADLINES},
}


@register
class PublicationDeadline(Kind):
    """GI402: the signature or publication date is after the statutory deadline.
    ``deadlines``: profile → agency kind (government / department / unknown /
    default) → ``MM-DD`` of the year after the report year."""

    name = "publication_deadline"
    params_schema = _DEADLINE_PARAMS
    messages = ("signature", "stamp")

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        deadline = self._deadline(report, rule)
        if deadline is None:
            return
        kind_zh, kind_en = (phrase(f"agency_kind_{report.agency_kind}", lang) for lang in ("zh", "en"))
        values = {
            "deadline": f"{deadline.year}年{deadline.month}月{deadline.day}日",
            "deadline_iso": deadline.isoformat(),
            "kind_zh": kind_zh,
            "kind_en": kind_en,
            "year": deadline.year - 1,
        }
        signed = signature_date(report)
        if signed is not None and signed.date > deadline:
            yield self._finding(rule, "signature", signed, deadline, values)
            return
        late = [stamp for stamp in stamp_dates(report) if stamp.date > deadline]
        if late:
            yield self._finding(rule, "stamp", min(late, key=lambda stamp: stamp.date), deadline, values)

    @staticmethod
    def _deadline(report: Report, rule: Rule) -> datetime.date | None:
        year = report.report_year
        if year is None or report.profile is None:
            return None
        table = rule.params["deadlines"].get(report.profile)
        if not table:
            return None
        written = table.get(report.agency_kind) or table.get("default")
        match = _MONTH_DAY.match(written or "")
        if match is None:
            return None
        try:
            return datetime.date(year + 1, int(match.group("m")), int(match.group("d")))
        except ValueError:  # a custom pack's 02-30: no such deadline, nothing to check
            return None

    @staticmethod
    def _finding(rule: Rule, message: str, dated: Dated, deadline: datetime.date, values: dict) -> Finding:
        days = (dated.date - deadline).days
        return Finding(
            rule.message(
                message, date=dated.match.text.strip(), date_iso=dated.date.isoformat(), days=days, **values
            ),
            dated.location,
            data={"date": dated.date.isoformat(), "deadline": deadline.isoformat(), "days_late": days},
        )


# --------------------------------------------------------------- GI404


@register
class DateValidity(Kind):
    """GI404: a date that does not exist (2021年2月30日), or a signature dated
    before the report year ended."""

    name = "date_validity"
    messages = ("invalid", "early_signature", "invalid_period")

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        yield from self._periods(report, rule)
        for line in report.lines:
            for found in find_dates(line.text, partial=True):
                if found.problem in ("month", "day"):
                    yield Finding(
                        rule.message(
                            "invalid",
                            date=found.text.strip(),
                            problem_zh=phrase(f"date_problem_{found.problem}", "zh"),
                            problem_en=phrase(f"date_problem_{found.problem}", "en"),
                        ),
                        line.locate(found.start, found.end),
                        data={"date": found.text.strip(), "problem": found.problem},
                    )
        signed = signature_date(report)
        year = report.report_year
        if signed is None or year is None:
            return
        if signed.date < datetime.date(year, 12, 31):
            yield Finding(
                rule.message("early_signature", date=signed.match.text.strip(), year=year),
                signed.location,
                data={"date": signed.date.isoformat(), "report_year": year},
            )

    @staticmethod
    def _periods(report: Report, rule: Rule) -> Iterable[Finding]:
        """A statistics period whose ends are not whole dates: 「自2018月1日起」, 「自至」."""
        for line in report.lines:
            for period in statistics_periods(line.text):
                if not period.problems:
                    continue
                values = {"first": period.first, "last": period.last}
                problems = [phrase_pair(f"period_{problem}", **values) for problem in period.problems]
                yield Finding(
                    rule.message(
                        "invalid_period",
                        quote=period.text.strip(),
                        problems_zh=joined((p["zh"] for p in problems), "zh", "group_separator"),
                        problems_en=joined((p["en"] for p in problems), "en", "group_separator"),
                    ),
                    line.locate(period.start, period.end),
                    data={"period": period.text.strip(), "problems": list(period.problems)},
                )
