"""Configuration: ``.gilint.yaml`` / ``gilint.yaml`` or ``[tool.gilint]`` in
``pyproject.toml``, found by walking up from the checked file; CLI flags win.

Keys (RULES.md): select, ignore, fail-on, profile, lang, rules (extra rule-pack
folders, relative to the config file), per-file-ignores (glob -> codes), timeout
(seconds per file), max-memory (MB per file), and a rule's parameter where one is meant
to be tuned (gi502-threshold: GI502's similarity).
Inline suppression: a line ``gilint: disable=GI207`` (in Markdown/HTML inside a
comment, ``<!-- gilint: disable=GI207 -->``) until ``gilint: enable=GI207``.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gilint.model import Diagnostic, Line, Location, Report
from gilint.patterns import linear
from gilint.structure.knowledge import KnowledgeError, read_yaml, validate

CONFIG_FILES = (".gilint.yaml", "gilint.yaml")
# Whether each code exists is checked against the loaded catalogue (naming the nearest).
_CODES = {"type": "array", "items": {"type": "string"}}
CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "select": _CODES,
        "ignore": _CODES,
        "fail-on": {"enum": ["error", "warning", "info"]},
        "profile": {"enum": ["legacy", "2019", "2021"]},
        "lang": {"enum": ["zh", "en"]},
        "rules": {"type": "array", "items": {"type": "string"}},
        "per-file-ignores": {"type": "object", "additionalProperties": _CODES},
        "timeout": {"type": "number", "exclusiveMinimum": 0},
        "max-memory": {"type": "integer", "minimum": 64},
        "gi502-threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
    },
}
# Configuration keys that set a rule's parameter: key -> (code, parameter).
RULE_SETTINGS: dict[str, tuple[str, str]] = {"gi502-threshold": ("GI502", "threshold")}


class ConfigError(KnowledgeError):
    """A configuration file is malformed (names the file and key)."""


@dataclass(frozen=True)
class Config:
    """A ``.gilint.yaml`` (or ``[tool.gilint]``) as read: what it sets, None where it is silent."""

    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    profile: str | None = None
    lang: str | None = None
    rules: tuple[Path, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    timeout: float | None = None  # seconds per file
    max_memory: int | None = None  # MB per file
    rule_params: tuple[tuple[str, str, Any], ...] = ()  # (code, parameter, value), RULE_SETTINGS

    def ignored_for(self, path: str) -> tuple[str, ...]:
        """Codes ignored for one file by per-file-ignores (globs relative to the config)."""
        if not self.per_file_ignores or self.path is None:
            return ()
        try:
            relative = Path(path).resolve().relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            relative = Path(path).as_posix()
        return tuple(
            code
            for pattern, codes in self.per_file_ignores
            if fnmatch.fnmatch(relative, pattern)
            for code in codes
        )


def _pyproject_section(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise ConfigError(f"{path}: {error}") from error
    return data.get("tool", {}).get("gilint")


def _yaml_config(path: Path) -> dict[str, Any]:
    try:
        return read_yaml(path) or {}
    except KnowledgeError as error:
        raise ConfigError(str(error)) from error


def _raw_config(directory: Path) -> tuple[Path, dict[str, Any]] | None:
    for name in CONFIG_FILES:
        candidate = directory / name
        if candidate.is_file():
            return candidate, _yaml_config(candidate)
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        section = _pyproject_section(pyproject)
        if section is not None:
            return pyproject, section
    return None


def load_config(path: Path) -> Config:
    """One named configuration file (``--config``): YAML, or a TOML file's ``[tool.gilint]``
    (or its top level, for a ``gilint.toml`` holding the keys alone)."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    if path.suffix == ".toml":
        section = _pyproject_section(path)
        if section is None:
            section = _toml_top_level(path)
        return _parse(path, section)
    return _parse(path, _yaml_config(path))


def _toml_top_level(path: Path) -> dict[str, Any]:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return {key: value for key, value in data.items() if key != "tool"}


@lru_cache(maxsize=256)
def find_config(directory: Path) -> Config:
    """The nearest configuration at or above ``directory`` (an empty one if none)."""
    for folder in (directory, *directory.parents):
        found = _raw_config(folder)
        if found is not None:
            return _parse(*found)
    return Config()


