"""Cross-report kinds: an agency's reports of one run compared (GI501–GI503).

- ``duplicate_reports`` (GI503, info): two reports of one agency and year in the run
  (a file saved twice, a report and its 工作总结); both are checked;
- ``carry_over`` (GI501): table 三, per column, year N's 二、上年结转 against year N-1's
  四、结转下年度继续办理;
- ``copied_text`` (GI502): a section's prose near-identical to the same section of the
  agency's previous report in the run (gilint.checks.series.similarity).

They read digests (tables and section texts extracted when each report was checked),
never the files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from gilint.checks.kinds.base import Finding, Rule, SeriesKind, register
from gilint.checks.kinds.structure import numeral
from gilint.checks.series.group import Series
from gilint.checks.series.similarity import Likeness, Masker, Prose, canonical, compare, quote
from gilint.model import CellRef, CellValue, Location, ReportDigest, SectionText


def place(digest: ReportDigest, location: Location | None = None) -> str:
    """``path:line:column`` (the report's number too when its file holds several)."""
    location = location or digest.anchor
    text = digest.path if location is None else f"{digest.path}:{location.line}:{location.column}"
    if location is not None and location.where:
        text += f" ({location.where})"
    if digest.report_count > 1:
        text += f" #{digest.report_index + 1}"
    return text


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


# ------------------------------------------------------------------ GI503


@register
class DuplicateReports(SeriesKind):
    """Two reports of one agency and year: worth a look (one may be a copy or a draft)."""

    name = "duplicate_reports"

    def digest_rows(self, rule: Rule) -> dict[str, tuple[str, ...]]:
        return {}  # who and which year: no table

    def check_series(
        self, series: list[Series], rule: Rule, context: Any, memo: dict[Any, Any]
    ) -> Iterable[tuple[Any, Finding]]:
        for one in series:
            for first, other in one.same_year():
                if not self.applies(rule, first, other):
                    continue
                yield (
                    other,
                    Finding(
                        rule.message(agency=other.agency, year=other.year, other=place(first)),
                        location=other.anchor,
                        data={
                            "year": other.year,
                            "other_path": first.path,
                            "other_report_index": first.report_index,
                        },
                    ),
                )


# ------------------------------------------------------------------ GI501


@register
class CarryOver(SeriesKind):
    """Year N's carried-over row equals year N-1's carried-forward row, column by column."""

    name = "carry_over"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["table", "row", "previous_row"],
        "additionalProperties": False,
        "properties": {
            "table": {"type": "string"},
            "row": {"type": "string"},  # in year N
            "previous_row": {"type": "string"},  # in year N-1
        },
    }

    def digest_rows(self, rule: Rule) -> dict[str, tuple[str, ...]]:
        return {rule.params["table"]: (rule.params["row"], rule.params["previous_row"])}

    def check_series(
        self, series: list[Series], rule: Rule, context: Any, memo: dict[Any, Any]
    ) -> Iterable[tuple[Any, Finding]]:
        for one in series:
            for previous, report in one.consecutive():
                for finding in self.pair(previous, report, rule, context, memo):
                    yield report, finding

    def compare_pair(
        self, previous: ReportDigest, report: ReportDigest, rule: Rule, context: Any, memo: dict[Any, Any]
    ) -> Iterator[Finding]:
        """The findings on ``report`` against ``previous``, of the year before."""
        table, row, previous_row = rule.params["table"], rule.params["row"], rule.params["previous_row"]
        model = context.table_models.tables.get(table)
        cells = report.tables.get(table, {}).get(row, {})
        earlier = previous.tables.get(table, {}).get(previous_row, {})
        for column, cell in cells.items():
            other = earlier.get(column)
            if other is None or None in (cell.value, other.value) or cell.value == other.value:
                continue  # blank or unreadable cells say nothing
            # The rows' and a column's names in each language, once per column and run (not
            # per finding: /tmp/b600 has 4,422 findings over 7 columns)
            names = memo.get(("names", column))
            if names is None:
                names = memo[("names", column)] = _cell_names(model, row, previous_row, column)
            this = (report, row, column, cell)
            yield self._finding(rule, model, this, (previous, other), names)

    @staticmethod
    def _finding(
        rule: Rule,
        model: Any,
        this: tuple[ReportDigest, str, str, CellValue],
        last: tuple[ReportDigest, CellValue],
        names: dict[str, dict[str, str]],
    ) -> Finding:
        report, row, column, cell = this
        previous, other = last
        earlier_location = other.location  # (a property that locates the cell: once)
        values: dict[str, Any] = {
            "value": _number(cell.value),
            "previous_value": _number(other.value),
            "year": report.year,
            "previous_year": previous.year,
            "previous": place(previous, earlier_location),
        }
        return Finding(
            {lang: rule.message_in(lang, **values, **names[lang]) for lang in LANGUAGES},
            location=cell.location or report.anchor,
            cell=CellRef(model.key if model else "", row, column),
            data={
                "value": cell.value,
                "previous_value": other.value,
                "previous_path": previous.path,
                "previous_report_index": previous.report_index,
                "previous_line": earlier_location.line if earlier_location else None,
                "previous_year": previous.year,
            },
        )


LANGUAGES = ("zh", "en")


