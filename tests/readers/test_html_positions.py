"""Where an HTML page's lines, tables and cells start is worked out only when first asked
(``Positions``: the writer records what it would locate, the first position asked replays
the records through a SourceMap); a run that asks every position (it makes digests) finds
them as it reads (``locate_all``). Both give the same places, a page whose positions are
never asked is never matched against its source, and a block travels placed."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reader_helpers import EXAMPLES, FIXTURES, shared_dir

import gilint.read.html as html_reader
import gilint.read.html_positions as positions
from gilint.model import GridBlock, TextBlock
from gilint.pipeline import Linter, Options
from gilint.read.base import LoadError
from gilint.read.html import html_document


def _pages() -> list[Path]:
    found = [*EXAMPLES.glob("*.htm*"), *FIXTURES.rglob("*.htm*")]
    shared = shared_dir()
    if shared is not None:
        found += [*(shared / "corpus").glob("*.htm*"), *(shared / "seeds").glob("*.htm*")]
    return sorted(found)


def _placed(blocks: list) -> list:
    """Every block and cell with its place, read in document order."""
    out = []
    for block in blocks:
        if isinstance(block, GridBlock):
            out.append((block.location, [[(cell.text, cell.location) for cell in row] for row in block.rows]))
        else:
            out.append((block.text, block.line, block.column))
    return out


def _both(data: bytes) -> tuple[list, list] | None:
    try:
        later = html_document("page.html", data)
    except LoadError:
        return None
    return _placed(later.blocks), _placed(html_document("page.html", data, locate_all=True).blocks)


@pytest.mark.parametrize("path", _pages(), ids=lambda path: path.name)
def test_a_real_page_is_placed_alike_whether_its_positions_come_later_or_at_once(path):
    both = _both(path.read_bytes())
    if both is not None:
        later, at_once = both
        assert later == at_once


piece = st.sampled_from(
    [
        "<p>一、总体情况</p>\n",
        "<p>  <span>正文</span>&nbsp;续</p>",
        "<pre>甲\n  乙\n\n丙</pre>",
        "<br>",
        "<table><tr><td>名称</td><td></td></tr>\n<tr><td><p><span>1</span></p></td><td>x<br>y</td></tr></table>",
        "<table><tr><td> </td><td>&nbsp;</td></tr><tr><td colspan=2>合计</td></tr></table>",
        "<div><!-- 注释 -->文<b>字</b></div>",
        "<script>var a = '<p>不是正文</p>';</script>",
        "\n",
        "<table><tr><td>版式</td></tr></table>",
        "<p>前<!-- 注释 -->后</p>",  # (lxml joins the text around a removed comment: one node, two runs)
        "<p>\n\n  下一行</p>",
        "<p><b>字</b><b>字</b><b>字</b><b>字</b><b>字</b></p>",
        "<table><tr><td>甲</td><td>乙</td></tr></table><table><tr><td></td><td>乙</td></tr></table>",
        "<nav>甲</nav><nav>乙<b>丙</b></nav>\n<p>甲</p>",  # (runs of dropped furniture: passed over by line)
        '<div class="share">甲 乙</div>\n<footer>丙</footer>\n',
        '<p><span class="share">分享</span>正文<span hidden>藏</span>续</p>',  # (passed over on the line)
        # Cells of one text at the foot of a chain, or not quite (``_lone_text``)
        "<table><tr><td><p><span> 5 </span></p></td><td><b>前<!-- 注 -->后</b></td></tr>\n"
        "<tr><td><p>\n<span>6</span></p></td><td><i>甲</i>乙</td><td><p><b>&#55;</b> </p></td></tr></table>",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(piece, min_size=1, max_size=12).map("".join))
def test_any_page_is_placed_alike_whether_its_positions_come_later_or_at_once(body):
    both = _both(f"<html><body><p>首</p>{body}<p>完</p></body></html>".encode())
    if both is not None:
        later, at_once = both
        assert later == at_once


@settings(max_examples=200, deadline=None)
@given(st.lists(piece, min_size=1, max_size=12).map("".join))
def test_a_cell_of_one_text_is_read_as_any_other_cell_is(body):
    """The usual cell (one text at the foot of its chain, ``_lone_text``) is read by a
    shortcut: its text and place are those the general reading gives."""
    page = f"<html><body><p>首</p>{body}<p>完</p></body></html>".encode()
    for locate_all in (False, True):
        try:
            short = _placed(html_document("page.html", page, locate_all=locate_all).blocks)
        except LoadError:
            return
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(html_reader, "_lone_text", lambda cell, chain: None)
            general = _placed(html_document("page.html", page, locate_all=locate_all).blocks)
        assert short == general


@pytest.mark.parametrize("path", _pages(), ids=lambda path: path.name)
def test_the_cells_of_a_real_page_are_read_as_any_other_cell_is(path, monkeypatch):
    try:
        short = _placed(html_document("page.html", path.read_bytes()).blocks)
    except LoadError:
        return
    monkeypatch.setattr(html_reader, "_lone_text", lambda cell, chain: None)
    assert short == _placed(html_document("page.html", path.read_bytes()).blocks)


def _places(blocks: list) -> list:
    """A function giving each block's or cell's place, in document order."""
    out = []
    for block in blocks:
        if isinstance(block, GridBlock):
            out.append(lambda block=block: block.location)
            out += [lambda cell=cell: cell.location for row in block.rows for cell in row]
        else:
            out.append(lambda block=block: (block.line, block.column))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(piece, min_size=1, max_size=12).map("".join), st.sampled_from([1, 2, 3, 512]), st.data())
def test_positions_asked_in_any_order_are_those_found_at_once(body, window, data):
    """The page is matched, and tokenised, only as far as the positions asked so far need
    (``SourceMap(gradual=True)``); whatever is asked first, every place is the one found at
    once, also with a search window of a few runs or tags (``_SEARCH_WINDOW``)."""
    page = f"<html><body><p>首</p>{body}<p>完</p></body></html>".encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(positions, "_SEARCH_WINDOW", window)
        try:
            at_once = [place() for place in _places(html_document("page.html", page, locate_all=True).blocks)]
        except LoadError:
            return
        places = _places(html_document("page.html", page).blocks)
        order = data.draw(st.permutations(range(len(places))))
        asked = {index: places[index]() for index in order}
    assert [asked[index] for index in range(len(places))] == at_once


class _CountingSourceMap(positions.SourceMap):
    made = 0

    def __init__(self, *args, **kwargs):
        type(self).made += 1
        super().__init__(*args, **kwargs)


@pytest.fixture
def counted(monkeypatch):
    _CountingSourceMap.made = 0
    monkeypatch.setattr(html_reader, "SourceMap", _CountingSourceMap)  # (matched as read)
    monkeypatch.setattr(positions, "SourceMap", _CountingSourceMap)  # (matched when asked)
    return _CountingSourceMap


def test_a_page_is_matched_to_its_source_once_and_only_when_a_position_is_asked(counted):
    data = (EXAMPLES / "clean-2021.html").read_bytes()
    document = html_document("clean-2021.html", data)
    assert counted.made == 0
    text = next(block for block in document.blocks if isinstance(block, TextBlock))
    assert text.line >= 1
    assert counted.made == 1
    _placed(document.blocks)
    assert counted.made == 1
    html_document("clean-2021.html", data, locate_all=True)
    assert counted.made == 2  # (matched as it is read)


def test_a_run_without_digests_checks_a_clean_page_without_matching_it(counted):
    linter = Linter(Options(ignore=("GI5",)))
    (result,) = linter.check_path(str(EXAMPLES / "clean-2021.html"))
    assert result.diagnostics == []
    assert counted.made == 0
    # A run that makes digests asks where every section and cell is: it matches as it reads.
    Linter(Options()).check_path(str(EXAMPLES / "clean-2021.html"))
    assert counted.made == 1


def test_a_block_travels_placed_without_the_page_behind_it():
    filler = "x" * 20_000
    table = "<table><tr><td>甲</td><td>1</td></tr></table>"
    page = f"<html><body><p>{filler}</p>\n<p>第二行</p>{table}</body></html>"
    document = html_document("page.html", page.encode())
    line, grid = document.blocks[1], document.blocks[2]
    assert isinstance(line, TextBlock) and isinstance(grid, GridBlock)
    travelled_line = pickle.loads(pickle.dumps(line))
    travelled_grid = pickle.loads(pickle.dumps(grid))
    assert travelled_line == TextBlock("第二行", 2, 4)
    assert travelled_grid.location == grid.location
    assert len(pickle.dumps(line)) < 1000 and "_pending" not in travelled_line.__dict__  # (the page is 20 KB)
    assert len(pickle.dumps(grid)) < 1000 and "_pending" not in travelled_grid.__dict__


def test_a_page_past_the_limit_is_placed_as_it_is_read(counted, monkeypatch):
    """Recording every text node to place it later would keep a page of millions of them
    in memory twice: past _RECORDED_POSITIONS_LIMIT characters the page is matched as read."""
    data = (EXAMPLES / "clean-2021.html").read_bytes()
    monkeypatch.setattr(html_reader, "_RECORDED_POSITIONS_LIMIT", len(data) // 2)
    document = html_document("clean-2021.html", data)
    assert counted.made == 1
    assert _placed(document.blocks) == _placed(html_document("clean-2021.html", data, locate_all=True).blocks)


def test_a_block_whose_placing_failed_is_placed_when_asked_again(monkeypatch):
    page = "<html><body><p>甲</p><table><tr><td>1</td><td>2</td></tr></table>"
    line, grid = html_document("page.html", page.encode()).blocks
    real = positions.Positions.location
    fail = [False]

    def failing(self, *args):
        if fail[0]:
            fail[0] = False
            raise MemoryError
        return real(self, *args)

    monkeypatch.setattr(positions.Positions, "location", failing)
    for place in (lambda: (line.line, line.column), lambda: grid.location):
        fail[0] = True
        with pytest.raises(MemoryError):
            place()
        assert place() is not None  # (asked again: placed, not a KeyError for a locator let go)
    assert (line.line, line.column) == (1, 16)
    assert grid.location.line == 1


def test_a_replay_that_failed_part_way_starts_afresh_when_asked_again(monkeypatch):
    """A failure (out of memory) inside the matching may leave the source map's cursor and
    reading past what was found: the next position asked is found from the start again,
    and so is the one found at once, not one after the runs the failed attempt passed."""
    page = "<p>甲</p>\n<p>&nbsp;乙</p>\n<p>丙</p>\n<p>&nbsp;乙</p>\n<p>丁</p>".encode()
    at_once = _placed(html_document("page.html", page, locate_all=True).blocks)
    document = html_document("page.html", page)
    real = positions.SourceMap._first_visible
    fail = [True]

    def failing(self, offset):
        if fail[0] and self.text[offset] == "&":  # (the second line's run, found, cursor moved)
            fail[0] = False
            raise MemoryError
        return real(self, offset)

    monkeypatch.setattr(positions.SourceMap, "_first_visible", failing)
    with pytest.raises(MemoryError):
        _ = document.blocks[1].line
    assert _placed(document.blocks) == at_once
