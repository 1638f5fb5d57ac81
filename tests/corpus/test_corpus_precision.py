"""Precision and recall on the real reports (issue 11): each false or mis-aimed
finding a careful reader found, and each miss, on the corpus file where it was
found (or a copy with one edit, written to the test's tmp dir)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gilint.model import CheckedReport, Diagnostic
from gilint.read.load import load_path


def check(linter, path: Path | str) -> CheckedReport:
    (result,) = linter.check_path(str(path))
    return result


def found(result: CheckedReport, code: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code == code]


def edited(corpus_dir: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of a corpus file with one edit (the original is never touched)."""
    data = (corpus_dir / name).read_bytes()
    encoded = old.encode("utf-8")
    assert data.count(encoded) >= 1, f"{old!r} not in {name}"
    target = tmp_path / name
    target.write_bytes(data.replace(encoded, new.encode("utf-8"), 1))
    return target


# ------------------------------------------------------ input damage: GI006


@pytest.mark.parametrize("name", ["022.txt", "026.txt", "045.txt", "046.txt", "028.txt"])
def test_glued_digits_are_input_damage_not_a_table_shape_error(linter, corpus_dir: Path, name: str) -> None:
    result = check(linter, corpus_dir / name)
    assert not found(result, "GI105"), [d.text("zh") for d in found(result, "GI105")]
    damage = found(result, "GI006")
    assert damage and all(d.severity.value in ("warning", "info") for d in damage)
    assert not [d for d in result.diagnostics if d.severity.value == "error" and d.code == "GI006"]


def test_045_unsplittable_row_is_a_warning_at_its_digits(linter, corpus_dir: Path) -> None:
    result = check(linter, corpus_dir / "045.txt")
    (warning,) = [d for d in found(result, "GI006") if d.severity.value == "warning"]
    assert warning.data["row"] == "normative_documents" and warning.data["issue"] == "ambiguous_split"
    assert "2159165" in warning.text("zh") and "输入" in warning.text("zh")
    source = result.source_lines[warning.location.line - 1]
    assert source[warning.location.column - 1 : warning.location.end_column - 1] == "2159165"


# --------------------------------------------------- text in a count cell: GI206

_NEW_ROW_COMMERCIAL = '<p style="text-indent: 0em;">1</p>'  # 027a.html: 一、本年新收 × 商业企业


@pytest.mark.parametrize(
    ("written", "severity", "value"), [("abc", "error", None), ("O", "error", None), ("一", "info", 1)]
)
def test_text_in_an_html_count_cell_is_gi206_at_that_cell(
    linter, corpus_dir: Path, tmp_path: Path, written: str, severity: str, value: int | None
) -> None:
    cell = f'<p style="text-indent: 0em;">{written}</p>'
    result = check(linter, edited(corpus_dir, tmp_path, "027a.html", _NEW_ROW_COMMERCIAL, cell))
    (finding,) = found(result, "GI206")
    assert (finding.cell.table, finding.cell.row, finding.cell.column) == ("application", "new", "commercial")
    assert finding.severity.value == severity and finding.data["value"] == value
    location = finding.location
    assert result.source_lines[location.line - 1][location.column - 1 : location.end_column - 1] == written
    # no lost labels, wrong cell count or glued digits blamed for it
    assert not found(result, "GI105") and not found(result, "GI006")


@pytest.mark.parametrize(("written", "status"), [("abc", "text"), ("一", "numeral"), ("O", "text")])
def test_text_in_a_docx_count_cell_is_gi206_at_that_cell(
    linter, corpus_dir: Path, tmp_path: Path, written: str, status: str
) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document(str(corpus_dir / "template-2021-blank.docx"))
    document.tables[1].rows[3].cells[4].text = written  # 表三 一、本年新收 × 商业企业
    path = tmp_path / "template-2021-one-cell.docx"
    document.save(str(path))
    result = check(linter, path)
    (finding,) = [d for d in found(result, "GI206") if d.data.get("status") == status]
    assert (finding.cell.row, finding.cell.column) == ("new", "commercial")
    assert finding.location.where == "Word 文件中第 2 个表格 第4行第5列"
    assert not found(result, "GI105") and not found(result, "GI006")


