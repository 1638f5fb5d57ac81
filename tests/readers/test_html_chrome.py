"""Site chrome is removed in groups (dropped tags, headers, then elements hidden
or named as furniture), not in document order: the tree left is the same."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from gilint.read.html import _chrome, _drop_tree, _parse, _TextTotals

# Elements that may or may not be furniture, with text and tails around them.
pieces = st.sampled_from(
    ["<div>", "</div>", "<nav>", "</nav>", "<p class='share'>", "<p hidden>", "</p>", "<header>", "</header>",
     "<span style='display:none'>", "</span>", "<h1>", "</h1>", "<script>x</script>", "text", "正文", " "]
)  # fmt: skip


def dropped_in(order: list, root) -> bytes:
    for element in order:
        if element.getparent() is not None:
            _drop_tree(element)
    return etree.tostring(root, encoding="utf-8")


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=40).map("".join))
def test_chrome_dropped_in_any_order_leaves_the_same_tree(body):
    page = f"<html><body><div>{body}</div>tail</body></html>"
    root = _parse(page)
    chrome = _chrome(root, _TextTotals(root, len(page)), [])
    in_groups, in_document_order = root, copy.deepcopy(root)
    position = {element: index for index, element in enumerate(root.iter())}
    mapped = dict(zip(root.iter(), in_document_order.iter(), strict=True))
    ordered = [mapped[element] for element in sorted(chrome, key=position.__getitem__)]
    assert dropped_in(chrome, in_groups) == dropped_in(ordered, in_document_order)
