"""gilint.text.prefilter never rules out a text a pattern matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.checks.kinds.prose import compile_breakdowns, compile_quantities
from gilint.checks.lexicon import load_lexicon
from gilint.data import rules_dir
from gilint.patterns import compiled
from gilint.structure.knowledge import read_yaml
from gilint.text import quantities
from gilint.text.normalize import heading_split_pattern
from gilint.text.prefilter import Guarded, GuardIndex, first_char_guard, required_chars

_QUANTITIES = compile_quantities(load_lexicon("quantities"))
_BREAKDOWNS = compile_breakdowns(load_lexicon("breakdowns"))
PATTERNS = [
    *(guarded.pattern for spec in _QUANTITIES.specs for guarded in (*spec.patterns, *spec.zero)),
    _BREAKDOWNS.openers,
    _BREAKDOWNS.share,
    _BREAKDOWNS.base,
    re.compile(r"(?:ab)+c|d[ef]{2,}|(?i:x)y|z?"),
    re.compile(r"(?=q)r[^s]t\d"),
]
# Text made of the characters the patterns use, the count marks and punctuation.
_ALPHABET = sorted(
    {ch for p in PATTERNS for ch in p.pattern if not ch.isascii()} | set("abcdefqrstxyz0129 ,;:")
)


def test_lexicon_patterns_are_filtered() -> None:
    assert all(required_chars(pattern) for pattern in PATTERNS[:-2])


@given(st.sampled_from(PATTERNS), st.text(alphabet=st.sampled_from(_ALPHABET), max_size=40))
@settings(max_examples=2000, deadline=None)
def test_sound(pattern: re.Pattern[str], text: str) -> None:
    if pattern.search(text):
        assert Guarded.of(pattern).may_match(frozenset(text))


_INDEX = GuardIndex(Guarded.of(pattern) for pattern in PATTERNS)


@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=40))
@settings(max_examples=1000, deadline=None)
def test_guard_index_agrees_with_may_match(text: str) -> None:
    chars = frozenset(text)
    expected = [index for index, guard in enumerate(_INDEX.guards) if guard.may_match(chars)]
    assert list(_INDEX.candidates(text)) == expected


@given(st.sampled_from(PATTERNS), st.data())
@settings(max_examples=300, deadline=None)
def test_sound_on_matching_text(pattern: re.Pattern[str], data: st.DataObject) -> None:
    text = data.draw(st.from_regex(compiled(pattern)))  # hypothesis wants the re.Pattern itself
    assert Guarded.of(pattern).may_match(frozenset(text))


# Patterns first_char_guard is used on, and odd ones: a look-ahead start, an empty match,
# a negated class, case-insensitive.
_GUARDED_SOURCES = [
    quantities._QUANTITY_BODY,
    heading_split_pattern(tuple(read_yaml(rules_dir() / "profiles.yaml")["run_in_heading_markers"])).pattern,
    *(pattern.pattern for pattern in PATTERNS),
    r"(?:(?<=[。;])[ ]*|(?<=[^\n ])[ ]+)(?=一、|\(二\))",
    r"a*",
    r"(?<!x)[^b]c",
    r"(?i:k)m|n",
]
_GUARD_ALPHABET = sorted(
    {ch for source in _GUARDED_SOURCES for ch in source if not ch.isascii()}
    | set("abcmnkx0129 ,;:.()\n\u3000")
)


def test_first_char_guard_where_it_helps() -> None:
    assert first_char_guard(quantities._QUANTITY_BODY).startswith("(?=[")
    assert first_char_guard(_GUARDED_SOURCES[1]).startswith("(?=[")
    assert first_char_guard("abc") == ""  # re jumps to the literal itself
    assert first_char_guard("a*") == first_char_guard("(?<!x)[^b]c") == first_char_guard("(?i:k)m|n") == ""


@given(st.sampled_from(_GUARDED_SOURCES), st.text(alphabet=st.sampled_from(_GUARD_ALPHABET), max_size=40))
@settings(max_examples=2000, deadline=None)
def test_first_char_guard_loses_no_match(source: str, text: str) -> None:
    guarded = re.compile(first_char_guard(source) + source)
    assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in re.finditer(source, text)]
