"""Step 5, rules: YAML rule packs -> diagnostics.

A pack (rules/packs/*.yaml, or any folder given with --rules) lists rules; each
names a kind (gilint/checks/kinds/), its parameters and its messages. Packs are data:
they are validated with JSON Schema at load time (the error names file, rule and
key) and never run code. The engine knows no kind: kinds register themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gilint.checks.catalog import RECORD_SCHEMA, RuleInfo, load_catalog, record
from gilint.checks.kinds import Finding, Kind, Rule, load_kinds
from gilint.model import Diagnostic, Report, Severity
from gilint.patterns import linear
from gilint.structure.knowledge import BILINGUAL, PROFILES, KnowledgeError, read_yaml, validate

PACK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["pack", "rules"],
    "additionalProperties": False,
    "properties": {
        "pack": {"type": "string"},
        "description": {"type": "string"},
        # A custom pack may define its own codes (a province's requirements).
        "catalog": {
            "type": "object",
            "propertyNames": {"pattern": "^[A-Z]{2,3}[0-9]{3}$"},
            "additionalProperties": RECORD_SCHEMA,
        },
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "kind"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^[A-Z]{2,3}[0-9]{3}$"},
                    "kind": {"type": "string"},
                    "profiles": {"type": "array", "items": {"enum": list(PROFILES)}},
                    "params": {"type": "object"},
                    "messages": {"type": "object", "additionalProperties": BILINGUAL},
                },
            },
        },
    },
}


class RulePackError(KnowledgeError):
    """A rule pack is malformed (names file, rule and key)."""


@dataclass
class RuleSet:
    """The loaded rule packs: their rules, the kinds that run them, and the catalogue."""

    rules: list[Rule]
    kinds: dict[str, Kind]
    catalog: dict[str, RuleInfo]


def pack_files(folder: Path) -> list[Path]:
    """A rules folder holds packs in ``packs/`` (the built-in layout) or directly."""
    packs = folder / "packs"
    base = packs if packs.is_dir() else folder
    return sorted(list(base.glob("*.yaml")) + list(base.glob("*.yml")))


def load_rules(folders: Iterable[Path]) -> RuleSet:
    kinds = {name: cls() for name, cls in load_kinds().items()}
    catalog = dict(load_catalog())
    rules: list[Rule] = []
    for folder in folders:
        for path in pack_files(folder):
            rules.extend(_load_pack(path, kinds, catalog))
    return RuleSet(rules, kinds, catalog)


def _load_pack(path: Path, kinds: dict[str, Kind], catalog: dict[str, RuleInfo]) -> list[Rule]:
    raw = read_yaml(path)
    try:
        validate(raw, PACK_SCHEMA, str(path))
    except KnowledgeError as error:
        raise RulePackError(str(error)) from error
    for code, entry in (raw.get("catalog") or {}).items():
        catalog[code] = record(code, entry)
    return [_rule(path, index, entry, kinds, catalog) for index, entry in enumerate(raw["rules"])]


def _rule(
    path: Path, index: int, entry: dict[str, Any], kinds: dict[str, Kind], catalog: dict[str, RuleInfo]
) -> Rule:
    where = f"{path}: rule {index + 1} ({entry['code']})"
    if entry["code"] not in catalog:
        raise RulePackError(f"{where}: code {entry['code']} is not in the catalogue")
    kind = kinds.get(entry["kind"])
    if kind is None:
        raise RulePackError(f"{where}: unknown kind {entry['kind']!r}; known: {', '.join(sorted(kinds))}")
    params = entry.get("params") or {}
    try:
        validate(params, kind.params_schema, f"{where}: params")
    except KnowledgeError as error:
        raise RulePackError(str(error)) from error
    messages = entry.get("messages") or {}
    missing = [message for message in kind.messages if message not in messages]
    if missing:
        raise RulePackError(f"{where}: messages missing for kind {kind.name}: {', '.join(missing)}")
    for message_id, templates in messages.items():
        for lang, template in templates.items():
            problem = template_problem(template)
            if problem:
                raise RulePackError(f"{where}: at messages/{message_id}/{lang}: {problem}")
    profiles = tuple(entry.get("profiles") or catalog[entry["code"]].profiles)
    rule = Rule(entry["code"], entry["kind"], params, profiles, str(path), messages)
    try:
        kind.prepare(rule)
    except KnowledgeError as error:
        raise RulePackError(f"{where}: {error}") from None
    return rule


# A replacement field's format spec: [[fill]align][sign][z][#][0][width][grouping]
# [.precision][type], with width and precision of at most three digits (a width of
# 1999999999 would build a 2 GB message).
_FORMAT_SPEC = linear(r"(?:.?[<>=^])?[-+ ]?z?#?0?[0-9]{0,3}[,_]?(?:\.[0-9]{1,3})?[a-zA-Z%]?", searched=False)
_FIELD_NAME = linear(r"[A-Za-z_][A-Za-z0-9_]*", searched=False)


def template_problem(template: str) -> str | None:
    """Why a message template from a pack is unsafe or malformed (None if it is fine):
    only ``{name}``, ``{name!s}``/``{name!r}`` and small format specs; no attribute or
    index access (``{x.__class__}``, ``{x[0]}``), no nested fields, balanced braces."""
    import string

    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as error:
        return f"malformed template ({error}); write a literal brace as {{{{ or }}}}"
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not _FIELD_NAME.fullmatch(name):
            return f"field {{{name}}}: only plain names are allowed (no attributes, indexes or positions)"
        if conversion not in (None, "s", "r"):
            return f"field {{{name}}}: unknown conversion !{conversion}"
        if spec and not _FORMAT_SPEC.fullmatch(spec):
            return f"field {{{name}}}: format spec {spec!r} not allowed (widths and precisions up to 999)"
    return None


# ------------------------------------------------------------------ running


@dataclass
class CodeFilter:
    """--select / --ignore by code or prefix; the longest matching prefix wins
    (flake8's rule), and select wins a tie."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # Each code's answer, worked out once: every rule is asked about for every report
    # (70 times a report, 1% of a bench report's time worked out afresh). Not an init
    # field: a filter made by dataclasses.replace() starts with none.
    _answers: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    def allows(self, code: str) -> bool:
        answer = self._answers.get(code)
        if answer is None:
            answer = self._answers[code] = self._allows(code)
        return answer

    def _allows(self, code: str) -> bool:
        selected = max((len(p) for p in self.select if code.startswith(p)), default=-1 if self.select else 0)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected >= 0 and selected >= ignored


@dataclass
class Context:
    """What kinds may read besides the report: the loaded data."""

    structure: Any
    table_models: Any
    catalog: dict[str, RuleInfo]
    extra: dict[str, Any] = field(default_factory=dict)


def run_rules(report: Report, ruleset: RuleSet, context: Context, codes: CodeFilter) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for rule in ruleset.rules:
        if report.profile not in rule.profiles or not codes.allows(rule.code):
            continue
        for finding in ruleset.kinds[rule.kind].check(report, rule, context):
            code = finding.code or rule.code
            if code != rule.code and not codes.allows(code):
                continue
            diagnostics.append(
                make_diagnostic(report.document.path, report.index, code, finding, ruleset.catalog)
            )
    return diagnostics


def make_diagnostic(
    path: str,
    report_index: int,
    code: str,
    finding: Finding,
    catalog: dict[str, RuleInfo],
    fingerprint: str | None = None,
) -> Diagnostic:
    """A kind's finding as a diagnostic of the report at ``path``/``report_index``."""
    info = catalog[code]
    return Diagnostic(
        code=code,
        name=info.name,
        severity=finding.severity or info.severity,
        message=finding.message,
        location=finding.location,
        path=path,
        report_index=report_index,
        cell=finding.cell,
        table=finding.table,
        data=finding.data,
        fingerprint=fingerprint,
    )


def input_diagnostic(
    path: str, code: str, message: dict[str, str], severity: Severity | None = None
) -> Diagnostic:
    """A diagnostic about the file itself (GI001/GI002), with no location."""
    info = load_catalog()[code]
    return Diagnostic(code, info.name, severity or info.severity, message, None, path)
