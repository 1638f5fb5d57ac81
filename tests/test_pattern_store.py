"""Compiled patterns kept between runs (``gilint.patterns.store``, issue 13): a pattern read
back from the cache is the very pattern ``re.compile`` gives, and a damaged or missing cache
changes nothing."""

from __future__ import annotations

import re

import pytest

from gilint.patterns import registered
from gilint.patterns.store import compile_pattern
from tests.conftest import cache_entries

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
        assert compile_pattern(source, flags) == re.compile(source, flags), source


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
