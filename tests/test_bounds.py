"""Bounds on what is produced, not only on what is read (issue 14), at the level of
the functions that produce it."""

from __future__ import annotations

import pytest

from gilint.checks.engine import template_problem
from gilint.checks.kinds.base import Rule
from gilint.model import GridCell, Location
from gilint.read.base import LoadError
from gilint.read.grid import SpanGrid
from gilint.read.html import _declared_charset, decode_html
from gilint.read.numbering import _letter, format_number
from gilint.read.safety import Limits
from gilint.tables.expression import ExpressionError, parse_expression
from gilint.text.prose import MAX_SENTENCES, Run, prose_truncated


def test_the_grid_rectangle_is_bounded_not_only_its_cells():
    grid = SpanGrid(Limits(max_grid_cells=1000))
    grid.put(0, 0, GridCell("x", Location(1, 1, 1, 1)), colspan=100)
    with pytest.raises(LoadError) as error:
        grid.cover_rows(11)  # 11 × 100 positions, though only 100 are placed
    assert error.value.code == "GI001" and "11 rows × 100 columns" in error.value.message["en"]


@pytest.mark.parametrize("fmt", ["upperLetter", "lowerLetter", "decimal", "chineseCounting", "upperRoman"])
def test_a_word_list_number_is_never_a_huge_label(fmt):
    assert len(format_number(32767, fmt)) <= 10
    assert _letter(27) == "AA" and _letter(10**20) == str(10**20)


@pytest.mark.parametrize("codec", ["base64", "hex", "rot13", "uu", "zlib", "bz2", "quopri", "undefined"])
def test_a_non_text_meta_charset_is_ignored(codec):
    page = f"<meta charset={codec}><p>一、总体情况</p>".encode("gb18030")
    assert _declared_charset(page) is None
    assert decode_html(page)[1] == "gb18030"


@pytest.mark.parametrize(
    ("template", "fine"),
    [
        ("「{quote}」为{prose:>8}", True),
        ("{value:.1f}%", True),
        ("{{literal}}", True),
        ("标题 {", False),
        ("{title:>1999999999}", False),
        ("{title.__class__}", False),
        ("{title[0]}", False),
        ("{0}", False),
        ("{a:{b}}", False),
    ],
)
def test_message_templates_are_checked(template, fine):
    assert (template_problem(template) is None) is fine


def test_a_format_spec_that_does_not_suit_the_value_falls_back_to_the_value():
    rule = Rule(
        "GI999", "x", {}, ("2021",), "pack.yaml", {"default": {"zh": "{count:d}件", "en": "{count:d}"}}
    )
    assert rule.message(count="七")["zh"] == "七件"


def test_an_expression_too_long_to_transform_is_an_error():
    with pytest.raises(ExpressionError, match="over the limit"):
        parse_expression(" + ".join(["new"] * 3000) + " == total")


def test_prose_stops_at_the_sentence_limit(linter):
    from gilint.read.load import load_bytes

    text = "一、总体情况\n" + "申请1件。" * (MAX_SENTENCES + 10)
    (report,) = linter.analyse(load_bytes("r.txt", text.encode()))
    truncated, last = prose_truncated(report)
    assert truncated and last is not None
    runs = report.derived["prose.runs"]
    assert sum(len(run.sentences) for run in runs) == MAX_SENTENCES
    assert isinstance(runs[-1], Run) and runs[-1].truncated
