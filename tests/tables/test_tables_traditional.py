"""A web page in traditional characters: its grids are read like the simplified page's.

Grid cells keep the file's text (for quoting); whatever matches their words against the
models' and lexicons' simplified, half-width labels must read them normalised. Read raw,
a traditional page lost tables 二 and 四 (GI004: too few of their labels found in the grid),
and no page's fee-unit header (「单位：元」, full-width colon) was seen by GI304.
"""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from gilint.read.load import load_bytes

_S2T = opencc.OpenCC("s2t")


def _page(examples_dir: Path, traditional: bool, edit: tuple[str, str] | None = None) -> bytes:
    text = (examples_dir / "clean-2021.html").read_text(encoding="utf-8")
    if edit is not None:
        assert edit[0] in text
        text = text.replace(*edit)
    return (_S2T.convert(text) if traditional else text).encode("utf-8")


def _tables(linter, data: bytes) -> dict[str, tuple[str, dict]]:
    (report,) = linter.analyse(load_bytes("report.html", data))
    return {
        key: (table.status, {cell_key: cell.value for cell_key, cell in table.cells.items()})
        for key, table in report.tables.items()
    }


def test_traditional_page_reads_every_table(linter, examples_dir) -> None:
    simplified = _tables(linter, _page(examples_dir, traditional=False))
    traditional = _tables(linter, _page(examples_dir, traditional=True))
    assert {key: status for key, (status, _) in simplified.items()} == {
        "proactive": "ok",
        "application": "ok",
        "review_litigation": "ok",
    }
    assert traditional == simplified
    (result,) = linter.check_document(load_bytes("report.html", _page(examples_dir, traditional=True)))
    assert result.diagnostics == []


@pytest.mark.parametrize("traditional", [False, True])
def test_fee_unit_in_a_grid_header(linter, examples_dir, traditional: bool) -> None:
    data = _page(examples_dir, traditional, ("本年收费金额（单位：万元）", "本年收费金额（单位：元）"))
    (result,) = linter.check_document(load_bytes("report.html", data))
    assert [(d.code, d.data.get("unit")) for d in result.diagnostics] == [("GI304", "元")]
