"""Independent oracle for examples/clean-2021.md.

Parses the example's Markdown with plain Python (no gilint imports) and checks that it is what it
claims to be: a complete 2021-format (国办公开办函〔2021〕30号) report whose tables balance and
whose prose agrees with its tables. If someone edits a number in the example, this fails before
gilint's own tests start disagreeing about what "clean" means.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "clean-2021.md"

SECTION_TITLES = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
OVERVIEW_ITEMS = [
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）平台建设",
    "（五）监督保障",
]

# Table 三 (REPORT-FORMAT.md C.4; keys from TABLE-KEYS.md).
COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
]
COLUMN_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
RESULT = "三、本年度办理结果"
GROUPS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "denied": (
        "（三）不予公开",
        [
            ("state_secret", "1.属于国家秘密"),
            ("law_prohibited", "2.其他法律行政法规禁止公开"),
            ("security_stability", "3.危及\u201c三安全一稳定\u201d"),
            ("third_party", "4.保护第三方合法权益"),
            ("internal_affairs", "5.属于三类内部事务信息"),
            ("process_info", "6.属于四类过程性信息"),
            ("enforcement_file", "7.属于行政执法案卷"),
            ("query_matter", "8.属于行政查询事项"),
        ],
    ),
    "unable": (
        "（四）无法提供",
        [
            ("not_held", "1.本机关不掌握相关政府信息"),
            ("needs_creation", "2.没有现成信息需要另行制作"),
            ("unclear", "3.补正后申请内容仍不明确"),
        ],
    ),
    "not_processed": (
        "（五）不予处理",
        [
            ("complaint", "1.信访举报投诉类申请"),
            ("repeated", "2.重复申请"),
            ("publication", "3.要求提供公开出版物"),
            ("excessive", "4.无正当理由大量反复申请"),
            ("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        ],
    ),
    "other": (
        "（六）其他处理",
        [
            ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("other", "3.其他"),
        ],
    ),
}


def _expected_rows() -> list[tuple[str, tuple[str, str, str]]]:
    rows: list[tuple[str, tuple[str, str, str]]] = [
        ("new", ("一、本年新收政府信息公开申请数量", "", "")),
        ("carried_over", ("二、上年结转政府信息公开申请数量", "", "")),
        ("granted", (RESULT, "（一）予以公开", "")),
        ("partial", (RESULT, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "")),
    ]
    for group, (label, subs) in GROUPS.items():
        rows += [(f"{group}.{key}", (RESULT, label, sub)) for key, sub in subs]
    rows += [
        ("total_processed", (RESULT, "（七）总计", "")),
        ("carried_forward", ("四、结转下年度继续办理", "", "")),
    ]
    return rows


EXPECTED_ROWS = _expected_rows()
OUTCOME_ROWS = [key for key, _ in EXPECTED_ROWS[2:-2]]

# --------------------------------------------------------------------------- parsing


def _text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _sections(text: str) -> dict[str, list[str]]:
    """`## ` heading -> the lines under it (up to the next `## `)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return sections


def _cells(line: str) -> list[str]:
    inner = line.strip()
    assert inner.startswith("|") and inner.endswith("|"), line
    return [cell.strip() for cell in inner[1:-1].split("|")]


