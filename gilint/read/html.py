"""HTML reader: a saved government web page -> Document.

Parser: lxml.html (libxml2's error-correcting HTML parser). It is the only
candidate that is fast on 20 MB pages (C, linear), keeps libxml2's hard
limits (a 20,000-deep page is stopped at depth 256 instead of recursing),
never expands DTD entities in HTML, and records the source line of every
element. html5lib is spec-exact but pure Python and quadratic on deep
nesting; selectolax exposes no source positions.

Article body: site chrome goes first (scripts, styles, comments including
Word's ``<!--[if …]>``, nav/aside/footer, hidden elements, class/id names of
breadcrumbs, share bars, pagers…); then, from <body> down, the child holding
at least 80% of the remaining non-link text is followed until the text
spreads out: that container is the article. A CMS title <h1> standing just
above it is kept as the first line.

Blocks: one TextBlock per rendered line (a block element or a <br>), one
GridBlock per data table (layout tables are read as text), merged cells
expanded, cell text joined across <span>/<p>/<br> with line wraps next to
Chinese characters removed.

Source columns: libxml2 gives elements a line but text nodes no position, so
each text node is matched to the run of source text it came from
(``read/html_positions.py``), when a position is first asked (``Positions``),
or as the page is read when the run will ask them all (``locate_all``: it
makes digests).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from gilint.model import Block, Document, GridBlock, GridCell
from gilint.patterns import linear
from gilint.read.common import cell_text, is_wide, unreadable
from gilint.read.grid import SpanGrid
from gilint.read.html_positions import Positions, SourceMap, Starts
from gilint.read.safety import LIMITS, Limits, check_span
from gilint.read.text import clean_text, decode_unicode

# ------------------------------------------------------------------ charset

_META_CHARSET = linear(rb"""<meta[^<>]*?charset\s*+=\s*+["']?\s*+([A-Za-z0-9_\-:.]+)""", re.I)
_PRESCAN_BYTES = 16384
# Every GB-family label is decoded as GB18030, its superset: pages labelled
# gb2312 routinely contain GBK-only characters (人名用字, 䶮…).
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "euc_cn", "hz", "gb_2312_80", "x_gbk", "x_euc_cn"}
_WESTERN = {"latin_1", "iso8859_1", "cp1252", "ascii"}
# Text codecs that no web page is written in (Python's own escapes, a codec that
# refuses everything): a page declaring one is decoded as if it declared nothing.
_NOT_PAGE_ENCODINGS = {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "mbcs", "oem"}


def decode_html(data: bytes) -> tuple[str, str]:
    """Bytes -> text. BOM first; then UTF-8 when the bytes are valid UTF-8
    (GBK text practically never is, while pages re-saved as UTF-8 keep their
    old ``charset=gb2312`` meta); then the declared charset; then GB18030,
    the usual encoding of Chinese government pages that declare nothing."""
    decoded = decode_unicode(data, _decode)  # lenient: a page cut mid-character is still read
    if decoded is not None:
        return decoded
    declared = _declared_charset(data)
    if declared and declared not in _WESTERN:
        try:
            return data.decode(declared), declared
        except (UnicodeError, LookupError, ValueError, TypeError):  # undecodable, or no text codec
            pass
    return _decode(data, "gb18030"), "gb18030"


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if not match:
        return None
    try:
        info = codecs.lookup(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None
    # base64, hex, rot13, zlib, uu…: codecs.lookup knows them, but they turn bytes
    # into bytes (or str into str), never a page's bytes into text.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_ENCODINGS:
        return None
    name = info.name.replace("-", "_")
    return "gb18030" if name in _GB_FAMILY else name


# C0 controls and DEL, as bytes: what clean_text replaces.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Encodings in which a byte below 0x80 is always that ASCII character and no
# other byte sequence decodes to one.
_ASCII_SAFE = frozenset({"utf-8", "utf-8-sig", "gb18030"})


def _may_hold_controls(data: bytes, encoding: str) -> bool:
    """False when the decoded text surely holds no control character: then
    clean_text has nothing to replace. One memchr per control byte over the
    bytes instead of a regex scan of the text (5.2M -> 0.5M instructions a page)."""
    return encoding not in _ASCII_SAFE or any(byte in data for byte in _CONTROL_BYTES)


def _decode(data: bytes, encoding: str) -> str:
    """Lenient decode: a page truncated mid-character or with a stray byte is
    still read, but one that is mostly undecodable (a binary file) is not."""
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") + sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if bad > max(8, len(text) // 200):
        raise unreadable(
            "无法解码网页：不是 UTF-8、GB18030 或网页声明的编码，可能不是 HTML 文件",
            "cannot decode the page: not UTF-8, GB18030 or its declared charset; probably not HTML",
        )
    return text


# ------------------------------------------------------------------ parsing


# An internal DTD subset has no business in a web page; where one appears it
# can only be an entity trick. libxml2's HTML parser never expands such
# entities, but the page is refused rather than read with the DTD as text.
_INTERNAL_SUBSET = linear(r"<!DOCTYPE[^<>\[]*+\[", re.I)


def _refuse_dtd(text: str) -> None:
    if _INTERNAL_SUBSET.search(text):
        raise unreadable(
            "网页含有 DTD 实体声明（可被用于实体炸弹或读取本机文件），已拒绝读取",
            "the page declares DTD entities (used for entity bombs and local file disclosure); refused",
        )


def _parse(source: str | bytes, encoding: str | None = None):
    """The page's tree; ``source``: its text, or its bytes in ``encoding``."""
    # Comments go at parse time, taking Word's <!--[if …]> blocks with them.
    # etree's parser, not lxml.html's: its elements are created without a
    # Python class lookup per element (lxml.html's made walking the tree ~4× dearer).
    parser = etree.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
        recover=True,
        encoding=encoding,
    )
    try:
        root = etree.fromstring(source, parser)
        if root is None:  # what lxml.html.document_fromstring says of a page without elements
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise unreadable("网页没有可读取的内容", f"the page has no readable content ({error})") from error
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message:
            raise unreadable(
                "网页结构嵌套过深或单段文字过大（超过解析器安全上限），已拒绝读取",
                "the page is nested too deeply or holds an oversized text node "
                f"({entry.message.strip()}); refused",
            )
    return root