def config_for(path: str) -> Config:
    start = Path.cwd() if path == "-" else Path(path).resolve().parent
    return find_config(start)


def _parse(path: Path, raw: dict[str, Any]) -> Config:
    source = f"{path} [tool.gilint]" if path.name == "pyproject.toml" else str(path)
    try:
        validate(raw, CONFIG_SCHEMA, source)
    except KnowledgeError as error:
        raise ConfigError(str(error)) from error
    rules = tuple((path.parent / folder).resolve() for folder in raw.get("rules", ()))
    for index, folder in enumerate(rules):
        if not folder.is_dir():
            raise ConfigError(f"{source}: at rules/{index}: no such rule-pack folder {folder}")
    return Config(
        path=path,
        select=tuple(raw.get("select", ())),
        ignore=tuple(raw.get("ignore", ())),
        fail_on=raw.get("fail-on"),
        profile=raw.get("profile"),
        lang=raw.get("lang"),
        rules=rules,
        per_file_ignores=tuple(
            (pattern, tuple(codes)) for pattern, codes in raw.get("per-file-ignores", {}).items()
        ),
        timeout=raw.get("timeout"),
        max_memory=raw.get("max-memory"),
        rule_params=tuple((*RULE_SETTINGS[key], raw[key]) for key in RULE_SETTINGS if key in raw),
    )


# ---------------------------------------------------------------- inline

# Codes in any case (the command line upper-cases them too): a lower-case list must not
# fall back to the bare marker, which disables every code.
_CODE = linear(r"[^, ]+")
_MARKER = linear(r"gilint:[ ]*(?P<action>disable|enable)(?:[ ]*=[ ]*(?P<codes>[A-Za-z0-9, ]+))?")


Suppressions = tuple[tuple[str, int, int], ...]  # (code prefix, first line, last line)


def _markers(report: Report) -> Iterator[tuple[Line, re.Match[str]]]:
    """Every inline marker of the report, with its line."""
    for line in report.lines:
        # every marker holds "gilint:": a C substring test spares the regex on the other lines
        # (two scans of every line of every report: ~0.2 ms a report)
        if "gilint:" in line.text:
            for match in _MARKER.finditer(line.text):
                yield line, match


def suppression_ranges(report: Report) -> Suppressions:
    """The ``gilint: disable=…`` … ``gilint: enable=…`` ranges of a report."""
    ranges: list[tuple[str, int, int]] = []
    open_ranges: dict[str, int] = {}
    for line, match in _markers(report):
        codes = [c.strip().upper() for c in (match.group("codes") or "").split(",") if c.strip()] or [""]
        number = line.location.line
        for code in codes:
            if match.group("action") == "disable":
                open_ranges.setdefault(code, number)
            elif code in open_ranges:
                ranges.append((code, open_ranges.pop(code), number))
    ranges += [(code, start, 10**9) for code, start in open_ranges.items()]
    return tuple(ranges)


def suppressed(
    report: Report, diagnostics: list[Diagnostic], ranges: Suppressions | None = None
) -> list[Diagnostic]:
    """Drop diagnostics inside ``gilint: disable=…`` … ``gilint: enable=…`` ranges."""
    ranges = suppression_ranges(report) if ranges is None else ranges
    if not ranges:
        return diagnostics
    return [d for d in diagnostics if not is_suppressed(d, ranges)]


def is_suppressed(diagnostic: Diagnostic, ranges: Suppressions) -> bool:
    if diagnostic.location is None:
        return False
    line = diagnostic.location.line
    return any(diagnostic.code.startswith(code) and start <= line <= end for code, start, end in ranges)


def inline_codes(report: Report) -> list[tuple[str, Location]]:
    """Every code or prefix named by an inline marker, with where it is written."""
    found: list[tuple[str, Location]] = []
    for line, match in _markers(report):
        if match.group("codes") is None:
            continue
        start = match.start("codes")
        for part in _CODE.finditer(match.group("codes")):
            found.append((part.group().upper(), line.locate(start + part.start(), start + part.end())))
    return found
