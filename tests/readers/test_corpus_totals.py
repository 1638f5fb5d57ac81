"""Table 三's 总计 column read from real HTML/PDF/JS files matches the hand-
checked GROUND_TRUTH.tsv (found at grid level, by header and row labels)."""

from __future__ import annotations

import pytest
from reader_helpers import FIXTURES, corpus_file, ground_truth, table3

from gilint.read.load import load_path

CASES = {
    "001.pdf": "001.pdf",
    "002.pdf": "002.pdf",
    "003.pdf": "003.pdf",
    "005.html": "005.html",
    "027a.html": "027a.html",
    "004.js": FIXTURES / "004-shanghai-2019.html",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_total_column_matches_ground_truth(name):
    truth = ground_truth()[name]
    source = CASES[name]
    path = source if not isinstance(source, str) else corpus_file(source)
    found = table3(load_path(str(path)))
    assert found.new == truth.new
    assert found.carried_over == truth.carried_over
    assert found.total_processed == truth.total_processed
    if truth.carried_forward is not None:
        assert found.carried_forward == truth.carried_forward
    assert found.results == truth.results