# The XML declaration of XHTML pages is meaningless once the bytes are
# decoded, and lxml refuses str input carrying one; blank it (same length,
# so offsets stay put).
_XML_DECLARATION = linear(r"\A\s*<\?xml[^>]*>")
# A page starting with "<?" (an XML declaration, complete or not, or another processing
# instruction) is parsed from its text as it always was: lxml refuses a str with an
# encoding declaration, where from bytes libxml2 would read on.
_PROCESSING_START = linear(r"\A\s*<\?")
# Past this many characters a page's positions are found as it is read (a SourceMap), not
# recorded to be found when asked (Positions): the records hold every text node, and a page
# of millions of them would keep hundreds of MB more under the workers' memory limit.
_RECORDED_POSITIONS_LIMIT = 1_000_000


def _without_xml_declaration(text: str) -> str:
    return _XML_DECLARATION.sub(lambda m: " " * len(m.group()), text, count=1)


# ------------------------------------------------------------ site chrome

_DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
        "embed", "applet", "svg", "canvas", "nav", "aside", "footer", "head", "title", "meta",
        "link", "button", "select", "input", "textarea", "option", "map", "area", "audio", "video",
        "source",
    }
)  # fmt: skip
# class/id words of page furniture that sits inside article containers too
# ("print" is not one: CMSs call the printable article area "printContent").
_CHROME_WORDS = frozenset(
    {
        "nav", "navbar", "menu", "submenu", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
        "position", "location", "curpos", "footer", "share", "bdshare", "bdsharebuttonbox",
        "sharebar", "jiathis", "toolbar", "tools", "fontsize", "sidebar", "copyright",
        "pagination", "pager", "prevnext", "related", "relate", "comment", "comments", "search",
        "login", "banner", "topbar", "skip",
    }
)  # fmt: skip
_WORD_SPLIT = linear(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_HIDDEN_STYLE = linear(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE_WORDS = frozenset({"title", "headline", "biaoti"})
_CHROME_SHARE = 1 / 3


_NO_WORDS: frozenset[str] = frozenset()


def _words(element) -> frozenset[str]:
    class_name, element_id = element.get("class"), element.get("id")
    if not class_name and not element_id:  # most elements: no string built, no regex split
        return _NO_WORDS
    return _class_words(f"{class_name or ''} {element_id or ''}")


@lru_cache(maxsize=1024)  # a page repeats its class names on every row and cell: split each once
def _class_words(value: str) -> frozenset[str]:
    return frozenset(word.lower() for word in _WORD_SPLIT.split(value) if word)


@lru_cache(maxsize=1024)  # a page repeats its style attributes on every cell: search each once
def _hides(style: str) -> bool:
    return _HIDDEN_STYLE.search(style) is not None


def _is_chrome_header(header) -> bool:
    return header.find(".//h1") is None  # an <article>'s own <header> holds its title


# ------------------------------------------------------------- text totals


def _visible_length(text: str) -> int:
    """How many characters of ``text`` are not white space."""
    return len("".join(text.split()))


def _subtree_text(element) -> str:
    """All the text of ``element``'s subtree (not its tail), joined in C."""
    return etree.tostring(element, method="text", encoding=str, with_tail=False)


class _TextTotals:
    """Visible non-link text length of an element's subtree, counted when
    asked: only the page, the elements named as furniture and those met on
    the way down to the article are, instead of every element of the page by
    a Python step each (dropping the chrome: 13.1M -> 8.4M instructions a CMS page).

    ``totals(element)`` is the subtree's text counted in C, less the text of
    the links in it (a link's own text never counts; its tail does)."""

    def __init__(self, root, size: int) -> None:
        """``root``: the page's; ``size``: its source's length."""
        self._root = root
        self._totals: dict = {}
        self._link_lengths: dict = {}  # link -> visible length of its subtree's text
        self._in_links: set = set()  # links inside another link, among the links counted so far
        # Subtrees nested in one another are joined again for each: past a few
        # pages' worth (hundreds of nested furniture names, a deep page walked
        # down), every element is counted at once, in one linear pass.
        self._budget = 4 * size

    def __call__(self, element) -> int:
        total = self._totals.get(element)
        if total is None:
            total = self._totals[element] = self._count(element)
        return total

    def _count(self, element) -> int:
        text = _subtree_text(element)
        self._budget -= len(text)
        if self._budget < 0 <= self._budget + len(text):  # (once)
            self._totals.update(_every_total(self._root))
            if element in self._totals:
                return self._totals[element]
        total = _visible_length(text)
        if element.tag == "a" and element.text:
            total -= _visible_length(element.text)
        for link in element.iterdescendants("a"):
            if link in self._in_links and _inside_link(link, element):
                continue  # counted with the link around it
            total -= self._link_length(link)
        return total

    def _link_length(self, link) -> int:
        length = self._link_lengths.get(link)
        if length is None:
            if len(link):  # (a link holding elements may hold links too)
                self._in_links.update(link.iterdescendants("a"))
            length = self._link_lengths[link] = _visible_length(_subtree_text(link))
        return length


def _every_total(root) -> dict:
    """``_TextTotals`` of every element of ``root``'s tree, in one pass: each
    element, deepest first, adds its tail and (not being a link) its total to
    its parent's."""
    elements = list(root.iter())
    links = set(root.iter("a"))
    totals = dict.fromkeys(elements, 0)
    for element in reversed(elements):
        text = element.text
        total = totals[element]
        if text and element not in links:
            total += _visible_length(text)
            totals[element] = total
        parent = element.getparent()
        if parent is not None:
            tail = element.tail
            if tail:
                totals[parent] += _visible_length(tail)
            if element not in links:
                totals[parent] += total
    return totals


def _inside_link(link, container) -> bool:
    """Whether a link stands between ``link`` and its ancestor ``container``."""
    for ancestor in link.iterancestors():
        if ancestor is container:
            return False
        if ancestor.tag == "a":
            return True
    return False


# -------------------------------------------------------- chrome, dropped


def _has_chrome_attributes(element, names: list[str], totals: _TextTotals, root) -> bool:
    """Hidden, or named as furniture. ``names``: the element's attribute names."""
    if "hidden" in names:
        return True
    if "style" in names and _hides(element.get("style")):
        return True
    # A class name is only a hint: whatever holds a third of the page's text
    # is the content, however it is called.
    if "class" not in names and "id" not in names:  # (no get() for either)
        return False
    # (Words first: the shares are counted only for the few elements named as furniture.)
    return bool(_words(element) & _CHROME_WORDS) and totals(element) / max(1, totals(root)) < _CHROME_SHARE


# Found through lxml's C-level iter() filter, not a Python test of each
# element's tag (lxml builds a new string for each .tag read).
_NOT_ELEMENTS = (etree.Comment, etree.ProcessingInstruction, etree.Entity)
_DROPPED_BY_TAG = (*sorted(_DROP_TAGS), *_NOT_ELEMENTS)


def _chrome(root, totals: _TextTotals, headings: list) -> list:
    """The page furniture: the _DROP_TAGS and whatever is not an element, the
    <header>s without <h1>, then the other elements hidden or named as
    furniture (``totals``: of the page as parsed); each group in document order.
    ``headings`` receives the page's <h1>s, found in the same walk (not in a
    walk of their own: 0.14 ms a CMS page)."""
    dropped: list = []
    for element in root.iter(*_DROPPED_BY_TAG, "h1"):
        (headings if element.tag == "h1" else dropped).append(element)
    headers = list(root.iter("header"))  # (no walk when the page has no <header>: lxml knows its tag names)
    passed = {*dropped, *headers}  # (an element of these is furniture, or not, by its tag alone)
    candidates = [element for element in _attributed(root) if element not in passed]
    return [
        *dropped,
        *[header for header in headers if _is_chrome_header(header)],
        *[element for element in candidates if _has_chrome_attributes(element, element.keys(), totals, root)],
    ]


# Over the elements (descendant-or-self::*), not every node of the page as // goes: the text
# nodes hold no attribute (the queries ~20% faster on a CMS page).
_NAMING_ATTRIBUTES = etree.XPath(
    "descendant-or-self::*/@hidden|descendant-or-self::*/@class|descendant-or-self::*/@id"
)  # (smart strings: their elements known)
_STYLES = etree.XPath("descendant-or-self::*/@style", smart_strings=False)
_STYLE_ATTRIBUTES = etree.XPath("descendant-or-self::*/@style")


def _attributed(root) -> list:
    """The elements with an attribute that can make them furniture
    (``_has_chrome_attributes``): hidden, class or id, and a style only if one
    of the page's few distinct style values hides. They are found in C (XPath)
    instead of a keys() for every element of the page, a get() and a lookup
    for each styled one (every cell of a CMS page: the chrome 8.4M -> 4.8M instructions)."""
    attributes = _NAMING_ATTRIBUTES(root)
    if any(map(_hides, set(_STYLES(root)))):
        attributes += [style for style in _STYLE_ATTRIBUTES(root) if _hides(style)]
    return list(dict.fromkeys(attribute.getparent() for attribute in attributes))


def _drop_chrome(root, size: int, headings: list) -> _TextTotals:
    """Drop the page furniture (``_chrome``); returns the totals of what is
    left. ``size``: the length of the page's source; ``headings`` receives the
    page's <h1>s (those in the furniture are then no longer in the page). The
    order of removal does not change the tree left: a tail joins the previous
    sibling's (or the parent's text) whichever of them is left, and a removal
    inside a removed subtree changes only that subtree (tests/readers/test_html_chrome.py)."""
    for element in _chrome(root, _TextTotals(root, size), headings):
        if element.getparent() is not None:
            _drop_tree(element)
    return _TextTotals(root, size)


# What lxml refuses to set as text, though libxml2 parses it from a character reference
# (``&#1;``): C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates.
_NOT_XML_TEXT = linear(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _drop_tree(element) -> None:
    """Remove ``element`` and its subtree, keeping its tail text (lxml.html's drop_tree)."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            _set_text(parent, "text", (parent.text or "") + element.tail)
        else:
            _set_text(previous, "tail", (previous.tail or "") + element.tail)
    parent.remove(element)


def _set_text(element, name: str, text: str) -> None:
    """``element.text`` or ``.tail`` = ``text``; what lxml refuses to set becomes a space
    (as clean_text makes a control character of the page's bytes)."""
    try:
        setattr(element, name, text)
    except ValueError:
        setattr(element, name, _NOT_XML_TEXT.sub(" ", text))


# ------------------------------------------------------------ article body

_LEAF_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "caption", "ul", "ol", "dl", "a"}
)
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot"})
_DOMINANT = 0.8


def _content_root(body, totals: _TextTotals):
    """Walk down from <body> while one child holds most of the text: the
    article container wins over navigation, metadata panels and footers."""
    node = body
    while totals(node) > 0:
        best = _dominant_child(node, totals)
        if best is None:
            break
        tag = best.tag
        if tag == "table":
            cell = _dominant_cell(best, totals)
            if cell is None:
                break
            node = cell
        elif tag in _LEAF_TAGS or tag in _TABLE_PARTS:
            break
        else:
            node = best
    return node


def _dominant_child(node, totals: _TextTotals):
    """The child element holding the most text (the first such) when it holds
    _DOMINANT of ``node``'s; None otherwise."""
    whole = totals(node)
    threshold = _DOMINANT * whole
    children = []
    has_links = False
    for child in node:
        tag = child.tag
        if isinstance(tag, str):
            children.append(child)
            has_links = has_links or tag == "a"
    if has_links:  # a link's text is not in ``node``'s total: no bound on it, every child is counted
        best = max(children, key=totals)
        return best if totals(best) >= threshold else None
    # The children's totals add up to at most ``node``'s: one holding the
    # threshold is the only one that can, and once the children counted leave
    # less than it for the rest, none can (only the first few are counted).
    unseen = whole
    for child in children:
        total = totals(child)
        if total >= threshold:
            return child
        unseen -= total
        if unseen < threshold:
            return None
    return None


def _dominant_cell(table, totals: _TextTotals):
    """The one cell of a layout table that holds the article, if any."""
    whole = totals(table)
    for row in _table_rows(table):
        for cell in _row_cells(row):
            if totals(cell) >= _DOMINANT * whole:
                return cell
    return None


def _squash(text: str) -> str:
    return "".join(text.split())


def _find_title(root, headings: list):
    """The page's article title when it sits outside the article body (an
    <h1> above the text, as CMS templates do); None when the body has one.
    ``headings``: the page's <h1>s (``_drop_chrome``): whether one is in the
    body is known from their ancestors, without a walk of the body."""
    if any(ancestor is root for heading in headings for ancestor in heading.iterancestors()):
        return None
    ancestor = root
    for _ in range(4):
        ancestor = ancestor.getparent()
        if ancestor is None:
            return None
        found = None
        for element in ancestor.iter():
            if element is root:
                break
            if element.tag == "h1" or (element.tag != "title" and _words(element) & _TITLE_WORDS):
                text = _squash("".join(element.itertext()))
                if 0 < len(text) <= 200:
                    found = element
        if found is not None:
            return found
    return None


# ------------------------------------------------------------------ tables


# Children are picked by tag with lxml's iterchildren(tags): the filter runs
# in C, where ``child.tag`` would build a new string for every child.


def _table_rows(table) -> Iterator:
    for child in table.iterchildren("tr", *_TABLE_PARTS):
        if child.tag == "tr":
            yield child
        else:
            yield from child.iterchildren("tr")


def _row_groups(table) -> list[list]:
    """Rows grouped as HTML groups them (thead / each tbody / tfoot / loose
    rows): a rowspan never reaches past its group."""
    groups: list[list] = []
    loose: list = []
    for child in table.iterchildren("tr", *_TABLE_PARTS):
        if child.tag == "tr":
            loose.append(child)
        else:
            if loose:
                groups.append(loose)
                loose = []
            groups.append(list(child.iterchildren("tr")))
    if loose:
        groups.append(loose)
    return [group for group in groups if group]


def _row_cells(row) -> list:
    return list(row.iterchildren("td", "th"))


def _declared_spans(cells: list) -> list[tuple[int, int]] | None:
    """The rowspan and colspan each of a row's ``cells`` declares (1 where it
    declares none); None when none declares either."""
    spans = None
    for index, cell in enumerate(cells):
        names = cell.keys()  # one call; most cells declare no span, and then need no get()
        if "rowspan" in names or "colspan" in names:
            if spans is None:
                spans = [(1, 1)] * len(cells)
            spans[index] = (_span(cell.get("rowspan")), _span(cell.get("colspan")))
    return spans


def _span_grid(rows: list[list[GridCell]], limits: Limits) -> SpanGrid:
    """A SpanGrid holding ``rows``, read without spans (each cell one position)."""
    grid = SpanGrid(limits)
    for row_index, cells in enumerate(rows):
        for column, cell in enumerate(cells):
            grid.put(row_index, column, cell)
    return grid


def _is_layout_table(table) -> bool:
    """A table used for page layout (nesting tables, or one column of
    prose) is read as text; only data tables become grids."""
    if table.find(".//table") is not None:
        return True
    return all(len(_row_cells(row)) <= 1 for row in _table_rows(table))


# At most nine digits: int() of a longer digit string is refused by Python, and
# check_span refuses any span that large anyway.
_SPAN = linear(r"\s*+([0-9]{1,9})", searched=False)


def _span(value: str | None, default: int = 1) -> int:
    if value is None:  # most cells declare no span: no regex match
        return default
    match = _SPAN.match(value)
    return int(match.group(1)) if match else default


# ------------------------------------------------------------------ writer

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "th", "thead", "tfoot", "tr", "ul", "caption",
    }
)  # fmt: skip
_FLOW_SPACE = linear(r"[ \t\n\r\f]+")


