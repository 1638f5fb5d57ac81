"""Hostile inputs (issue 14): the smallest triggers an attack on gilint found, and
variants of them (other sizes, other whitespace, other codecs, other formats).

Each ``Trigger`` writes its file(s) into a folder and returns the file to check;
tests/test_hostile_inputs.py runs gilint on each under a time and memory limit.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO
from tests.fixtures.readers.make_fixtures import DOC_RELS, NUMBERING_TYPE, document_xml, docx, pdf_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CLEAN = (REPO / "examples" / "clean-2021.md").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Trigger:
    name: str
    build: Callable[[Path], Path]
    args: tuple[str, ...] = field(default=())


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def in_report(line: str) -> str:
    """A real report with ``line`` put into its first section, so that every step
    (regions, quantities, prose checks) runs over it."""
    head, marker, tail = CLEAN.partition("（二）")
    return head + line + "\n\n" + marker + tail


def text_trigger(name: str, line: str, suffix: str = ".md") -> Trigger:
    return Trigger(name, lambda folder: _write(folder, f"{name}{suffix}", in_report(line)))


# ------------------------------------------------------------------- text

TEXT_TRIGGERS = [
    # the table-region heading pattern: a long run of spaces in one sentence
    text_trigger("spaces-1000", "本年度" + " " * 1000 + "主动公开政府信息。"),
    text_trigger("spaces-120", "本年度" + " " * 120 + "主动公开政府信息。"),
    text_trigger("spaces-100000", "本年度" + " " * 100_000 + "主动公开"),
    text_trigger("ideographic-spaces-50000", "本年度" + "\u3000" * 50_000 + "二、主动公开"),
    text_trigger("tabs-50000", "本年度。" + "\t" * 50_000 + "表 二"),
    text_trigger("nbsp-50000", "说明：" + "\xa0" * 50_000 + "二"),
    text_trigger("newlines-50000", "说明" + "\n" * 50_000 + "二、"),
    # the quantity pattern: a long run of digits or Chinese numerals before no unit
    text_trigger("digits-10000", "共收到申请" + "1" * 10_000 + "。"),
    text_trigger("digits-200000", "共收到申请" + "7" * 200_000),
    text_trigger("ling-10000", "共收到申请" + "〇" * 10_000 + "。"),
    text_trigger("chinese-numerals-100000", "共" + "一二三四五六七八九十百千万" * 8_000),
    text_trigger("thousands-groups-30000", "共" + "1" + ",234" * 30_000 + "。"),
    text_trigger("decimals-30000", "占比" + "1.2" * 30_000 + "%"),
    text_trigger("spaced-digits-30000", "共" + "5 " * 30_000 + "件"),
    # the trailing-pipes pattern: a line of "| "
    text_trigger("pipes-40000", "| " * 40_000 + "x"),
    text_trigger("pipes-only-200000", "| " * 200_000),
    text_trigger("pipes-spaces-100000", "|" + " " * 100_000 + "x"),
    # headings, quotes, dates
    text_trigger("heading-prefixes-30000", "一、" * 30_000),
    text_trigger("parentheses-30000", "（一）" * 30_000),
    text_trigger("quotes-30000", "《〔" * 30_000),
    text_trigger("years-30000", "2021年" * 30_000),
    text_trigger("date-spaces-50000", "2021年" + " " * 50_000 + "1"),
    text_trigger("markdown-rows-5000", "\n".join("|" + " |" * 200 for _ in range(500))),
    text_trigger("hashes-50000", "#" * 50_000 + " 一、总体情况"),
    text_trigger("percent-words-20000", "百分之" * 20_000),
    text_trigger("share-20000", "其中1件" + "(占" * 20_000),
    # too many sentences: the prose checks stop at their limit with an info finding
    Trigger(
        "sentences-1000000",
        lambda folder: _write(folder, "sentences.txt", in_report("申请1件。" * 1_000_000)),
    ),
    Trigger(
        "crlf-runs", lambda folder: _write(folder, "crlf.txt", in_report("\r\n" * 100_000 + "二、主动公开"))
    ),
]


# ------------------------------------------------------------------- HTML

CODECS = ("base64", "hex", "rot13", "uu", "zlib", "undefined", "bz2", "quopri", "idna", "unicode_escape")


def html_page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _html(name: str, text: str) -> Trigger:
    return Trigger(name, lambda folder: _write(folder, f"{name}.html", text))


def _wide_grid_html(rows: int) -> str:
    first = "<tr>" + "<td>1</td>" * 1000 + "</tr>"
    return html_page("<p>一、总体情况</p><table>" + first + "<tr></tr>" * rows + "</table>")


HTML_TRIGGERS = [
    _html("doctype-20000", "<!DOCTYPE " * 20_000),
    _html("doctype-lower-20000", "<!doctype html " * 20_000 + "<p>二、主动公开</p>"),
    _html("meta-20000", "<meta " * 20_000 + "charset=utf-8>"),
    _html("meta-charset-spaces", "<meta charset" + " " * 50_000 + "=x>"),
    _html("html-grid-1000x100000", _wide_grid_html(100_000)),
    _html("html-grid-1000x10000", _wide_grid_html(10_000)),
    _html("unclosed-quotes-50000", "<p " + '"' * 50_000 + "><p>一、总体情况</p>"),
    _html("comment-openers-50000", "<!--" * 50_000),
    _html("script-openers-30000", "<script>" * 30_000),
    _html("entities-100000", html_page("<p>" + "&nbsp;" * 100_000 + "一、总体情况</p>")),
    _html("colspan-digits", html_page('<table><tr><td colspan="' + "9" * 10_000 + '">1</td></tr></table>')),
    *(
        _html(f"meta-charset-{codec}", html_page("<p>一、总体情况</p>", f"<meta charset={codec}>"))
        for codec in CODECS
    ),
    Trigger(
        "meta-charset-base64-gbk",
        lambda folder: _write(
            folder,
            "gbk-base64.html",
            html_page("<p>一、总体情况 二〇二一年</p>", "<meta charset=base64>").encode("gb18030"),
        ),
    ),
]


# ------------------------------------------------------------------- DOCX


def _numbering_docx(start: str, fmt: str, text: str = "%1.") -> bytes:
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    ).encode()
    paragraph = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        "<w:r><w:t>总体情况</w:t></w:r></w:p>"
    )
    return docx(
        document_xml(paragraph * 3),
        [("word/numbering.xml", numbering), ("word/_rels/document.xml.rels", DOC_RELS.encode())],
        NUMBERING_TYPE,
    )


def _empty_rows_docx(rows: int) -> bytes:
    cells = "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>" * 1000
    table = f"<w:tbl><w:tr>{cells}</w:tr>" + "<w:tr/>" * rows + "</w:tbl>"
    return docx(document_xml("<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>" + table))


def _ratio_docx() -> bytes:
    """22 KB inflating to 7 MB of XML: under the old 8 MiB floor of the ratio check."""
    body = "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>" + "<w:p/>" * 1_000_000
    return docx(document_xml(body))


def _docx(name: str, data: Callable[[], bytes]) -> Trigger:
    return Trigger(name, lambda folder: _write(folder, f"{name}.docx", data()))


DOCX_TRIGGERS = [
    _docx("numbering-start-1e20-letters", lambda: _numbering_docx("1" + "0" * 20, "upperLetter")),
    _docx("numbering-start-1e20-lower", lambda: _numbering_docx("1" + "0" * 20, "lowerLetter")),
    _docx("numbering-start-1e30-letters", lambda: _numbering_docx("1" + "0" * 30, "upperLetter")),
    _docx("numbering-start-1e9-letters", lambda: _numbering_docx("1000000000", "upperLetter")),
    _docx("numbering-start-huge-decimal", lambda: _numbering_docx("9" * 4000, "decimal")),
    _docx("numbering-start-huge-zero", lambda: _numbering_docx("9" * 30, "decimalZero")),
    _docx("numbering-start-negative", lambda: _numbering_docx("-" + "9" * 30, "ideographDigital")),
    _docx("numbering-start-1e20-circle", lambda: _numbering_docx("1" + "0" * 20, "decimalEnclosedCircle")),
    _docx("numbering-start-1e20-fullwidth", lambda: _numbering_docx("1" + "0" * 20, "decimalFullWidth")),
    _docx("numbering-text-placeholders", lambda: _numbering_docx("100000", "upperLetter", "%1" * 200)),
    _docx("docx-grid-1000x100000", lambda: _empty_rows_docx(100_000)),
    _docx("member-ratio-7mb", _ratio_docx),
]


# -------------------------------------------------------------------- PDF

_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _text_page(resources: bytes = b"/Font << /F1 5 0 R >>") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << %s >> >>" % (
        resources
    )


def _tounicode_pdf(copies: int) -> bytes:
    """One glyph whose ToUnicode map expands to ``copies`` characters."""
    target = "4E00" * copies
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"1 beginbfchar <41> <" + target.encode() + b"> endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    content = b"BT /F1 12 Tf 72 720 Td (" + b"A" * 200 + b") Tj ET"
    return pdf_bytes(
        [
            _CATALOG,
            _PAGES,
            _text_page(),
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            _stream(zlib.compress(cmap), b"/Filter /FlateDecode "),
        ]
    )


def _self_contents_pdf() -> bytes:
    """A page whose contents object is an array that refers to itself."""
    return pdf_bytes(
        [
            _CATALOG,
            _PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"[4 0 R 4 0 R]",
        ]
    )


def _self_reference_pdf() -> bytes:
    """A page whose contents object is a reference to itself (``4 0 obj 4 0 R``)."""
    return pdf_bytes(
        [
            _CATALOG,
            _PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"4 0 R",
        ]
    )


def _reference_cycle_pdf() -> bytes:
    """Two objects that refer to each other, used as the page's resources."""
    return pdf_bytes(
        [
            _CATALOG,
            _PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>",
            _stream(b"BT /F1 12 Tf (x) Tj ET"),
            b"6 0 R",
            b"5 0 R",
        ]
    )


