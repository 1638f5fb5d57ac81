"""Fee kinds: the 信息处理费 statement of section 六 (GI301), its consistency with
itself and table 三 (GI302), the legacy 收费及减免 statement (GI303), and the unit
of the 第二十条第（八）项 amount (GI304).

The phrases are in rules/lexicon/fees.yaml. The 信息处理费 (charged to applicants,
国办函〔2020〕109号) is never confused with 行政事业性收费 (table 二's (八)项 row):
a sentence naming only the latter is not a fee statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gilint.checks.kinds.base import Finding, Kind, Rule, register, report_anchor
from gilint.checks.kinds.prose import LEXICON_NAME, LEXICON_PARAMS, cell_ref, lexicon_for, quote, table_value
from gilint.checks.lexicon import Lexicon, compile_all
from gilint.checks.phrases import joined, phrase_pair
from gilint.model import GridTable, Location, Report, Section, TextTable
from gilint.structure.sections import section_by_key
from gilint.text.normalize import normalize_cell
from gilint.text.prose import Run, Sentence, report_runs, report_section_runs
from gilint.text.quantities import Quantity, find_quantities, format_value, mask, may_hold_money

_PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "lexicon": LEXICON_NAME,
        "section": {"type": "string"},  # the section key (rules/profiles.yaml) holding the statement
        "section_number": {"type": "integer"},  # …or its number, when the key is not recognised
    },
}
_UNPAID_FEE = "application/other.unpaid_fee/total"


def find_section(report: Report, key: str, number: int | None) -> Section | None:
    """The section by its recognised key, else (titles unrecognised) by its number."""
    by_key = section_by_key(report, key)
    if by_key is not None or number is None:
        return by_key
    return next((section for section in report.sections if section.number == number), None)


def anchor(report: Report, section: Section | None = None) -> Location | None:
    return section.heading.line.location if section is not None else report_anchor(report)


# --------------------------------------------------------- the statement


@dataclass
class FeeStatement:
    """What the prose says about the 信息处理费: nil, notices sent, amounts."""

    sentences: list[Sentence] = field(default_factory=list)
    none: Sentence | None = None  # a sentence saying no fee was charged at all (no notice)
    none_collected: Sentence | None = None  # a sentence saying no fee was collected
    notices: list[tuple[Quantity, Sentence]] = field(default_factory=list)
    notified: list[tuple[Quantity, Sentence]] = field(default_factory=list)
    collected: list[tuple[Quantity, Sentence]] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.sentences)

    # The first figure of each kind is the statement's; later ones are usually its
    # parts (「收取信息处理费共计380元，其中民政局1件，收取380元」).
    def notice_count(self) -> int | float | None:
        return self.notices[0][0].value if self.notices else None

    def notified_yuan(self) -> float | None:
        return self.notified[0][0].yuan() if self.notified else None

    def collected_yuan(self) -> float | None:
        return self.collected[0][0].yuan() if self.collected else None


@dataclass(frozen=True)
class FeePatterns:
    """The fee lexicon's patterns, compiled."""

    topic: re.Pattern[str]
    other_charges: re.Pattern[str]
    fee_name: re.Pattern[str]
    table_labels: re.Pattern[str]
    none: tuple[re.Pattern[str], ...]
    none_collected: tuple[re.Pattern[str], ...]
    notices: tuple[re.Pattern[str], ...]
    notified: tuple[re.Pattern[str], ...]
    collected: tuple[re.Pattern[str], ...]


def prepare_fees(kind: Kind, rule: Rule) -> None:
    """What every fee kind needs of the fees lexicon, compiled and checked at load."""
    lexicon = lexicon_for(rule, "fees")
    fee_patterns(lexicon)
    for key in ("legacy_statement", "amount_label", "unit", "fee_row"):
        lexicon.pattern(key)


@lru_cache(maxsize=16)  # once per lexicon, not once per report and rule (lexicons are cached objects)
def fee_patterns(lexicon: Lexicon) -> FeePatterns:
    data, source = lexicon.data, str(lexicon.path)
    return FeePatterns(
        topic=lexicon.pattern("topic"),
        other_charges=lexicon.pattern("other_charges"),
        fee_name=lexicon.pattern("fee_name"),
        table_labels=lexicon.pattern("table_labels"),
        none=compile_all(data["none"], source),
        none_collected=compile_all(data.get("none_collected", []), source),
        notices=compile_all(data["notices"], source),
        notified=compile_all(data["notified"], source),
        collected=compile_all(data["collected"], source),
    )


def _quantities(patterns: tuple[re.Pattern[str], ...], sentence: Sentence, group: str) -> list[Quantity]:
    found: dict[int, Quantity] = {}
    for pattern in patterns:
        for match in pattern.finditer(sentence.masked):
            quantity = sentence.quantity_at(match.start(group))
            if quantity is not None and not quantity.approximate:
                found[quantity.start] = quantity
    return list(found.values())


