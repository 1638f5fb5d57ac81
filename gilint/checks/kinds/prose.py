"""Prose kinds: numbers in the text against the tables (GI207), breakdowns that do
not add up (GI208), shares that do not match their counts (GI209), and what a
government's report must mention (GI108).

What a sentence states is recognised with the phrase lexicons in
rules/lexicon/*.yaml (gilint.checks.lexicon); this module only applies them. Every
check is conservative: a figure about part of the applications, another period,
another topic, or an approximate figure (1300余件) is never compared.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gilint.checks.kinds.base import Finding, Kind, Rule, register, report_anchor
from gilint.checks.lexicon import Lexicon, alternation, compile_all, compile_pattern, load_lexicon
from gilint.checks.phrases import joined, phrase
from gilint.model import CellRef, Location, Report
from gilint.patterns import linear
from gilint.structure.knowledge import KnowledgeError
from gilint.tables import Cell, Table
from gilint.tables.expression import Expression, ExpressionError, parse_expression
from gilint.text.dates import find_dates, year_tokens
from gilint.text.prefilter import Guarded, GuardIndex
from gilint.text.prose import MAX_SENTENCES, Run, Sentence, prose_truncated, report_runs
from gilint.text.quantities import Quantity, format_value

# A lexicon is named, never given as a path: it is looked up in the pack's own
# lexicon/ folder, else the built-in one (checks.lexicon.lexicon_path).
LEXICON_NAME = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}
LEXICON_PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"lexicon": LEXICON_NAME},
}

# ------------------------------------------------------------- table access


def parse_cell(key: str) -> tuple[str, str, str]:
    """``application/new/total`` → (table, row, column)."""
    table, row, column = key.split("/")
    return table, row, column


def table_cell(report: Report, table: str, row: str, column: str) -> Cell | None:
    """The canonical cell (gilint.tables.Cell) of ``report.tables``; None when absent."""
    model = report.tables.get(table)
    return model.cells.get((row, column)) if isinstance(model, Table) else None


def table_value(report: Report, table: str, row: str, column: str) -> int | float | None:
    """A cell's number; None when the table or cell is absent or its value unknown
    (blank, placeholder, unreadable)."""
    model = report.tables.get(table)
    return model.value(row, column) if isinstance(model, Table) else None


def sum_cells(report: Report, cells: tuple[str, ...]) -> int | float | None:
    """The sum of cells (``table/row/column``), or None if any is missing."""
    total: int | float = 0
    for key in cells:
        value = table_value(report, *parse_cell(key))
        if value is None:
            return None
        total += value
    return total


def cell_ref(key: str) -> CellRef:
    return CellRef(*parse_cell(key))


def lexicon_for(rule: Rule, default: str, schema: str | None = None) -> Lexicon:
    return load_lexicon(rule.params.get("lexicon", default), rule.pack, schema or default)


def quote(text: str, limit: int = 40) -> str:
    """A sentence piece for a message: one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------- GI207: text vs table


@dataclass(frozen=True)
class QuantitySpec:
    """One entry of the quantities lexicon, compiled."""

    key: str
    label: dict[str, str]
    sums: tuple[tuple[str, ...], ...]
    including: re.Pattern[str] | None
    including_sums: tuple[tuple[str, ...], ...]
    whole: bool
    requires: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    exclude_topic: re.Pattern[str] | None
    exclude_period: re.Pattern[str] | None
    patterns: tuple[Guarded, ...]
    zero: tuple[Guarded, ...]
    zero_exclude: re.Pattern[str] | None


@dataclass(frozen=True)
class QuantityLexicon:
    """The quantities lexicon compiled: what opens a part, the topic words, each quantity's spec."""

    part_opener: re.Pattern[str]
    topic: re.Pattern[str] | None  # words naming the quantities' own topic
    specs: tuple[QuantitySpec, ...]
    guards: GuardIndex  # every spec's patterns, then its zero patterns, spec by spec
    pattern_specs: tuple[tuple[QuantitySpec, bool], ...]  # per guard: its spec, whether a zero pattern


def _optional(value: Any, source: str) -> re.Pattern[str] | None:
    pattern = alternation(value)
    return compile_pattern(pattern, source) if pattern else None


@lru_cache(maxsize=8)
def compile_quantities(lexicon: Lexicon) -> QuantityLexicon:
    path = lexicon.path
    specs = []
    for entry in lexicon.data["quantities"]:
        source = f"{path}: {entry['key']}"
        specs.append(
            QuantitySpec(
                key=entry["key"],
                label=entry["label"],
                sums=tuple(tuple(alternative) for alternative in entry["sums"]),
                including=_optional(entry.get("including"), source),
                including_sums=tuple(tuple(alternative) for alternative in entry.get("including_sums", [])),
                whole=entry.get("whole", False),
                requires=_optional(entry.get("requires"), source),
                exclude=_optional(entry.get("exclude"), source),
                exclude_topic=_optional(entry.get("exclude_topic"), source),
                exclude_period=_optional(entry.get("exclude_period"), source),
                patterns=tuple(map(Guarded.of, compile_all(entry["patterns"], source))),
                zero=tuple(map(Guarded.of, compile_all(entry.get("zero", []), source))),
                zero_exclude=_optional(entry.get("zero_exclude"), source),
            )
        )
    return QuantityLexicon(
        compile_pattern(lexicon.data["part_opener"], str(path)),
        _optional(lexicon.data.get("topic"), str(path)),
        tuple(specs),
        GuardIndex(guard for spec in specs for guard in (*spec.patterns, *spec.zero)),
        tuple(
            (spec, nil)
            for spec in specs
            for nil, guards in ((False, spec.patterns), (True, spec.zero))
            for _ in guards
        ),
    )


