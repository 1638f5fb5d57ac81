"""The rule catalogue (rules/catalog.yaml): one record per code.

`gilint rules`, `gilint explain`, the renderers and the engine read it; a custom
pack may add records for its own codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gilint.data import rules_dir
from gilint.model import Severity
from gilint.structure.knowledge import BILINGUAL, PROFILES, read_yaml, validate

RECORD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "severity", "profiles", "summary"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        "severity": {"enum": ["error", "warning", "info"]},
        "profiles": {
            "oneOf": [{"const": "all"}, {"type": "array", "items": {"enum": list(PROFILES)}, "minItems": 1}]
        },
        "summary": BILINGUAL,
        "why": BILINGUAL,
        "basis": {"type": "string"},
        "example": BILINGUAL,
    },
}
CATALOG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "propertyNames": {"pattern": "^[A-Z]{2,3}[0-9]{3}$"},
    "additionalProperties": RECORD_SCHEMA,
}


@dataclass(frozen=True)
class RuleInfo:
    """A rule's entry in the catalogue (rules/catalog.yaml): what ``rules`` and ``explain`` print."""

    code: str
    name: str
    severity: Severity
    profiles: tuple[str, ...]
    summary: dict[str, str]
    why: dict[str, str] | None
    basis: str | None
    example: dict[str, str] | None

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "profiles": list(self.profiles),
            "summary": self.summary[lang],
        }


def record(code: str, raw: dict[str, Any]) -> RuleInfo:
    profiles = PROFILES if raw["profiles"] == "all" else tuple(raw["profiles"])
    return RuleInfo(
        code=code,
        name=raw["name"],
        severity=Severity(raw["severity"]),
        profiles=profiles,
        summary=raw["summary"],
        why=raw.get("why"),
        basis=raw.get("basis"),
        example=raw.get("example"),
    )


@lru_cache(maxsize=4)
def load_catalog(path: Path | None = None) -> dict[str, RuleInfo]:
    path = path or rules_dir() / "catalog.yaml"
    raw = read_yaml(path)
    validate(raw, CATALOG_SCHEMA, str(path))
    return {code: record(code, entry) for code, entry in raw.items()}


# ------------------------------------------------------------- code names


def is_known_code(code: str, known: Iterable[str]) -> bool:
    """Whether ``code`` is a catalogued code or a prefix of one (``GI2``, ``GI``)."""
    return any(candidate.startswith(code) for candidate in known) if code else False


def nearest_code(code: str, known: Iterable[str]) -> str:
    """The catalogued code or prefix closest to a mistyped one (``GI2O7`` -> ``GI207``,
    ``GI9`` -> a three-character prefix such as ``GI1``): fewest edits, then closest length."""
    from rapidfuzz.distance import Levenshtein

    candidates = {code[:size] for code in known for size in range(2, len(code) + 1)}
    return min(
        sorted(candidates),
        key=lambda candidate: (Levenshtein.distance(code, candidate), abs(len(candidate) - len(code))),
    )