def _self_form_pdf() -> bytes:
    """A form XObject that draws itself."""
    form = b"/Fm0 Do"
    return pdf_bytes(
        [
            _CATALOG,
            _PAGES,
            _text_page(b"/XObject << /Fm0 5 0 R >>"),
            _stream(b"/Fm0 Do"),
            _stream(
                form,
                b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                b"/Resources << /XObject << /Fm0 5 0 R >> >> ",
            ),
        ]
    )


def _self_pages_pdf() -> bytes:
    """A page tree whose Kids contain the tree itself."""
    return pdf_bytes([_CATALOG, b"<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 2 >>"])


def _encrypted_pdf() -> bytes:
    """Standard security handler with an unknown user password (RC4, revision 3)."""
    encrypt = (
        b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 "
        b"/O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>"
    )
    body = pdf_bytes([_CATALOG, _PAGES, _text_page(), _stream(b"BT ET"), encrypt])
    return body.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Encrypt 5 0 R /ID [<01><01>] >>")


def _pdf(name: str, data: Callable[[], bytes]) -> Trigger:
    return Trigger(name, lambda folder: _write(folder, f"{name}.pdf", data()))


PDF_TRIGGERS = [
    _pdf("tounicode-200000", lambda: _tounicode_pdf(200_000)),
    _pdf("tounicode-20000", lambda: _tounicode_pdf(20_000)),
    _pdf("self-contents", _self_contents_pdf),
    _pdf("self-reference", _self_reference_pdf),
    _pdf("reference-cycle", _reference_cycle_pdf),
    _pdf("self-form", _self_form_pdf),
    _pdf("self-pages", _self_pages_pdf),
    _pdf("encrypted", _encrypted_pdf),
]