def collapse_flow(text: str) -> str:
    """HTML white-space collapsing for running text. A source line break
    next to a Chinese character vanishes (CSS Text 3 segment-break rule), so a
    paragraph wrapped in the page source stays one unbroken sentence."""

    def space(match: re.Match[str]) -> str:
        if "\n" in match.group() or "\r" in match.group():
            before = text[match.start() - 1] if match.start() else ""
            after = text[match.end()] if match.end() < len(text) else ""
            if is_wide(before) or is_wide(after):
                return ""
        return " "

    return _FLOW_SPACE.sub(space, text).strip()


@dataclass
class _Line:
    """The rendered line being written: its pieces and where its first visible character is."""

    pieces: list[str] = field(default_factory=list)
    started: bool = False  # holds visible text yet
    offset: int | None = None
    fallback_line: int | None = None


class _Writer:
    """Turns the article's elements into TextBlocks (one per rendered line)
    and GridBlocks (one per data table), in reading order."""

    def __init__(self, source: Starts, limits: Limits):
        self.source = source
        self.limits = limits
        self.blocks: list[Block] = []
        self._line = _Line()
        self._preformatted = 0  # depth of <pre> elements we are in

    # -- running text

    def _add(self, text: str, node) -> None:
        """Add ``node``'s text or tail ``text``."""
        if not self._preformatted and text.isspace():  # (most tails: no source line read, no position)
            self._line.pieces.append(text)
            return
        line = node.sourceline
        offset = self.source.text_start(text, line)  # every node, to keep the matching in step
        if self._preformatted and "\n" in text:
            self._add_preformatted(text, offset, line)
            return
        self._piece(text, offset, line)

    def _piece(self, text: str, offset: int | None, line: int | None) -> None:
        if not self._line.started and text.strip():
            self._line.started = True
            self._line.offset = offset
            self._line.fallback_line = line
        self._line.pieces.append(text)

    def _add_preformatted(self, text: str, offset: int | None, line: int | None) -> None:
        """Each line of a <pre> is a line of its own. Source newlines match
        the text's one to one, so each line's position is found by stepping
        from newline to newline after the first visible character.
        (``offset`` and the line's: Positions tickets.)"""
        seen_text = False
        for index, part in enumerate(text.split("\n")):
            if index:
                self._flush()
                if seen_text:
                    offset = self.source.next_line(offset)
                if line is not None:
                    line += 1
            self._piece(part, offset if (seen_text or part.strip()) else None, line)
            seen_text = seen_text or bool(part.strip())

    def _flush(self) -> None:
        if not self._line.pieces:  # at most block starts and ends: nothing to write, the line is still new
            return
        text = collapse_flow("".join(self._line.pieces))
        if text:
            line = self._line
            self.blocks.append(self.source.text_block(text, line.offset, line.fallback_line))
        self._line = _Line()

    def write(self, root) -> None:
        # iterwalk yields the start and end of every element from C: no Python
        # stack of (node, leaving) pairs. It sees only elements: _drop_chrome
        # has removed every comment and processing instruction from the page.
        walker = etree.iterwalk(root, events=("start", "end"))
        opened: list[str] = []  # the open elements' tags: one .tag read per element, not two
        for event, node in walker:
            if event == "end":
                tag = opened.pop()
                if tag in _BLOCK_TAGS:
                    self._flush()
                self._preformatted -= tag == "pre"
                if node is not root:
                    text = node.tail
                    if text:
                        self._add(text, node)
                continue
            tag = node.tag
            opened.append(tag)
            if tag in _BLOCK_TAGS or tag == "br":
                self._flush()
            self._preformatted += tag == "pre"
            if tag == "table" and not _is_layout_table(node):
                grid = self._grid(node)
                if grid.rows and grid.rows[0]:  # a table without cells shows nothing
                    self.blocks.append(grid)
                walker.skip_subtree()  # its "end" still comes, for the tail
                continue
            text = node.text
            if text:
                self._add(text, node)
        self._flush()

    # -- tables

    def _grid(self, table) -> GridBlock:
        source = self.source
        limits = self.limits
        table_line = table.sourceline
        start = source.tag_start("table", table_line)
        groups = [
            [(row, _row_cells(row)) for row in group] for group in _row_groups(table)
        ]  # cells found once
        widest = max((len(cells) for group in groups for _, cells in group), default=0)
        height = sum(map(len, groups))
        # Most tables declare no span and fit the limits (nothing to clamp or
        # refuse): their rows are their cells as read, padded to the widest
        # row, with no SpanGrid (no put() and no position tuple a cell). From
        # the first span on, the rows read so far go into a SpanGrid (``plain``: None).
        fits = widest <= limits.max_grid_columns and height * widest <= limits.max_grid_cells
        plain: list[list[GridCell]] | None = [] if fits else None
        grid = None if fits else SpanGrid(limits)
        row_tags: list[tuple[int, int | None]] = []  # each row's start tag: ticket, line
        row_index = 0
        for group in groups:
            for position, (row, cells) in enumerate(group):
                row_line = row.sourceline
                row_tags.append((source.tag_start("tr", row_line), row_line))
                spans = _declared_spans(cells)
                if plain is not None and spans is None:
                    plain.append([self._cell(cell) for cell in cells])
                else:
                    if grid is None:
                        grid = _span_grid(plain or [], limits)
                        plain = None
                    self._place_row(grid, row_index, cells, spans, len(group) - position, max(1, widest))
                row_index += 1

        def empty_cell(row: int, _column: int = 0) -> GridCell:
            """A position no cell covers: at its row's start tag (past the rows, the table's)."""
            ticket, line = row_tags[row] if row < len(row_tags) else (start, table_line)
            return GridCell.to_locate("", source, ticket, line)

        if grid is None:
            rows = [
                cells if len(cells) == widest else cells + [empty_cell(r) for _ in range(len(cells), widest)]
                for r, cells in enumerate(plain or [])
            ]
        else:
            grid.cover_rows(row_index)
            rows = grid.rows(empty_cell)
        return source.grid_block(rows, start, table_line)

    def _place_row(
        self,
        grid: SpanGrid,
        row_index: int,
        cells: list,
        spans: list[tuple[int, int]] | None,
        remaining: int,
        widest: int,
    ) -> None:
        """Read and place a row's ``cells``; ``spans``: their declared rowspans and
        colspans (``_declared_spans``)."""
        column = 0
        for index, cell in enumerate(cells):
            # While no cell spans rows, the row is free from ``column`` on: no call
            # (write 21.0M -> 20.6M instructions a page).
            if grid.spans_rows:
                column = grid.first_free(row_index, column)
            rowspan, declared_colspan = (1, 1) if spans is None else spans[index]
            # (Comparisons, not min()/max(): those builtin calls were a tenth of the table time.)
            declared = rowspan if rowspan > declared_colspan else declared_colspan
            if declared > self.limits.max_declared_span:
                check_span(declared, self.limits)
            # Spans are clamped to what the table really has: rowspan="0"
            # means "to the end of the group" and no rowspan reaches past it;
            # no cell is wider than the row with the most cells. So
            # rowspan/colspan=65534 cost nothing.
            rowspan = remaining if rowspan == 0 or rowspan > remaining else rowspan
            colspan = 1 if declared_colspan < 1 else declared_colspan
            colspan = widest if colspan > widest else colspan
            column += grid.put(row_index, column, self._cell(cell), rowspan, colspan)

    def _cell(self, cell) -> GridCell:
        source = self.source
        line = cell.sourceline  # (read once: each read is a C call building an int)
        # A cell whose elements each hold only the next one (``<td><p><span>…``,
        # as CMS editors write every cell) is read here, down the chain and up
        # again, with no walker, no _CellText and no call per piece; any other
        # cell is walked (``_walk_cell``).
        chain = []
        node = cell
        while (count := len(node)) == 1:
            node = node[0]
            chain.append(node)
        if count:
            read = _CellText(source)
            _walk_cell(cell, read)
            lines, pieces = read.end()
        else:
            text = _lone_text(cell, chain)
            if text is not None:  # the usual cell: one text, at the foot of its chain
                start = source.lone_text_start(cell, line, text, chain[-1].sourceline)
                return GridCell.to_locate(cell_text([text]), source, start, line)
            lines, pieces = _chain_lines(cell, line, chain, source)
        # Only a cell without text located points at its start tag: the others' are not looked
        # for (grids 1.54 -> 1.38 ms a CMS page); the next search starts past their text all the same.
        # (Located only when asked: a Location a cell was 0.4 ms a CMS page.)
        return GridCell.to_locate(cell_text(lines), source, source.cell_start(cell, line, pieces), line)


