"""Compiled patterns kept between runs (``gilint.patterns.store``, issue 13): a pattern read
back from the cache is the very pattern ``re.compile`` gives, and a damaged or missing cache
changes nothing. On a CPython whose possessive repeats are broken (3.11.0 to 3.11.4), they
are compiled as atomic groups, and every pattern finds there what it finds on a fixed one."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gilint.patterns import registered
from gilint.patterns.store import (
    _parser,
    _program,
    _rebuilt,
    _subpatterns,
    atomic_possessives,
    compile_pattern,
    possessive_repeats_broken,
)
from tests.conftest import REPO, cache_entries
from tests.pattern_spans import pattern_spans, spans_of

SOURCES = [
    (r"(?P<year>\d{4})年(?:(?P<month>\d{1,2})月)?", 0),
    (r"^\s*[一二三四五六七八九十]+、", re.MULTILINE),
    (r"fee|费", re.IGNORECASE),
    (rb"\x00+", 0),
]


@pytest.mark.parametrize(("source", "flags"), SOURCES)
def test_a_pattern_from_the_cache_is_the_compiled_pattern(cache_folder, monkeypatch, source, flags) -> None:
    first = compile_pattern(source, flags)
    assert first == re.compile(source, flags)
    [entry] = cache_entries(cache_folder, "re")

    def refuse(*_args):
        raise AssertionError("compiled again instead of read from the cache")

    monkeypatch.setattr(re, "compile", refuse)
    again = compile_pattern(source, flags)
    monkeypatch.undo()
    # Pattern equality compares source, flags and the compiled program.
    assert again == re.compile(source, flags)
    assert (again.groups, dict(again.groupindex)) == (first.groups, dict(first.groupindex))
    assert cache_entries(cache_folder, "re") == [entry]


def test_every_registered_pattern_survives_the_cache(cache_folder) -> None:
    from gilint.pipeline import Linter

    Linter()  # loads the rule packs, registering their patterns beside gilint's own
    patterns = [entry.pattern for entry in registered()]
    assert len(patterns) > 100
    for pattern in patterns:
        source, flags = pattern.pattern, getattr(pattern, "source_flags", None)
        flags = pattern.flags if flags is None else flags
        compile_pattern(source, flags)
        assert compile_pattern(source, flags) == _compiled_afresh(source, flags), source


def _compiled_afresh(source: str | bytes, flags: int) -> re.Pattern | None:
    """The pattern as gilint compiles it without a cache: ``re.compile``'s, or where this
    Python's possessive repeats are broken, the one with them made atomic groups."""
    if possessive_repeats_broken():
        return _rebuilt(source, _program(source, flags, atomic=True))
    return re.compile(source, flags)


def test_a_damaged_entry_compiles_afresh(cache_folder) -> None:
    source = r"(\d+)件"
    compile_pattern(source, 0)
    [entry] = cache_entries(cache_folder, "re")
    entry.write_bytes(b"\x00not marshal")
    assert compile_pattern(source, 0) == re.compile(source)
    entry.write_bytes(__import__("marshal").dumps((0, [1, 2, 3], 0, {}, (None,))))  # a wrong program
    assert compile_pattern(source, 0) == re.compile(source)


def test_bad_patterns_raise_as_re_does(cache_folder) -> None:
    with pytest.raises(re.error):
        compile_pattern("(unclosed", 0)
    assert cache_entries(cache_folder, "re") == []


def test_no_cache_writes_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GILINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GILINT_NO_CACHE", "1")
    assert compile_pattern(r"\d+", 0) == re.compile(r"\d+")
    assert not (tmp_path / "cache").exists()


# ---------------------------------------------------------------- possessive repeats


def test_possessive_repeats_match_as_documented(cache_folder) -> None:
    # The examples of CPython gh-100061 and gh-106052: right on every Python gilint runs on.
    assert compile_pattern("(.(?!C))++", 0).match("ABCD").span() == (0, 1)
    assert compile_pattern("(?:ab?c)*+", 0).fullmatch("a") is None
    assert compile_pattern("(?:ab?c)*+", 0).fullmatch("abcac") is not None


def _ops(parsed) -> list[str]:
    """The names of the repeat and atomic-group items in a parsed pattern, depth first."""
    names = []
    for op, value in parsed.data:
        if op in (_parser.POSSESSIVE_REPEAT, _parser.MAX_REPEAT, _parser.ATOMIC_GROUP):
            names.append(str(op))
        for child in _subpatterns(op, value):
            names += _ops(child)
    return names