@dataclass(frozen=True)
class Statement:
    """A figure the prose states for a quantity: ``value`` at ``start``..``end`` of a sentence."""

    spec: QuantitySpec
    sentence: Sentence
    value: int | float
    start: int
    end: int
    quantity: Quantity | None  # None for a nil statement (未收到…申请)


_CLAUSE_BREAK = linear(r"[,;:]")
_INCLUDING_REACH = 16  # how far after a figure 「（含上年结转…）」 may stand


def _years(sentence: Sentence) -> list[tuple[int, int]]:
    """(end, year) of every year written in the sentence: year tokens and dates."""

    def compute() -> list[tuple[int, int]]:
        found = [(year.end, year.year) for year in year_tokens(sentence.text)]
        found += [(d.end, d.year) for d in find_dates(sentence.text, partial=True) if d.year is not None]
        return sorted(found)

    return sentence.memo("years", compute)


def _year_before(sentence: Sentence, position: int) -> int | None:
    """The last year written in the sentence before ``position``."""
    years = _years(sentence)
    index = bisect.bisect_right(years, (position, 10_000))
    return years[index - 1][1] if index else None


def _context_ok(
    spec: QuantitySpec,
    lexicon: QuantityLexicon,
    sentence: Sentence,
    start: int,
    end: int,
    anchor: int,
    report: Report,
) -> bool:
    """Is the figure at ``anchor`` (match ``start``..``end``) about this quantity, this
    report's year and all of it? ``anchor`` is where the figure (or nil statement) is."""
    if spec.whole and sentence.matches_before(lexicon.part_opener, start):
        return False
    if spec.requires is not None:
        previous = sentence.previous
        in_previous = previous is not None and bool(previous.spans(spec.requires))
        if not in_previous and not sentence.matches_before(spec.requires, max(end, anchor)):
            return False
    if spec.exclude is not None and sentence.matches_within(
        spec.exclude, _clause_start(sentence, start), end
    ):
        return False
    own = _clause_start(sentence, start)
    if spec.exclude_topic is not None and _off_topic(sentence, spec.exclude_topic, lexicon.topic, own, end):
        return False
    if spec.exclude_period is not None and _in_context(sentence, spec.exclude_period, own, end):
        return False
    year = _year_before(sentence, start)
    return year is None or report.report_year is None or year == report.report_year


def _in_context(sentence: Sentence, pattern: re.Pattern[str], own: int, end: int) -> bool:
    """Whether ``pattern`` (another period) bears on the figure whose clause runs
    ``own``..``end``: in that clause, or in an earlier clause that states no figure
    of its own and so sets the scene for the rest (「与上年相比，…」). A clause with
    its own figure (「上年结转2件，办结5件」) speaks only for itself."""
    if sentence.matches_within(pattern, own, end):
        return True
    scene = _scene_end(sentence, pattern)
    return scene is not None and scene <= own


def _scene_end(sentence: Sentence, pattern: re.Pattern[str]) -> int | None:
    """Where the first clause ends that matches ``pattern`` and states no figure."""

    def compute() -> int | None:
        if not sentence.spans(pattern):  # most sentences name no other period: no clause to try
            return None
        for clause_start, clause_end in _clauses(sentence):
            if sentence.matches_within(pattern, clause_start, clause_end) and not _has_count(
                sentence, clause_start, clause_end
            ):
                return clause_end
        return None

    return sentence.memo(("scene", pattern), compute)


def _off_topic(
    sentence: Sentence, other: re.Pattern[str], topic: re.Pattern[str] | None, own: int, end: int
) -> bool:
    """Whether the figure's clause (``own``..``end``) is about another topic: it names
    one, or names no topic and the nearest earlier clause naming one names another
    (「入驻审批服务部门13个，开设窗口26个，共受理申请121510件」)."""
    if sentence.matches_within(other, own, end):
        return True
    if topic is not None and sentence.matches_within(topic, own, end):
        return False
    clauses = _clauses(sentence)
    index = bisect.bisect_right(clauses, (own, len(sentence.text) + 1)) - 1
    return _inherited_topics(sentence, other, topic)[max(0, index)]


