"""GI301–GI304: the 信息处理费 statement, its consistency, legacy 收费及减免, the (八)项 unit."""

from __future__ import annotations

import pytest
from prose_helpers import make_report, run, table

from gilint.model import CellRef


def _report(section6: list[str] | None, *, unpaid: int | None = 0, section2: list[str] | None = None):
    sections: dict[int, list[str]] = {1: ["2021年，我局认真贯彻落实《条例》。"]}
    if section2 is not None:
        sections[2] = section2
    if section6 is not None:
        sections[6] = section6
    tables = {} if unpaid is None else {"application": table("application", {"other.unpaid_fee": unpaid})}
    return make_report(sections, tables=tables)


@pytest.mark.parametrize(
    "statement",
    [
        "本年度政府信息公开事项未收取任何费用。",
        "2023年度本机关未收取信息处理费。",
        "2024年，无收取信息处理费情况。",
        "2023年度，县发展和改革局政府信息公开未发生收费情况。",
        "本年度未发出收费通知，未收取信息处理费。",
        "本年度发出收费通知2件，金额共计300元，实际收取信息处理费200元。",
    ],
)
def test_fee_statements(statement: str) -> None:
    assert run("GI301", _report([statement])) == []


@pytest.mark.parametrize(
    ("statement", "unpaid", "evidence"),
    [
        # notices went unpaid: 「未收取」 is true, but the notices are not reported
        ("2025年，无收取信息处理费情况。", 2, "（六）2"),
        ("本年度未收取信息处理费。", 1, "（六）2"),
        # a fee collected means notices were sent
        ("全县行政机关收取信息处理费共计380元。", 0, "380元"),
        ("全年收取政府信息公开信息处理费3940元。", 6, "3940元"),
    ],
)
def test_notices_sent_but_not_reported(statement: str, unpaid: int, evidence: str) -> None:
    (finding,) = run("GI301", _report([statement], unpaid=unpaid))
    assert "收费通知的件数和总金额" in finding.message["zh"] and evidence in finding.message["zh"]
    assert run("GI302", _report([statement], unpaid=unpaid)) == []


@pytest.mark.parametrize(
    "section6",
    [
        ["无。"],
        ["2021年办理市人大建议、政协提案22件。"],
        # 行政事业性收费 (table 二's (八)项) is not the 信息处理费
        ["本年度行政事业性收费12.5万元。"],
    ],
)
def test_missing_fee_statement(section6: list[str]) -> None:
    (finding,) = run("GI301", _report(section6))
    assert "信息处理费" in finding.message["zh"] and finding.location is not None


def test_missing_section_six() -> None:
    (finding,) = run("GI301", _report(None))
    assert "第六部分" in finding.message["zh"]
    # …unless the report states the fee elsewhere.
    report = make_report({1: ["2021年，我局未收取信息处理费。"]})
    assert run("GI301", report) == []


def test_table_labels_are_not_a_statement() -> None:
    row = "(六)其他处理2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请0000000"
    assert len(run("GI301", make_report({3: [row]}))) == 1


NO_FEE_AT_ALL = ["本年度未发出收费通知。", "本年度未发生信息处理费。", "依申请公开一律免费。"]


@pytest.mark.parametrize("statement", NO_FEE_AT_ALL)
def test_no_fee_at_all_against_unpaid_notices(statement: str) -> None:
    (finding,) = run("GI302", _report([statement], unpaid=2))
    assert finding.cell == CellRef("application", "other.unpaid_fee", "total")
    assert finding.data["unpaid_fee"] == 2 and "2件" in finding.message["zh"]
    assert run("GI302", _report([statement], unpaid=0)) == []
    assert run("GI302", _report([statement], unpaid=None)) == []
    # the contradiction is GI302's: GI301 does not ask for the notices as well
    assert run("GI301", _report([statement], unpaid=2)) == []


@pytest.mark.parametrize(
    ("statement", "unpaid", "words"),
    [
        ("发出收费通知1件，金额100元，实际收取0元。", 3, "少于"),
        ("发出收费通知3件，总金额300元，实际收取信息处理费400元。", 0, "多于"),
        ("本年度发出收费通知2件。", 0, "未说明收费金额"),
        ("本年度未发生信息处理费，发出收费通知2件，金额200元。", 0, "前后矛盾"),
        ("本年度未收取信息处理费，实际收取信息处理费200元。", 0, "前后矛盾"),
    ],
)
def test_contradictions(statement: str, unpaid: int, words: str) -> None:
    (finding,) = run("GI302", _report([statement], unpaid=unpaid))
    assert words in finding.message["zh"] and finding.message["en"]


def test_consistent_fee_figures() -> None:
    statement = "本年度发出收费通知2件，收费通知总金额300元，实际收取信息处理费200元。"
    assert run("GI302", _report([statement], unpaid=1)) == []


def test_legacy_fee_statement() -> None:
    with_fees = make_report(
        {5: ["我局网上公开的办理排污许可证等项目均声明不收费。"]}, year=2009, profile="legacy"
    )
    assert run("GI303", with_fees) == []
    heading_only = make_report({5: ["政府信息公开的收费及减免情况"]}, year=2009, profile="legacy")
    assert run("GI303", heading_only) == []
    # 收费项目、收费标准 in a list of disclosed information is no statement.
    without = make_report(
        {1: ["主动公开涉及向人民群众收费的法规依据、收费项目、收费标准等情况。"]}, year=2008, profile="legacy"
    )
    (finding,) = run("GI303", without)
    assert "收费及减免" in finding.message["zh"]


@pytest.mark.parametrize(
    ("lines", "unit"),
    [
        (["第二十条第(八)项 信息内容 本年收费金额(单位:元) 行政事业性收费 251000"], "元"),
        (["| 信息内容 | 本年收费金额（单位：千元） |", "| 行政事业性收费 | 12.5 |"], "千元"),
        (["| 行政事业性收费 | 251000元 |"], "元"),
    ],
)
def test_fee_unit(lines: list[str], unit: str) -> None:
    (finding,) = run("GI304", _report(["无。"], section2=lines))
    assert finding.data == {"unit": unit, "expected": "万元"}


@pytest.mark.parametrize(
    "lines",
    [
        ["第二十条第（八）项 信息内容 本年收费金额（单位：万元） 行政事业性收费 12.5"],
        ["| 行政事业性收费 | 12.5 |"],
        ["政府集中采购 采购总金额 251000元"],
    ],
)
def test_fee_unit_ok(lines: list[str]) -> None:
    assert run("GI304", _report(["无。"], section2=lines)) == []