def _cell_names(model: Any, row: str, previous_row: str, column: str) -> dict[str, dict[str, str]]:
    """language -> the ``row``, ``previous_row`` and ``column`` fields of a GI501 message
    in that language (the model's names, else the keys), and as ``row_en`` and so on in
    the other languages."""
    column_model = model.columns.get(column) if model else None
    names = {
        lang: {
            "row": model.row_name(row).get(lang, row) if model else row,
            "previous_row": model.row_name(previous_row).get(lang, previous_row) if model else previous_row,
            "column": column_model.name.get(lang, column) if column_model else column,
        }
        for lang in LANGUAGES
    }
    return {
        lang: {
            **{
                f"{field}_{other}": name
                for other in LANGUAGES
                if other != lang
                for field, name in names[other].items()
            },
            **names[lang],
        }
        for lang in LANGUAGES
    }


# ------------------------------------------------------------------ GI502


def section_id(section: SectionText) -> str | None:
    """What makes two reports' sections the same section: the mandated section's key,
    else (legacy reports, free headings) the title's words."""
    return section.key or canonical(section.title) or None


@register
class CopiedText(SeriesKind):
    """A section's own prose (years, numbers, standard wording and labels left out) is
    near-identical to the same section of the agency's previous report."""

    name = "copied_text"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["threshold", "min_chars"],
        "additionalProperties": False,
        "properties": {
            "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "min_chars": {"type": "integer", "minimum": 1},  # compared characters, in both sections
            "sections": {"type": "array", "items": {"type": "string"}},  # only these keys
        },
    }

    def digest_rows(self, rule: Rule) -> dict[str, tuple[str, ...]]:
        return {}  # the sections' prose: no table

    def check_series(
        self, series: list[Series], rule: Rule, context: Any, memo: dict[Any, Any]
    ) -> Iterable[tuple[Any, Finding]]:
        for one in series:
            # a section is compared with the same section of every report of the nearest
            # earlier year (several when the run holds two of that year); the closest counts
            best: dict[tuple[int, int], tuple[float, Finding]] = {}
            for previous, report in one.previous():
                for index, similarity, finding in self.pair(previous, report, rule, context, memo):
                    key = (id(report), index)
                    if key not in best or similarity > best[key][0]:
                        best[key] = (similarity, finding)
            for report in one.reports:
                for index in range(len(report.sections)):
                    if (id(report), index) in best:
                        yield report, best[(id(report), index)][1]

    def compare_pair(
        self, previous: ReportDigest, report: ReportDigest, rule: Rule, context: Any, memo: dict[Any, Any]
    ) -> Iterator[tuple[int, float, Finding]]:
        """(section index, similarity, the finding were ``previous`` the closest) of every
        section of ``report`` near-identical to the same section of ``previous``. The finding
        is made with the comparison, while the workers check the next files
        (``SeriesRun.add``), though only the closest of the earlier year's reports (up to
        MAX_PEERS) counts: /tmp/b600 makes 2,610 for its 1,330 GI502 findings, and its
        cross-report step after the last file takes 0.04 s less. A section's prose is masked
        once a run, whichever reports it is compared with."""
        masker = memo.get("masker")
        if masker is None:
            masker = memo["masker"] = Masker.build(context.structure, context.table_models, rule.pack)
        prose: dict[tuple[int, int], Prose] = memo.setdefault("prose", {})

        def prose_of(digest: ReportDigest, index: int) -> Prose:
            section = (id(digest), index)
            if section not in prose:
                prose[section] = Prose.of(digest.sections[index], masker)
            return prose[section]

        for index, likeness, later, before in self._compare(rule, previous, report, prose_of):
            yield index, likeness.similarity, self._finding(rule, later, (previous, before), likeness)

    def _compare(
        self,
        rule: Rule,
        previous: ReportDigest,
        report: ReportDigest,
        prose_of: Callable[[ReportDigest, int], Prose],
    ) -> Iterator[tuple[int, Likeness, Prose, Prose]]:
        """(section index, likeness, its prose, the earlier prose) of every section of
        ``report`` that is near-identical to the same section of ``previous``."""
        wanted = rule.params.get("sections")
        earlier = {section_id(section): index for index, section in enumerate(previous.sections)}
        for index, section in enumerate(report.sections):
            identity = section_id(section)
            if identity is None or identity not in earlier or (wanted and section.key not in wanted):
                continue
            later, before = prose_of(report, index), prose_of(previous, earlier[identity])
            # (the bound first: a section that cannot reach min_chars is never masked)
            if min(later.most_compared, before.most_compared) < rule.params["min_chars"]:
                continue
            if min(len(later.masked.text), len(before.masked.text)) < rule.params["min_chars"]:
                continue
            likeness = compare(later, before, rule.params["threshold"])
            if likeness is not None:
                yield index, likeness, later, before

    @staticmethod
    def _finding(rule: Rule, later: Prose, last: tuple[ReportDigest, Prose], likeness: Likeness) -> Finding:
        previous, before = last
        section = later.section
        location = later.locate(*likeness.passage)
        earlier_location = before.locate(*likeness.earlier_passage)
        passage = quote(later.text[slice(*likeness.passage)])
        values = {
            "numeral": numeral(section.number),
            "title": section.title,
            "similarity": f"{likeness.similarity:.0%}",
            "previous_year": previous.year,
            "previous": place(previous, before.section.location),
            "passage": passage,
            "passage_previous": place(previous, earlier_location),
        }
        return Finding(
            rule.message(**values),
            location=location,
            data={
                "similarity": round(likeness.similarity, 4),
                "section": section.key or section.title,
                "previous_path": previous.path,
                "previous_report_index": previous.report_index,
                "previous_year": previous.year,
                "previous_line": earlier_location.line,
                "passage": passage,
            },
        )