def read_statement(patterns: FeePatterns, runs: list[Run]) -> FeeStatement:
    statement = FeeStatement()
    for run in runs:
        for sentence in run.sentences:
            text = patterns.table_labels.sub("", sentence.text)
            if not patterns.topic.search(text):
                continue
            if patterns.other_charges.search(text) and not patterns.fee_name.search(text):
                continue  # about 行政事业性收费 or another charge, not the 信息处理费
            statement.sentences.append(sentence)
            if statement.none is None and any(p.search(sentence.masked) for p in patterns.none):
                statement.none = sentence
            if statement.none_collected is None and any(
                p.search(sentence.masked) for p in patterns.none_collected
            ):
                statement.none_collected = sentence
            statement.notices += [(q, sentence) for q in _quantities(patterns.notices, sentence, "n")]
            statement.notified += [(q, sentence) for q in _quantities(patterns.notified, sentence, "m")]
            collected = _quantities(patterns.collected, sentence, "m")
            notified_starts = {q.start for q, s in statement.notified if s is sentence}
            statement.collected += [(q, sentence) for q in collected if q.start not in notified_starts]
    return statement


def report_statement(report: Report, rule: Rule) -> tuple[FeeStatement, Section | None]:
    """``read_statement`` of section 六's prose (the whole report's when section 六 is
    missing), once per report, lexicon and section: GI301 and GI302 read the same one
    (-0.49M instructions a Markdown report)."""
    section = find_section(report, rule.params.get("section", "other"), rule.params.get("section_number", 6))
    patterns = fee_patterns(lexicon_for(rule, "fees"))
    key = ("fees.statement", id(patterns), id(section))
    statement = report.derived.get(key)
    if statement is None:
        runs = report_section_runs(report, section) if section is not None else report_runs(report)
        statement = report.derived[key] = read_statement(patterns, runs)
    return statement, section


# ----------------------------------------------------------------- kinds


@register
class FeeStatementPresent(Kind):
    """GI301: section 六 says nothing about the 信息处理费, or says nothing of the
    收费通知 although notices were sent: table 三 （六）2 > 0 (applications closed
    because a notice went unpaid) or a fee was collected. A statement that no fee
    was charged at all contradicts that instead (GI302)."""

    name = "fee_statement"
    params_schema = _PARAMS
    messages = ("default", "no_section", "notices_missing")

    prepare = prepare_fees

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        statement, section = report_statement(report, rule)
        if not statement.found:
            message = "default" if section is not None else "no_section"
            yield Finding(rule.message(message), anchor(report, section))
            return
        if statement.notices or statement.none is not None:
            return
        unpaid = table_value(report, *_UNPAID_FEE.split("/"))
        collected = statement.collected_yuan()
        evidence = [
            phrase_pair("fee_notices_unpaid", unpaid=format_value(unpaid)) if unpaid else None,
            phrase_pair("fee_collected", collected=format_value(collected)) if collected else None,
        ]
        shown = [pair for pair in evidence if pair is not None]
        if not shown:
            return
        sentence = statement.none_collected or (
            statement.collected[0][1] if statement.collected else statement.sentences[0]
        )
        yield Finding(
            rule.message(
                "notices_missing",
                quote=quote(sentence.text),
                evidence=joined((pair["zh"] for pair in shown), "zh"),
                evidence_en=joined((pair["en"] for pair in shown), "en"),
            ),
            sentence.locate(),
            cell=cell_ref(_UNPAID_FEE) if unpaid else None,
            table="application" if unpaid else None,
            data={"unpaid_fee": unpaid, "collected_yuan": collected},
        )


