"""SourceMap keeps only the table tags' offsets; it locates them as the
search over every start tag did (the first of the name from the line's start
or after the last one located, on the line, within _SEARCH_WINDOW start tags),
and finds every start tag, when it needs them, as the tokeniser that had a
token for each did."""

from __future__ import annotations

import bisect
import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.patterns.store import compile_pattern
from gilint.read.html_positions import (
    _LOCATED_GROUP,
    _PASSED_MARKUP,
    _RUN,
    _RUN_GROUP,
    _SEARCH_WINDOW,
    _SPACE_BEFORE_MARKUP,
    _START_TAG,
    _TOKENS,
    SourceMap,
)

NAMES = ("table", "tr", "td", "th")


# The tokeniser that had a token for every start tag (compiled as gilint compiles: right on a
# Python whose possessive repeats are broken too).
EVERY_TOKEN = compile_pattern(
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


def tokenise_by_group_names(page: str) -> tuple[list[int], list[str], dict[str, list[int]]]:
    """The tokeniser loop SourceMap._tokenise replaced: groups asked by name."""
    run_starts: list[int] = []
    run_keys: list[str] = []
    table_tags: dict[str, list[int]] = {}
    for match in _TOKENS.finditer(page):
        group = match.lastgroup
        if group == "run":
            run = match[group]
            key = "".join((html.unescape(run) if "&" in run else run).split())
            if key:
                run_starts.append(match.start(group))
                run_keys.append(key)
        elif group == "located":
            table_tags.setdefault(match[group].lower(), []).append(match.start(group) - 1)
    return run_starts, run_keys, table_tags


def test_token_group_numbers():
    assert (_TOKENS.groupindex["located"], _TOKENS.groupindex["run"]) == (_LOCATED_GROUP, _RUN_GROUP)


token_pieces = st.sampled_from(
    ["<td>", "<TD class=x>", "<tR>", "<th>", "<Table>", "<tdx>", "</td>", "<p>", "<span a='>'>",
     "<!-- <td> -->", "<script><td></script>", "<Style>x</STYLE>", "text", "文字", " ", "\n", "\u3000",
     "<", "&lt;td>", "&nbsp;", "&amp", "&gt", "<?x>", "<!x>", "</ ", "<\u0130>"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(token_pieces, max_size=40).map("".join))
def test_tokens_read_as_by_their_group_names(page):
    source = SourceMap(page)
    run_starts, run_keys, table_tags = tokenise_by_group_names(page)
    assert (source._run_starts, source._run_keys) == (run_starts, run_keys)
    assert {name: offsets for name, offsets in source._table_tags.items() if offsets} == table_tags