# ------------------------------------------------------------ rule packs


def _pack_folder(folder: Path, pack: str, lexicon: str | None = None) -> Path:
    rules = folder / "rules"
    (rules / "lexicon").mkdir(parents=True, exist_ok=True)
    (rules / "pack.yaml").write_text(pack, encoding="utf-8")
    if lexicon is not None:
        (rules / "lexicon" / "government.yaml").write_text(lexicon, encoding="utf-8")
    return rules


def _with_config(folder: Path, pack: str, lexicon: str | None = None, config: bytes | None = None) -> Path:
    """A report with a .gilint.yaml beside it that pulls in a custom pack."""
    _pack_folder(folder, pack, lexicon)
    (folder / ".gilint.yaml").write_bytes(config if config is not None else b"rules: [rules]\n")
    return _write(folder, "report.md", CLEAN)


MENTIONS_PACK = """pack: hostile
rules:
  - code: GI108
    kind: required_mentions
    params: {{lexicon: '{lexicon}'}}
    messages:
      default: {{zh: "缺少 {{missing_zh}}", en: "missing {{missing_en}}"}}
"""
CATASTROPHIC_LEXICON = """topics:
  - key: x
    label: {zh: x, en: x}
    patterns: ['(a+)+$', '(\\\\s*)*报告', '(?:.*公开)*。$']
"""