# ------------------------------------------------------------ legacy topics


LEGACY_WITHOUT_FEES = ["010.txt", "011.txt", "012.txt", "014.txt", "016.txt", "041.txt", "042.txt"]


@pytest.mark.parametrize("name", LEGACY_WITHOUT_FEES)
def test_a_missing_legacy_fee_statement_is_one_finding(linter, corpus_dir: Path, name: str) -> None:
    result = check(linter, corpus_dir / name)
    assert len(found(result, "GI303")) == 1
    assert not [d for d in found(result, "GI101") if d.data.get("topic") == "fees"]


def test_042_needs_explaining_section_is_the_other_matters_topic(linter, corpus_dir: Path) -> None:
    result = check(linter, corpus_dir / "042.txt")
    assert not [d for d in found(result, "GI101") if d.data.get("topic") == "other"]
    # 041 has no such section (四 then 七、附表): still reported
    result = check(linter, corpus_dir / "041.txt")
    assert [d.data["topic"] for d in found(result, "GI101")] == ["other"]


# ------------------------------------------------------------ fees: GI301/GI302


def test_028_no_fee_collected_is_consistent_with_unpaid_notices(linter, corpus_dir: Path) -> None:
    """「无收取信息处理费」 agrees with （六）2 = 2 (notices sent, not paid); what the
    statement lacks is the count and amount of the notices: GI301, not GI302."""
    result = check(linter, corpus_dir / "028.txt")
    assert not found(result, "GI302")
    (finding,) = found(result, "GI301")
    assert finding.severity.value == "warning" and finding.data["unpaid_fee"] == 2
    location = finding.location
    assert "无收取信息处理费情况" in result.source_lines[location.line - 1][location.column - 1 :][:30]


# -------------------------------------------------- statistics period: GI404


@pytest.mark.parametrize(
    ("name", "quoted", "problems"),
    [
        ("041.txt", "统计期限自2018月1日起至2018年12月31日", ["start_incomplete"]),
        ("014.txt", "统计期限自至", ["start_missing", "end_missing"]),
    ],
)
def test_malformed_statistics_period(
    linter, corpus_dir: Path, name: str, quoted: str, problems: list[str]
) -> None:
    result = check(linter, corpus_dir / name)
    (finding,) = found(result, "GI404")
    assert finding.data["problems"] == problems and finding.data["period"] == quoted
    location = finding.location
    assert result.source_lines[location.line - 1][location.column - 1 : location.end_column - 1] == quoted


def test_whole_statistics_periods_are_not_reported(linter, corpus_dir: Path) -> None:
    for name in ("012.txt", "016.txt", "007.md", "027a.html", "038.txt"):
        assert not found(check(linter, corpus_dir / name), "GI404"), name


# ------------------------------------------------------------ body year: GI401


@pytest.mark.parametrize(("name", "year", "title_year"), [("038.txt", 2023, 2024), ("039.txt", 2024, 2025)])
def test_a_sub_item_opening_in_another_year(
    linter, corpus_dir: Path, name: str, year: int, title_year: int
) -> None:
    result = check(linter, corpus_dir / name)
    (finding,) = found(result, "GI401")
    assert finding.data == {"title_year": title_year, "year": year, "source": "item"}
    location = finding.location
    assert result.source_lines[location.line - 1][location.column - 1 :].startswith(f"{year}年")
    assert "小节开头" in finding.text("zh")


def test_a_year_that_starts_another_period_is_no_mismatch(linter, corpus_dir: Path, tmp_path: Path) -> None:
    path = edited(corpus_dir, tmp_path, "038.txt", "2023年，在主动公开的61条", "2023年以来，在主动公开的61条")
    assert not found(check(linter, path), "GI401")