def _inherited_topics(
    sentence: Sentence, other: re.Pattern[str], topic: re.Pattern[str] | None
) -> list[bool]:
    """For each clause: whether the topic it inherits (from the nearest earlier
    clause naming one) is another topic. One pass, cached per sentence."""

    def compute() -> list[bool]:
        if not sentence.spans(other):  # most sentences name no other topic: none is inherited
            return [False] * len(_clauses(sentence))
        inherited: list[bool] = []
        state = False
        for clause_start, clause_end in _clauses(sentence):
            inherited.append(state)
            if sentence.matches_within(other, clause_start, clause_end):
                state = True
            elif topic is not None and sentence.matches_within(topic, clause_start, clause_end):
                state = False
        return inherited

    return sentence.memo(("topics", other, topic), compute)


def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """(start, end) of the sentence's clauses, between , ; : marks."""

    def compute() -> list[tuple[int, int]]:
        bounds = [0]
        for break_start, break_end in sentence.spans(_CLAUSE_BREAK):
            bounds += [break_start, break_end]
        bounds.append(len(sentence.text))
        return list(zip(bounds[::2], bounds[1::2], strict=True))

    return sentence.memo("clauses", compute)


def _has_count(sentence: Sentence, start: int, end: int) -> bool:
    for quantity in sentence.quantities_from(start):
        if quantity.start >= end:
            return False
        if quantity.is_count:
            return True
    return False


def _clause_start(sentence: Sentence, position: int) -> int:
    """Where the clause holding ``position`` starts (after the last , ; : before it)."""
    breaks = sentence.spans(_CLAUSE_BREAK)
    index = bisect.bisect_right(breaks, (position, position))
    return breaks[index - 1][1] if index else 0


def report_statements(report: Report, lexicon: QuantityLexicon) -> list[Statement]:
    """``find_statements`` over the whole report's prose, once per report and lexicon
    (GI207 and GI208 both read them)."""
    key = ("prose.statements", id(lexicon))
    statements = report.derived.get(key)
    if statements is None:
        statements = report.derived[key] = find_statements(report, lexicon, report_runs(report))
    return statements


def find_statements(report: Report, lexicon: QuantityLexicon, runs: list[Run]) -> list[Statement]:
    """Every figure (and nil statement) the prose gives for a lexicon quantity.
    A figure claimed by two different quantities is ambiguous and dropped."""
    found: dict[tuple[int, int, str], list[Statement]] = {}
    for run in runs:
        for sentence in run.sentences:
            for statement in _sentence_statements(report, lexicon, sentence):
                if statement.quantity is None:  # a nil statement may cover several quantities
                    key = (id(sentence), statement.start, statement.spec.key)
                else:
                    key = (id(sentence), statement.quantity.start, "")
                found.setdefault(key, []).append(statement)
    statements: list[Statement] = []
    for candidates in found.values():
        if len({statement.spec.key for statement in candidates}) == 1:
            statements.append(candidates[0])
    return statements


def _sentence_statements(report: Report, lexicon: QuantityLexicon, sentence: Sentence) -> Iterable[Statement]:
    masked = sentence.masked
    has_counts = bool(sentence.counts)  # without a count only nil statements (未收到…) can match
    # Only the patterns whose characters the sentence holds are searched: most are not.
    for index in lexicon.guards.candidates(masked):
        spec, nil = lexicon.pattern_specs[index]
        pattern = lexicon.guards.guards[index].pattern
        if nil:
            yield from _nil_statements(report, lexicon, sentence, spec, pattern)
        elif has_counts:
            yield from _count_statements(report, lexicon, sentence, spec, pattern)


def _count_statements(
    report: Report, lexicon: QuantityLexicon, sentence: Sentence, spec: QuantitySpec, pattern: re.Pattern[str]
) -> Iterable[Statement]:
    for match in pattern.finditer(sentence.masked):
        quantity = sentence.quantity_at(match.start("n"))
        if quantity is None or quantity.approximate or not quantity.is_count:
            continue
        if _context_ok(spec, lexicon, sentence, match.start(), match.end(), quantity.start, report):
            yield Statement(spec, sentence, quantity.value, match.start(), match.end(), quantity)


def _nil_statements(
    report: Report, lexicon: QuantityLexicon, sentence: Sentence, spec: QuantitySpec, pattern: re.Pattern[str]
) -> Iterable[Statement]:
    for match in pattern.finditer(sentence.masked):
        if spec.zero_exclude is not None and spec.zero_exclude.search(sentence.text, *match.span()):
            continue
        if _context_ok(spec, lexicon, sentence, match.start(), match.end(), match.start(), report):
            yield Statement(spec, sentence, 0, match.start(), match.end(), None)


def _alternatives(statement: Statement) -> tuple[tuple[str, ...], ...]:
    spec = statement.spec
    if spec.including is not None and statement.quantity is not None:
        window = statement.sentence.text[statement.quantity.end : statement.quantity.end + _INCLUDING_REACH]
        if spec.including.match(window.lstrip()):
            return spec.including_sums
    return spec.sums


