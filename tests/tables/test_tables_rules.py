"""The table kinds on small made-up reports: the single cell to blame, unknown
cells, a stated placeholder convention, GI210, GI403, grids, custom packs."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from table_render import Tables, application_values, outcome_rows, review_values, write_report

from gilint.data import rules_dir
from gilint.model import Document, GridBlock, GridCell, Location, Report
from gilint.pipeline import Linter, Options
from gilint.tables import extract_tables, load_table_models

MODELS = load_table_models([rules_dir()])
PROACTIVE_2021 = {
    "regulations": {"issued": 0, "repealed": 0, "in_force": 3},
    "normative_documents": {"issued": 2, "repealed": 1, "in_force": 17},
    "licensing": {"decisions": 642},
    "punishment": {"decisions": 156},
    "coercion": {"decisions": 23},
    "fees": {"amount_10k_yuan": 12.5},
}


def balanced(profile: str = "2021") -> Tables:
    layout = MODELS["application"].layouts[profile]
    outcomes = [[(i * 7 + j * 3) % 5 for j in range(6)] for i in range(len(outcome_rows(layout)))]
    application = application_values(layout, outcomes, [2, 1, 0, 0, 0, 0], [3, 0, 1, 0, 0, 0])
    proactive = copy.deepcopy(PROACTIVE_2021) if profile == "2021" else {}
    return Tables(profile, proactive, application, review_values([[1, 0, 1, 0], [2, 1, 0, 0], [0, 0, 0, 1]]))


def diagnostics(text: str, name: str = "report.txt", linter: Linter | None = None):
    (result,) = (linter or Linter()).check_bytes(name, text.encode("utf-8"))
    return result.diagnostics


@pytest.fixture(scope="module")
def lint():
    linter = Linter()
    return lambda text, name="report.txt": diagnostics(text, name, linter)


def test_the_one_wrong_sub_row_cell_is_named(lint) -> None:
    tables = balanced()
    tables.application["denied.internal_affairs"]["natural_person"] += 2
    found = [d for d in lint(write_report(MODELS, tables, "lines")) if d.code.startswith("GI2")]
    assert {d.code for d in found} == {"GI202", "GI204"}
    assert {(d.cell.row, d.cell.column) for d in found} == {("denied.internal_affairs", "natural_person")}
    for finding in found:
        assert finding.data["culprit"] and len(finding.data["fixes"]) == 2
        assert "只需改正这一格" in finding.message["zh"]
        assert "correcting this one cell" in finding.message["en"]


def test_a_wrong_total_is_named_not_its_parts(lint) -> None:
    tables = balanced()
    tables.application["total_processed"]["total"] += 4
    found = [d for d in lint(write_report(MODELS, tables, "pipe"), "report.md") if d.code.startswith("GI2")]
    assert {d.code for d in found} == {"GI201", "GI202", "GI204"}
    assert {(d.cell.row, d.cell.column) for d in found} == {("total_processed", "total")}


def test_review_total(lint) -> None:
    tables = balanced()
    tables.review_litigation["litigation_direct"]["total"] = 0
    (found,) = [d for d in lint(write_report(MODELS, tables, "cells")) if d.code.startswith("GI2")]
    assert found.code == "GI205" and (found.cell.row, found.cell.column) == ("litigation_direct", "total")
    assert "报告值 0，应为 3" in found.message["zh"] and "结果维持 2 + 结果纠正 1" in found.message["zh"]


def test_blank_and_placeholder_cells_are_unknown(lint) -> None:
    text = write_report(MODELS, balanced(), "pipe").replace(
        "| 四、结转下年度继续办理 | 3 |", "| 四、结转下年度继续办理 |  |"
    )
    found = lint(text, "report.md")
    unknown = [d for d in found if d.code == "GI206"]
    assert [(d.cell.row, d.cell.column) for d in unknown] == [("carried_forward", "natural_person")]
    assert "不视为 0" in unknown[0].message["zh"]
    # identities using the unknown cell are skipped, not failed
    assert not [d for d in found if d.code.startswith("GI2") and d.code != "GI206"]


def test_stated_convention_reads_placeholder_as_zero(lint) -> None:
    tables = balanced()
    tables.review_litigation["review"] = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    text = write_report(MODELS, tables, "lines").replace("\n0 0 0 0 0 2 1 0 0 3", "\n/ / / / / 2 1 0 0 3")
    found = lint(text)
    unknown = [d for d in found if d.code == "GI206" and d.severity.value == "error"]
    assert {d.cell.column for d in unknown} == {"upheld", "corrected", "other", "pending", "total"}
    text = text.replace("六、其他需要报告的事项", "六、其他需要报告的事项\n注：表中“/”表示0。")
    found = lint(text)
    zero = [d for d in found if d.code == "GI206"]
    assert zero and all(d.severity.value == "info" for d in zero)


def test_fee_in_yuan_and_issued_beyond_stock(lint) -> None:
    tables = balanced()
    tables.proactive["fees"]["amount_10k_yuan"] = 2425231
    tables.proactive["normative_documents"] = {"issued": 30, "repealed": 1, "in_force": 17}
    found = {d.cell.row: d for d in lint(write_report(MODELS, tables, "lines")) if d.code == "GI210"}
    assert set(found) == {"fees", "normative_documents"}
    assert "疑似按「元」填写" in found["fees"].message["zh"]
    assert "30 > 18" in found["normative_documents"].message["zh"]


def test_2019_layout_in_a_2021_report(lint) -> None:
    text = (
        write_report(MODELS, balanced("2019"), "lines")
        .replace("2020年", "2022年")
        .replace("2021年1月", "2023年1月")
    )
    found = [d for d in lint(text) if d.code == "GI403"]
    assert [d.table for d in found] == ["application"]
    assert "（六）其他处理" in found[0].message["zh"].replace("(", "（").replace(")", "）")


def test_six_cells_for_seven_columns(lint) -> None:
    text = write_report(MODELS, balanced(), "lines").replace(
        "二、上年结转政府信息公开申请数量 2 1 0 0 0 0 3", "二、上年结转政府信息公开申请数量 2 1 0 0 0 3"
    )
    found = [d for d in lint(text) if d.code == "GI105" and d.severity.value == "error"]
    assert [d.data["row"] for d in found] == ["carried_over"]
    assert "应有 7 格，实际读到 6 格" in found[0].message["zh"]
    # the row sits out of the identities: no cascade of arithmetic errors
    assert not [d for d in lint(text) if d.code.startswith("GI2")]


# -------------------------------------------------------------------- grids


def _grid(rows: list[list[str]]) -> GridBlock:
    cells = []
    for r, row in enumerate(rows):
        line: list[GridCell] = []
        for c, text in enumerate(row):
            if text == "<":  # merged with the cell on its left: the same object
                line.append(line[-1])
            else:
                line.append(
                    GridCell(text, Location(r + 1, c + 1, r + 1, c + 2, f"表 1 第{r + 1}行第{c + 1}列"))
                )
        cells.append(line)
    return GridBlock(cells, Location(1, 1, len(rows), 1))


def test_grid_with_merged_cells() -> None:
    grid = _grid(
        [
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0", "0", "3"],
            ["行政规范性文件", "2", "1", "17"],
            ["信息内容", "本年处理决定数量", "<", "<"],
            ["行政许可", "642", "<", "<"],
            ["行政处罚", "156", "<", "<"],
            ["行政强制", "23", "<", "<"],
            ["信息内容", "本年收费金额（单位：万元）", "<", "<"],
            ["行政事业性收费", "12.5", "<", "<"],
        ]
    )
    report = Report(Document("x.docx", "docx", [grid]), 0, 1, lines=[], profile="2021")
    extract_tables(report, MODELS)
    table = report.tables["proactive"]
    assert table.shape == "grid" and table.layout == "2021"
    assert table.value("licensing", "decisions") == 642 and table.value("fees", "amount_10k_yuan") == 12.5
    assert table.cells[("fees", "amount_10k_yuan")].location.where == "表 1 第9行第2列"
    assert not table.issues


# ------------------------------------------------------------ custom packs


def test_a_custom_pack_adds_an_identity_without_code(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "province.yaml").write_text(
        """pack: province
