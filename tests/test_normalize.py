"""Normalisation: what changes, what must not, and the map back to the user's text."""

from __future__ import annotations

import bisect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gilint.model import Location, OffsetMap, TextBlock
from gilint.structure.knowledge import load_structure
from gilint.text import normalize
from gilint.text.normalize import (
    _WIDTH,
    has_traditional,
    narrow,
    normalize_block,
    normalize_label,
    split_lines,
)
from gilint.text.t2s import t2s

HEADING_SPLIT = load_structure().heading_split


def lines_of(text: str) -> list[str]:
    return [line.text for line in split_lines(normalize_block(TextBlock(text), HEADING_SPLIT))]


def test_pinyin_glued_after_characters_is_removed():
    assert lines_of("常州市生態(tài)環(huán)境局") == ["常州市生态环境局"]


@pytest.mark.parametrize(
    "text",
    [
        "《中华人民共和国政府信息公开条例》(以下简称《条例》)",
        "条例(2019)理解与适用",
        "系统(OA)上线",
        "(以下简称“市局”)",
    ],
)
def test_real_parentheses_are_kept(text):
    assert lines_of(text) == [normalize_label(text)]
    assert "(" in lines_of(text)[0]


def test_full_width_forms_spaces_and_crlf():
    assert lines_of("（一）予以公开\u3000１３件\r\n第二行\u00a0x") == ["(一)予以公开 13件", "第二行 x"]


def test_headings_run_into_sentences_are_split():
    text = "现公布本报告。 一、總體情況 2021年,我局认真落实。 (一)主動公開情況。共60件"
    assert lines_of(text) == [
        "现公布本报告。",
        "一、总体情况 2021年,我局认真落实。",
        "(一)主动公开情况。共60件",
    ]


def test_heading_splits_line_by_line_around_table_rows():
    text = "现公布。 一、总体情况\n| 说明。 二、情况 | 3 |\n  | 表。 三、x |\n结束。 四、其他 五、收费"
    assert lines_of(text) == [
        "现公布。",
        "一、总体情况",
        "| 说明。 二、情况 | 3 |",
        "  | 表。 三、x |",
        "结束。",
        "四、其他",
        "五、收费",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "一是加强领导,二是完善制度。",
        "第一,加强领导;第二,完善制度。",
        "按照条例第二十条第(一)项公开。",
        "行政事业性收费0三、收到和处理",  # glued to digits: the parser's business, not a sentence split
        "| 1.属于国家秘密 | 0 |",
        "共1、2件,增长3.5%。",
    ],
)
def test_no_split_inside_sentences_or_table_rows(text):
    assert len(lines_of(text)) == 1


def test_offsets_point_at_the_original_traditional_text():
    original = "標題\n根據(jù)《條例》。一、總體情況 2021年"
    norm = normalize_block(TextBlock(original), HEADING_SPLIT)
    lines = split_lines(norm)
    heading = next(line for line in lines if line.text.startswith("一、"))
    location = heading.locate(0, 2)
    assert (location.line, location.column) == (2, 12)
    assert norm.original(heading.start, heading.start + 6) == "一、總體情況"


def test_traditional_detection():
    assert has_traditional("政府信息公開")
    assert not has_traditional("政府信息公开 2021")


@given(st.text(max_size=300))
def test_origin_map_is_monotonic_and_in_range(text):
    norm = normalize_block(TextBlock(text), HEADING_SPLIT)
    assert len(norm.origin) == len(norm.text) + 1
    assert all(0 <= offset <= len(text) for offset in norm.origin)
    assert list(norm.origin) == sorted(norm.origin)


@given(st.text(alphabet="（一）１２ａ\t\u3000\u00a0﹙﹚ab一。", max_size=60))
def test_narrow_is_the_width_table(text):
    # narrow() replaces one character after the other: right only while no replacement is itself replaced
    assert not set(_WIDTH) & set(_WIDTH.values())
    assert narrow(text) == text.translate(_WIDTH)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 100)), max_size=30), st.integers(-5, 400))
def test_offset_map_is_the_list_it_stores(pieces, probe):
    """Ranges, short and long, and explicit offsets, in any mix: indexing, iteration,
    slicing into another map and bisect are those of the plain list."""
    offsets = OffsetMap()
    expected: list[int] = []
    for kind, size in pieces:
        last = expected[-1] + kind % 2 if expected else 0  # contiguous or not
        piece = range(last, last + size) if kind < 2 else [last] * size
        offsets.append(piece)
        expected.extend(piece)
    assert len(offsets) == len(expected) and list(offsets) == expected
    assert [offsets[index] for index in range(len(expected))] == expected
    assert offsets.bisect_left(probe) == bisect.bisect_left(expected, probe)
    if expected:
        assert offsets[-1] == expected[-1]
        start, end = sorted((abs(probe) % len(expected), len(expected) // 2))
        assert offsets.values(start, end) == expected[start:end]


def _origin_line_by_line(text: str, convert) -> tuple[str, list[int]]:
    """The reference: every line converted and its offsets copied, or spread over it when the
    conversion changed its length (what normalisation did before it kept unchanged maps)."""
    out: list[str] = []
    origin: list[int] = []
    position = 0
    for line in text.split("\n"):
        new = convert(line) if has_traditional(line) else line
        if len(new) == len(line):
            origin.extend(range(position, position + len(line)))
        else:
            origin.extend(position + min(i * len(line) // len(new), len(line) - 1) for i in range(len(new)))
        out.append(new)
        position += len(line) + 1
        origin.append(position - 1)  # the newline (the end sentinel after the last line)
    return "\n".join(out), origin


_TRADITIONAL_TEXT = st.text(alphabet="政府信息公開開體總況報告條例一、\n ab", max_size=80)


@given(_TRADITIONAL_TEXT)
def test_traditional_text_keeps_its_offsets(text):
    norm = normalize_block(TextBlock(text))
    assert (norm.text, list(norm.origin)) == _origin_line_by_line(text, t2s)


@given(_TRADITIONAL_TEXT)
def test_a_conversion_that_changes_lengths_spreads_the_offsets(text):
    def stretching(line: str) -> str:  # no dictionary does this today; a later OpenCC might
        return t2s(line).replace("体", "体体").replace("况", "")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(normalize, "t2s", stretching)
        norm = normalize_block(TextBlock(text))
    assert (norm.text, list(norm.origin)) == _origin_line_by_line(text, stretching)


@given(
    text=st.text(st.sampled_from("ab年\n"), max_size=30),
    line=st.integers(1, 9),
    column=st.integers(1, 9),
    start=st.integers(-3, 35),
    end=st.integers(-3, 35),
)
def test_a_block_locates_a_span_by_counting_its_lines(text, line, column, start, end):
    """TextBlock.locate: each end (clamped to the text, the end never before the start) on the
    block's line plus the newlines before it, its column counted from the last newline (from
    the block's own column on its first line)."""
    block = TextBlock(text, line, column, "段落 3", "docx_paragraph")

    def place(offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(text)))
        newlines = text.count("\n", 0, offset)
        line_start = text.rfind("\n", 0, offset) + 1
        return line + newlines, offset - line_start + (column if newlines == 0 else 1)

    expected = Location(*place(start), *place(max(start, end)), "段落 3", "docx_paragraph")
    located = block.locate(start, end)
    assert located == expected and hash(located) == hash(expected) and type(located) is Location
    assert block.position(start) == place(start) and block.line_at(end) == place(end)[0]