def _label(report: Report, spec: QuantitySpec, cells: tuple[str, ...], lang: str) -> str:
    """How the message names the cells: the lexicon's label for the quantity's own
    table, else the cells' table, rows and column from the table model (a legacy
    report's 统计表: 统计表「行政复议数」本年度)."""
    table_key = parse_cell(cells[0])[0]
    if table_key == parse_cell(spec.sums[0][0])[0]:
        return spec.label[lang]
    model = report.tables[table_key].model
    column = model.columns.get(parse_cell(cells[0])[2])
    names = (model.row_name(parse_cell(cell)[1])[lang] for cell in cells)
    rows = joined((phrase("quoted", lang, text=name) for name in names), lang)
    column_name = column.name[lang] if column else ""
    return phrase("cell_label", lang, table=model.short[lang], rows=rows, column=column_name)


@register
class TextTableMismatch(Kind):
    """GI207: a figure in the prose contradicts the table's value for the same quantity."""

    name = "text_table_mismatch"
    params_schema = LEXICON_PARAMS

    def prepare(self, rule: Rule) -> None:
        compile_quantities(lexicon_for(rule, "quantities"))

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        if not report.tables:
            return
        lexicon = lexicon_for(rule, "quantities")
        compiled = compile_quantities(lexicon)
        for statement in report_statements(report, compiled):
            evaluated = [(cells, sum_cells(report, cells)) for cells in _alternatives(statement)]
            evaluated = [(cells, value) for cells, value in evaluated if value is not None]
            if not evaluated or any(value == statement.value for _, value in evaluated):
                continue
            cells, value = evaluated[0]
            sentence = statement.sentence
            text = sentence.text[statement.start : statement.end]
            yield Finding(
                rule.message(
                    "default",
                    quote=quote(text),
                    prose=format_value(statement.value),
                    table=format_value(value),
                    label_zh=_label(report, statement.spec, cells, "zh"),
                    label_en=_label(report, statement.spec, cells, "en"),
                ),
                sentence.locate(statement.start, statement.end),
                cell=cell_ref(cells[0]),
                table=parse_cell(cells[0])[0],
                data={
                    "quantity": statement.spec.key,
                    "prose": statement.value,
                    "table": value,
                    "cells": list(cells),
                    "terms": [table_value(report, *parse_cell(cell)) for cell in cells],
                },
            )


# --------------------------------------------- GI208: prose figures that disagree


@dataclass(frozen=True)
class ProseIdentity:
    """An identity over quantities the prose states (the lexicon's ``identities``)."""

    name: str
    label: dict[str, str]
    expression: Expression
    keys: tuple[str, ...]


@lru_cache(maxsize=8)
def compile_identities(lexicon: Lexicon) -> tuple[ProseIdentity, ...]:
    known = {entry["key"] for entry in lexicon.data["quantities"]}
    identities: list[ProseIdentity] = []
    for index, entry in enumerate(lexicon.data.get("identities", [])):
        where = f"{lexicon.path}: at identities/{index}/expression"
        try:
            expression = parse_expression(" ".join(entry["expression"].split()))
        except ExpressionError as error:
            raise KnowledgeError(f"{where}: {error}") from error
        keys = tuple(dict.fromkeys(ref.key for ref in expression.refs()))
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise KnowledgeError(f"{where}: {', '.join(unknown)} names no quantity of the lexicon")
        identities.append(ProseIdentity(entry["name"], entry["label"], expression, keys))
    return tuple(identities)


def _stated_once(statements: list[Statement], keys: tuple[str, ...]) -> dict[str, Statement] | None:
    """Each key's one plain figure (not a sum 「含上年结转」), or None when a key is not
    stated, or stated with two values."""
    found: dict[str, Statement] = {}
    for key in keys:
        mine = [statement for statement in statements if statement.spec.key == key]
        if not mine or len({statement.value for statement in mine}) > 1:
            return None
        if any(_alternatives(statement) is not statement.spec.sums for statement in mine):
            return None
        found[key] = mine[0]
    return found


@register
class ProseIdentityCheck(Kind):
    """GI208: the figures one paragraph states break an identity they obey
    (本年新收 + 上年结转 = 办结 + 结转下年度), whatever the tables say."""

    name = "prose_identity"
    params_schema = LEXICON_PARAMS

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        lexicon = lexicon_for(rule, "quantities")
        identities = compile_identities(lexicon)
        if not identities:
            return
        by_run: dict[int, list[Statement]] = {}
        for statement in report_statements(report, compile_quantities(lexicon)):
            by_run.setdefault(id(statement.sentence.run), []).append(statement)
        for statements in by_run.values():
            for identity in identities:
                stated = _stated_once(statements, identity.keys)
                if stated is not None:
                    yield from self._verify(rule, identity, stated)

    @staticmethod
    def _verify(rule: Rule, identity: ProseIdentity, stated: dict[str, Statement]) -> Iterable[Finding]:
        bound = identity.expression.bind(lambda ref: [(ref.key, "")])
        if bound is None:
            return
        values = {(key, ""): statement.value for key, statement in stated.items()}
        residual = bound.residual(values)
        if residual is None or bound.holds(residual):
            return
        sides = [
            " + ".join(format_value(stated[ref.key].value) for _, ref in side.terms)
            for side in (identity.expression.left, identity.expression.right)
        ]
        spans = [
            (statement.sentence.start + statement.start, statement.sentence.start + statement.end)
            for statement in stated.values()
        ]
        run = next(iter(stated.values())).sentence.run
        yield Finding(
            rule.message(
                "default",
                label_zh=identity.label["zh"],
                label_en=identity.label["en"],
                left=sides[0],
                right=sides[1],
            ),
            run.locate(min(start for start, _ in spans), max(end for _, end in spans)),
            data={
                "identity": identity.name,
                "values": {key: statement.value for key, statement in stated.items()},
                "residual": residual,
            },
        )