# ---------------------------------------------------------- breakdowns: GI208


def test_013_parts_in_the_next_sentence_do_not_add_up(linter, corpus_dir: Path) -> None:
    """「…1913条。其中，区直、县直各单位…1397条，占73%。各乡镇…534条，占27%。」: 1931 ≠ 1913."""
    result = check(linter, corpus_dir / "013.txt")
    (finding,) = found(result, "GI208")
    assert finding.data["total"] == 1913 and finding.data["terms"] == [1397, 534]
    assert finding.data["sum"] == 1931 and "1931" in finding.text("zh")
    location = finding.location
    assert result.source_lines[location.line - 1][location.column - 1 :].startswith("其中")
    assert location.end_column > location.column + 40  # the span runs to the last part


def test_016_same_template_adds_up(linter, corpus_dir: Path) -> None:
    assert not found(check(linter, corpus_dir / "016.txt"), "GI208")


# -------------------------------------------------- the agency: GI108 on 027a


def test_027a_page_names_its_agency_in_the_opening_sentence(linter, corpus_dir: Path) -> None:
    """027a.html is 027's page without its heading: the agency comes from the same
    evidence (「2024年，平潭综合实验区坚持…」), so GI108 runs on both alike."""
    text, page = check(linter, corpus_dir / "027.txt"), check(linter, corpus_dir / "027a.html")
    assert page.agency == text.agency == "平潭综合实验区"
    assert page.agency_kind == text.agency_kind == "government"
    (on_page,), (on_text,) = found(page, "GI108"), found(text, "GI108")
    assert on_page.data == on_text.data == {"missing": ["accountability"]}
    assert on_page.location is not None


# ------------------------------------------- numbered lines that are no section


def test_007_renumbered_sub_items_are_not_sections(linter, corpus_dir: Path) -> None:
    """「五、政府信息管理」 is a sub-item of 总体情况 that a converter renumbered: not
    section 五, and no 「duplicate number」 for 「二、工作机制保障」."""
    result = check(linter, corpus_dir / "007.md")
    assert not found(result, "GI103")
    assert not [d for d in found(result, "GI102") if "政府信息管理" in d.text("zh") or "重复" in d.text("zh")]
    (report,) = linter.analyse(load_path(str(corpus_dir / "007.md")))
    titles = {section.key: section.title for section in report.sections if section.key}
    assert titles["proactive"] == "主动公开政府信息情况"
    assert "problems" not in titles and "政府信息管理" not in [s.title for s in report.sections]


def test_008_table_fragment_is_not_a_section(linter, corpus_dir: Path) -> None:
    result = check(linter, corpus_dir / "008.md")
    assert not found(result, "GI102")
    assert not [d for d in result.diagnostics if "本法提供" in d.text("zh")]


# ----------------------------------- several quantities in one sentence: GI207/GI208


def test_a_clause_with_its_own_period_does_not_hide_the_next(
    linter, corpus_dir: Path, tmp_path: Path
) -> None:
    """「…收到申请154件，上年结转0件，共办结147件，结转至2026年6件」: 上年 belongs to its
    own clause, so the 办结 figure is compared with table 三 (148), and the four
    figures of the sentence must balance (154 + 0 ≠ 147 + 6)."""
    path = edited(corpus_dir, tmp_path, "028.txt", "共办结148件", "上年结转0件，共办结147件")
    result = check(linter, path)
    (mismatch,) = found(result, "GI207")
    assert mismatch.data["quantity"] == "application.total_processed"
    assert (mismatch.data["prose"], mismatch.data["table"]) == (147, 148)
    location = mismatch.location
    assert result.source_lines[location.line - 1][location.column - 1 :].startswith("办结147件")
    (balance,) = found(result, "GI208")
    assert balance.data["identity"] == "balance" and balance.data["residual"] == 1
    assert "154 + 0 ≠ 147 + 6" in balance.text("zh")