catalog:
  PR901:
    name: granted-share
    severity: warning
    profiles: ["2021"]
    summary: {zh: 予以公开不超过新收, en: granted at most new}
rules:
  - code: PR901
    kind: table_identity
    params: {table: application, each: column, expression: "granted <= new", target: granted}
    messages:
      default: {zh: "{cell}：{sides}", en: "{cell_en}: {sides}"}
""",
        encoding="utf-8",
    )
    tables = balanced()
    tables.application["granted"]["natural_person"] = 99  # breaks GI202/GI204 too, and PR901
    text = write_report(MODELS, tables, "lines")
    found = [d for d in diagnostics(text, linter=Linter(Options(rule_dirs=(tmp_path,)))) if d.code == "PR901"]
    assert [(d.cell.row, d.cell.column) for d in found] == [("granted", "natural_person")]


def test_a_custom_table_file_extends_a_model(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "extra.yaml").write_text(
        """table: application
extends: true
rows:
  - key: denied.law_prohibited
    labels: [2.其他法律行政法规规定禁止公开的]
identities:
  - {name: no_more_denials_than_grants, code: GI210, each: column, expression: "partial <= granted + new"}
""",
        encoding="utf-8",
    )
    models = load_table_models([rules_dir(), tmp_path])
    assert any(i.name == "no_more_denials_than_grants" for i in models["application"].identities)
    labels = [
        label.text for label in models["application"].layouts["2021"].by_key["denied.law_prohibited"].labels
    ]
    assert "2.其他法律行政法规规定禁止公开的" in labels
