"""Structure on the real seeds: profiles, sections found even on one line, multi-report files."""

from __future__ import annotations

import functools
import shutil

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lark import Lark

from gilint.structure import parse
from gilint.text.normalize import to_simplified
from tests.conftest import seed_path


def codes(results) -> list[str]:
    return [d.code for result in results for d in result.diagnostics]


@pytest.mark.parametrize(
    ("seed", "profile"), [("000", "2021"), ("002", "2021"), ("001", "2019"), ("004", "2019")]
)
def test_seed_profiles_and_all_six_sections(linter, seeds_dir, seed, profile):
    results = linter.check_path(str(seed_path(seeds_dir, seed)))
    assert len(results) == 1
    assert results[0].profile == profile
    assert "GI101" not in codes(results)
    report = linter.analyse(linter_document(seeds_dir, seed))[0]
    assert [section.expected_number for section in report.sections] == [1, 2, 3, 4, 5, 6]


def linter_document(seeds_dir, seed):
    from gilint.read.load import load_path

    return load_path(str(seed_path(seeds_dir, seed)))


def test_seed_003_is_five_legacy_reports(linter, seeds_dir):
    results = linter.check_path(str(seed_path(seeds_dir, "003")))
    assert len(results) == 5
    assert {result.profile for result in results} == {"legacy"}
    assert [result.report_index for result in results] == [0, 1, 2, 3, 4]
    assert codes(results).count("GI005") == 1
    assert results[0].report_year == 2009
    assert results[2].report_year == 2012


def test_seed_agencies(linter, seeds_dir):
    (result,) = linter.check_path(str(seed_path(seeds_dir, "001")))
    assert result.agency == "昭通市生态环境局"
    assert result.agency_kind == "department"


@pytest.mark.parametrize("seed", ["000", "002", "004"])
def test_traditional_seed_and_simplified_copy_give_the_same_codes(linter, seeds_dir, tmp_path, seed):
    original = seed_path(seeds_dir, seed)
    simplified = tmp_path / "simplified.txt"
    simplified.write_text(to_simplified(original.read_text(encoding="utf-8")), encoding="utf-8")
    copy = tmp_path / "original.txt"
    shutil.copy(original, copy)
    traditional_results = linter.check_path(str(copy))
    simplified_results = linter.check_path(str(simplified))
    assert codes(traditional_results) == codes(simplified_results)
    positions = [(d.location.line, d.location.column) for r in traditional_results for d in r.diagnostics]
    assert len(positions) == len(codes(simplified_results))


def test_traditional_diagnostics_quote_the_traditional_text(linter, seeds_dir):
    path = seed_path(seeds_dir, "002")
    source = path.read_text(encoding="utf-8").split("\n")
    (result,) = linter.check_path(str(path))
    title = next(d for d in result.diagnostics if d.code == "GI107")
    quoted = source[title.location.line - 1][title.location.column - 1 : title.location.end_column - 1]
    assert quoted == "2021年常州市機關事務管理局政府信息公開年度報告"


def test_section_heading_location_in_one_line_report(linter, seeds_dir):
    path = seed_path(seeds_dir, "000")
    source = path.read_text(encoding="utf-8").split("\n")
    report = linter.analyse(linter_document(seeds_dir, "000"))[0]
    location = report.sections[0].heading.line.location
    assert source[location.line - 1][location.column - 1 :].startswith("一、總體情況")


def test_clean_example_has_no_diagnostics(linter, examples_dir):
    (result,) = linter.check_path(str(examples_dir / "clean-2021.md"))
    assert result.diagnostics == []
    assert (result.profile, result.agency_kind) == ("2021", "department")


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda text: text.replace("## 六、其他需要报告的事项", "## 六、其它"), "GI103"),
        (lambda text: text.split("## 六、")[0], "GI101"),
        (lambda text: text.replace("## 五、", "## 六、", 1), "GI102"),
    ],
)
def test_structural_mutations_of_the_clean_example(linter, examples_dir, tmp_path, edit, code):
    text = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    mutated = tmp_path / "mutated.md"
    mutated.write_text(edit(text), encoding="utf-8")
    (result,) = linter.check_path(str(mutated))
    assert code in [d.code for d in result.diagnostics]


@pytest.mark.parametrize(
    ("opening", "agency", "kind"),
    [
        ("2024年，平潭综合实验区坚持以人民为中心。", "平潭综合实验区", "government"),
        ("2021年，市生态环境局深入贯彻《条例》。", "市生态环境局", "department"),
        ("2022年，区人民政府办公室认真落实各项要求。", "区人民政府办公室", "department"),
        ("2021年，我局坚持以公开为常态。", None, "unknown"),  # 我局 names no one
        ("2021年，全区政务公开工作取得进展。", None, "unknown"),
    ],
)
def test_agency_from_the_opening_sentence_without_title(linter, opening, agency, kind):
    text = f"本报告根据《条例》编制。\n一、总体情况\n{opening}\n二、主动公开政府信息情况\n无。\n"
    (result,) = linter.check_bytes("page.txt", text.encode("utf-8"))
    assert (result.agency, result.agency_kind) == (agency, kind)


FIRST_FOUR = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
]


def _sections_report(headings: list[str]) -> str:
    lines = ["某市生态环境局2021年政府信息公开工作年度报告"]
    for heading in headings:
        lines += [heading, "无。"]
    return "\n".join(lines) + "\n"


