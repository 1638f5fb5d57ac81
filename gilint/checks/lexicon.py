"""Phrase lexicons (rules/lexicon/*.yaml): the words and patterns by which the
prose kinds recognise what a sentence states. Data, validated at load time.

Patterns are regular expressions over normalised text. Three placeholders stand
for quantities, which ``gilint.text.quantities`` finds (a pattern never spells out a
number grammar): ``{N}`` one count (50件, 五十条), ``{M}`` one amount of money
(400元, 0.04万元), ``{P}`` one percentage (61.7%). They match a sentence's
*masked* text, where each quantity is replaced by private-use characters of the
same length (so offsets are kept and a pattern cannot match half a number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gilint.data import is_shipped, rules_dir
from gilint.patterns import UnsafePattern, linear, untrusted
from gilint.structure.knowledge import KnowledgeError, read_yaml, validate

_PLACEHOLDERS = {
    # Scraped text puts spaces around figures (「申请 749 件」).
    # Spaces only from the start of their run: a search would otherwise rescan a
    # long run of spaces from each of its positions.
    "{N}": "(?:(?<! )[ ]++)?(?P<n>\ue000\ue001*)",
    "{M}": "(?:(?<! )[ ]++)?(?P<m>\ue002\ue003*)",
    "{P}": "(?:(?<! )[ ]++)?(?P<p>\ue004\ue005*)",
}


def compile_pattern(
    pattern: str | list[str], source: str = "lexicon", searched: bool = True
) -> re.Pattern[str]:
    """A pattern (or a list of alternatives) with its placeholders expanded, refused
    (KnowledgeError) unless linear. ``searched=False``: the code only ever matches it
    at one position (``match``), never searches with it."""
    text = "|".join(f"(?:{part})" for part in pattern) if isinstance(pattern, list) else pattern
    for placeholder, regex in _PLACEHOLDERS.items():
        text = text.replace(placeholder, regex)
    try:
        return untrusted(text, f"{source}: {pattern!r}", searched=searched, shipped=is_shipped(source))
    except UnsafePattern as error:
        raise KnowledgeError(str(error)) from None


def compile_all(patterns: list[str], source: str) -> tuple[re.Pattern[str], ...]:
    return tuple(compile_pattern(pattern, source) for pattern in patterns)


_PATTERN = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_LABEL = {
    "type": "object",
    "required": ["zh", "en"],
    "additionalProperties": False,
    "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
}
_CELL = {"type": "string", "pattern": "^[a-z_]+/[a-z_.]+/[a-z_0-9]+$"}
_SUMS = {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": _CELL}}
_STRINGS = {"type": "array", "items": {"type": "string"}}

SCHEMAS: dict[str, dict[str, Any]] = {
    "quantities": {
        "type": "object",
        "required": ["part_opener", "quantities"],
        "additionalProperties": False,
        "properties": {
            "part_opener": {"type": "string"},
            "topic": _PATTERN,
            "identities": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "label", "expression"],
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string"},
                        "label": _LABEL,
                        "expression": {"type": "string"},
                    },
                },
            },
            "shared": {"type": "object"},
            "quantities": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "label", "sums", "patterns"],
                    "additionalProperties": False,
                    "properties": {
                        "key": {"type": "string"},
                        "label": _LABEL,
                        "sums": _SUMS,
                        "including": {"type": "string"},
                        "including_sums": _SUMS,
                        "whole": {"type": "boolean"},
                        "requires": _PATTERN,
                        "exclude": _PATTERN,
                        "exclude_topic": _PATTERN,
                        "exclude_period": _PATTERN,
                        "patterns": _STRINGS,
                        "zero": _STRINGS,
                        "zero_exclude": _PATTERN,
                    },
                },
            },
        },
    },
    "breakdowns": {
        "type": "object",
        "required": [
            "openers",
            "exhaustive_openers",
            "residual",
            "new_total",
            "incomplete",
            "groups",
            "share",
            "base",
            "total_marker",
        ],
        "additionalProperties": False,
        "properties": {
            "openers": {"type": "string"},
            "exhaustive_openers": {"type": "string"},
            "residual": {"type": "string"},
            "new_total": {"type": "string"},
            "incomplete": {"type": "string"},
            "groups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "words"],
                    "additionalProperties": False,
                    "properties": {
                        "key": {"type": "string"},
                        "complete": {"type": "boolean"},
                        "words": _STRINGS,
                    },
                },
            },
            "share": {"type": "string"},
            "base": {"type": "string"},
            "total_marker": {"type": "string"},
        },
    },
    "fees": {
        "type": "object",
        "required": [
            "topic",
            "other_charges",
            "fee_name",
            "table_labels",
            "none",
            "notices",
            "notified",
            "collected",
            "legacy_statement",
            "amount_label",
            "unit",
            "expected_unit",
            "fee_row",
        ],
        "additionalProperties": False,
        "properties": {
            "topic": {"type": "string"},
            "other_charges": {"type": "string"},
            "fee_name": {"type": "string"},
            "table_labels": {"type": "string"},
            "none": _STRINGS,
            "none_collected": _STRINGS,
            "notices": _STRINGS,
            "notified": _STRINGS,
            "collected": _STRINGS,
            "legacy_statement": {"type": "string"},
            "amount_label": {"type": "string"},
            "unit": {"type": "string"},
            "expected_unit": {"type": "string"},
            "fee_row": {"type": "string"},
        },
    },
    "boilerplate": {
        "type": "object",
        "required": ["sentences", "labels"],
        "additionalProperties": False,
        "properties": {"sentences": _STRINGS, "labels": _STRINGS},
    },
    "government": {
        "type": "object",
        "required": ["topics"],
        "additionalProperties": False,
        "properties": {
            "topics": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "label", "patterns"],
                    "additionalProperties": False,
                    "properties": {"key": {"type": "string"}, "label": _LABEL, "patterns": _STRINGS},
                },
            }
        },
    },
}


@dataclass(frozen=True, eq=False)  # one object per file (cached): hashed by identity
class Lexicon:
    """A lexicon file (rules/lexicon/*.yaml): its data, and its patterns compiled on demand."""

    name: str
    path: Path
    data: dict[str, Any]

    def pattern(self, key: str) -> re.Pattern[str]:
        return _compiled(self.path, key, _freeze(self.data[key]))


@lru_cache(maxsize=256)
def _compiled(path: Path, key: str, pattern: str | tuple[str, ...]) -> re.Pattern[str]:
    return compile_pattern(list(pattern) if isinstance(pattern, tuple) else pattern, f"{path}: {key}")


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


_LEXICON_NAME = linear(r"[A-Za-z0-9_-]{1,64}", searched=False)


@lru_cache(maxsize=256)  # asked for by every rule on every report: look at the disk once
def lexicon_path(name: str, pack: str | None = None) -> Path:
    """``name``.yaml in the ``lexicon/`` folder of the pack's rules folder (a custom
    rules folder may bring its own), else the built-in one."""
    candidates: list[Path] = []
    if pack:
        folder = Path(pack).resolve().parent
        candidates += [folder / "lexicon", folder.parent / "lexicon"]
    candidates.append(rules_dir() / "lexicon")
    if not _LEXICON_NAME.fullmatch(name):
        raise KnowledgeError(f"lexicon {name!r}: a lexicon is named by letters, digits, - and _, not a path")
    for candidate in candidates:
        path = candidate / f"{name}.yaml"
        # a symbolic link may not lead out of the lexicon folder either
        if path.is_file() and path.resolve().is_relative_to(candidate.resolve()):
            return path
    raise KnowledgeError(f"lexicon {name!r} not found (looked in {', '.join(str(c) for c in candidates)})")


@lru_cache(maxsize=32)
def _load(path: Path, schema_name: str) -> Lexicon:
    raw = read_yaml(path)
    schema = SCHEMAS.get(schema_name)
    if schema is not None:
        validate(raw, schema, str(path))
    return Lexicon(schema_name, path, raw)


def load_lexicon(name: str, pack: str | None = None, schema: str | None = None) -> Lexicon:
    """A lexicon by name, validated against the schema of its kind (``schema``,
    by default the name: quantities, breakdowns, fees, government, boilerplate)."""
    return _load(lexicon_path(name, pack), schema or name)


def alternation(value: str | list[str] | None) -> str | None:
    """A pattern or a list of patterns as one regex source (None stays None)."""
    if value is None:
        return None
    return "|".join(f"(?:{part})" for part in value) if isinstance(value, list) else value