# --------------------------------------------------- GI208: breakdown sums


@dataclass(frozen=True)
class Group:
    """Words for one kind of breakdown part; ``complete``: two or more of them listed are the whole."""

    key: str
    complete: bool
    words: tuple[str, ...]


@dataclass(frozen=True)
class BreakdownLexicon:
    """The breakdown lexicon compiled: openers, residual words, groups, share and base phrases."""

    openers: re.Pattern[str]
    exhaustive_openers: re.Pattern[str]
    residual: re.Pattern[str]
    groups: tuple[Group, ...]
    share: re.Pattern[str]
    base: re.Pattern[str]
    total_marker: re.Pattern[str]
    new_total: re.Pattern[str]
    incomplete: re.Pattern[str]


@lru_cache(maxsize=8)
def compile_breakdowns(lexicon: Lexicon) -> BreakdownLexicon:
    data = lexicon.data
    source = str(lexicon.path)
    return BreakdownLexicon(
        openers=compile_pattern(data["openers"], source),
        exhaustive_openers=compile_pattern(f"^(?:{data['exhaustive_openers']})$", source),
        residual=compile_pattern(data["residual"], source),
        groups=tuple(Group(g["key"], g.get("complete", False), tuple(g["words"])) for g in data["groups"]),
        share=compile_pattern(data["share"], source, searched=False),  # matched right after a count
        base=compile_pattern(data["base"], source),
        total_marker=compile_pattern(data["total_marker"], source),
        new_total=compile_pattern(data["new_total"], source),
        incomplete=compile_pattern(data["incomplete"], source, searched=False),  # right after a list
    )


@dataclass(frozen=True)
class Part:
    """One part of a stated breakdown: its label, count and, when given, its share."""

    label: str
    quantity: Quantity
    share: Quantity | None


@dataclass(frozen=True)
class Breakdown:
    """「共N件，其中A件、B件…」: the total (in ``total_sentence``), the opener (in
    ``sentence``) and the parts, from ``sentence`` to ``last`` (a list may run on
    into the next sentences: 「…1397条，占73%。各乡镇…534条，占27%。」)."""

    total: Quantity
    total_sentence: Sentence
    sentence: Sentence
    opener: str
    parts: tuple[Part, ...]
    end: int  # where the last part ends in ``last``
    last: Sentence

    @property
    def sum(self) -> int | float:
        return sum(part.quantity.value for part in self.parts)

    def locate(self) -> Location:
        """From the total (or the opener's sentence, when the total ends the sentence
        before) to the last part."""
        same = self.total_sentence is self.sentence
        start = self.sentence.start + (self.total.start if same else 0)
        return self.sentence.run.locate(start, self.last.start + self.end)


_ONLY_PUNCTUATION = linear(r"[ \n,;:。、]*$", searched=False)  # used with match(text, pos, endpos)
_LABEL_BREAK = linear(r"[,;:。!?]")
_LEADING_SEPARATORS = linear(r"^[ \n,;:、)]*")
_CLOSING = linear(r"^[ ]*\)")


def _total_before(sentence: Sentence, opener_start: int) -> tuple[Quantity, Sentence] | None:
    """The count right before the opener (only punctuation between), in this
    sentence or, when the opener starts it, at the end of the previous one."""
    last = sentence.last_count_before(opener_start)
    if last is not None and _ONLY_PUNCTUATION.match(sentence.text, last.end, opener_start):
        return last, sentence
    if last is not None or not _ONLY_PUNCTUATION.match(sentence.text, 0, opener_start):
        return None
    previous = sentence.previous
    if previous is None or not previous.counts:
        return None
    last = previous.counts[-1]
    if _ONLY_PUNCTUATION.match(previous.text, last.end):
        return last, previous
    return None


