"""What gilint's compiled patterns find in some texts, as plain data that two Pythons can
compare (tests/test_pattern_store.py runs this module under another CPython).

    python -m tests.pattern_spans < request.json > spans.json

The request: ``{"patterns": [[source, is_bytes, flags, searched], ...], "texts": [...]}``;
the answer: ``{"broken": possessive_repeats_broken(), "spans": ...}``, the spans being, for each
pattern, for each text, what it finds — every match of
``finditer`` for a searched pattern, its ``match`` at each line's start for the others
(patterns only ever matched at one position are not written to be searched). Each
pattern is compiled by ``gilint.patterns.store.compile_pattern``, as gilint compiles it.
Imports nothing but the standard library and ``gilint.patterns``.
"""

from __future__ import annotations

import json
import sys

from gilint.patterns.store import compile_pattern, possessive_repeats_broken

Spans = list[list[list[int]]]  # pattern -> text -> flattened (start, end) pairs


def pattern_spans(patterns: list[list], texts: list[str]) -> Spans:
    found: Spans = []
    for source, is_bytes, flags, searched in patterns:
        source = source.encode("latin-1") if is_bytes else source
        compiled = compile_pattern(source, flags)
        per_text = []
        for text in texts:
            subject = text.encode("utf-8") if is_bytes else text
            per_text.append(spans_of(compiled, subject, searched))
        found.append(per_text)
    return found


def spans_of(compiled, subject, searched: bool) -> list[int]:
    """What ``compiled`` finds in ``subject``: (start, end) pairs, flattened."""
    spans: list[int] = []
    if searched:
        for match in compiled.finditer(subject):
            spans += match.span()
        return spans
    newline = b"\n" if isinstance(subject, bytes) else "\n"
    start = 0
    while start <= len(subject):
        match = compiled.match(subject, start)
        if match is not None:
            spans += match.span()
        end = subject.find(newline, start)
        if end < 0:
            break
        start = end + 1
    return spans


def main() -> int:
    request = json.load(sys.stdin)
    spans = pattern_spans(request["patterns"], request["texts"])
    json.dump({"broken": possessive_repeats_broken(), "spans": spans}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