def _deep_expression_folder(folder: Path) -> Path:
    rules = folder / "rules"
    (rules / "tables").mkdir(parents=True)
    expression = " + ".join(["new"] * 3000)
    (rules / "tables" / "deep.yaml").write_text(
        "table: application\nextends: true\nidentities:\n"
        f"  - {{name: deep, code: GI201, each: column, expression: '{expression} == total_processed',"
        " target: total_processed}\n",
        encoding="utf-8",
    )
    (folder / ".gilint.yaml").write_text("rules: [rules]\n", encoding="utf-8")
    return _write(folder, "report.md", CLEAN)


def _template_pack(template: str) -> str:
    return (
        "pack: templates\nrules:\n  - code: GI107\n    kind: title_form\n    messages:\n"
        f"      missing: {{zh: '{template}', en: '{template}'}}\n"
        f"      form: {{zh: '{template}', en: '{template}'}}\n"
    )


PACK_TRIGGERS = [
    Trigger(
        "catastrophic-lexicon",
        lambda folder: _with_config(folder, MENTIONS_PACK.format(lexicon="government"), CATASTROPHIC_LEXICON),
    ),
    Trigger(
        "lexicon-outside-pack",
        lambda folder: _with_config(folder, MENTIONS_PACK.format(lexicon="../../../../../etc/hostname")),
    ),
    Trigger("expression-3000-terms", _deep_expression_folder),
    Trigger("template-open-brace", lambda folder: _with_config(folder, _template_pack("标题 {"))),
    Trigger(
        "template-huge-width", lambda folder: _with_config(folder, _template_pack("{title:>1999999999}"))
    ),
    Trigger("template-attribute", lambda folder: _with_config(folder, _template_pack("{title.__class__}"))),
    Trigger("template-index", lambda folder: _with_config(folder, _template_pack("{title[0]}"))),
    Trigger("pack-not-utf8", lambda folder: _pack_latin1(folder)),
    Trigger(
        "config-not-utf8",
        lambda folder: _with_config(folder, "pack: x\nrules: []\n", config=b"lang: \xff\xfe\n"),
    ),
]


def _pack_latin1(folder: Path) -> Path:
    rules = folder / "rules"
    rules.mkdir()
    (rules / "pack.yaml").write_bytes(b"pack: x\nrules: []\n# \xff\xfe\n")
    (folder / ".gilint.yaml").write_text("rules: [rules]\n", encoding="utf-8")
    return _write(folder, "report.md", CLEAN)


def _fifo(folder: Path) -> Path:
    import os

    path = folder / "report.md"
    os.mkfifo(path)
    return path


OTHER_TRIGGERS = [Trigger("fifo", _fifo)]

ALL_TRIGGERS = TEXT_TRIGGERS + HTML_TRIGGERS + DOCX_TRIGGERS + PDF_TRIGGERS + PACK_TRIGGERS + OTHER_TRIGGERS


def zip_member_sizes(data: bytes) -> dict[str, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {member.filename: member.file_size for member in archive.infolist()}