def test_only_repeats_that_can_backtrack_become_atomic_groups() -> None:
    parsed = atomic_possessives(_parser.parse(r"[^<]++(?:ab?c)*+(?:x|y(?:z?w)++)?"))
    # [^<]++ stays (one character: nothing to backtrack); the two others, the second
    # inside a branch inside a repeat, become a greedy repeat in an atomic group.
    assert _ops(parsed) == [
        "POSSESSIVE_REPEAT",
        "ATOMIC_GROUP",
        "MAX_REPEAT",
        "MAX_REPEAT",
        "MAX_REPEAT",
        "ATOMIC_GROUP",
        "MAX_REPEAT",
        "MAX_REPEAT",
    ]


@functools.cache
def _every_pattern() -> list[list]:
    """Every registered pattern as [source, is_bytes, flags, searched] (JSON-ready)."""
    from tests.pattern_probe import load_everything

    load_everything()
    patterns = []
    for entry in registered():
        source = entry.pattern.pattern
        flags = getattr(entry.pattern, "source_flags", None)
        flags = entry.pattern.flags if flags is None else flags
        is_bytes = isinstance(source, bytes)
        patterns.append(
            [source.decode("latin-1") if is_bytes else source, is_bytes, int(flags), entry.searched]
        )
    assert len(patterns) > 100
    return patterns


def _texts() -> list[str]:
    """The bundled examples, the web page included, and a table as CMS editors write one:
    a style on every cell (the page tokens' pattern is one the broken repeats broke)."""
    paths = [
        path for path in sorted((REPO / "examples").iterdir()) if path.suffix in (".md", ".txt", ".html")
    ]
    cell = '<td style="padding: 5px; border-top: none"><p align="center"><span>13</span></p></td>\n'
    return [
        *(path.read_text(encoding="utf-8") for path in paths),
        "<table>\n<tr>\n" + cell * 20 + "</tr>\n</table>\n",
    ]


@pytest.mark.skipif(
    possessive_repeats_broken(), reason="this Python's own re is what the rewrite is compared with"
)
def test_atomic_programs_find_what_re_finds() -> None:
    """The rewrite changes no pattern's meaning: where possessive repeats are right, every
    pattern compiled with them made atomic groups finds what ``re.compile``'s finds."""
    texts = _texts()
    for source, is_bytes, flags, searched in _every_pattern():
        source = source.encode("latin-1") if is_bytes else source
        atomic = _rebuilt(source, _program(source, flags, atomic=True))
        expected = re.compile(source, flags)
        for text in texts:
            subject = text.encode("utf-8") if is_bytes else text
            assert spans_of(atomic, subject, searched) == spans_of(expected, subject, searched), source


def _broken_python() -> str | None:
    """A CPython 3.11.0 to 3.11.4 on this machine (Debian 12's python3 is 3.11.2), if any."""
    probe = (
        "import sys; print(sys.implementation.name == 'cpython' and (3, 11) <= sys.version_info < (3, 11, 5))"
    )
    candidates = ["/usr/bin/python3", "/usr/bin/python3.11", shutil.which("python3.11")]
    for candidate in dict.fromkeys(filter(None, candidates)):
        if Path(candidate).resolve() == Path(sys.executable).resolve() or not os.access(candidate, os.X_OK):
            continue
        result = subprocess.run([candidate, "-I", "-c", probe], capture_output=True, text=True, check=False)
        if result.stdout.strip() == "True":
            return candidate
    return None


def test_a_python_with_broken_possessive_repeats_finds_what_this_one_finds(tmp_path) -> None:
    old = _broken_python()
    if old is None:
        pytest.skip("no CPython 3.11.0 to 3.11.4 on this machine")
    if possessive_repeats_broken():
        pytest.skip("this Python's own re is broken too: nothing right to compare with")
    patterns, texts = _every_pattern(), _texts()
    expected = pattern_spans(patterns, texts)
    request = json.dumps({"patterns": patterns, "texts": texts})
    env = {**os.environ, "PYTHONPATH": str(REPO), "GILINT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("GILINT_NO_CACHE", None)
    for _ in range(2):  # compiled there, then read back from its cache
        result = subprocess.run(
            [old, "-m", "tests.pattern_spans"],
            input=request,
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        answer = json.loads(result.stdout)
        assert answer["broken"] is True  # so the rewrite is what ran there
        assert answer["spans"] == expected