def test_028_as_published_is_consistent(linter, corpus_dir: Path) -> None:
    result = check(linter, corpus_dir / "028.txt")
    assert not found(result, "GI207") and not found(result, "GI208")


# ---------------------------------------- format version from evidence: GI403/GI109


@pytest.mark.parametrize("name", ["005.html", "007.md"])
def test_one_old_label_is_a_wording_slip_not_another_version(linter, corpus_dir: Path, name: str) -> None:
    result = check(linter, corpus_dir / name)
    assert not found(result, "GI403")
    (slip,) = found(result, "GI109")
    assert slip.severity.value == "warning" and slip.data["label"] == "规范性文件"
    assert slip.data["row"] == "normative_documents" and slip.data["expected"] == ["行政规范性文件"]
    location = slip.location
    assert "规范性文件" in result.source_lines[location.line - 1][location.column - 1 :][:20]


@pytest.mark.parametrize("name", ["002.pdf", "003.pdf"])
def test_single_row_other_handling_weighs_for_2019(linter, corpus_dir: Path, name: str) -> None:
    result = check(linter, corpus_dir / name)
    (layout,) = found(result, "GI403")
    assert layout.table == "application" and layout.data["layout"] == "2019"
    assert layout.data["signals"] == [{"kind": "single_row", "name": "（六）其他处理", "weight": 3.0}]
    assert layout.data["weights"] == {"2019": 3.0, "2021": 0.0}
    assert "单行「（六）其他处理」" in layout.text("zh") and "otherwise handled" in layout.text("en")


# ------------------------------------------------- the legacy 统计表: GI207


def test_016_review_in_the_text_against_the_statistics_table(linter, corpus_dir: Path) -> None:
    """「收到1份有关政府信息公开行政复议申请」 but the 统计表 says 行政复议数 件 0 0."""
    result = check(linter, corpus_dir / "016.txt")
    (mismatch,) = found(result, "GI207")
    cell = mismatch.cell
    assert (cell.table, cell.row, cell.column) == ("legacy_statistics", "review", "year")
    assert (mismatch.data["prose"], mismatch.data["table"]) == (1, 0)
    assert "统计表「行政复议数」本年度" in mismatch.text("zh")
    location = mismatch.location
    quoted = result.source_lines[location.line - 1][location.column - 1 :]
    assert quoted.startswith("1份有关政府信息公开行政复议申请")


@pytest.mark.parametrize(
    ("name", "values"),
    [
        # spaced, with 历年累计
        (
            "016.txt",
            {("proactive", "year"): 72804, ("proactive", "cumulative"): 76424, ("review", "year"): 0},
        ),
        # 年末统计 only: one value per indicator, the unit glued to the label
        ("041.txt", {("proactive", "year"): 138, ("applications_email", "year"): 0}),
        # the 2008-era indicators of another template (正式受理…申请数, 在办件, 受理…行政复议数)
        ("042.txt", {("proactive", "year"): 20, ("pending", "year"): 0, ("review", "year"): 0}),
        # glued digits, split where only one split fits (77 → 7/7)
        ("011.txt", {("proactive_gazette", "year"): 7, ("proactive_gazette", "cumulative"): 7}),
    ],
)
def test_legacy_statistics_tables_are_read(linter, corpus_dir: Path, name: str, values: dict) -> None:
    (report,) = linter.analyse(load_path(str(corpus_dir / name)))
    table = report.tables["legacy_statistics"]
    assert {key: table.value(*key) for key in values} == values
    if name in ("041.txt", "042.txt"):  # no 历年累计 column printed
        assert not [cell for cell in table.cells.values() if cell.column == "cumulative"]


def test_2019_and_2021_reports_have_no_statistics_table(linter, corpus_dir: Path) -> None:
    (report,) = linter.analyse(load_path(str(corpus_dir / "026.txt")))
    assert "legacy_statistics" not in report.tables
