"""What every rule kind shares: Finding, Rule, the Kind base class and its registry,
and where report-wide findings point."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from gilint.model import CellRef, Location, Report, Severity


@dataclass(frozen=True)
class Finding:
    """What a kind reports; the engine adds code, name, severity and path."""

    message: dict[str, str]  # language -> text
    location: Location | None = None
    cell: CellRef | None = None
    table: str | None = None
    data: dict[str, Any] | None = None
    # A kind may lower or raise severity for one finding (e.g. an info note).
    severity: Severity | None = None
    code: str | None = None  # override the rule's code (a kind emitting a companion code)


@dataclass
class Rule:
    """One rule of a pack, validated against the kind's params schema."""

    code: str
    kind: str
    params: dict[str, Any]
    profiles: tuple[str, ...]
    pack: str  # file the rule came from
    messages: dict[str, dict[str, str]] = field(default_factory=dict)  # message id -> lang -> template

    def message(self, message_id: str = "default", **values: Any) -> dict[str, str]:
        """Format the rule's message templates (``{name}`` fields) in every language."""
        return {lang: _format(template, values) for lang, template in self._templates(message_id).items()}

    def message_in(self, lang: str, message_id: str = "default", **values: Any) -> str:
        """The message in one language, for fields whose values differ by language."""
        return _format(self._templates(message_id)[lang], values)

    def _templates(self, message_id: str) -> dict[str, str]:
        templates = self.messages.get(message_id)
        if templates is None:
            raise KeyError(f"{self.pack}: rule {self.code} has no message {message_id!r}")
        return templates


def _format(template: str, values: dict[str, Any]) -> str:
    """The template with its fields filled; a format spec that does not suit the
    value (``{quote:d}`` on a text) falls back to the plain value."""
    try:
        return template.format_map(_Lenient(values))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        import string

        parts = []
        for literal, name, _, _ in string.Formatter().parse(template):
            parts.append(literal)
            if name is not None:
                parts.append(str(values[name]) if name in values else "{" + name + "}")
        return "".join(parts)


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Kind:
    """Base of rule kinds. ``params_schema`` is the JSON Schema of ``params``;
    ``messages`` lists the message ids a rule of this kind must define."""

    name: ClassVar[str]
    params_schema: ClassVar[dict[str, Any]] = {"type": "object", "additionalProperties": False}
    messages: ClassVar[tuple[str, ...]] = ("default",)

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        raise NotImplementedError

    def prepare(self, rule: Rule) -> None:
        """Load and check at pack load what the rule will need (its lexicon and the
        patterns in it), so that a bad one is a pack error, not a failure mid-check.
        Raises KnowledgeError."""


class SeriesKind(Kind):
    """Base of the kinds that compare the reports of one run (GI5xx): they read the
    reports' digests (``model.ReportDigest``), grouped by agency into series, after
    every report was checked on its own (gilint.checks.series.engine)."""

    def check(self, report: Report, rule: Rule, context: Any) -> Iterable[Finding]:
        return ()  # nothing to say about one report alone

    def check_series(
        self, series: list[Any], rule: Rule, context: Any, memo: dict[Any, Any]
    ) -> Iterable[tuple[Any, Finding]]:
        """(the digest a finding is about, the finding) for the run's series
        (``gilint.checks.series.group.Series``); ``memo``: what ``warm`` kept in this run."""
        raise NotImplementedError

    def warm(self, earlier: Any, later: Any, rule: Rule, context: Any, memo: dict[Any, Any]) -> None:
        """Work out, into ``memo`` (the rule's, for this run), what ``check_series`` will
        need of two digests of one agency, of consecutive years, as soon as both are
        known (``gilint.checks.series.engine.SeriesRun``): by default, their ``pair``.
        What it keeps must be what ``check_series`` would work out itself: only the time
        it is done changes."""
        self.pair(earlier, later, rule, context, memo)

    def pair(self, previous: Any, report: Any, rule: Rule, context: Any, memo: dict[Any, Any]) -> list[Any]:
        """``compare_pair`` of a report and one of an earlier year, worked out once a run
        (kept in ``memo``); nothing when the rule does not apply to both."""
        key = ("pair", id(previous), id(report))
        found = memo.get(key)
        if found is None:
            found = memo[key] = []
            if self.applies(rule, previous, report):
                found += self.compare_pair(previous, report, rule, context, memo)
        return found

    def compare_pair(
        self, previous: Any, report: Any, rule: Rule, context: Any, memo: dict[Any, Any]
    ) -> Iterable[Any]:
        """What a kind that compares reports two by two finds in one pair (``pair``)."""
        return ()

    def digest_rows(self, rule: Rule) -> dict[str, tuple[str, ...]] | None:
        """The table rows the rule reads from the digests, by table key (TABLE-KEYS.md):
        a digest carries only the rows some rule reads, since building and sending every
        cell of every report was a tenth of a report's time. None: every row of every
        table (what a kind that does not say gets)."""
        return None

    @staticmethod
    def applies(rule: Rule, *digests: Any) -> bool:
        """Whether every report of a comparison has a profile the rule applies to."""
        return all(digest.profile in rule.profiles for digest in digests)


def report_anchor(report: Report) -> Location | None:
    """Where to point when what is wrong is an absence: the title, else the first line."""
    if report.title is not None:
        return report.title.location
    first = next((line for line in report.lines if line.text.strip()), None)
    return first.location if first else None


def end_anchor(report: Report) -> Location | None:
    """The report's last non-blank line (where a missing last section would go)."""
    last = next((line for line in reversed(report.lines) if line.text.strip()), None)
    return last.location if last else None


KINDS: dict[str, type[Kind]] = {}


def register(cls: type[Kind]) -> type[Kind]:
    if cls.name in KINDS:
        raise ValueError(f"rule kind {cls.name!r} registered twice")
    KINDS[cls.name] = cls
    return cls
