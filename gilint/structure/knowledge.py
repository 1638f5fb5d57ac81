"""The report structure as data: rules/profiles.yaml, loaded once and checked.

Section titles, aliases, legacy topics, heading look-alikes, report separators,
the title form and agency kinds are regulation knowledge: they live in YAML,
this module only types and validates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gilint.data import is_shipped, rules_dir
from gilint.patterns import UnsafePattern, linear, untrusted
from gilint.structure.cache import cached_parse
from gilint.text.normalize import heading_split_pattern, normalize_label

PROFILES = ("legacy", "2019", "2021")


class KnowledgeError(Exception):
    """A data file is malformed; the message names the file and the key."""


_STRING_LIST = {"type": "array", "items": {"type": "string"}}
# A text every user-facing message or summary gives in both languages.
BILINGUAL: dict[str, Any] = {
    "type": "object",
    "required": ["zh", "en"],
    "additionalProperties": False,
    "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
}
_KEYWORDS = {"type": "array", "items": _STRING_LIST}
_SECTION = {
    "type": "object",
    "required": ["number", "key", "title"],
    "additionalProperties": False,
    "properties": {
        "number": {"type": "integer", "minimum": 1, "maximum": 12},
        "key": {"type": "string"},
        "title": {"type": "string"},
        "aliases": _STRING_LIST,
        "keywords": _KEYWORDS,
    },
}
_TOPIC = {
    "type": "object",
    "required": ["key", "title", "keywords"],
    "additionalProperties": False,
    "properties": {
        "key": {"type": "string"},
        "title": {"type": "string"},
        "keywords": _KEYWORDS,
        "body": _STRING_LIST,
        # A topic whose absence a code of its own reports (收费及减免: GI303), so that
        # one defect is one finding: GI101 leaves it to that code.
        "reported_by": {"type": "string", "pattern": "^[A-Z]{2,3}[0-9]{3}$"},
    },
}
PROFILES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "years",
        "default_profile",
        "profiles",
        "not_headings",
        "report_separators",
        "run_in_heading_markers",
        "title_form",
        "agency",
    ],
    "properties": {
        "years": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["from"],
                "additionalProperties": False,
                "properties": {"from": {"type": "integer"}, "to": {"type": "integer"}},
            },
        },
        "default_profile": {"enum": list(PROFILES)},
        "standard_sections": {"type": "array", "items": _SECTION},
        "profiles": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["basis"],
                "properties": {
                    "basis": {"type": "string"},
                    "sections": {"type": "array", "items": _SECTION},
                    "topics": {"type": "array", "items": _TOPIC},
                },
            },
        },
        "not_headings": _STRING_LIST,
        "closing_section_starts": _STRING_LIST,
        "report_separators": _STRING_LIST,
        "run_in_heading_markers": _STRING_LIST,
        "title_markers": _STRING_LIST,
        "title_form": {"type": "string"},
        "agency": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "government_suffixes": _STRING_LIST,
                "title_prefixes": _STRING_LIST,
                "name_suffixes": _STRING_LIST,
                "opening_predicates": _STRING_LIST,
            },
        },
    },
}


@dataclass(frozen=True)
class SectionSpec:
    """A mandated section of a format (rules/profiles.yaml)."""

    number: int
    key: str
    title: str
    aliases: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


@dataclass(frozen=True)
class TopicSpec:
    """A topic a legacy (2008 regulation) report must cover, found by meaning in any heading."""

    key: str
    title: str
    keywords: tuple[tuple[str, ...], ...]
    body: tuple[str, ...]
    reported_by: str | None = None


@dataclass(frozen=True)
class Structure:
    """The report structure's data (rules/profiles.yaml and the lexicons it names)."""

    years: dict[str, tuple[int, int | None]]
    default_profile: str
    sections: dict[str, tuple[SectionSpec, ...]]
    topics: dict[str, tuple[TopicSpec, ...]]
    basis: dict[str, str]
    not_headings: tuple[str, ...]
    closing_section_starts: tuple[str, ...]
    separators: tuple[re.Pattern[str], ...]
    heading_split: re.Pattern[str]  # where a run-in numbered heading starts a new line
    title_markers: tuple[str, ...]
    title_form: re.Pattern[str]
    government_suffixes: tuple[str, ...]
    title_prefixes: tuple[str, ...]
    known_titles: tuple[str, ...]  # every title and alias of every profile, longest first
    # The agency as the subject of an opening sentence (名称 + 坚持/深入…); None: not looked for.
    opening_agency: re.Pattern[str] | None = None

    def profile_for_year(self, year: int) -> str | None:
        for profile, (first, last) in self.years.items():
            if year >= first and (last is None or year <= last):
                return profile
        return None


def validate(document: Any, schema: dict[str, Any], source: str) -> None:
    """Validate data against a JSON Schema; the error names the file and key path.
    Shipped data is skipped (``is_shipped``): tests validate it, and jsonschema's import and
    walk cost 0.2 s of every start."""
    if is_shipped(source):
        return
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise KnowledgeError(f"{source}: at {where}: {error.message}")