class _CellText:
    """A cell's text as visual lines (<p>, <br>, <div> break them; empty lines
    left out), and the Positions tickets of its pieces that are not white space."""

    def __init__(self, source: Starts):
        self.source = source
        self.lines: list[str] = []
        self.pieces: list[str] = []  # of the line being read
        self.located: list[int | None] = []

    def add(self, text: str, line: int | None) -> None:
        ticket = self.source.text_start(text, line)  # every piece, to keep the matching in step
        if ticket is not None:
            self.located.append(ticket)
        self.pieces.append(text)

    def break_line(self) -> None:
        self.lines.append("".join(self.pieces))
        self.pieces = []

    def end(self) -> tuple[list[str], list[int | None]]:
        if self.pieces:
            self.break_line()
        return self.lines, self.located


def _walk_cell(cell, read: _CellText) -> None:
    blocks: list[bool] = []  # whether each open element is a block: one .tag read per element
    # iterwalk: the start and end of each element from C, as in _Writer.write.
    for event, node in etree.iterwalk(cell, events=("start", "end")):
        if event == "start":
            tag = node.tag
            block = tag in _BLOCK_TAGS
            blocks.append(block)
            if (block or tag == "br") and read.pieces:
                read.break_line()
            text = node.text
        else:
            if blocks.pop() and read.pieces:
                read.break_line()
            if node is cell:
                break
            text = node.tail
        if text:
            read.add(text, node.sourceline)