def _parts(
    lexicon: BreakdownLexicon, sentence: Sentence, start: int, total: Quantity
) -> tuple[list[Part], int]:
    """The parts after an opener: each a label and a count (with its share, if
    any), until a clause without a count, a new total or opener, another unit, or
    a part without the share every earlier part had."""
    parts: list[Part] = []
    separators: list[str] = []  # what stands before each part after the first
    position = start
    for quantity in sentence.quantities_from(position):
        if quantity.start < position:
            continue
        if not quantity.is_count or quantity.family != total.family:
            break
        gap = sentence.text[position : quantity.start]
        label = _LEADING_SEPARATORS.sub("", gap)
        if _LABEL_BREAK.search(label) or lexicon.openers.search(label) or lexicon.new_total.search(label):
            break
        if parts:
            separator = gap[: len(gap) - len(label)].strip(" \n)")
            # 「…其他处理3件；结转下年度继续办理4件」: a ; after parts joined by ， or 、
            # starts something else.
            if ";" in separator and separators and not any(";" in s for s in separators):
                break
            separators.append(separator)
        share = None
        end = quantity.end
        match = lexicon.share.match(sentence.masked, end)
        if match:
            share = sentence.quantity_at(match.start("p"))
            end = match.end()
        if parts and share is None and all(part.share is not None for part in parts):
            break  # 「…其他处理2件，占2.47%；因…引起的行政复议案件2件」: another list
        closing = _CLOSING.match(sentence.text, end)
        position = closing.end() if closing else end
        if lexicon.openers.match(_LEADING_SEPARATORS.sub("", sentence.text[position : position + 8])):
            break  # 「…尚未审结37件；行政诉讼46件，其中…」: the total of the next breakdown
        parts.append(Part(label, quantity, share))
    return parts, position


_PARALLEL = 3  # characters of wording parts in a following sentence share with the first
_MAX_CONTINUED = 8  # sentences a list of parts may run on into (a bound on any input)


def _parallel(first: Part, parts: list[Part]) -> bool:
    """Parts worded like the first (「区直各单位主动公开政府信息…」, 「各乡镇主动公开政府信息…」)."""
    tail = first.label[-_PARALLEL:]
    return len(tail) == _PARALLEL and all(part.label.endswith(tail) for part in parts)


def _continued(
    lexicon: BreakdownLexicon, sentence: Sentence, end: int, parts: list[Part], total: Quantity
) -> tuple[list[Part], Sentence, int]:
    """Parts that run on into the following sentences: each such sentence holds
    nothing but parts, worded like the first or with shares as every part before."""
    last = sentence
    for _ in range(_MAX_CONTINUED):
        if not _ONLY_PUNCTUATION.match(last.text, end) or last.following is None:
            break
        follow = last.following
        more, more_end = _parts(lexicon, follow, 0, total)
        shared = all(part.share is not None for part in (*parts, *more))
        whole = len(more) == len(follow.counts) and _ONLY_PUNCTUATION.match(follow.text, more_end)
        if not more or not whole or not (shared or _parallel(parts[0], more)):
            break
        parts = [*parts, *more]
        last, end = follow, more_end
    return parts, last, end


def find_breakdowns(lexicon: BreakdownLexicon, runs: list[Run]) -> list[Breakdown]:
    found: list[Breakdown] = []
    for run in runs:
        for sentence in run.sentences:
            for opener in lexicon.openers.finditer(sentence.text):
                total = _total_before(sentence, opener.start())
                if total is None:
                    continue
                parts, end = _parts(lexicon, sentence, opener.end(), total[0])
                if not parts:
                    continue
                parts, last, end = _continued(lexicon, sentence, end, parts, total[0])
                found.append(
                    Breakdown(total[0], total[1], sentence, opener.group(0), tuple(parts), end, last)
                )
    return found


def report_breakdowns(report: Report, lexicon: BreakdownLexicon) -> dict[int, list[Breakdown]]:
    """``find_breakdowns`` over the report's prose by run (the id of the run, in run order),
    once per report and lexicon: GI208 and GI209 both read them."""
    key = ("prose.breakdowns", id(lexicon))
    by_run = report.derived.get(key)
    if by_run is None:
        by_run = report.derived[key] = {}
        for breakdown in find_breakdowns(lexicon, report_runs(report)):
            by_run.setdefault(id(breakdown.sentence.run), []).append(breakdown)
    return by_run


def _one_group(lexicon: BreakdownLexicon, parts: tuple[Part, ...]) -> Group | None:
    for group in lexicon.groups:
        if all(any(word in part.label for word in group.words) for part in parts):
            return group
    return None


def exhaustive(lexicon: BreakdownLexicon, breakdown: Breakdown) -> bool:
    """Whether the parts claim to be all of the total (so they must add up to it).
    A list ending in 等 is incomplete; parts of one kind never overlap, so they
    cannot add up to more than the total even then."""
    group = _one_group(lexicon, breakdown.parts)
    if group is not None and breakdown.sum > breakdown.total.value:
        return True
    if lexicon.incomplete.match(breakdown.last.text, breakdown.end):
        return False
    if lexicon.exhaustive_openers.match(breakdown.opener):
        return True
    if _shares_complete(breakdown.parts):
        return True
    if any(lexicon.residual.search(part.label) for part in breakdown.parts):
        return True
    return group is not None and group.complete


def _shares_complete(parts: tuple[Part, ...]) -> bool:
    """Two or more parts whose stated shares add up to 100% (within their rounding)."""
    shares = [part.share for part in parts]
    if len(shares) < 2 or any(share is None for share in shares):
        return False
    slack = sum(10.0**-share.decimals for share in shares if share is not None) + 1e-9
    return abs(sum(share.value for share in shares if share is not None) - 100) <= slack


