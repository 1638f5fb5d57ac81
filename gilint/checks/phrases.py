"""Message fragments shared by rule kinds (rules/phrases.yaml), in both languages."""

from __future__ import annotations

from functools import cache
from typing import Any

from gilint.data import rules_dir
from gilint.structure.knowledge import BILINGUAL, read_yaml, validate

_SCHEMA: dict[str, Any] = {"type": "object", "additionalProperties": BILINGUAL}


@cache
def _phrases() -> dict[str, dict[str, str]]:
    path = rules_dir() / "phrases.yaml"
    raw = read_yaml(path)
    validate(raw, _SCHEMA, str(path))
    return raw


def phrase(key: str, lang: str, **values: Any) -> str:
    """The fragment ``key`` in ``lang`` (Chinese when the language is unknown), filled."""
    texts = _phrases()[key]
    text = texts.get(lang, texts["zh"])
    return text.format(**values) if values else text


def phrase_pair(key: str, **values: Any) -> dict[str, str]:
    """The fragment ``key`` filled in both languages: ``{"zh": …, "en": …}``."""
    return {lang: phrase(key, lang, **values) for lang in ("zh", "en")}


def joined(items: Any, lang: str, separator: str = "list_separator") -> str:
    """``items`` as a list in ``lang``: 甲、乙 / a, b."""
    return phrase(separator, lang).join(items)
