"""DOCX reader: body order (paragraphs interleaved with tables), merged cells
expanded, Word numbering rendered, 段落/表 locations."""

from __future__ import annotations

import re

import pytest
from reader_helpers import FIXTURES, corpus_file, grids, texts

from gilint.model import GridBlock, TextBlock
from gilint.read.load import load_path
from gilint.read.numbering import chinese_counting, format_number

APPLICATION_ROWS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    *[
        f"{i}.{label}"
        for i, label in enumerate(
            ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
             "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"], 1)
    ],
    "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他", "（七）总计", "四、结转下年度继续办理",
]  # fmt: skip


@pytest.fixture(scope="module")
def template():
    return load_path(str(corpus_file("template-2021-blank.docx")))


def test_template_has_six_sections_and_three_tables_in_body_order(template):
    kinds = [
        "H" if isinstance(b, TextBlock) and re.match("[一二三四五六]、", b.text) else type(b).__name__[0]
        for b in template.blocks
    ]
    order = "".join(kind for kind in kinds if kind in "HG")
    assert order == "HHGHGHGHH"  # 一 二 [表二] 三 [表三] 四 [表四] 五 六
    headings = [
        b.text for b in template.blocks if isinstance(b, TextBlock) and re.match("[一二三四五六]、", b.text)
    ]
    assert headings == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    ]  # fmt: skip
    assert template.format == "docx" and template.source_lines is None


def test_template_grids_carry_every_label_and_empty_cells(template):
    proactive, applications, review = grids(template)
    assert (len(proactive.rows), len(proactive.rows[0])) == (14, 4)
    assert [row[0].text for row in proactive.rows] == [
        "第二十条第（一）项", "信息内容", "规章", "行政规范性文件",
        "第二十条第（五）项", "信息内容", "行政许可",
        "第二十条第（六）项", "信息内容", "行政处罚", "行政强制",
        "第二十条第（八）项", "信息内容", "行政事业性收费",
    ]  # fmt: skip
    assert [c.text for c in proactive.rows[12]] == ["信息内容"] + ["本年收费金额（单位：万元）"] * 3
    assert all(c.text == "" for row in proactive.rows if row[0].text in ("规章", "行政许可") for c in row[1:])

    assert (len(applications.rows), len(applications.rows[0])) == (28, 10)
    assert [c.text for c in applications.rows[0][3:]] == ["申请人情况"] * 7
    assert [c.text for c in applications.rows[1][3:]] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert [c.text for c in applications.rows[2][3:]] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
    ]  # fmt: skip
    labels = [row[2].text for row in applications.rows[3:]]
    assert labels == APPLICATION_ROWS
    assert {row[0].text for row in applications.rows[5:27]} == {"三、本年度办理结果"}
    assert all(c.text == "" for row in applications.rows[3:] for c in row[3:])  # U+3000 fill is blank

    assert (len(review.rows), len(review.rows[0])) == (4, 15)
    assert [c.text for c in review.rows[0]] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert [c.text for c in review.rows[1][:5]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [c.text for c in review.rows[1][5:]] == ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert all(c.text == "" for c in review.rows[3])


def test_template_locations(template):
    heading = next(b for b in template.blocks if isinstance(b, TextBlock) and b.text == "一、总体情况")
    assert (heading.line, heading.where, heading.kind) == (4, "段落 4", "docx_paragraph")
    applications = grids(template)[1]
    cell = applications.rows[27][9]
    assert cell.location.where == "Word 文件中第 2 个表格 第28行第10列"
    assert cell.location.kind == "docx_table_cell"
    # a merged cell keeps the location of the cell that holds the text
    assert applications.rows[20][0].location.where == "Word 文件中第 2 个表格 第6行第1列"
    assert applications.location.where == "Word 文件中第 2 个表格"


def test_numbering_rendered_unless_typed(tmp_path):
    document = load_path(str(FIXTURES / "numbering.docx"))
    assert texts(document) == [
        "某某局2023年政府信息公开工作年度报告",
        "一、总体情况",  # chineseCounting "%1、"
        "（一）主动公开",
        "（二）依申请公开",
        "一条列表项",  # a bullet adds nothing
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",  # counting continues after the table
        "四、已经手写编号的标题",  # the number typed as text is not doubled
        "第一行\n第二行",
    ]
    grid = grids(document)[0]
    assert [[c.text for c in row] for row in grid.rows] == [
        ["第二十条第（一）项"] * 4,
        ["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "5"],
        ["三、本年度办理结果", "属于国家秘密", "甲", "0"],
    ]
    assert isinstance(document.blocks[6], GridBlock)


def test_number_formats():
    assert [chinese_counting(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110, 1001)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十", "一千零一",
    ]  # fmt: skip
    assert format_number(3, "chineseLegalSimplified") == "叁"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(28, "lowerLetter") == "bb"
    assert format_number(7, "decimalZero") == "07"