@register
class BreakdownSum(Kind):
    """GI208: 「共N件，其中A件、B件……」 whose exhaustive parts do not add up to N."""

    name = "breakdown_sum"
    params_schema = LEXICON_PARAMS

    def prepare(self, rule: Rule) -> None:
        compile_breakdowns(lexicon_for(rule, "breakdowns"))

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        lexicon = lexicon_for(rule, "breakdowns")
        compiled = compile_breakdowns(lexicon)
        for breakdown in itertools.chain.from_iterable(report_breakdowns(report, compiled).values()):
            parts = breakdown.parts
            if len(parts) < 2 or breakdown.total.approximate or any(p.quantity.approximate for p in parts):
                continue
            if not exhaustive(compiled, breakdown) or breakdown.sum == breakdown.total.value:
                continue
            terms = " + ".join(format_value(part.quantity.value) for part in parts)
            total = breakdown.total
            yield Finding(
                rule.message(
                    "default",
                    total=total.text.strip(),
                    opener=breakdown.opener,
                    sum=format_value(breakdown.sum),
                    expected=format_value(total.value),
                    terms=terms,
                ),
                breakdown.locate(),
                data={
                    "total": total.value,
                    "sum": breakdown.sum,
                    "terms": [part.quantity.value for part in parts],
                    "labels": [part.label for part in parts],
                },
            )


# ---------------------------------------------------------- GI209: shares


@dataclass(frozen=True)
class Share:
    """A count stated with its percentage in one sentence."""

    count: Quantity
    percent: Quantity
    sentence: Sentence
    end: int  # where the percentage ends in the sentence


def share_matches(count: float, base: float, percent: float, decimals: int) -> bool:
    """Does ``percent`` (written with ``decimals`` places) state count/base? Rounded
    or truncated to the places written: 66/107 = 61.68…% is 61.7% or 61.6%."""
    if base <= 0:
        return False
    exact = 100 * count / base
    step = 10.0**-decimals
    epsilon = 1e-9
    rounded = abs(exact - percent) <= step / 2 + epsilon
    truncated = percent - epsilon <= exact < percent + step
    return rounded or truncated


def _shares(lexicon: BreakdownLexicon, run: Run) -> list[Share]:
    shares: list[Share] = []
    for sentence in run.sentences:
        for quantity in sentence.counts:
            match = lexicon.share.match(sentence.masked, quantity.end)
            if not match:
                continue
            percent = sentence.quantity_at(match.start("p"))
            if percent is not None and not quantity.approximate and not percent.approximate:
                shares.append(Share(quantity, percent, sentence, match.end()))
    return shares


def _stated_base(
    lexicon: BreakdownLexicon, share: Share, breakdown_totals: dict[int, Quantity]
) -> Quantity | None:
    """A base the text states for this share: the total of the breakdown it is a
    part of, or 「在…N条…中」 earlier in its sentence."""
    total = breakdown_totals.get(id(share.count))
    if total is not None:
        return total
    sentence = share.sentence

    def compute() -> tuple[list[int], list[Quantity]]:
        ends: list[int] = []
        bases: list[Quantity] = []
        for match in lexicon.base.finditer(sentence.masked):
            base = sentence.quantity_at(match.start("n"))
            if base is not None:
                ends.append(match.end())
                bases.append(base)
        return ends, bases

    # Keyed by the lexicon too: sentences are shared by every rule, and two rules
    # may use different lexicons.
    ends, bases = sentence.memo(("bases", lexicon), compute)
    index = bisect.bisect_right(ends, share.count.start)
    return bases[index - 1] if index else None


def _groups(shares: list[Share], run: Run) -> list[list[Share]]:
    """Runs of shares with no other count between them."""
    by_count = {(id(share.sentence), share.count.start): share for share in shares}
    groups: list[list[Share]] = []
    current: list[Share] = []
    for sentence in run.sentences:
        for quantity in sentence.counts:
            share = by_count.get((id(sentence), quantity.start))
            if share is not None:
                current.append(share)
            elif current:
                groups.append(current)
                current = []
    if current:
        groups.append(current)
    return groups


def _previous_counts(run: Run) -> dict[tuple[int, int], tuple[Quantity, Sentence] | None]:
    """For each count of the run, the count right before it (in run order)."""
    previous: dict[tuple[int, int], tuple[Quantity, Sentence] | None] = {}
    last: tuple[Quantity, Sentence] | None = None
    for sentence in run.sentences:
        for quantity in sentence.counts:
            previous[(id(sentence), quantity.start)] = last
            last = (quantity, sentence)
    return previous


def _marked_total(lexicon: BreakdownLexicon, previous: dict, first: Share) -> Quantity | None:
    """The count right before a group of shares, when the text marks it as a total
    (共…107条) and no other count comes between."""
    before = previous.get((id(first.sentence), first.count.start))
    if before is None:
        return None
    total, where = before
    clause = where.text[_clause_start(where, total.start) : total.start]
    return total if lexicon.total_marker.search(clause) else None


