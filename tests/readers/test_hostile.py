"""Hostile files: each gives exactly one LoadError (GI001, or GI004 for a
scan) within seconds, never a traceback, a hang or a memory blow-up."""

from __future__ import annotations

import io
import sys
import time
import zipfile

import pytest
from reader_helpers import HOSTILE, corpus_file, grids

from gilint.read import safety
from gilint.read.base import LoadError
from gilint.read.docx import docx_document
from gilint.read.html import _parse, html_document
from gilint.read.load import load_bytes, load_path
from gilint.read.pdf import pdf_document
from gilint.read.safety import Limits, Timeout, safe_xml_parser, time_limit

SECONDS = 5.0
REFUSED = {
    "zip-bomb.docx": "GI001",  # 128 MiB member from 131 KB
    "zip-many-members.docx": "GI001",  # 1,503 members
    "entity-bomb.docx": "GI001",  # billion laughs in document.xml
    "external-entity.docx": "GI001",  # <!ENTITY xxe SYSTEM "file:///etc/passwd">
    "external-entity.html": "GI001",
    "random.pdf": "GI001",
    "random.docx": "GI001",
    "random.html": "GI001",
    "truncated.docx": "GI001",
    "deep-nesting.html": "GI001",  # 20,000 nested <div>
    "flate-bomb.pdf": "GI001",  # content stream inflating to 128 MiB
    "scanned.pdf": "GI004",  # image only: needs OCR
    "rowspan-65534.html": "GI001",  # rowspan/colspan=65534: no report table is that big
    "huge-spans.docx": "GI001",  # gridSpan=999999999
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_quickly(name, record_property):
    start = time.perf_counter()
    with pytest.raises(LoadError) as error:
        load_path(str(HOSTILE / name))
    elapsed = time.perf_counter() - start
    record_property("seconds", round(elapsed, 3))
    assert error.value.code == REFUSED[name]
    assert error.value.message["zh"] and error.value.message["en"]
    assert elapsed < SECONDS


def test_spans_are_clamped_to_the_real_table():
    """A span within the limit but past the table's edge covers what exists, as
    browsers do: rowspan=9 in a 4-row table, colspan=9 in a 3-column one."""
    rows = '<tr><td rowspan="9">合并</td><td colspan="9">宽</td></tr>' + "".join(
        f"<tr><td>第{i}行</td><td>{i}</td></tr>" for i in range(3)
    )
    grid = grids(html_document("t.html", f"<table>{rows}</table>".encode()))[0]
    assert [[c.text for c in row] for row in grid.rows] == [
        ["合并", "宽", "宽"], ["合并", "第0行", "0"], ["合并", "第1行", "1"], ["合并", "第2行", "2"],
    ]  # fmt: skip


def test_grid_cell_cap():
    rows = "".join("<tr>" + "<td>1</td>" * 20 + "</tr>" for _ in range(20))
    with pytest.raises(LoadError) as error:
        html_document("t.html", f"<table>{rows}</table>".encode(), Limits(max_grid_cells=100))
    assert error.value.code == "GI001"


def test_high_compression_ratio_member_is_a_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (16 * 1024 * 1024))
    with pytest.raises(LoadError) as error:
        docx_document("t.docx", buffer.getvalue())
    assert error.value.code == "GI001" and "ratio" in error.value.message["en"]


def test_old_doc_renamed_docx():
    with pytest.raises(LoadError) as error:
        load_bytes("t.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert error.value.code == "GI001" and ".doc" in error.value.message["en"]


def test_pdf_page_and_time_limits():
    data = corpus_file("002.pdf").read_bytes()
    with pytest.raises(LoadError) as error:
        pdf_document("t.pdf", data, Limits(pdf_pages=2))
    assert error.value.code == "GI001" and "pages" in error.value.message["en"]
    start = time.perf_counter()
    with pytest.raises(LoadError) as error:
        pdf_document("t.pdf", data, Limits(pdf_seconds=0.01))
    assert error.value.code == "GI001" and "took over" in error.value.message["en"]
    assert time.perf_counter() - start < 1.0


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


class _Finalized:
    """An object whose finalizer takes ``seconds`` (as a library's file object closing a big
    file), then raises ``raises``, if any."""

    def __init__(self, seconds: float, raises: BaseException | None = None):
        self.seconds = seconds
        self.raises = raises

    def __del__(self):
        _busy(self.seconds)
        if self.raises is not None:
            raise self.raises


def test_a_timeout_in_a_finalizer_is_no_traceback_and_the_timer_fires_again(monkeypatch):
    """The timer firing inside a ``__del__`` cannot stop the reading from there: Python would
    print "Exception ignored in …" with a traceback on standard error. Nothing is printed; the
    timer fires again and stops the reading outside the finalizer."""
    monkeypatch.setattr(safety, "_REPEAT_SECONDS", 0.05)
    reported: list = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    with pytest.raises(Timeout), time_limit(0.01):
        _Finalized(0.5)  # dies at once: the timer fires in its finalizer
        _busy(5)  # the timer fires again here
    assert reported == []
    assert sys.unraisablehook == reported.append  # the hook there was is back


def test_what_else_a_finalizer_raises_under_the_time_limit_is_still_reported(monkeypatch):
    reported: list = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    with time_limit(30):
        _Finalized(0, ValueError("closing failed"))
    assert [type(report.exc_value) for report in reported] == [ValueError]


# The XML parsers themselves never expand entities either (defence in depth
# behind the DTD refusal): the external entity stays unresolved, the bomb
# either stays unexpanded or stops at libxml2's amplification limit.
XXE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>[&x;]</r>'
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY %s "%s">' % (n.encode(), (b"&" + p.encode() + b";") * 10)
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + b"]><r>&i;</r>"
)


@pytest.mark.parametrize("parser_name", ["python-docx", "gilint"])
def test_xml_parsers_do_not_resolve_entities(parser_name):
    from lxml import etree

    if parser_name == "python-docx":
        from docx.oxml.parser import oxml_parser as parser
    else:
        parser = safe_xml_parser()
    root = etree.fromstring(XXE, parser)
    assert "root:" not in etree.tostring(root, encoding=str)
    start = time.perf_counter()
    try:
        root = etree.fromstring(BOMB, parser)
        assert len(etree.tostring(root)) < 10_000
    except etree.XMLSyntaxError as error:
        assert "amplification" in str(error) or "entity" in str(error).lower()
    assert time.perf_counter() - start < 1.0


def test_html_parser_does_not_expand_entities():
    from lxml import etree

    root = _parse('<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><p>[&x;]</p>')
    assert "root:" not in etree.tostring(root, encoding=str)
