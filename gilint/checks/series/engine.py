"""The cross-report rules of the rule packs (kinds derived from ``SeriesKind``) over the
digests of one run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gilint.checks.engine import CodeFilter, Context, RuleSet, make_diagnostic
from gilint.checks.fingerprint import fingerprint_hash
from gilint.checks.kinds import Finding, Rule, SeriesKind
from gilint.checks.series.agency import AgencyNames
from gilint.checks.series.group import MAX_PEERS, group_reports
from gilint.model import Diagnostic, ReportDigest


class SeriesRun:
    """The cross-report rules over one run: ``add`` each digest as its report comes back,
    ``findings`` once every report has.

    ``add`` does what a pair of one agency's reports of consecutive years needs (masked
    prose, compared sections and their findings, carried-over cells: ``SeriesKind.warm``)
    as soon as the later of the two comes, while the workers check the next files, instead
    of all of it after the last file (/tmp/b600 with ``--jobs 1``: 0.37 s of cross-report
    work after the last file -> 0.07 s). A run of one year, where no agency has two
    reports, does nothing there. What ``add`` found is kept for ``findings``, which gives
    the same findings with or without it: pairs that only the whole run reveals (agencies
    joined by their parent places, a year between them missing) are worked out there."""

    def __init__(
        self,
        ruleset: RuleSet,
        context: Context,
        codes: CodeFilter,
        names: AgencyNames | None = None,
        agency_map: dict[str, str] | None = None,
    ):
        """``names``: the agency names, else built from ``agency_map`` when first needed."""
        self.ruleset = ruleset
        self.context = context
        self.codes = codes
        self._names = names
        self._agency_map = agency_map
        self._first: ReportDigest | None = None  # the first report, until a second comes
        self.rules: list[tuple[Rule, SeriesKind]] = []
        for rule in ruleset.rules:
            kind = ruleset.kinds[rule.kind]
            if isinstance(kind, SeriesKind) and codes.allows(rule.code):
                self.rules.append((rule, kind))
        # What each rule's kind keeps between ``warm`` and ``check_series`` (by rule code).
        self.memos: dict[str, dict[Any, Any]] = {rule.code: {} for rule, _ in self.rules}
        self._years: dict[str, dict[int, list[ReportDigest]]] = {}  # agency key -> year -> digests

    @property
    def names(self) -> AgencyNames:
        # (built only in a run of two reports or more: ~8 ms, that a one-file run need not pay)
        if self._names is None:
            self._names = AgencyNames.build(self._agency_map)
        return self._names

    def add(self, digest: ReportDigest) -> None:
        """A report checked: pair it with the reports of the years next to its own that
        the series will compare it with (the first MAX_PEERS of a year, in input order,
        as ``Series.consecutive`` and ``Series.previous`` take them)."""
        if not self.rules or digest.year is None:
            return
        if self._names is None and self._first is None:
            self._first = digest  # (alone, it is compared with nothing)
            return
        if self._first is not None:
            first, self._first = self._first, None
            self._place(first)
        self._place(digest)

    def _place(self, digest: ReportDigest) -> None:
        key = self.names.key(digest.agency)
        if key is None:
            return
        years = self._years.setdefault(key, {})
        year = digest.year
        same = years.setdefault(year, [])
        same.append(digest)
        for earlier in years.get(year - 1, [])[:MAX_PEERS]:
            self._warm(earlier, digest)
        if len(same) <= MAX_PEERS:
            for later in years.get(year + 1, []):
                self._warm(digest, later)

    def _warm(self, earlier: ReportDigest, later: ReportDigest) -> None:
        for rule, kind in self.rules:
            kind.warm(earlier, later, rule, self.context, self.memos[rule.code])

    def findings(self, digests: Sequence[ReportDigest]) -> list[tuple[ReportDigest, Diagnostic]]:
        """(the digest each diagnostic belongs to, the diagnostic), rule by rule. The run
        is then over: what ``add`` kept is let go (the masked prose and findings of every
        compared section: ~10 MB over the 1,000 bench reports, otherwise held while the output
        is written)."""
        try:
            return self._findings(digests)
        finally:
            self.memos = {code: {} for code in self.memos}
            self._years.clear()
            self._first = None

    def _findings(self, digests: Sequence[ReportDigest]) -> list[tuple[ReportDigest, Diagnostic]]:
        if not self.rules:
            return []
        series = [one for one in group_reports(digests, self.names) if len(one.reports) > 1]
        found: list[tuple[ReportDigest, Diagnostic]] = []
        catalog = self.ruleset.catalog
        for rule, kind in self.rules:
            for digest, finding in kind.check_series(series, rule, self.context, self.memos[rule.code]):
                code = finding.code or rule.code
                if code != rule.code and not self.codes.allows(code):
                    continue
                # (the fingerprint given, not added to the diagnostic afterwards: a copy of a
                # diagnostic costs as much as the diagnostic, /tmp/b600 has 6,111 of them)
                index = digest.report_index
                fingerprint = series_fingerprint(code, finding, index)
                diagnostic = make_diagnostic(digest.path, index, code, finding, catalog, fingerprint)
                found.append((digest, diagnostic))
        return found


def run_series_rules(
    digests: Sequence[ReportDigest],
    ruleset: RuleSet,
    context: Context,
    codes: CodeFilter,
    names: AgencyNames,
) -> list[tuple[ReportDigest, Diagnostic]]:
    """(the digest each diagnostic belongs to, the diagnostic), rule by rule: a run whose
    digests are all known at once."""
    return SeriesRun(ruleset, context, codes, names).findings(digests)


def series_fingerprint(code: str, finding: Finding, report_index: int) -> str:
    """A cross-report finding's identity for baselines: its cell, else its section, else the
    report (a year's numbers and lines may change; which cell or section it is about does not)."""
    cell = finding.cell
    data = finding.data or {}
    if cell is not None:
        anchor = f"{cell.table}/{cell.row}/{cell.column}"
    else:
        anchor = str(data.get("section") or "report")
    return fingerprint_hash(code, report_index, anchor, "") + ":1"
