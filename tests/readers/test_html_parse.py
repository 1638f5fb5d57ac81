"""A page of valid UTF-8 with nothing to replace is parsed from its bytes (libxml2 reads
UTF-8 as it is, where a str reaches it as UTF-16 or UCS-4 to convert): the tree, every
element's source line and what the reader makes of the page are those parsing its text
gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import gilint.read.html as html_reader
from gilint.read.base import LoadError
from gilint.read.html import _parse, html_document

fragment = st.sampled_from(
    [
        '<meta charset="gb2312">',
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">',
        "<p>一、总体情况</p>\n",
        "<p style='a>b'>属性里的 &gt; 号</p>",
        "&nbsp;&amp;&#20013;&#x6587;&copy;&bogus;",
        "<!-- 注释 <p>不算</p> -->",
        "<script>if (a < b) { x = '</p>'; }</script>",
        "<table><tr><td rowspan=2>甲</td><td>1</td></tr><tr><td>2</td></tr></table>",
        "<div><span>未闭合",
        "</div></span>",
        "< 不是标签 <",
        "<br/>\r\n",
        "😀 𠀀",
        "<![CDATA[ x ]]>",
        "<p>a\u00a0b\u3000c</p>",
    ]
)


def _tree(root) -> tuple[str, list[int | None]]:
    return etree.tostring(root, encoding=str), [element.sourceline for element in root.iter()]


@settings(max_examples=300, deadline=None)
@given(st.lists(fragment, min_size=1, max_size=15).map("".join))
def test_a_utf8_page_parses_from_its_bytes_as_from_its_text(page):
    document = f"<html><head><title>题</title></head><body>{page}</body></html>"
    assert _tree(_parse(document.encode(), "utf-8")) == _tree(_parse(document))


def test_the_reader_parses_the_bytes_only_of_a_page_it_read_unchanged(monkeypatch):
    parsed: list[type] = []

    def recording(source, encoding=None):
        parsed.append(type(source))
        return _parse(source, encoding)

    monkeypatch.setattr(html_reader, "_parse", recording)
    body = "<html><body><p>正文</p></body></html>"
    html_document("a.html", body.encode())
    html_document("b.html", b"\xef\xbb\xbf" + body.encode())  # a BOM: decoded and parsed as text
    html_document("c.html", body.encode("gb18030"))
    html_document("d.html", b'<?xml version="1.0"?>' + body.encode())  # the declaration is blanked
    html_document("e.html", body.replace("正文", "正\x07文").encode())  # a control character is replaced
    assert parsed == [bytes, str, str, str, str]


def test_a_page_starting_with_an_unfinished_declaration_is_refused_as_before():
    """lxml refuses a str holding an encoding declaration; such a page is parsed from its
    text, as it always was, and the reason given is lxml's (from bytes libxml2 would read on
    and find the document empty)."""
    try:
        html_document("a.html", '<?xml version="1.0" encoding="utf-8" 正文内容很多'.encode())
    except LoadError as error:
        assert "encoding declaration are not supported" in error.message["en"]
    else:
        raise AssertionError("read")


def test_a_character_reference_to_a_control_character_beside_dropped_furniture_is_read():
    """libxml2 reads ``&#1;`` as a control character, which lxml refuses to set as text:
    joining the text around a dropped <button> made it a ValueError (a crash). It becomes a
    space, as a control character of the page's bytes does."""
    document = html_document("a.html", "<p>正文内容</p><p>&#1;甲<button>乙</button>丙</p>".encode())
    assert [block.text for block in document.blocks] == ["正文内容", "甲丙"]