def _tables(lines: list[str]) -> list[list[list[str]]]:
    """Markdown pipe tables in `lines`, separator rows dropped."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in lines:
        if line.strip().startswith("|"):
            if current is None:
                current = []
                tables.append(current)
            cells = _cells(line)
            if all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
                continue
            current.append(cells)
        else:
            current = None
    return tables


def _only_table(section: str) -> list[list[str]]:
    tables = _tables(_sections(_text())[section])
    assert len(tables) == 1, f"{section}: expected one table, found {len(tables)}"
    return tables[0]


def _int(cell: str) -> int:
    assert re.fullmatch(r"0|[1-9][0-9]*", cell), f"not a non-negative integer written as digits: {cell!r}"
    return int(cell)


def application_table() -> dict[str, dict[str, int]]:
    table = _only_table(SECTION_TITLES[2])
    assert all(len(row) == 10 for row in table), "table 三 rows must have 3 label + 7 number cells"
    header, data = table[:3], table[3:]
    assert header[0][0] == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert header[0][3] == "申请人情况"
    assert [header[1][3], header[1][4], header[1][9]] == ["自然人", "法人或其他组织", "总计"]
    assert header[2][4:9] == COLUMN_LABELS[1:6]
    assert len(data) == 25, f"2021 table 三 has 25 data rows, found {len(data)}"
    rows: dict[str, dict[str, int]] = {}
    level1 = level2 = ""
    for cells, (key, expected) in zip(data, EXPECTED_ROWS, strict=True):
        if cells[0]:
            level1, level2 = cells[0], ""
        if cells[1]:
            level2 = cells[1]
        assert (level1, level2, cells[2]) == expected, f"row {key}: labels {cells[:3]}"
        rows[key] = dict(zip(COLUMNS, (_int(cell) for cell in cells[3:]), strict=True))
    return rows


def review_table() -> dict[str, dict[str, int]]:
    table = _only_table(SECTION_TITLES[3])
    assert all(len(row) == 15 for row in table)
    outcome = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert table[0][0] == "行政复议" and table[0][5] == "行政诉讼"
    assert table[1][:5] == outcome and table[1][5] == "未经复议直接起诉" and table[1][10] == "复议后起诉"
    assert table[2][5:10] == outcome and table[2][10:15] == outcome
    assert len(table) == 4, "table 四 has exactly one row of 15 numbers"
    numbers = [_int(cell) for cell in table[3]]
    columns = ["upheld", "corrected", "other", "pending", "total"]
    groups = ["review", "litigation_direct", "litigation_after_review"]
    return {g: dict(zip(columns, numbers[5 * i : 5 * i + 5], strict=True)) for i, g in enumerate(groups)}


def proactive_table() -> dict[str, dict[str, float]]:
    table = _only_table(SECTION_TITLES[1])
    layout = [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
        ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
        ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"]),
    ]
    values: dict[str, dict[str, float]] = {}
    rows = iter(table)
    for group, columns, labels in layout:
        assert [c for c in next(rows) if c] == [group]
        assert [c for c in next(rows) if c] == ["信息内容", *columns]
        for label in labels:
            cells = next(rows)
            assert cells[0] == label
            filled = [c for c in cells[1:] if c]
            assert len(filled) == len(columns), f"{label}: {cells}"
            if group.endswith("（八）项"):
                assert re.fullmatch(r"[0-9]+(\.[0-9]+)?", filled[0])
                values[label] = {"amount_10k_yuan": float(filled[0])}
            else:
                values[label] = {c: _int(v) for c, v in zip(columns, filled, strict=True)}
    assert next(rows, None) is None, "table 二 must end at 第二十条第（八）项 (no （九）项 in 2021)"
    return values


def _prose(section: str) -> str:
    lines = _sections(_text())[section]
    return "\n".join(line for line in lines if not line.strip().startswith("|"))


def _number(pattern: str, text: str) -> int:
    found = re.findall(pattern, text)
    assert len(found) == 1, f"{pattern!r}: expected exactly one match, found {found}"
    return int(found[0])


# --------------------------------------------------------------------------- structure


def test_title_preamble_and_sections() -> None:
    lines = _text().splitlines()
    title = re.fullmatch(r"# (\S+?)(\d{4})年政府信息公开工作年度报告", lines[0])
    assert title, lines[0]
    agency, year = title.group(1), int(title.group(2))
    assert agency.endswith("局")  # a department: the 1月31日 deadline applies
    preamble = _text().split("\n## ", 1)[0]
    assert "根据《中华人民共和国政府信息公开条例》" in preamble
    assert f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止" in preamble
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == SECTION_TITLES
    assert not [line for line in lines if line.startswith("# ")][1:], "one title only"
    overview = [line[4:] for line in _sections(_text())[SECTION_TITLES[0]] if line.startswith("### ")]
    assert overview == OVERVIEW_ITEMS
    for title_text, body in _sections(_text()).items():
        assert any(line.strip() for line in body), f"empty section {title_text}"


def test_signature_and_date() -> None:
    lines = [line for line in _text().splitlines() if line.strip()]
    title = re.fullmatch(r"# (\S+?)(\d{4})年政府信息公开工作年度报告", lines[0])
    assert title
    agency, year = title.group(1), int(title.group(2))
    assert lines[-2] == agency
    date = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", lines[-1])
    assert date, lines[-1]
    signed = datetime.date(*(int(part) for part in date.groups()))  # raises if the date does not exist
    assert datetime.date(year, 12, 31) < signed <= datetime.date(year + 1, 1, 31)


# --------------------------------------------------------------------------- table 三


def test_application_rows_total_their_applicants() -> None:
    for key, row in application_table().items():
        parts = [row[column] for column in COLUMNS[:-1]]
        assert row["total"] == sum(parts), f"{key}: 总计 {row['total']} != {' + '.join(map(str, parts))}"


@pytest.mark.parametrize("column", COLUMNS)
def test_application_balance(column: str) -> None:
    rows = application_table()
    incoming = rows["new"][column] + rows["carried_over"][column]
    outgoing = rows["total_processed"][column] + rows["carried_forward"][column]
    assert incoming == outgoing, f"{column}: 一+二 = {incoming}, （七）总计+四 = {outgoing}"


@pytest.mark.parametrize("column", COLUMNS)
def test_outcome_total(column: str) -> None:
    rows = application_table()
    parts = [rows[key][column] for key in OUTCOME_ROWS]
    assert len(parts) == 21  # （一）（二） + 8 + 3 + 5 + 3
    assert rows["total_processed"][column] == sum(parts)


def test_application_numbers_are_not_trivial() -> None:
    rows = application_table()
    assert (
        rows["new"]["total"] > 0
        and rows["carried_over"]["total"] > 0
        and rows["carried_forward"]["total"] > 0
    )
    used = {key for key in OUTCOME_ROWS if rows[key]["total"]}
    assert {"granted", "partial"} <= used
    for group in GROUPS:
        assert any(key.startswith(group + ".") for key in used), f"group {group} is all zero"
    assert sum(1 for column in COLUMNS[1:-1] if rows["new"][column]) >= 3


# --------------------------------------------------------------------------- tables 二 and 四


def test_review_litigation_totals() -> None:
    for group, row in review_table().items():
        parts = [row["upheld"], row["corrected"], row["other"], row["pending"]]
        assert row["total"] == sum(parts), f"{group}: {row}"


def test_proactive_table() -> None:
    values = proactive_table()
    for label in ("规章", "行政规范性文件"):
        row = values[label]
        assert row["现行有效件数"] >= row["本年制发件数"]
        assert row["现行有效件数"] >= row["本年废止件数"]
    amount = values["行政事业性收费"]["amount_10k_yuan"]
    assert 0 <= amount < 10**5, "a 万元 amount this large is probably 元"


# --------------------------------------------------------------------------- prose vs tables


def test_application_prose_agrees_with_table() -> None:
    rows = application_table()
    text = _prose(SECTION_TITLES[0])
    total = {key: row["total"] for key, row in rows.items()}

    def group(name: str) -> int:
        return sum(value for key, value in total.items() if key.startswith(name + "."))

    assert _number(r"全年共收到政府信息公开申请(\d+)件", text) == total["new"]
    assert _number(r"上年结转政府信息公开申请(\d+)件", text) == total["carried_over"]
    assert _number(r"自然人申请(\d+)件", text) == rows["new"]["natural_person"]
    assert _number(r"法人或其他组织申请(\d+)件", text) == total["new"] - rows["new"]["natural_person"]
    assert _number(r"办结政府信息公开申请(\d+)件", text) == total["total_processed"]
    assert _number(r"予以公开(\d+)件", text) == total["granted"]
    assert _number(r"部分公开(\d+)件", text) == total["partial"]
    assert _number(r"不予公开(\d+)件", text) == group("denied")
    assert _number(r"无法提供(\d+)件", text) == group("unable")
    assert _number(r"不予处理(\d+)件", text) == group("not_processed")
    assert _number(r"其他处理(\d+)件", text) == group("other")
    assert _number(r"结转下年度继续办理(\d+)件", text) == total["carried_forward"]
    channels = [_number(rf"{name}申请(\d+)件", text) for name in ("网上", "信函", "当面")]
    assert sum(channels) == total["new"]
    share = re.search(r"网上申请(\d+)件，占(\d+\.\d)%", text)
    assert share and f"{100 * int(share.group(1)) / total['new']:.1f}" == share.group(2)


def test_proactive_prose_agrees_with_table() -> None:
    values = proactive_table()
    text = _prose(SECTION_TITLES[0])
    documents = values["行政规范性文件"]
    assert _number(r"制发行政规范性文件(\d+)件", text) == documents["本年制发件数"]
    assert _number(r"，废止(\d+)件", text) == documents["本年废止件数"]
    assert _number(r"现行有效的行政规范性文件(\d+)件", text) == documents["现行有效件数"]
    assert _number(r"行政许可决定(\d+)件", text) == values["行政许可"]["本年处理决定数量"]
    assert _number(r"行政处罚决定(\d+)件", text) == values["行政处罚"]["本年处理决定数量"]
    assert _number(r"行政强制决定(\d+)件", text) == values["行政强制"]["本年处理决定数量"]
    published = re.search(r"主动公开政府信息(\d+)条，其中(.+?)。", text)
    assert published
    assert sum(int(n) for n in re.findall(r"(\d+)条", published.group(2))) == int(published.group(1))


def test_review_prose_agrees_with_table() -> None:
    table = review_table()
    text = _prose(SECTION_TITLES[3])
    assert _number(r"被申请行政复议(\d+)件", text) == table["review"]["total"]
    litigation = table["litigation_direct"]["total"] + table["litigation_after_review"]["total"]
    assert _number(r"被提起行政诉讼(\d+)件", text) == litigation


def test_sections_five_and_six() -> None:
    sections = _sections(_text())
    five = "\n".join(sections[SECTION_TITLES[4]])
    assert "上年度" in five and "整改" in five
    six = "\n".join(sections[SECTION_TITLES[5]])
    assert "信息处理费" in six
    if "未发出收费通知" in six:
        assert application_table()["other.unpaid_fee"]["total"] == 0
    proposals = re.search(r"提案(\d+)件，其中人大代表建议(\d+)件，政协提案(\d+)件", six)
    assert proposals and int(proposals.group(1)) == int(proposals.group(2)) + int(proposals.group(3))