@register
class SharePercentage(Kind):
    """GI209: a stated share (「66条，占61.7%」) that does not match the counts (rounding-aware)."""

    name = "share_percentage"
    params_schema = LEXICON_PARAMS

    def prepare(self, rule: Rule) -> None:
        compile_breakdowns(lexicon_for(rule, "breakdowns"))

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        lexicon = lexicon_for(rule, "breakdowns")
        compiled = compile_breakdowns(lexicon)
        for run in report_runs(report):
            yield from self._check_run(report, compiled, run, rule)

    def _check_run(
        self, report: Report, lexicon: BreakdownLexicon, run: Run, rule: Rule
    ) -> Iterable[Finding]:
        shares = _shares(lexicon, run)
        if not shares:
            return
        totals: dict[int, Quantity] = {}
        for breakdown in report_breakdowns(report, lexicon).get(id(run), ()):
            if not breakdown.total.approximate:
                totals.update({id(part.quantity): breakdown.total for part in breakdown.parts})
        unbased: list[Share] = []
        for share in shares:
            base = _stated_base(lexicon, share, totals)
            if base is None:
                unbased.append(share)
            elif not base.approximate:
                yield from self._verify(share, base.value, rule)
        previous = _previous_counts(run)
        for group in _groups(unbased, run):
            base_value = self._group_base(lexicon, previous, group)
            if base_value is not None:
                for share in group:
                    yield from self._verify(share, base_value, rule)

    @staticmethod
    def _group_base(lexicon: BreakdownLexicon, previous: dict, group: list[Share]) -> int | float | None:
        """A base for shares the text gives none for: a marked total right before them
        that they fit in, or else the sum of their counts when the percentages add
        up to 100 (within their rounding)."""
        counts = sum(share.count.value for share in group)
        marked = _marked_total(lexicon, previous, group[0])
        if marked is not None and not marked.approximate and counts <= marked.value:
            return marked.value
        if len(group) >= 2:
            slack = sum(10.0**-share.percent.decimals for share in group) + 1e-9
            if abs(sum(share.percent.value for share in group) - 100) <= slack:
                return counts
        return None

    @staticmethod
    def _verify(share: Share, base: int | float, rule: Rule) -> Iterable[Finding]:
        count, percent = share.count, share.percent
        if count.value > base or share_matches(count.value, base, percent.value, percent.decimals):
            return
        computed = 100 * count.value / base
        yield Finding(
            rule.message(
                "default",
                count=count.text.strip(),
                percent=percent.text.strip(),
                base=format_value(base),
                numerator=format_value(count.value),
                computed=f"{computed:.{max(2, percent.decimals + 1)}f}",
            ),
            share.sentence.locate(count.start, share.end),
            data={
                "count": count.value,
                "base": base,
                "stated": percent.value,
                "computed": round(computed, 4),
            },
        )


# ------------------------------------------------- GI108: required mentions


_MENTION_PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "lexicon": LEXICON_NAME,
        "agency_kinds": {"type": "array", "items": {"enum": ["government", "department", "unknown"]}},
    },
}


@register
class RequiredMentions(Kind):
    """GI108: a people's government's report must mention each topic of the lexicon
    (工作考核、社会评议、责任追究结果); departments are not asked to."""

    name = "required_mentions"
    params_schema = _MENTION_PARAMS

    def prepare(self, rule: Rule) -> None:
        _topic_patterns(lexicon_for(rule, "government"))

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        if report.agency_kind not in rule.params.get("agency_kinds", ["government"]):
            return
        lexicon = lexicon_for(rule, "government")
        text = "\n".join(line.text for line in report.lines)
        missing = [
            topic
            for topic, patterns in zip(lexicon.data["topics"], _topic_patterns(lexicon), strict=True)
            if not any(pattern.search(text) for pattern in patterns)
        ]
        if not missing:
            return
        anchor = report_anchor(report)
        yield Finding(
            rule.message(
                "default",
                missing_zh="、".join(topic["label"]["zh"] for topic in missing),
                missing_en=", ".join(topic["label"]["en"] for topic in missing),
            ),
            anchor,
            data={"missing": [topic["key"] for topic in missing]},
        )


@lru_cache(maxsize=8)
def _topic_patterns(lexicon: Lexicon) -> tuple[tuple[re.Pattern[str], ...], ...]:
    """Each topic's patterns, compiled (and checked) once per lexicon."""
    return tuple(
        compile_all(topic["patterns"], f"{lexicon.path}: topics/{index}/patterns")
        for index, topic in enumerate(lexicon.data["topics"])
    )


@register
class ProseLimit(Kind):
    """GI008: the report has more sentences than the prose checks read
    (``gilint.text.prose.MAX_SENTENCES``); said once, at the last sentence read."""

    name = "prose_limit"

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        truncated, last = prose_truncated(report)
        if truncated:
            location = last.locate() if last is not None else None
            message = rule.message("default", limit=MAX_SENTENCES)
            yield Finding(message, location, data={"limit": MAX_SENTENCES})
