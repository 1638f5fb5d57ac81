"""The prose, fee and date rules through the whole pipeline, on the seeds and the
repository's examples (issue 4's acceptance checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gilint.model import CheckedReport

MINE = ("GI108", "GI207", "GI208", "GI209", "GI301", "GI302", "GI303", "GI304", "GI401", "GI402", "GI404")


def _codes(result: CheckedReport, prefixes: tuple[str, ...] = MINE) -> list[str]:
    return [d.code for d in result.diagnostics if d.code.startswith(prefixes)]


def _check(linter, name: str, text: str) -> list[CheckedReport]:
    return linter.check_bytes(name, text.encode("utf-8"))


def _seed(seeds_dir: Path, number: str) -> str:
    (path,) = sorted(seeds_dir.glob(f"{number}_*.txt"))
    return path.read_text(encoding="utf-8")


# ----------------------------------------------------------------- seeds


def test_seed_001_late_department_report(linter, seeds_dir: Path) -> None:
    (result,) = _check(linter, "001.txt", _seed(seeds_dir, "001"))
    assert _codes(result) == ["GI402"]
    (late,) = [d for d in result.diagnostics if d.code == "GI402"]
    assert late.data == {"date": "2021-02-23", "deadline": "2021-01-31", "days_late": 23}
    assert "2021年2月23日" in late.message["zh"] and "2021年1月31日" in late.message["zh"]


def test_seed_003_years_and_legacy_fees(linter, seeds_dir: Path) -> None:
    results = _check(linter, "003.txt", _seed(seeds_dir, "003"))
    codes = [_codes(result) for result in results]
    assert len(results) == 5
    assert codes[0] == [] and codes[1] == []
    assert "GI401" in codes[2]
    (mismatch,) = [d for d in results[2].diagnostics if d.code == "GI401"]
    assert mismatch.data["title_year"] == 2012 and mismatch.data["body_year"] == 2009
    assert codes[3] == ["GI303"]  # 南宁: no fee statement; its shares 61.7% / 38.3% of 107 are right
    assert codes[4] == ["GI303"]


def test_seed_000_breakdowns_add_up(linter, seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "000")
    (result,) = _check(linter, "000.txt", text)
    assert _codes(result) == []
    broken = text.replace("主動公開政府信息60件", "主動公開政府信息61件")
    (result,) = _check(linter, "000.txt", broken)
    assert _codes(result) == ["GI208"]


def test_seed_000_fee_statement_removed(linter, seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "000").replace("本年度政府信息公開事項未收取任何費用。", "")
    (result,) = _check(linter, "000.txt", text)
    assert _codes(result) == ["GI301"]


def test_seed_000_title_year_changed(linter, seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "000").replace(
        "常州市生態(tài)環(huán)境局2021年", "常州市生態(tài)環(huán)境局2020年", 1
    )
    (result,) = _check(linter, "000.txt", text)
    assert "GI401" in _codes(result)


@pytest.mark.parametrize(
    ("date", "late"), [("2022年1月10日", False), ("2022年1月31日", False), ("2022年2月1日", True)]
)
def test_seed_002_signature_deadline(linter, seeds_dir: Path, date: str, late: bool) -> None:
    text = _seed(seeds_dir, "002").replace("2022年1月10日", date)
    (result,) = _check(linter, "002.txt", text)
    assert ("GI402" in _codes(result)) is late


def test_seed_004_is_quiet(linter, seeds_dir: Path) -> None:
    (result,) = _check(linter, "004.txt", _seed(seeds_dir, "004"))
    assert _codes(result) == []


# -------------------------------------------------------------- examples


@pytest.fixture(scope="module")
def clean(examples_dir: Path) -> str:
    return (examples_dir / "clean-2021.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["clean-2021.md", "clean-2021.html", "clean-2021.docx"])
def test_clean_example_is_quiet(linter, examples_dir: Path, name: str) -> None:
    (result,) = linter.check_path(str(examples_dir / name))
    assert _codes(result) == []


def test_changed_narrative_figure(linter, clean: str) -> None:
    text = clean.replace("全年共收到政府信息公开申请48件", "全年共收到政府信息公开申请49件")
    assert text != clean
    (result,) = _check(linter, "clean.md", text)
    (mismatch,) = [d for d in result.diagnostics if d.code == "GI207"]
    assert mismatch.cell is not None and mismatch.cell.to_dict() == {
        "table": "application",
        "row": "new",
        "column": "total",
    }
    assert mismatch.data["prose"] == 49 and mismatch.data["table"] == 48


def test_no_fee_claimed_while_notices_went_unpaid(linter, clean: str) -> None:
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    row = f"| | | {label} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    assert row in clean
    text = clean.replace(row, row.replace("| 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |"))
    (result,) = _check(linter, "clean.md", text)
    (contradiction,) = [d for d in result.diagnostics if d.code == "GI302"]
    assert contradiction.cell is not None and contradiction.cell.row == "other.unpaid_fee"
