"""The pipeline, wired once: load -> normalize/parse -> profile -> sections ->
tables -> rules. Renderers take its CheckedReports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gilint.checks.catalog import is_known_code, nearest_code
from gilint.checks.engine import (
    CodeFilter,
    Context,
    RuleSet,
    input_diagnostic,
    load_rules,
    run_rules,
)
from gilint.checks.fingerprint import with_fingerprints
from gilint.checks.kinds import Rule, SeriesKind, report_anchor
from gilint.checks.series.digest import DigestRows, digest_report
from gilint.checks.series.engine import SeriesRun
from gilint.config import Suppressions, inline_codes, is_suppressed, suppressed, suppression_ranges
from gilint.data import rules_dir
from gilint.model import CheckedReport, Diagnostic, Document, Report, ReportDigest, Severity
from gilint.read.base import LoadError, LoadOptions
from gilint.read.load import load_bytes, load_path
from gilint.read.quote import Quoter
from gilint.structure.knowledge import Structure, load_structure
from gilint.structure.parse import parse_document
from gilint.structure.profile import assign_profile
from gilint.structure.sections import classify_sections
from gilint.tables import extract_tables, load_table_models, report_table_views
from gilint.text.prose import release_prose

# Codes the pipeline itself emits (about the input), not a rule pack.
PIPELINE_CODES = ("GI001", "GI002", "GI003", "GI007")


@dataclass(frozen=True)
class Options:
    """What a run asks of the pipeline (from flags and configuration)."""

    profile: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rule_dirs: tuple[Path, ...] = ()  # extra rule-pack folders
    max_bytes: int = LoadOptions.max_bytes
    agency_kind: str | None = None
    stdin_filename: str | None = None  # the name standard input (``-``) is shown and read as
    # (code, parameter, value): a rule's parameter set by the configuration (gi502-threshold)
    rule_params: tuple[tuple[str, str, Any], ...] = ()
    # Build every report's digest even when no cross-report rule runs (extract --format xlsx).
    digests: bool = False
    # The mandated tables as plain data on each result (CheckedReport.tables), for the
    # renderers that redraw them (HTML); a run that writes JSON or text does not build them.
    table_views: bool = True
    # The file's lines on each result (CheckedReport.source_lines), for the renderers that
    # quote them (full, HTML). JSON, SARIF and the one-line formats do not: there the lines
    # would only be sent from the worker and kept by the parent until the end (pickled
    # result of a bench report 41 -> 8 KB; a 600-report JSON run's parent 114 -> 79 MB).
    source_lines: bool = True


@dataclass
class Linter:
    """The pipeline with its data loaded once (grammar, rule packs, table models)."""

    options: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        folders = [rules_dir(), *self.options.rule_dirs]
        self.structure: Structure = load_structure()
        self.ruleset: RuleSet = load_rules(folders)
        for code, name, value in self.options.rule_params:
            for rule in self.ruleset.rules:
                if rule.code == code:
                    rule.params = {**rule.params, name: value}
        self.table_models = load_table_models(folders)
        self.context = Context(self.structure, self.table_models, self.ruleset.catalog)
        self.codes = CodeFilter(self.options.select, self.options.ignore)
        # A digest costs a sixth of a small report's time (built, then sent from the worker):
        # only when a cross-report rule will read it, and with only the rows they read.
        series = [
            rule
            for rule in self.ruleset.rules
            if isinstance(self.ruleset.kinds[rule.kind], SeriesKind) and self.codes.allows(rule.code)
        ]
        self.digests = self.options.digests or bool(series)
        self.digest_rows = None if self.options.digests else _digest_rows(self.ruleset, series)
        self.load_options = LoadOptions(self.options.max_bytes, locate_all=self.digests)

    # ------------------------------------------------------------- entries

    def check_path(self, path: str, stdin: bytes | None = None) -> list[CheckedReport]:
        try:
            document = load_path(path, self.load_options, stdin, self.options.stdin_filename)
        except LoadError as error:
            shown = self.options.stdin_filename if path == "-" else None
            return [self.unreadable(shown or path, error)]
        return self.check_document(document)

    def check_bytes(self, path: str, data: bytes) -> list[CheckedReport]:
        try:
            document = load_bytes(path, data, self.load_options)
        except LoadError as error:
            return [self.unreadable(path, error)]
        return self.check_document(document)

    def analyse(self, document: Document) -> list[Report]:
        """Every step up to the rules: the reports with sections, profile and tables."""
        reports = parse_document(document, self.structure)
        for report in reports:
            assign_profile(report, self.structure, self.options.profile)
            if self.options.agency_kind:
                report.agency_kind = self.options.agency_kind
            classify_sections(report, self.structure)
            extract_tables(report, self.table_models)
        return reports

    def check_document(self, document: Document) -> list[CheckedReport]:
        results = []
        for report in self.analyse(document):
            ranges = suppression_ranges(report)
            digest = None
            if self.digests:
                digest = replace(digest_report(report, self.digest_rows), suppressions=ranges)
            result = self._result(report, self._diagnostics(report, ranges), digest)
            if self.options.table_views:
                result.tables = report_table_views(report)
            results.append(result)
            release_prose(report)  # (checked: freed by reference counting, not by the collector)
        if document.source_lines is None:  # DOCX/PDF: renderers cannot quote the file themselves
            quoter = Quoter(document)
            for result in results:
                result.diagnostics = [
                    replace(d, snippet=quoter.quote(d.location)) for d in result.diagnostics
                ]
        return results

    def series_run(self, agency_map: dict[str, str] | None = None) -> SeriesRun:
        """The cross-report rules of a run whose results come one by one: ``add`` each
        result's digest as it comes, then pass the run to ``check_series``."""
        return SeriesRun(self.ruleset, self.context, self.codes, agency_map=agency_map)

    def check_series(
        self,
        results: list[CheckedReport],
        agency_map: dict[str, str] | None = None,
        keep: Callable[[Diagnostic], bool] | None = None,
        run: SeriesRun | None = None,
    ) -> list[Diagnostic]:
        """The cross-report rules (GI5xx) over the reports of one run, from the digests
        the single checks left (no file is read again). Each diagnostic that is not
        suppressed (inline, or by ``keep``) joins the result it is about, in position
        order; the new ones are returned. ``run``: the ``series_run`` the results' digests
        were added to as they came (``agency_map`` is then its own)."""
        checked = {id(result.digest): result for result in results if result.digest is not None}
        if len(checked) < 2:
            return []
        digests = [result.digest for result in results if result.digest is not None]
        run = run or self.series_run(agency_map)
        added: list[Diagnostic] = []
        joining: dict[int, list[Diagnostic]] = {}  # id(digest) -> its new diagnostics, in order
        for digest, diagnostic in run.findings(digests):
            if is_suppressed(diagnostic, digest.suppressions) or (keep is not None and not keep(diagnostic)):
                continue
            joining.setdefault(id(digest), []).append(diagnostic)
            added.append(diagnostic)
        # Each result sorted once with all its new diagnostics (not once per diagnostic: a
        # report of /tmp/b600 gets 10 on average): a stable sort, so the order is the same.
        for key, new in joining.items():
            result = checked[key]
            result.diagnostics = sorted([*result.diagnostics, *new], key=_position)
        return added

    # ------------------------------------------------------------- helpers

    def _diagnostics(self, report: Report, ranges: Suppressions) -> list[Diagnostic]:
        if looks_like_report(report):
            diagnostics = run_rules(report, self.ruleset, self.context, self.codes)
        elif self.codes.allows("GI003"):  # not a report: the other rules would only add noise
            message = {
                "zh": "未识别出政府信息公开工作年度报告：既没有标题，也没有任何规定的章节",
                "en": "nothing recognisable as an annual report: no title and no mandated section",
            }
            diagnostic = input_diagnostic(report.document.path, "GI003", message)
            diagnostics = [replace(diagnostic, location=report_anchor(report))]
        else:
            diagnostics = []
        diagnostics += self._unknown_inline_codes(report)
        return with_fingerprints(
            report, report.index, sorted(suppressed(report, diagnostics, ranges), key=_position)
        )

    def _unknown_inline_codes(self, report: Report) -> list[Diagnostic]:
        """GI007: a ``gilint: disable=…`` naming no catalogued code or prefix suppresses nothing."""
        if not self.codes.allows("GI007"):
            return []
        found: list[Diagnostic] = []
        for code, location in inline_codes(report):
            if is_known_code(code, self.ruleset.catalog):
                continue
            nearest = nearest_code(code, self.ruleset.catalog)
            message = {
                "zh": f"行内抑制注释中的 {code} 不是已知的规则代码或前缀，不会抑制任何问题；"
                f"最接近的是 {nearest}",
                "en": f"{code} in an inline suppression is not a known rule code or prefix and suppresses "
                f"nothing; the nearest is {nearest}",
            }
            diagnostic = input_diagnostic(report.document.path, "GI007", message)
            found.append(replace(diagnostic, location=location, report_index=report.index))
        return found

    def unreadable(self, path: str, error: LoadError) -> CheckedReport:
        diagnostics = (
            [input_diagnostic(path, error.code, error.message)] if self.codes.allows(error.code) else []
        )
        diagnostics = with_fingerprints(None, 0, diagnostics)
        return CheckedReport(path, 0, 1, None, None, None, "unknown", diagnostics)

    def _result(
        self, report: Report, diagnostics: list[Diagnostic], digest: ReportDigest | None
    ) -> CheckedReport:
        lines = report.document.source_lines if self.options.source_lines else None
        if lines is not None:
            lines = _quoted_lines(lines, diagnostics, digest)
        return CheckedReport(
            path=report.document.path,
            report_index=report.index,
            report_count=report.count,
            profile=report.profile,
            report_year=report.report_year,
            agency=report.agency,
            agency_kind=report.agency_kind,
            diagnostics=diagnostics,
            source_lines=lines,
            digest=digest,
        )