def _lone_text(cell, chain: list) -> str | None:
    """The text of a cell whose elements each hold only the next one (``chain``: those
    below the cell) when it is the foot's text, holding a visible character, and the cell
    holds no other text: what ``_chain_lines`` would make its one line and one piece
    (with no tag read, no list and no call a piece: a bench web page's whole check
    70.45M -> 69.08M instructions); else None."""
    if not chain or cell.text:
        return None
    foot = chain[-1]
    text = foot.text
    if not text or text.isspace():
        return None
    for node in chain:
        if node.tail or (node.text and node is not foot):
            return None
    return text


def _chain_lines(cell, line: int | None, chain: list, source: Starts) -> tuple[list[str], list[int | None]]:
    """The visual lines of a cell whose elements each hold only the next one
    (``chain``: those below the cell, the cell's source line ``line``), and the
    tickets of its pieces that are not white space, as ``_CellText`` finds them: the
    texts down the chain, then the tails up it. A tag is read only where a
    break could end a line (measured: a <td><p><span> cell in 1.5 µs instead
    of 4). The cell's own tag is never read: it is a <td> or <th>, a block,
    whose end closes the last line. A white-space piece is not located (no
    position to find, nor the matching to move: no source line read); every
    other piece is, to keep the matching in step."""
    lines: list[str] = []
    located: list[int | None] = []
    piece = cell.text or ""  # pieces are never empty: "" means no piece on this line yet
    if piece and not piece.isspace():
        located.append(source.visible_start(piece, line))
    # Two loops, down then up, not one over both with a test of the direction
    # at each step (0.7M instructions a CMS page).
    for node in chain:  # down: each element's start, then its text
        if piece and ((tag := node.tag) in _BLOCK_TAGS or tag == "br"):
            lines.append(piece)
            piece = ""
        text = node.text
        if text:
            if not text.isspace():
                located.append(source.visible_start(text, node.sourceline))
            piece += text
    for node in reversed(chain):  # up, but for the cell: each element's end, then its tail
        if piece and node.tag in _BLOCK_TAGS:
            lines.append(piece)
            piece = ""
        text = node.tail
        if text:
            if not text.isspace():
                located.append(source.visible_start(text, node.sourceline))
            piece += text
    if piece:
        lines.append(piece)
    return lines, located


