"""`--output-format html`: one valid, self-contained HTML5 page; report text is
escaped; wrong cells are marked with the value they should hold."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import html5lib
import pytest
from front_helpers import RIGHT_VALUE, WRONG_KEY, wrong_cell_docx

from gilint.cli import main
from gilint.model import CellRef, CheckedReport, Diagnostic, Severity, TableView, TableViewRow
from gilint.render.base import RenderOptions
from gilint.render.html import html_report

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def _check(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["check", *argv], out=out), out.getvalue()


def parse_strict(page: str):
    """Parse as an HTML5 browser would, failing on any parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(page)


def _text(element) -> str:
    return "".join(element.itertext())


def _only_our_markup(tree) -> None:
    """One script (ours), no images, no event-handler attributes, nothing loaded."""
    scripts = tree.findall(".//script")
    assert len(scripts) <= 1 and all("alert" not in _text(s) and not s.get("src") for s in scripts)
    assert tree.findall(".//img") == []
    for element in tree.iter():
        assert not any(name.lower().startswith("on") for name in element.attrib), element.attrib
        for name in ("src", "href"):
            value = element.get(name)
            assert value is None or value.startswith("#"), (element.tag, value)
    assert tree.findall(".//link") == [] and tree.findall(".//iframe") == []


@pytest.fixture(scope="module")
def corpus_page(corpus_dir) -> tuple[str, dict]:
    code, page = _check(str(corpus_dir), "--output-format", "html", "--jobs", "2")
    _, data = _check(str(corpus_dir), "--output-format", "json", "--jobs", "2")
    assert code in (0, 1)
    return page, json.loads(data)


def test_corpus_gives_one_valid_html5_file_indexing_every_report(corpus_page):
    page, data = corpus_page
    tree = parse_strict(page)
    assert page.startswith("<!DOCTYPE html>")
    rows = tree.findall(".//table[@id='index']/tbody/tr")
    reports = data["files"]
    assert len(rows) == len(reports) == len(tree.findall(".//section[@class='report']")) > 40
    for row, report in zip(rows, reports, strict=True):
        file_link = row.find(".//td[@class='file']/a")
        assert report["path"] in _text(file_link)
        assert file_link.get("href") == "#" + row.get("data-report")
        codes = sorted({d["code"] for d in report["diagnostics"]})
        assert row.get("data-codes").split() == codes
        numbers = [int(_text(cell)) for cell in row.findall("td[@class='num']")[2:5]]
        assert numbers == [
            sum(d["severity"] == severity for d in report["diagnostics"])
            for severity in ("error", "warning", "info")
        ]
    cards = tree.findall(".//li[@data-code]")
    assert len(cards) == data["summary"]["error"] + data["summary"]["warning"] + data["summary"]["info"]
    filter_codes = [option.get("value") for option in tree.findall(".//select[@id='filter-code']/option")]
    assert filter_codes[1:] == sorted({d["code"] for f in reports for d in f["diagnostics"]})


