"""HTML reader: article body found, site chrome dropped, merged cells
expanded, labels split over <span>s whole, positions in the source file."""

from __future__ import annotations

import pytest
from reader_helpers import FIXTURES, corpus_file, grids, texts

from gilint.model import TextBlock
from gilint.read.base import LoadError
from gilint.read.html import collapse_flow, decode_html
from gilint.read.load import load_bytes, load_path


def read(html: str, name: str = "page.html"):
    return load_bytes(name, html.encode("utf-8"))


def assert_positions_point_at_text(document) -> None:
    """Every block and cell location starts at its own first character in the source."""
    for block in document.blocks:
        if isinstance(block, TextBlock):
            items = [(block.text, block.line, block.column)]
        else:
            items = [
                (c.text, c.location.line, c.location.column) for row in block.rows for c in row if c.text
            ]
        for text, line, column in items:
            assert document.source_lines[line - 1][column - 1] == text[0], (text, line, column)


# ------------------------------------------------------------------ 005


@pytest.fixture(scope="module")
def page_005():
    return load_path(str(corpus_file("005.html")))


def test_005_article_and_title_without_site_chrome(page_005):
    lines = texts(page_005)
    assert lines[0] == "沭阳县发展和改革局2023年政府信息公开年度报告"  # the <h1> above the article
    assert lines[2] == "一、总体情况"
    assert lines[-2:] == ["沭阳县发展和改革局", "2024年1月17日"]
    everything = "\n".join(lines)
    for chrome in ("首页", "走进沭阳", "采集时间", "索引号", "websiteId", "星期", "border-collapse"):
        assert chrome not in everything
    assert page_005.format == "html" and page_005.encoding == "utf-8"


def test_005_three_grids_with_merges_expanded(page_005):
    proactive, applications, review = grids(page_005)
    assert (len(proactive.rows), len(proactive.rows[0])) == (14, 4)
    assert (len(applications.rows), len(applications.rows[0])) == (28, 10)
    assert (len(review.rows), len(review.rows[0])) == (4, 15)
    # header cells split over <span>s come out whole; the 3x3 note cell and
    # the 22-row 三、本年度办理结果 label repeat in every position they cover
    assert [c.text for c in applications.rows[2][3:]] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
    ]  # fmt: skip
    note = applications.rows[0][0]
    assert note.text.startswith("（本列数据的勾稽关系为")
    assert all(applications.rows[r][c] is note for r in range(3) for c in range(3))
    assert {applications.rows[r][0].text for r in range(5, 27)} == {"三、本年度办理结果"}
    assert [c.text for c in review.rows[0]] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    # legal-person cells are blank in this report, not 0
    assert [c.text for c in applications.rows[3][3:]] == ["26", "", "", "", "", "", "26"]


def test_005_locations_are_source_positions(page_005):
    assert page_005.source_lines[226].startswith('                    <h1 class="article-title"')
    first = page_005.blocks[0]
    assert (first.line, first.column) == (227, 105)
    assert_positions_point_at_text(page_005)


# ------------------------------------------------------------ 027a, 004


def test_027a_fragment_with_labels_split_over_paragraphs():
    document = load_path(str(corpus_file("027a.html")))
    applications = grids(document)[1]
    header = [c.text for c in applications.rows[2][3:]]
    assert header == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert texts(document)[1] == "一、总体情况"
    assert_positions_point_at_text(document)


def test_004_fixture_is_the_unescaped_javascript_string():
    path = FIXTURES / "004-shanghai-2019.html"
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith("<p style='text-align: center;font-weight: bold;'>2019年上海市人民政府办公厅")
    assert '\\"' not in raw and "\\n" not in raw
    document = load_path(str(path))
    assert texts(document)[0] == "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    proactive = grids(document)[0]
    assert [c.text for c in proactive.rows[1]] == [
        "信息内容",
        "本年新制作数量",
        "本年新公开数量",
        "本年新公开数量",
        "对外公开总数量",
    ]  # <br> inside a label joined
    assert_positions_point_at_text(document)


# ------------------------------------------------------------ behaviour


def test_word_html_conditional_comments_and_scripts_are_dropped():
    document = read(
        "<html><head><style>p{color:red}</style><script>var x='一、假标题';</script></head><body>"
        "<div class='breadcrumb'>首页 &gt; 信息公开</div>"
        "<div class='content'><p><!--[if !supportLists]-->1.<!--[endif]-->属于国家秘密</p>"
        "<p><![if !supportLists]>2.<![endif]>其他<o:p></o:p></p>"
        "<div class='bdsharebuttonbox'>分享到：微信</div><p style='display:none'>隐藏</p></div>"
        "<footer>版权所有</footer></body></html>"
    )
    assert texts(document) == ["1.属于国家秘密", "2.其他"]


def test_source_line_breaks_between_chinese_characters_vanish():
    assert collapse_flow("一、总体\n   情况  正文 ") == "一、总体情况 正文"
    assert collapse_flow("共 12\n件") == "共 12件"
    assert collapse_flow("word\nwrap") == "word wrap"
    assert texts(read("<p>本年度\n  报告<br>第二行</p>")) == ["本年度报告", "第二行"]


def test_layout_tables_are_read_as_text_and_data_tables_as_grids():
    document = read(
        "<table><tr><td><p>标题</p><table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr>"
        "</table><p>正文</p></td></tr></table>"
    )
    kinds = [type(block).__name__ for block in document.blocks]
    assert kinds == ["TextBlock", "GridBlock", "TextBlock"]
    assert [[c.text for c in row] for row in document.blocks[1].rows] == [["a", "b"], ["1", "2"]]


def test_rowspan_zero_and_short_rows():
    document = read(
        "<table><tr><td rowspan='0'>L</td><td>a</td><td>b</td></tr><tr><td>c</td></tr>"
        "<tr><td>d</td><td>e</td></tr></table>"
    )
    grid = grids(document)[0]
    assert [[c.text for c in row] for row in grid.rows] == [["L", "a", "b"], ["L", "c", ""], ["L", "d", "e"]]


def test_charset_detection():
    gbk = "<meta charset='gb2312'><p>喆</p>".encode("gbk")
    assert decode_html(gbk) == ("<meta charset='gb2312'><p>喆</p>", "gb18030")
    # a page re-saved as UTF-8 that kept its old gb2312 declaration
    assert decode_html("<meta charset='gb2312'><p>报告</p>".encode())[1] == "utf-8"
    assert decode_html("<p>报告</p>".encode("gbk"))[1] == "gb18030"  # no declaration
    assert decode_html(b"\xef\xbb\xbf<p>x</p>")[1] == "utf-8-sig"
    assert decode_html("<p>报告</p>".encode("utf-16"))[1] == "utf-16"
    big5 = "<meta http-equiv='Content-Type' content='text/html; charset=big5'><p>報告</p>".encode("big5")
    assert decode_html(big5)[0].endswith("<p>報告</p>")


def test_page_without_text_is_unreadable():
    with pytest.raises(LoadError) as error:
        read("<html><body><nav>首页</nav><script>x()</script></body></html>")
    assert error.value.code == "GI001"


def test_preformatted_lines_stay_lines_with_their_own_positions():
    source = "<html><body><pre>\n  一、总体情况\n规章   0   0 &amp; 1\n\n二、主动公开</pre></body></html>"
    document = read(source)
    lines = source.split("\n")
    assert [(b.text, b.line, b.column) for b in document.blocks] == [
        ("一、总体情况", 2, 3),
        ("规章 0 0 & 1", 3, 1),
        ("二、主动公开", 5, 1),
    ]
    assert lines[1][2] == "一"
