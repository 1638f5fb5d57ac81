"""gilint.text.prefilter never rules out a text a pattern matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.checks.kinds.prose import compile_breakdowns, compile_quantities
from gilint.checks.lexicon import load_lexicon
from gilint.patterns import compiled
from gilint.text.prefilter import Guarded, required_chars

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


@given(st.sampled_from(PATTERNS), st.data())
@settings(max_examples=300, deadline=None)
def test_sound_on_matching_text(pattern: re.Pattern[str], data: st.DataObject) -> None:
    text = data.draw(st.from_regex(compiled(pattern)))  # hypothesis wants the re.Pattern itself
    assert Guarded.of(pattern).may_match(frozenset(text))
