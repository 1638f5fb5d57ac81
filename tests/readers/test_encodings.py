"""A GBK page (labelled gb2312, using GBK-only characters) and a GB18030 text
(with four-byte characters) read exactly like their UTF-8 twins."""

from __future__ import annotations

from reader_helpers import FIXTURES

from gilint.model import GridBlock, TextBlock
from gilint.read.load import load_path

ENCODINGS = FIXTURES / "encoding"


def content(document) -> list:
    out = []
    for block in document.blocks:
        if isinstance(block, TextBlock):
            out.append((block.text, block.line, block.column))
        else:
            assert isinstance(block, GridBlock)
            out.append([[(c.text, c.location.line, c.location.column) for c in row] for row in block.rows])
    return out


def test_gbk_page_reads_like_its_utf8_twin():
    gbk = load_path(str(ENCODINGS / "gbk-page.html"))
    utf8 = load_path(str(ENCODINGS / "gbk-page.utf8.html"))
    assert (gbk.encoding, utf8.encoding) == ("gb18030", "utf-8")
    assert content(gbk) == content(utf8)
    assert gbk.blocks[0].text == "张喆镕市人民政府2023年政府信息公开工作年度报告"  # not in GB2312
    assert "首页" not in str(content(gbk)) and "版权所有" not in str(content(gbk))


def test_gb18030_text_reads_like_its_utf8_twin():
    gb = load_path(str(ENCODINGS / "gb18030-report.txt"))
    utf8 = load_path(str(ENCODINGS / "gb18030-report.utf8.txt"))
    assert gb.encoding == "gb18030" and utf8.encoding == "utf-8"
    assert gb.blocks[0].text == utf8.blocks[0].text
    assert gb.blocks[0].text.startswith("𠮷𪚥县人民政府")