# ------------------------------------------------------------------ entry


def html_document(path: str, data: bytes, limits: Limits = LIMITS, *, locate_all: bool = False) -> Document:
    """``locate_all``: every position will be asked (LoadOptions.locate_all); otherwise they
    are found when one first is."""
    text, encoding = decode_html(data)
    cleaned = _may_hold_controls(data, encoding)
    if cleaned:
        text = clean_text(text)
    _refuse_dtd(text)
    if encoding == "utf-8" and not cleaned and _PROCESSING_START.match(text) is None:
        # The text is the bytes decoded, nothing replaced nor blanked: libxml2 reads them as
        # they are, UTF-8 being its own encoding, where a str reaches it as UTF-16 or UCS-4
        # to convert (decoding and parsing a CMS page 14.6M -> 13.4M instructions); the
        # encoding given, a <meta charset> in the page does not switch it.
        root = _parse(data, "utf-8")
    else:
        root = _parse(_without_xml_declaration(text))
    headings: list = []
    totals = _drop_chrome(root, len(text), headings)
    body = root.find("body")
    if body is None:
        body = root
    article = _content_root(body, totals)
    lines = text.split("\n")
    # (No pass over the lines of a page without CR.)
    source_lines = [line.removesuffix("\r") for line in lines] if "\r" in text else lines
    at_once = locate_all or len(text) > _RECORDED_POSITIONS_LIMIT
    writer = _Writer(SourceMap(text, lines) if at_once else Positions(text, lines), limits)
    title = _find_title(article, headings)
    if title is not None:
        writer.write(title)
    writer.write(article)
    if not any(isinstance(b, GridBlock) or b.text.strip() for b in writer.blocks):
        raise unreadable("网页中没有可读取的正文文字", "the page holds no readable text")
    return Document(
        path=path,
        format="html",
        blocks=writer.blocks,
        encoding=encoding,
        source_lines=source_lines,
    )
