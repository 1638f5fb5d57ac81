"""A table that declares no span is laid out without a SpanGrid (its rows are
its cells as read, padded to the widest row), and one whose spans start
part-way goes into a SpanGrid from there: both give the grid that placing
every cell in a SpanGrid gives (texts, locations, and which positions hold
the same cell)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gilint.read.html as html_reader
from gilint.model import GridBlock
from gilint.read.html import _span, html_document

span = st.sampled_from(
    ["", ' rowspan="2"', ' colspan="2"', ' rowspan="0"', ' colspan="3" rowspan="2"', ' rowspan="1"']
)
plain_cell = st.sampled_from(
    ["<td>1</td>", "<td></td>", "<th>合计</th>", "<td><p><span>a</span></p></td>", "<td>x<br>y</td>"]
)
spanned_cell = st.builds(
    lambda attributes, text: f"<td{attributes}>{text}</td>", span, st.sampled_from(["", "2", "项目"])
)
cell = st.one_of(plain_cell, plain_cell, spanned_cell)
row = st.lists(cell, max_size=5).map(lambda cells: "<tr>" + "\n".join(cells) + "</tr>\n")
rows = st.lists(row, min_size=1, max_size=6).map("".join)
group = st.one_of(
    rows, rows.map(lambda rows: f"<tbody>{rows}</tbody>"), rows.map(lambda rows: f"<thead>{rows}</thead>")
)
table = st.lists(group, min_size=1, max_size=3).map(lambda groups: "<table>\n" + "".join(groups) + "</table>")


def grids(page: str) -> list:
    document = html_document(
        "page.html", f"<html><body><p>正文</p>\n{page}\n<p>完</p></body></html>".encode()
    )
    out = []
    for block in document.blocks:
        if isinstance(block, GridBlock):
            cells = [cell for row in block.rows for cell in row]
            shared = [next(i for i, other in enumerate(cells) if other is cell) for cell in cells]
            out.append(
                (block.location, [[(cell.text, cell.location) for cell in row] for row in block.rows], shared)
            )
    return out


def every_cell_in_a_span_grid(cells: list) -> list[tuple[int, int]]:
    """_declared_spans that never says "no span": every row goes through the SpanGrid."""
    return [(_span(cell.get("rowspan")), _span(cell.get("colspan"))) for cell in cells]


@settings(max_examples=300, deadline=None)
@given(st.lists(table, min_size=1, max_size=2).map("\n<p>间</p>\n".join))
def test_tables_laid_out_as_by_the_span_grid(page):
    laid_out = grids(page)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html_reader, "_declared_spans", every_cell_in_a_span_grid)
        assert grids(page) == laid_out


@settings(max_examples=200, deadline=None)
@given(
    rows=st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(st.booleans(), min_size=width, max_size=width), min_size=1, max_size=4
        )
    ),
    wrapped=st.booleans(),
    newlines=st.booleans(),
)
def test_each_cell_points_at_its_text_or_its_own_tag(rows, wrapped, newlines):
    """A cell with text points at its text, an empty one at its own start tag: also on a
    one-line page whose data table sits in a layout table's cell (the tags of that table
    come first on the line, and text before the data table), where an empty cell was once
    pointed at an earlier cell's tag or the layout table's."""
    assume(len(rows[0]) > 1)  # a one-column table is read as text (a layout table)
    ids = iter(range(100))
    source_rows = [
        "<tr>"
        + "".join(
            f'<td id="c{n}">' + (f"v{n}" if text else "") + "</td>" for text in row for n in [next(ids)]
        )
        + "</tr>"
        for row in rows
    ]
    table = "<table>" + ("\n" if newlines else "").join(source_rows) + "</table>"
    if wrapped:
        table = f"<table><tr><td><p>前文</p><p>说明</p>{table}</td></tr></table>"
    page = f"<html><body><p>正文</p>{table}<p>完</p></body></html>"
    document = html_document("page.html", page.encode())
    (grid,) = [block for block in document.blocks if isinstance(block, GridBlock)]
    lines = page.split("\n")
    width = len(rows[0])
    assert len(grid.rows) == len(rows)
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            n = r * width + c
            at = lines[cell.location.line - 1][cell.location.column - 1 :]
            assert at.startswith(f"v{n}" if rows[r][c] else f'<td id="c{n}">'), (r, c, at[:20])


def test_cells_are_located_when_asked_and_travel_located():
    """A page's cells hold no Location until one is asked for (most never are); then it is
    the same as the source map gives, and a pickled cell carries that Location, never the
    source map with the whole page behind it."""
    import pickle

    from gilint.model import GridCell, Location
    from gilint.tables.table import resolve

    filler = "x" * 20_000
    table = "<table><tr><td>名称</td><td>数</td></tr>\n<tr><td>甲</td><td><span>12</span></td></tr></table>"
    page = f"<html><body><p>{filler}</p>{table}</body></html>"
    document = html_document("page.html", page.encode())
    (grid,) = [block for block in document.blocks if isinstance(block, GridBlock)]
    cell = grid.rows[1][1]
    assert cell._location is None  # not located while read
    lines = page.split("\n")
    assert lines[cell.location.line - 1][cell.location.column - 1 :].startswith("12</span>")
    assert cell.location == Location(2, cell.location.column, 2, cell.location.column + 2)
    assert resolve(grid.rows[1][0]) == grid.rows[1][0].location  # a cell is a place as it is
    travelled = pickle.loads(pickle.dumps(grid.rows[1][0]))
    assert travelled == GridCell("甲", grid.rows[1][0].location)
    assert len(pickle.dumps(grid.rows[0][0])) < 1000  # (the page is 20 KB)
