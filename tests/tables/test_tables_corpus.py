"""The tables of real reports: the seeds' known defects, the hand-checked
GROUND_TRUTH.tsv values of table 三, and the extract JSON contract."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest

from gilint.extract import extract_document
from gilint.read.load import load_path

TABLE_CODES = ("GI004", "GI006", "GI104", "GI105", "GI109", "GI206", "GI403")
GROUND_TRUTH_SHAPES = (".txt", ".md")
OUTCOMES_2019 = [
    "granted",
    "partial",
    *(f"denied.{k}" for k in ("state_secret", "law_prohibited", "security_stability", "third_party")),
    *(f"denied.{k}" for k in ("internal_affairs", "process_info", "enforcement_file", "query_matter")),
    *(f"unable.{k}" for k in ("not_held", "needs_creation", "unclear")),
    *(f"not_processed.{k}" for k in ("complaint", "repeated", "publication", "excessive", "confirmation")),
]
OUTCOMES_2021 = [*OUTCOMES_2019, "other.no_correction", "other.unpaid_fee", "other.other"]


def seed(seeds_dir: Path, number: str) -> str:
    return str(next(seeds_dir.glob(f"{number}_*.txt")))


def table_findings(result, codes=None) -> list:
    return [
        d
        for d in result.diagnostics
        if (d.table or d.code in TABLE_CODES) and (codes is None or d.code in codes)
    ]


# -------------------------------------------------------------- the seeds


def test_seed_001_outcome_total_and_balance(linter, seeds_dir: Path) -> None:
    (result,) = linter.check_path(seed(seeds_dir, "001"))
    assert result.profile == "2019"
    outcome = {(d.cell.row, d.cell.column): d for d in result.diagnostics if d.code == "GI202"}
    assert set(outcome) == {("total_processed", "natural_person"), ("total_processed", "total")}
    for finding in outcome.values():
        assert "报告值 0，应为 13" in finding.message["zh"]
        assert "expected 13" in finding.message["en"]
        assert finding.data["expected"] == 13 and finding.data["reported"] == 0
        assert finding.location is not None and finding.location.line > 500
    balance = [d for d in result.diagnostics if d.code == "GI201"]
    assert {d.cell.column for d in balance} == {"natural_person", "total"}
    short_rows = {
        d.data["row"] for d in result.diagnostics if d.code == "GI105" and d.severity.value == "error"
    }
    assert short_rows == {"carried_over", "carried_forward"}
    # the seed's lost row labels are the input's damage, an info note of their own
    damage = [d for d in result.diagnostics if d.code == "GI006"]
    assert [(d.severity.value, d.data["issue"]) for d in damage] == [("info", "inferred_rows")]
    others = [d for d in table_findings(result) if d.code not in ("GI201", "GI202", "GI105", "GI006")]
    assert not others, [(d.code, d.text("en")) for d in others]
    assert not [
        d for d in table_findings(result, {"GI105"}) if d.severity.value == "error" and d.data["row"] is None
    ]


@pytest.mark.parametrize("number", ["000", "002", "004"])
def test_seeds_with_lost_tables(linter, seeds_dir: Path, number: str) -> None:
    (result,) = linter.check_path(seed(seeds_dir, number))
    lost = {d.table for d in result.diagnostics if d.code in ("GI004", "GI104")}
    assert lost == {"proactive", "application", "review_litigation"}
    assert not [d for d in result.diagnostics if d.code.startswith("GI2")]


# --------------------------------------------------------- GROUND_TRUTH.tsv


def ground_truth(corpus_dir: Path) -> list[dict[str, str]]:
    with open(corpus_dir / "GROUND_TRUTH.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row for row in rows if row["file"].endswith(GROUND_TRUTH_SHAPES)]


def _value(table, row: str) -> str:
    value = table.value(row, "total")
    return "" if value is None else str(int(value))


def test_ground_truth_files_present(corpus_dir: Path) -> None:
    names = {row["file"] for row in ground_truth(corpus_dir)}
    assert {"006.txt", "007.md", "008.md", "023.txt", "024.txt", "048.txt", "049.txt"} <= names
    assert len(names) == 18


@pytest.mark.parametrize("index", range(18))
def test_ground_truth_values_and_verdicts(linter, corpus_dir: Path, index: int) -> None:
    truth = ground_truth(corpus_dir)[index]
    path = str(corpus_dir / truth["file"])
    (report,) = linter.analyse(load_path(path))
    table = report.tables["application"]
    for key in ("new", "carried_over", "total_processed", "carried_forward"):
        assert _value(table, key) == truth[key], (truth["file"], key)
    outcomes = OUTCOMES_2021 if table.layout == "2021" else [*OUTCOMES_2019, "other"]
    written = truth["notes"].split("(in table order): ")[1].split(" (sum")[0].split(",")
    assert [_value(table, key) for key in outcomes] == written, truth["file"]
    (result,) = linter.check_path(path)
    codes = {d.code for d in result.diagnostics}
    assert ("GI201" in codes) == (truth["identity_holds"] == "no"), truth["file"]
    assert ("GI202" in codes) == (truth["subtotal_holds"] == "no"), truth["file"]


def test_023_outcome_rows_add_to_27(linter, corpus_dir: Path) -> None:
    (result,) = linter.check_path(str(corpus_dir / "023.txt"))
    total = next(d for d in result.diagnostics if d.code == "GI202" and d.cell.column == "total")
    assert total.data["reported"] == 21 and total.data["expected"] == 27
    assert "（七）总计 × 总计：报告值 21，应为 27" in total.message["zh"]


def test_048_counted_twice(linter, corpus_dir: Path) -> None:
    (result,) = linter.check_path(str(corpus_dir / "048.txt"))
    balance = [d for d in result.diagnostics if d.code == "GI201"]
    assert {d.cell.column for d in balance} == {"natural_person", "total"}
    assert all("1 ≠ 2" in d.message["zh"] for d in balance)


def test_007_blank_cell_is_unknown_and_old_label_flagged(linter, corpus_dir: Path) -> None:
    (result,) = linter.check_path(str(corpus_dir / "007.md"))
    blank = [d for d in result.diagnostics if d.code == "GI206"]
    assert [(d.cell.row, d.cell.column) for d in blank] == [("carried_forward", "total")]
    # one label in the 2019 wording is a slip (GI109), not a wrong format version
    assert not [d for d in result.diagnostics if d.code == "GI403"]
    label = [d for d in result.diagnostics if d.code == "GI109"]
    assert [(d.data["label"], d.severity.value) for d in label] == [("规范性文件", "warning")]


def test_glued_digits_are_split_with_a_note(linter, corpus_dir: Path) -> None:
    (report,) = linter.analyse(load_path(str(corpus_dir / "024.txt")))
    table = report.tables["application"]
    assert [table.value("new", c) for c in table.layout_model.by_key["new"].columns] == [
        64,
        0,
        0,
        2,
        0,
        4,
        70,
    ]
    assert table.cells[("new", "total")].status == "split"
    (result,) = linter.check_path(str(corpus_dir / "024.txt"))
    notes = [d for d in result.diagnostics if d.code == "GI006" and d.severity.value == "info"]
    assert not [d for d in result.diagnostics if d.code == "GI105"]
    assert any("640020470 → 64/0/0/2/0/4/70" in d.message["zh"] for d in notes)


def test_review_table_glued_into_one_number(linter, corpus_dir: Path) -> None:
    (report,) = linter.analyse(load_path(str(corpus_dir / "028.txt")))
    table = report.tables["review_litigation"]
    rows = ("review", "litigation_direct", "litigation_after_review")
    columns = ("upheld", "corrected", "other", "pending", "total")
    assert [[table.value(r, c) for c in columns] for r in rows] == [
        [25, 3, 8, 0, 36],
        [3, 3, 0, 0, 6],
        [3, 0, 0, 0, 3],
    ]


def test_legacy_reports_have_no_mandated_tables(linter, corpus_dir: Path) -> None:
    (report,) = linter.analyse(load_path(str(corpus_dir / "020.txt")))
    assert report.profile == "legacy"
    mandated = [report.tables[key] for key in ("proactive", "application", "review_litigation")]
    assert all(table.status == "missing" and not table.cells for table in mandated)
    # …only the 统计表 of the 2008 regulation's era, a table of its own
    assert set(report.tables) == {"proactive", "application", "review_litigation", "legacy_statistics"}
    assert report.tables["legacy_statistics"].value("review", "year") == 0
    (newer,) = linter.analyse(load_path(str(corpus_dir / "024.txt")))
    assert "legacy_statistics" not in newer.tables


# ------------------------------------------------------------------ extract


def test_extract_output_matches_its_schema(linter, corpus_dir: Path, seeds_dir: Path, repo_dir: Path) -> None:
    schema = json.loads((repo_dir / "schemas" / "extract.schema.json").read_text(encoding="utf-8"))
    paths = [
        corpus_dir / "024.txt",
        corpus_dir / "007.md",
        Path(seed(seeds_dir, "001")),
        Path(seed(seeds_dir, "003")),
    ]
    records = [record for path in paths for record in extract_document(linter.analyse(load_path(str(path))))]
    jsonschema.Draft202012Validator(schema).validate(records)
    granted = records[0]["tables"]["application"]["granted"]["total"]
    assert granted == {"value": 30, "raw": "30", "line": 10, "column": granted["column"]}
    blank = records[1]["tables"]["application"]["carried_forward"]["total"]
    assert blank["value"] is None and blank["raw"] == ""