def read_yaml(path: Path) -> Any:
    """A YAML file's data (safe types only); parsed once per content (``structure.cache``)."""
    if not Path(path).is_file():  # a FIFO or device would block the read or never end
        raise KnowledgeError(f"{path}: not a regular file")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise KnowledgeError(f"{path}: {error}") from error
    return cached_parse(data, _yaml_parser(), lambda data: _parse_yaml(path, data))


@lru_cache(maxsize=1)
def _yaml_parser() -> str:
    """What identifies the YAML parser in a cache key: its package's __init__.py (which holds
    __version__), read without importing yaml, so that a start whose files are all cached
    saves the import's 20 ms (importlib.metadata would cost more than it saves)."""
    import hashlib
    from importlib.util import find_spec

    spec = find_spec("yaml")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return "pyyaml-unknown"
    return "pyyaml-" + hashlib.sha256(Path(origin).read_bytes()).hexdigest()[:16]


def _parse_yaml(path: Path, data: bytes) -> Any:
    import yaml

    # libyaml's parser with the safe constructor: the same data as yaml.safe_load, read
    # ten times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(data.decode("utf-8"), Loader=loader)
    except UnicodeDecodeError as error:
        raise KnowledgeError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except (yaml.YAMLError, RecursionError) as error:
        raise KnowledgeError(f"{path}: {error}") from error


def _keywords(groups: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalize_label(word) for word in group) for group in groups)


def _section(raw: dict[str, Any]) -> SectionSpec:
    return SectionSpec(
        number=raw["number"],
        key=raw["key"],
        title=normalize_label(raw["title"]),
        aliases=tuple(normalize_label(alias) for alias in raw.get("aliases", [])),
        keywords=_keywords(raw.get("keywords", [])),
    )


def _topic(raw: dict[str, Any]) -> TopicSpec:
    return TopicSpec(
        key=raw["key"],
        title=normalize_label(raw["title"]),
        keywords=_keywords(raw["keywords"]),
        body=tuple(normalize_label(word) for word in raw.get("body", [])),
        reported_by=raw.get("reported_by"),
    )


@lru_cache(maxsize=4)
def load_structure(path: Path | None = None) -> Structure:
    path = path or rules_dir() / "profiles.yaml"
    raw = read_yaml(path)
    validate(raw, PROFILES_SCHEMA, str(path))
    sections = {
        name: tuple(_section(s) for s in spec.get("sections", [])) for name, spec in raw["profiles"].items()
    }
    topics = {
        name: tuple(_topic(t) for t in spec.get("topics", [])) for name, spec in raw["profiles"].items()
    }
    titles = {title for specs in sections.values() for spec in specs for title in spec.accepted}
    titles |= {topic.title for specs in topics.values() for topic in specs}
    try:
        separators = tuple(
            untrusted(pattern, f"{path}: report_separators/{index}", shipped=is_shipped(path))
            for index, pattern in enumerate(raw["report_separators"])
        )
        title_form = untrusted(raw["title_form"], f"{path}: title_form", shipped=is_shipped(path))
        heading_split = heading_split_pattern(tuple(raw["run_in_heading_markers"]))
    except re.error as error:
        raise KnowledgeError(f"{path}: run_in_heading_markers: bad regular expression: {error}") from None
    except UnsafePattern as error:
        raise KnowledgeError(str(error)) from None
    return Structure(
        years={name: (span["from"], span.get("to")) for name, span in raw["years"].items()},
        default_profile=raw["default_profile"],
        sections=sections,
        topics=topics,
        basis={name: spec["basis"] for name, spec in raw["profiles"].items()},
        not_headings=tuple(normalize_label(label) for label in raw["not_headings"]),
        closing_section_starts=tuple(normalize_label(t) for t in raw.get("closing_section_starts", [])),
        separators=separators,
        heading_split=heading_split,
        title_markers=tuple(normalize_label(marker) for marker in raw.get("title_markers", [])),
        title_form=title_form,
        government_suffixes=tuple(raw["agency"].get("government_suffixes", [])),
        title_prefixes=tuple(normalize_label(p) for p in raw["agency"].get("title_prefixes", [])),
        known_titles=tuple(sorted(titles, key=_longest_first)),
        opening_agency=_opening_agency(raw["agency"]),
    )


_NOT_A_NAME = "我本该"  # 我局, 本机关, 该局: the report's own organ, unnamed


def _longest_first(text: str) -> tuple[int, str]:
    """Longest first (an alternation tries the longer of two overlapping words first); ties
    alphabetical, so that a pattern built from a set is the same text at every run."""
    return -len(text), text


def _opening_agency(raw: dict[str, Any]) -> re.Pattern[str] | None:
    """An agency named as the subject of a sentence: a run of CJK characters (not
    starting 我/本/该) ending in a name suffix, right before a predicate."""
    suffixes, predicates = raw.get("name_suffixes"), raw.get("opening_predicates")
    if not suffixes or not predicates:
        return None
    ends = "|".join(re.escape(normalize_label(s)) for s in sorted(suffixes, key=_longest_first))
    starts = "|".join(re.escape(normalize_label(p)) for p in sorted(set(predicates), key=_longest_first))
    name = rf"[^{_NOT_A_NAME}\W\d_][\u4e00-\u9fff()]{{1,29}}?(?:{ends})"
    return linear(rf"(?P<agency>{name})(?=(?:{starts}))", origin="rules/profiles.yaml opening agency")
