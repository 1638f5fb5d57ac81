"""The cross-report rules of the rule packs (kinds derived from ``SeriesKind``) over the
digests of one run."""

from __future__ import annotations

from collections.abc import Sequence

from gilint.checks.engine import CodeFilter, Context, RuleSet, make_diagnostic
from gilint.checks.fingerprint import fingerprint_hash
from gilint.checks.kinds import Finding, SeriesKind
from gilint.checks.series.agency import AgencyNames
from gilint.checks.series.group import group_reports
from gilint.model import Diagnostic, ReportDigest


def run_series_rules(
    digests: Sequence[ReportDigest],
    ruleset: RuleSet,
    context: Context,
    codes: CodeFilter,
    names: AgencyNames,
) -> list[tuple[ReportDigest, Diagnostic]]:
    """(the digest each diagnostic belongs to, the diagnostic), rule by rule."""
    rules = [
        rule
        for rule in ruleset.rules
        if isinstance(ruleset.kinds[rule.kind], SeriesKind) and codes.allows(rule.code)
    ]
    if not rules:
        return []
    series = [one for one in group_reports(digests, names) if len(one.reports) > 1]
    found: list[tuple[ReportDigest, Diagnostic]] = []
    for rule in rules:
        kind = ruleset.kinds[rule.kind]
        assert isinstance(kind, SeriesKind)
        for digest, finding in kind.check_series(series, rule, context):
            code = finding.code or rule.code
            if code != rule.code and not codes.allows(code):
                continue
            # (the fingerprint given, not added to the diagnostic afterwards: a copy of a
            # diagnostic costs as much as the diagnostic, /tmp/b600 has 6,111 of them)
            fingerprint = series_fingerprint(code, finding, digest.report_index)
            found.append(
                (
                    digest,
                    make_diagnostic(
                        digest.path, digest.report_index, code, finding, ruleset.catalog, fingerprint
                    ),
                )
            )
    return found


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
