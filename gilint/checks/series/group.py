"""Every report of one run keyed by agency and year: the series the cross-report rules read.

A report without an agency name or a year belongs to no series. Names lead to keys
through ``AgencyNames`` (rules/agencies.yaml and the user's agency map); then, within
the run, a key equal to another key less its leading higher-level places (洪泽区 and
淮安市洪泽区) joins it, when that other key is the only way to read it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from gilint.checks.series.agency import AgencyNames
from gilint.model import ReportDigest

# Reports of the earlier year a report is compared with, at most (input order): one agency
# with more in one year is a run gone wrong (GI503 says so), and every pair costs.
MAX_PEERS = 3


@dataclass
class Series:
    """One agency's reports of a run, by year (input order within a year)."""

    key: str
    reports: list[ReportDigest] = field(default_factory=list)

    def years(self) -> dict[int, list[ReportDigest]]:
        found: dict[int, list[ReportDigest]] = {}
        for report in self.reports:
            found.setdefault(report.year, []).append(report)  # type: ignore[arg-type]
        return dict(sorted(found.items()))

    def consecutive(self) -> Iterator[tuple[ReportDigest, ReportDigest]]:
        """(a report of year N-1, a report of year N), for every such pair."""
        years = self.years()
        for year, reports in years.items():
            for previous in years.get(year - 1, [])[:MAX_PEERS]:
                for report in reports:
                    yield previous, report

    def previous(self) -> Iterator[tuple[ReportDigest, ReportDigest]]:
        """(a report of the nearest earlier year in the run, a report), for every report
        that has one: the agency's previous report as far as this run knows."""
        earlier: list[ReportDigest] = []
        for reports in self.years().values():
            for previous in earlier:
                for report in reports:
                    yield previous, report
            earlier = reports[:MAX_PEERS]

    def same_year(self) -> Iterator[tuple[ReportDigest, ReportDigest]]:
        """(the first report of a year, another report of that year)."""
        for reports in self.years().values():
            for report in reports[1:]:
                yield reports[0], report


class _Merged:
    """Union-find over keys, the first key seen naming its set."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        self.parent[key] = root
        return root

    def join(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[b] = a


def _join_parent_places(keys: Sequence[str], names: AgencyNames, merged: _Merged) -> None:
    """A key that is another key's tail joins it, unless two keys that are not each
    other's tails both lead to it."""
    present = set(keys)
    tails = {key: names.tails(key) for key in present}
    holders: dict[str, list[str]] = {}
    for key, key_tails in tails.items():
        for tail in key_tails:
            if tail in present:
                holders.setdefault(tail, []).append(key)
    for tail, longer in holders.items():
        chain = sorted(longer, key=len)
        if all(short in tails[long] for short, long in pairwise(chain)):
            for key in chain:
                merged.join(key, tail)


def group_reports(digests: Sequence[ReportDigest], names: AgencyNames) -> list[Series]:
    """The series of a run, in order of their first report."""
    keyed: list[tuple[str, ReportDigest]] = []
    for digest in digests:
        key = names.key(digest.agency)
        if key is not None and digest.year is not None:
            keyed.append((key, digest))
    merged = _Merged()
    for key, _ in keyed:
        merged.find(key)
    _join_parent_places([key for key, _ in keyed], names, merged)
    series: dict[str, Series] = {}
    for key, digest in keyed:
        root = merged.find(key)
        series.setdefault(root, Series(root)).reports.append(digest)
    return list(series.values())
