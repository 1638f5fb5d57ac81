"""SourceMap keeps only the table tags' offsets; it locates them as the
search over every start tag did (the first of the name from the line's start
or after the last one located, on the line, within _SEARCH_WINDOW start tags),
and finds every start tag, when it needs them, as the tokeniser that had a
token for each did."""

from __future__ import annotations

import bisect
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.read.html import (
    _PASSED_MARKUP,
    _RUN,
    _SEARCH_WINDOW,
    _SPACE_BEFORE_MARKUP,
    _START_TAG,
    SourceMap,
)

NAMES = ("table", "tr", "td", "th")


# The tokeniser that had a token for every start tag.
EVERY_TOKEN = re.compile(
    rf"(?:<(?:{_PASSED_MARKUP})|{_SPACE_BEFORE_MARKUP})*+(?:{_START_TAG}|{_RUN}|\Z)", re.S
)


def every_tag_start(page: str) -> list[int]:
    tokens = EVERY_TOKEN.finditer(page)
    return [match.start(group) - 1 for match in tokens if (group := match.lastgroup) not in (None, "run")]


class EveryTagSearch:
    """The search over the indices of every start tag that SourceMap.locate_tag replaced."""

    def __init__(self, source: SourceMap):
        self.source = source
        self.starts = every_tag_start(source.text)
        self.cursor = 0

    def locate(self, name: str, line: int | None) -> int | None:
        if not line or line < 1:
            return None
        line_starts = self.source._line_starts
        line_start = line_starts[min(line, len(line_starts)) - 1]
        start = max(self.cursor, bisect.bisect_left(self.starts, line_start))
        named = re.compile(rf"<{name}(?=[\s/>]|\Z)", re.I)
        indices = [i for i, at in enumerate(self.starts) if named.match(self.source.text, at)]
        found = bisect.bisect_left(indices, start)
        if found == len(indices) or indices[found] >= start + _SEARCH_WINDOW:
            return None
        offset = self.starts[indices[found]]
        if line < len(line_starts) and offset >= line_starts[line]:
            return None
        self.cursor = indices[found] + 1
        return offset


pieces = st.sampled_from(
    ["<td>", "<TD class=x>", "<tr>", "<th>", "<table>", "<tdx>", "</td>", "<p>", "<span a='>'>",
     "<!-- <td> -->", "<script><td></script>", "<p>" * _SEARCH_WINDOW, "text", " ", "\n", "<", "&lt;td>"]
)  # fmt: skip
calls = st.lists(st.tuples(st.sampled_from(NAMES), st.integers(-1, 8)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=30).map("".join), calls)
def test_table_tags_located_as_by_the_search_over_every_tag(page, asked):
    source, reference = SourceMap(page), EveryTagSearch(SourceMap(page))
    assert SourceMap(page)._every_tag_start() == reference.starts
    for name, line in asked:
        assert source.locate_tag(name, line) == reference.locate(name, line)


@pytest.mark.parametrize("filler", ["<p>", "<p></p>", "<p><!---->"])
@pytest.mark.parametrize("between", [_SEARCH_WINDOW - 1, _SEARCH_WINDOW])
def test_a_table_tag_past_the_window_on_its_line_is_not_located(between, filler):
    source = SourceMap("<table>" + filler * between + "<td>x")
    assert source.locate_tag("table", 1) == 0
    assert source.locate_tag("td", 1) == (7 + len(filler) * between if between < _SEARCH_WINDOW else None)