def _quoted_lines(lines: list[str], diagnostics: list[Diagnostic], digest: ReportDigest | None) -> list[str]:
    """The lines the report's findings are on, and those its cross-report findings can be on
    (the places its ``digest`` holds, when the cross-report rules run), the others blank (as
    many lines: the renderers find a line by its number). The parent receives and keeps
    only those until the end, not every file's text (a streamed 1,000-report run with
    --ignore GI5: parent CPU 0.53 -> 0.45 s, peak RSS 107 -> 42 MB; with GI5 on 208 -> 154 MB)."""
    quoted = {diagnostic.location.line for diagnostic in diagnostics if diagnostic.location is not None}
    if digest is not None:
        quoted |= digest.lines()
    if not quoted:
        return [""] * len(lines)
    return [line if number in quoted else "" for number, line in enumerate(lines, 1)]


def _digest_rows(ruleset: RuleSet, rules: list[Rule]) -> DigestRows:
    """The table rows the cross-report ``rules`` read (``SeriesKind.digest_rows``), merged;
    None (every row) when one of them reads them all."""
    merged: dict[str, set[str]] = {}
    for rule in rules:
        kind = ruleset.kinds[rule.kind]
        assert isinstance(kind, SeriesKind)
        wanted = kind.digest_rows(rule)
        if wanted is None:
            return None
        for table, rows in wanted.items():
            merged.setdefault(table, set()).update(rows)
    return merged


def looks_like_report(report: Report) -> bool:
    """A title, or at least one recognised section (or legacy topic heading)."""
    if report.title is not None or any(section.key for section in report.sections):
        return True
    return len(report.sections) >= 3


def _position(diagnostic: Diagnostic) -> tuple[int, int, int, str]:
    location = diagnostic.location
    if location is None:
        return (0, 0, 0, diagnostic.code)
    return (location.line, location.column, -diagnostic.severity.rank, diagnostic.code)


def worst(results: list[CheckedReport]) -> Severity | None:
    severities = [d.severity for result in results for d in result.diagnostics]
    return max(severities, key=lambda severity: severity.rank) if severities else None