@register
class FeeConsistency(Kind):
    """GI302: the fee statement contradicts itself or table 三 （六）2."""

    name = "fee_consistency"
    params_schema = _PARAMS
    messages = (
        "none_vs_table",
        "notices_vs_table",
        "none_vs_figures",
        "collected_over_notified",
        "no_amount",
    )

    prepare = prepare_fees

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        statement, _ = report_statement(report, rule)
        if not statement.found:
            return
        unpaid = table_value(report, *_UNPAID_FEE.split("/"))
        notices = statement.notice_count()
        notified = statement.notified_yuan()
        collected = statement.collected_yuan()
        yield from self._against_table(rule, statement, unpaid, notices)
        yield from self._against_itself(rule, statement, notices, notified, collected)

    @staticmethod
    def _against_table(
        rule: Rule, statement: FeeStatement, unpaid: int | float | None, notices: int | float | None
    ) -> Iterable[Finding]:
        if not unpaid or unpaid <= 0:
            return
        data = {"unpaid_fee": unpaid, "notices": notices}
        if statement.none is not None and not notices:
            sentence = statement.none
            yield Finding(
                rule.message("none_vs_table", quote=quote(sentence.text), unpaid=format_value(unpaid)),
                sentence.locate(),
                cell=cell_ref(_UNPAID_FEE),
                table="application",
                data=data,
            )
        elif notices is not None and notices < unpaid:
            quantity, sentence = statement.notices[0]
            yield Finding(
                rule.message("notices_vs_table", notices=format_value(notices), unpaid=format_value(unpaid)),
                sentence.locate(quantity.start, quantity.end),
                cell=cell_ref(_UNPAID_FEE),
                table="application",
                data=data,
            )

    @staticmethod
    def _against_itself(
        rule: Rule,
        statement: FeeStatement,
        notices: int | float | None,
        notified: float | None,
        collected: float | None,
    ) -> Iterable[Finding]:
        data = {"notices": notices, "notified_yuan": notified, "collected_yuan": collected}
        if statement.none is not None and ((notices or 0) > 0 or (collected or 0) > 0):
            figure = statement.notices[0] if (notices or 0) > 0 else statement.collected[0]
            yield Finding(
                rule.message(
                    "none_vs_figures", quote=quote(statement.none.text), figure=figure[0].text.strip()
                ),
                statement.none.locate(),
                data=data,
            )
        elif statement.none_collected is not None and (collected or 0) > 0:
            # 「未收取」 then an amount collected (notices sent and unpaid are no contradiction)
            yield Finding(
                rule.message(
                    "none_vs_figures",
                    quote=quote(statement.none_collected.text),
                    figure=statement.collected[0][0].text.strip(),
                ),
                statement.none_collected.locate(),
                data=data,
            )
        if notified is not None and collected is not None and collected > notified:
            quantity, sentence = statement.collected[0]
            yield Finding(
                rule.message(
                    "collected_over_notified",
                    collected=format_value(collected),
                    notified=format_value(notified),
                ),
                sentence.locate(quantity.start, quantity.end),
                data=data,
            )
        if (notices or 0) > 0 and notified is None and collected is None:
            quantity, sentence = statement.notices[0]
            yield Finding(
                rule.message("no_amount", notices=format_value(notices or 0)),
                sentence.locate(quantity.start, quantity.end),
                data=data,
            )


@register
class LegacyFeeStatement(Kind):
    """GI303: a legacy report says nothing on 收费及减免 (2008 条例 第三十二条第三项)."""

    name = "legacy_fee_statement"
    params_schema = LEXICON_PARAMS

    prepare = prepare_fees

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        pattern = lexicon_for(rule, "fees").pattern("legacy_statement")
        if any(pattern.search(line.text) for line in report.lines):
            return
        yield Finding(rule.message("default"), anchor(report))


@register
class FeeUnit(Kind):
    """GI304: the 第二十条第（八）项 amount is not in 万元 (its column header states
    another unit, or the cell writes one)."""

    name = "fee_unit"
    params_schema = _PARAMS

    prepare = prepare_fees

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        section = find_section(
            report, rule.params.get("section", "proactive"), rule.params.get("section_number", 2)
        )
        if section is None:
            return
        lexicon = lexicon_for(rule, "fees")
        label = lexicon.pattern("amount_label")
        unit = lexicon.pattern("unit")
        fee_row = lexicon.pattern("fee_row")
        expected = lexicon.data["expected_unit"]
        for text, locate in _section_texts(section):
            for found, start, end in _stated_units(text, label, unit, fee_row):
                if found != expected:
                    yield Finding(
                        rule.message("default", found=found, expected=expected, quote=quote(text[start:end])),
                        locate(start, end),
                        data={"unit": found, "expected": expected},
                    )


_UNIT_REACH = 24  # how far after 本年收费金额 its （单位：万元） may stand


def _stated_units(
    text: str, label: re.Pattern[str], unit: re.Pattern[str], fee_row: re.Pattern[str]
) -> Iterable[tuple[str, int, int]]:
    for match in label.finditer(text):
        found = unit.search(text, match.end(), match.end() + _UNIT_REACH)
        if found:
            yield found.group("unit"), found.start("unit"), found.end("unit")
    if not may_hold_money(text):  # (nothing to look for: GI304 0.59M -> 0.25M instructions a /tmp/bmd report)
        return
    quantities = [q for q in find_quantities(text) if q.is_money]
    masked = mask(text, quantities)
    for match in fee_row.finditer(masked):
        quantity = next((q for q in quantities if q.start == match.start("m")), None)
        if quantity is not None:
            yield quantity.unit, quantity.start, quantity.end


def _section_texts(section: Section) -> Iterable[tuple[str, Any]]:
    """Every piece of text of a section with a function locating offsets in it:
    heading and paragraph lines, text-table lines, grid cells (normalised like the lines:
    the lexicon's 单位: is half-width, a page's header writes 单位：)."""
    seen: set[int] = set()  # a merged cell is one object in every grid position it spans
    lines = [section.heading.line, *section.text_lines()]
    for node in section.walk():
        if isinstance(node, TextTable):
            lines.extend(node.lines)
        elif isinstance(node, GridTable):
            for row in node.grid.rows:
                for cell in row:
                    # (An empty cell states nothing; a cell is located only if a finding is on it.)
                    if cell.text and id(cell) not in seen:
                        seen.add(id(cell))
                        yield normalize_cell(cell), (lambda start, end, cell=cell: cell.location)
    for line in lines:
        yield line.text, line.locate