def test_page_is_self_contained(corpus_page):
    page, _ = corpus_page
    tree = parse_strict(page)
    _only_our_markup(tree)
    assert len(tree.findall(".//style")) == 1 and "@media print" in _text(tree.find(".//style"))
    assert tree.find(".//meta[@name='viewport']") is not None
    # nothing is fetched: no attribute or stylesheet names a network address (a report's own
    # text may quote one, as 014 does its portal's address; that is shown as text)
    assert not re.search(r"""(?:src|href|action)=["']?(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)


def test_report_text_with_markup_is_shown_as_text(examples_dir, tmp_path):
    source = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    source = source.replace("全年共收到政府信息公开申请48件", "全年共收到政府信息公开申请49件" + EVIL, 1)
    report = tmp_path / 'x"><img src=y onerror=alert(3)>.md'
    report.write_text(source, encoding="utf-8")
    _, page = _check(str(report), "--output-format", "html")
    tree = parse_strict(page)
    _only_our_markup(tree)
    quotes = [_text(quote) for quote in tree.findall(".//blockquote")]
    # the GI207 finding quotes its line (a window of it: 50 characters after the span)
    assert any('<script>alert(1)</script>"><img src=x' in quote for quote in quotes)
    assert "onerror=alert(3)>.md" in _text(tree.find(".//h2"))


def test_every_field_is_escaped():
    """Agency, path, message, quote, where and table cells all carry user text."""
    diagnostic = Diagnostic(
        "GI206",
        EVIL,
        Severity.ERROR,
        {"zh": EVIL, "en": EVIL},
        None,
        EVIL,
        cell=CellRef("application", "new", "total"),
        snippet=EVIL,
        data={"expected": 3},
    )
    table = TableView(
        "application",
        {"zh": EVIL},
        {"total": {"zh": EVIL}},
        [TableViewRow("new", {"zh": EVIL}, {"total": EVIL})],
    )
    result = CheckedReport(EVIL, 0, 2, "2021", 2024, EVIL, "department", [diagnostic], None, [table])
    page = html_report([result, result], RenderOptions(version="test"))
    tree = parse_strict(page)
    _only_our_markup(tree)
    assert _text(tree.find(".//td[@data-cell='application:new:total']")).startswith(EVIL)
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8


def test_wrong_cell_is_marked_with_the_value_it_should_hold(tmp_path):
    draft = wrong_cell_docx(tmp_path / "draft.docx")
    code, page = _check(str(draft), "--output-format", "html")
    assert code == 1
    tree = parse_strict(page)
    marked = tree.findall(".//td[@data-cell]")
    bad = [cell for cell in marked if "bad" in cell.get("class", "").split()]
    assert [cell.get("data-cell") for cell in bad] == [WRONG_KEY]
    (cell,) = bad
    assert _text(cell.find("a")) == "35"
    assert _text(cell.find("span[@class='expect']")) == f"应为 {RIGHT_VALUE}"
    assert "GI201" in cell.get("title") and "GI204" in cell.get("title")
    target = cell.find("a").get("href")[1:]
    card = tree.find(f".//li[@id='{target}']")
    assert card.get("data-code") == "GI201" and "（七）总计 × 自然人" in _text(card)
    assert _text(card.find("blockquote")) == "35"  # the cell's own text, quoted from the Word file
    assert "Word 文件中第 2 个表格 第27行第4列" in _text(card.find(".//div[@class='where']"))
    # the three tables are redrawn
    assert len(tree.findall(".//table[@class='grid']")) == 3
    assert tree.findall(".//table[@id='index']") == []  # one report: no index


def test_english(tmp_path):
    draft = wrong_cell_docx(tmp_path / "draft.docx")
    _, page = _check(str(draft), "--output-format", "html", "--lang", "en")
    tree = parse_strict(page)
    assert tree.get("lang") == "en"
    assert f"should be {RIGHT_VALUE}" in _text(tree.find(".//span[@class='expect']"))
    assert "Annual report check results" in _text(tree.find(".//h1"))


def test_clean_report_says_so(examples_dir):
    code, page = _check(str(examples_dir / "clean-2021.md"), "--output-format", "html")
    tree = parse_strict(page)
    assert code == 0
    assert "未发现问题" in _text(tree.find(".//section[@class='report']"))
    assert tree.findall(".//td[@data-cell]") and not tree.findall(".//td[@title]")


def test_templates_ship_inside_the_package(repo_dir):
    """Found through the package (importlib.resources), as in an installed wheel;
    the wheel takes every file under gilint/ and nothing in .gitignore drops them."""
    from importlib.resources import files

    for package, name in (("gilint.render", "report.html.j2"), ("gilint.serve", "upload.html.j2")):
        assert (files(package) / "templates" / name).is_file()
    ignored = (repo_dir / ".gitignore").read_text()
    assert "templates" not in ignored and ".j2" not in ignored


def test_unreadable_file_is_a_card_not_a_crash(repo_dir, tmp_path):
    bomb = tmp_path / "bomb.docx"
    shutil.copy(Path(repo_dir) / "tests/fixtures/readers/hostile/zip-bomb.docx", bomb)
    code, page = _check(str(bomb), "--output-format", "html")
    tree = parse_strict(page)
    assert code == 1
    assert [card.get("data-code") for card in tree.findall(".//li[@data-code]")] == ["GI001"]


def test_pdf_and_word_findings_quote_the_text_they_are_about(corpus_dir):
    """Without source lines the pipeline quotes the cell or line a finding points at:
    a PDF page's label names every cell on it, the position picks the right one."""
    from gilint.pipeline import Linter

    linter = Linter()
    (pdf,) = linter.check_path(str(corpus_dir / "002.pdf"))
    cells = [d for d in pdf.diagnostics if d.cell is not None and d.data and "reported" in d.data]
    assert cells
    for diagnostic in cells:
        assert diagnostic.snippet == str(int(diagnostic.data["reported"]))
    (word,) = linter.check_path(str(corpus_dir / "template-2021-blank.docx"))
    (title,) = [d for d in word.diagnostics if d.code == "GI107"]
    assert title.snippet == "政府信息公开工作年度报告格式模板"