def test_a_deviating_title_keeps_its_numbered_slot(linter):
    numerals = "一二三四"
    headings = [f"{n}、{title}" for n, title in zip(numerals, FIRST_FOUR, strict=True)]
    text = _sections_report([*headings, "五、下一步工作打算", "六、其他需要报告的事项"])
    (result,) = linter.check_bytes("r.txt", text.encode("utf-8"))
    assert [d.code for d in result.diagnostics if d.code in ("GI101", "GI102", "GI103")] == ["GI103"]


def test_a_renumbered_sub_item_repeating_a_section_number_is_content(linter):
    numerals = "一二三四"
    headings = [f"{n}、{title}" for n, title in zip(numerals, FIRST_FOUR, strict=True)]
    text = _sections_report([headings[0], "二、工作机制保障", *headings[1:], "五、存在的主要问题及改进情况"])
    text += "六、其他需要报告的事项\n无。\n"
    (result,) = linter.check_bytes("r.txt", text.encode("utf-8"))
    assert not [d for d in result.diagnostics if d.code in ("GI101", "GI102", "GI103")]
    # a mandated section written twice is still a duplicate
    doubled = text + "三、收到和处理政府信息公开申请情况\n无。\n"
    (result,) = linter.check_bytes("r.txt", doubled.encode("utf-8"))
    assert [d.code for d in result.diagnostics if d.code == "GI102"] == ["GI102"]


@given(st.text(alphabet=" >#*_一二三四五六七八九十(（)12345678906、.总体情况ab", max_size=16))
@settings(max_examples=3000, deadline=None)
def test_heading_prefilter_keeps_every_heading(text: str) -> None:
    """A line the three heading patterns match starts, after its decoration, with a
    character of parse._HEADING_STARTS (so the prefilter never drops a heading)."""
    if any(pattern.match(text) for pattern in (parse._H1, parse._H2, parse._H3)):
        assert text.lstrip(parse._DECORATION_CHARS)[:1] in parse._HEADING_STARTS


# The report grammar before lines and tables became tokens of their node directly (each had a
# rule of its own and an inlined alternative): the reference for the flattened grammar.
_NESTED_REPORT_GRAMMAR = r"""
start: front section*
front: _front_node*
_front_node: title | para | H2 | H3 | table
title: TITLE
section: H1 _section_node*
_section_node: item2 | item3 | para | table
item2: H2 _item2_node*
_item2_node: item3 | para | table
item3: H3 _item3_node*
_item3_node: para | table
para: TEXT
table: TABLE
%declare TITLE TEXT H1 H2 H3 TABLE
"""


def _tree_shape(node: object) -> object:
    """A parse result as nested tuples of what each node is and carries."""
    if isinstance(node, tuple):  # (front, sections)
        return tuple(_tree_shape(part) for part in node)
    if isinstance(node, list):
        return [_tree_shape(child) for child in node]
    if isinstance(node, parse.Section | parse.Item):
        return (type(node).__name__, node.heading, _tree_shape(node.children))
    if isinstance(node, parse.Paragraph):
        return ("Paragraph", node.line)
    return ("table", node)


@functools.lru_cache(maxsize=1)
def _nested_parser() -> Lark:

    class Nested(parse._ToModel):
        def para(self, children: list) -> parse.Paragraph:
            return parse.Paragraph(children[0].value)

        title = para

        def table(self, children: list) -> object:
            return children[0].value

    return Lark(_NESTED_REPORT_GRAMMAR, parser="lalr", lexer=parse._LarkLexer, transformer=Nested())


@given(
    st.lists(st.sampled_from(["TEXT", "TABLE", "H1", "H2", "H3"]), max_size=40),
    st.integers(0, 40),
)
@settings(max_examples=500, deadline=None)
def test_flat_grammar_builds_the_trees_of_the_nested_one(kinds: list[str], title_at: int) -> None:
    """Any token sequence (the title at most once, before the first H1) gives the same
    sections, items, paragraphs and tables as the grammar with a rule per line and table."""
    first_h1 = kinds.index("H1") if "H1" in kinds else len(kinds)
    if title_at <= first_h1:
        kinds = [*kinds[:title_at], "TITLE", *kinds[title_at:]]
    tokens = [parse._Tok(kind, f"{kind}{index}") for index, kind in enumerate(kinds)]
    expected = _nested_parser().parse(tokens) if tokens else ([], [])
    actual = parse._parser().parse(tokens) if tokens else ([], [])
    assert _tree_shape(actual) == _tree_shape(expected)


_LINE_ALPHABET = " |-:=*_#>\n一、年公开ab1"


@given(st.text(alphabet=_LINE_ALPHABET, max_size=12))
@settings(max_examples=3000, deadline=None)
def test_only_rules_answers_what_the_pattern_does(text: str) -> None:
    """The str-method line test of the tokenizer agrees with the pattern it stands for."""
    assert parse._only_rules(text) == (parse._ONLY_RULES.match(text) is not None)


@functools.lru_cache(maxsize=1)
def _separators() -> tuple:
    from gilint.structure.knowledge import load_structure

    return load_structure().separators


@given(st.lists(st.text(alphabet=" 第一二十篇:：\n正文", max_size=10), max_size=4))
@example(["正文\n 第二篇：x"])
@example(["第一篇", ":"])
@settings(max_examples=2000, deadline=None)
def test_separator_prefilter_keeps_every_separator_line(texts: list[str]) -> None:
    """When a line of the texts matches a report separator, the whole-text test lets it through."""
    separators = _separators()
    if any(pattern.match(line) for text in texts for line in text.split("\n") for pattern in separators):
        assert parse._may_hold_separator(texts, separators)
