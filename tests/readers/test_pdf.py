"""PDF reader: ruled tables as grids (across page breaks), prose regrouped
into paragraphs, running page numbers dropped, 第P页 locations."""

from __future__ import annotations

import re

import pytest
from reader_helpers import corpus_file, grids, texts

from gilint.model import TextBlock
from gilint.read.load import load_path


@pytest.fixture(scope="module", params=["001.pdf", "002.pdf", "003.pdf"])
def pdf(request):
    return load_path(str(corpus_file(request.param)))


def test_three_grids_with_official_shapes(pdf):
    shapes = [(len(g.rows), len(g.rows[0])) for g in grids(pdf)]
    # 002/003 use the 2019-style single （六）其他处理 row: 26 rows, not 28
    assert shapes[0] == (14, 4) and shapes[2] == (4, 15)
    assert shapes[1] in ((28, 10), (26, 10))


def test_table_broken_by_page_is_one_grid_with_labels_carried(pdf):
    applications = grids(pdf)[1]
    assert applications.rows[0][0].location.where != applications.rows[-1][0].location.where  # two pages
    labels = [row[1].text for row in applications.rows]
    assert labels.count("（四）无法提供") == 3  # the merged label crosses the page break
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels  # wrapped label joined
    assert [c.text for c in applications.rows[2][3:]] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
    ]  # fmt: skip


def test_page_numbers_dropped_and_sections_present(pdf):
    lines = texts(pdf)
    assert not any(re.fullmatch(r"[-—]\s*\d+\s*[-—]", line) for line in lines)
    headings = [line for line in lines if re.match("[一二三四五六]、", line)]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"]


def test_locations_are_page_and_line(pdf):
    for block in pdf.blocks:
        where = block.where if isinstance(block, TextBlock) else block.location.where
        assert re.fullmatch(r"第\d+页", where)
    title = pdf.blocks[0]
    assert (title.where, title.line) == ("第1页", 1)


def test_002_paragraph_continues_across_page_break():
    lines = texts(load_path(str(corpus_file("002.pdf"))))
    # 第1页 ends inside （三）'s paragraph; 第2页 continues it
    paragraph = next(line for line in lines if line.startswith("加强区政府门户网站"))
    assert paragraph.endswith("未经审核的信息一律不准发布。")
    # justification and autospace gaps are not spaces
    assert any("邮编：223100，电话：0517-87222589" in line for line in lines)
    # the title set in two centred lines of large type is one line
    assert lines[0] == "洪泽区人民政府2023年政府信息公开工作年度报告"
