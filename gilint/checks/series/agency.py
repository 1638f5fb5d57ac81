"""Agency names as grouping keys (rules/agencies.yaml) and the user's ``--agency-map``.

A report's agency is whatever its title or signature says: 平潭县人民政府 one year,
平潭县 the next; 淮安市洪泽区人民政府 and 洪泽区人民政府; 環境保護局 in a traditional-script
copy. ``AgencyNames.key`` turns a name into the key its reports are grouped by; what it
cannot know (an organ renamed, 环境保护局 → 生态环境局) comes from an agency map.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gilint.data import is_shipped, rules_dir
from gilint.patterns import UnsafePattern, untrusted
from gilint.structure.knowledge import KnowledgeError, read_yaml, validate
from gilint.text.normalize import normalize_label

_STRINGS = {"type": "array", "items": {"type": "string"}}
AGENCIES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["remove", "prefixes", "synonyms", "government_words", "place_suffixes", "parent_place"],
    "additionalProperties": False,
    "properties": {
        "remove": _STRINGS,
        "prefixes": _STRINGS,
        "synonyms": {"type": "object", "additionalProperties": {"type": "string"}},
        "government_words": _STRINGS,
        "place_suffixes": _STRINGS,
        "parent_place": {"type": "string"},
    },
}
# An agency map: {variant: canonical}, or {canonical: [variant, ...]}.
MAP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "string", "minLength": 1}, {"type": "array", "items": {"type": "string"}}]
    },
}
_CSV_HEADERS = {("variant", "canonical"), ("name", "agency"), ("别名", "机关"), ("名称", "机关")}
_MAX_CHAIN = 16  # a → b → c … in an agency map; a cycle stops here


class AgencyMapError(KnowledgeError):
    """An agency map cannot be read (names the file and the place)."""


@dataclass(frozen=True)
class NameRules:
    """How agency names are reduced to one form, to group an agency's reports across years."""

    remove: tuple[re.Pattern[str], ...]
    prefixes: tuple[re.Pattern[str], ...]
    synonyms: tuple[tuple[str, str], ...]
    government_words: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    parent_place: re.Pattern[str]


@lru_cache(maxsize=4)
def load_name_rules(path: Path | None = None) -> NameRules:
    path = path or rules_dir() / "agencies.yaml"
    raw = read_yaml(path)
    validate(raw, AGENCIES_SCHEMA, str(path))
    shipped = is_shipped(str(path))

    def compiled(source: str, key: str) -> re.Pattern[str]:
        # (through gilint.patterns, as every pattern from data: checked linear, registered
        # for the adversarial tests, and kept compiled between runs)
        return untrusted(source, f"{path}: {key}", shipped=shipped)

    try:
        return NameRules(
            remove=tuple(compiled(normalize_label(p), "remove") for p in raw["remove"]),
            prefixes=tuple(compiled("^(?:" + normalize_label(p) + ")", "prefixes") for p in raw["prefixes"]),
            # longest first, so that 发改委 is not read as 发改 + 委
            synonyms=tuple(
                sorted(
                    ((normalize_label(k), normalize_label(v)) for k, v in raw["synonyms"].items()),
                    key=lambda pair: -len(pair[0]),
                )
            ),
            government_words=tuple(
                sorted((normalize_label(w) for w in raw["government_words"]), key=len, reverse=True)
            ),
            place_suffixes=tuple(normalize_label(s) for s in raw["place_suffixes"]),
            parent_place=compiled(normalize_label(raw["parent_place"]), "parent_place"),
        )
    except re.error as error:
        raise KnowledgeError(f"{path}: bad regular expression: {error}") from error
    except UnsafePattern as error:
        raise KnowledgeError(str(error)) from error


def normalise_name(name: str, rules: NameRules) -> str:
    """The name's key: normalised characters, title words and prefixes removed, short
    forms written out, a government named by its place."""
    text = "".join(normalize_label(name).split())
    for pattern in rules.remove:
        text = pattern.sub("", text)
    for pattern in rules.prefixes:
        text = pattern.sub("", text, count=1)
    for short, long in rules.synonyms:
        text = text.replace(short, long)
    for word in rules.government_words:
        place = text.removesuffix(word)
        if place != text and place.endswith(rules.place_suffixes):
            text = place
            break
    return text.strip(" :,.、-")


def parent_tails(key: str, rules: NameRules) -> list[str]:
    """The key with its leading higher-level places removed, one at a time
    (江苏省淮安市洪泽区 → 淮安市洪泽区 → 洪泽区)."""
    tails: list[str] = []
    while True:
        match = rules.parent_place.match(key)
        if match is None or match.end() >= len(key):
            return tails
        key = key[match.end() :]
        tails.append(key)


# ------------------------------------------------------------------ agency maps


def load_agency_map(path: Path) -> dict[str, str]:
    """variant → canonical name, from YAML ({variant: canonical} or {canonical: [variants]})
    or CSV (two columns, variant then canonical; an optional header row)."""
    if path.suffix.lower() == ".csv":
        return _csv_map(path)
    try:
        raw = read_yaml(path)
    except KnowledgeError as error:
        raise AgencyMapError(str(error)) from error
    try:
        validate(raw, MAP_SCHEMA, str(path))
    except KnowledgeError as error:
        raise AgencyMapError(str(error)) from error
    mapping: dict[str, str] = {}
    for name, target in (raw or {}).items():
        if isinstance(target, str):
            mapping[str(name)] = target
        else:
            mapping.update({variant: str(name) for variant in target})
    return mapping


def _csv_map(path: Path) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise AgencyMapError(f"{path}: {error}") from error
    mapping: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and tuple(cell.lower() for cell in cells[:2]) in _CSV_HEADERS:
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise AgencyMapError(f"{path}: line {number}: expected two columns, variant and canonical name")
        mapping[cells[0]] = cells[1]
    return mapping


@dataclass
class AgencyNames:
    """Keys for agency names: the rules of rules/agencies.yaml and a user's agency map."""

    rules: NameRules
    mapping: dict[str, str]  # key of a variant -> key of its canonical name

    @classmethod
    def build(cls, agency_map: dict[str, str] | None = None, rules: NameRules | None = None) -> AgencyNames:
        rules = rules or load_name_rules()
        mapping = {
            normalise_name(variant, rules): normalise_name(canonical, rules)
            for variant, canonical in (agency_map or {}).items()
        }
        return cls(rules, {variant: canonical for variant, canonical in mapping.items() if variant})

    def key(self, name: str | None) -> str | None:
        if not name:
            return None
        key = normalise_name(name, self.rules)
        for _ in range(_MAX_CHAIN):
            mapped = self.mapping.get(key)
            if mapped is None or mapped == key:
                break
            key = mapped
        return key or None

    def tails(self, key: str) -> list[str]:
        return parent_tails(key, self.rules)
