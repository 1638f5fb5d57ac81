"""Consistent mandated tables with chosen values, written out in the text
shapes real reports come in (for the round-trip property tests).

Shapes: ``pipe`` (Markdown), ``cells`` (one cell per line, blank filler lines,
as copied from a web page), ``lines`` (one row per line, values separated by
spaces, as PDF text) and ``glued`` (every table on one line, the digits of a
row run together, as crawler text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

APPLICANTS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
REVIEW_ROWS = ["review", "litigation_direct", "litigation_after_review"]
GROUP_LABELS = {
    "denied": "（三）不予公开",
    "unable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}
SHAPES = ("pipe", "cells", "lines", "glued")

Values = dict[str, dict[str, float]]


@dataclass
class Tables:
    profile: str  # "2019" | "2021"
    proactive: Values = field(default_factory=dict)
    application: Values = field(default_factory=dict)
    review_litigation: Values = field(default_factory=dict)

    def table(self, key: str) -> Values:
        return getattr(self, key)


def outcome_rows(layout) -> list[str]:
    """The model's outcome rows (no subtotals) between 二、上年结转 and （七）总计."""
    keys = [row.key for row in layout.rows if not row.optional]
    return keys[keys.index("granted") : keys.index("total_processed")]


def application_values(
    layout, outcomes: list[list[int]], carried_over: list[int], forward: list[int]
) -> Values:
    """A balanced table 三 from per-row applicant counts (totals computed)."""
    rows = outcome_rows(layout)
    table: Values = {}
    for key, counts in zip(rows, outcomes, strict=True):
        table[key] = _with_total(counts)
    processed = [sum(table[key][column] for key in rows) for column in APPLICANTS]
    table["total_processed"] = _with_total(processed)
    # carried over must not exceed what was processed or carried forward
    over = [min(c, p + f) for c, p, f in zip(carried_over, processed, forward, strict=True)]
    new = [p + f - c for p, f, c in zip(processed, forward, over, strict=True)]
    table["new"] = _with_total(new)
    table["carried_over"] = _with_total(over)
    table["carried_forward"] = _with_total(forward)
    return table


def _with_total(counts: list[int]) -> dict[str, float]:
    row = dict(zip(APPLICANTS, counts, strict=True))
    row["total"] = sum(counts)
    return row


def review_values(groups: list[list[int]]) -> Values:
    return {
        key: dict(zip(REVIEW_COLUMNS, [*parts, sum(parts)], strict=True))
        for key, parts in zip(REVIEW_ROWS, groups, strict=True)
    }


# ------------------------------------------------------------------ writing


def number(value: float, kind: str) -> str:
    if kind == "signed" and value > 0:
        return f"+{int(value)}"
    if kind == "amount" and not float(value).is_integer():
        return f"{value:g}"
    return str(int(value))


def _rows(model, layout, values: Values) -> list[tuple[str | None, str, list[str]]]:
    """(group label to print before the row or None, row label, cell texts)."""
    rows: list[tuple[str | None, str, list[str]]] = []
    printed: set[str] = set()
    for row in layout.rows:
        if row.key not in values:
            continue
        group = row.key.split(".")[0] if "." in row.key else None
        heading = GROUP_LABELS.get(group) if group and group not in printed else None
        if group:
            printed.add(group)
        label = next(label.text for label in row.labels if not label.foreign)
        texts = [number(values[row.key][column], layout.column_kind(column)) for column in row.columns]
        rows.append((heading, label, texts))
    return rows


def write_table(model, layout, values: Values, shape: str) -> str:
    rows = _rows(model, layout, values)
    if model.key == "review_litigation":
        return _review(values, shape)
    if shape == "pipe":
        out = []
        for heading, label, texts in rows:
            out.append(f"| {heading or ''} | {label} | {' | '.join(texts)} |")
        width = max(len(texts) for _, _, texts in rows) + 2
        return "\n".join(["| 项目 |" + " |" * (width - 1), "|" + "---|" * width, *out])
    if shape == "cells":
        out = []
        for heading, label, texts in rows:
            if heading:
                out += [heading, ""]
            out += [label, ""]
            for text in texts:
                out += [text, ""]
        return "\n".join(out)
    if shape == "lines":
        out = []
        for heading, label, texts in rows:
            if heading:
                out.append(heading)
            out.append(f"{label} {' '.join(texts)}")
        return "\n".join(out)
    return "".join(f"{heading or ''}{label}{''.join(texts)}" for heading, label, texts in rows)


def _review(values: Values, shape: str) -> str:
    header = "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉"
    numbers = [str(int(values[row][column])) for row in REVIEW_ROWS for column in REVIEW_COLUMNS]
    if shape == "pipe":
        return "\n".join(
            [
                "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |",
                "|" + "---|" * 15,
                "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 "
                "| 未经复议直接起诉 | | | | | 复议后起诉 | | | | |",
                "| " + " | ".join(numbers) + " |",
            ]
        )
    if shape == "cells":
        return "\n\n".join([*header.split(), *numbers])
    if shape == "lines":
        return header + "\n" + " ".join(numbers)
    return header.replace(" ", "") + "".join(numbers)


def write_report(models, tables: Tables, shape: str) -> str:
    year = 2020 if tables.profile == "2019" else 2022
    parts = [
        f"测试市测试局{year}年政府信息公开工作年度报告",
        "",
        "一、总体情况",
        f"{year}年，测试市测试局认真贯彻落实《条例》，做好政府信息公开工作。",
        "",
        "二、主动公开政府信息情况",
    ]
    titles = {
        "proactive": None,
        "application": "三、收到和处理政府信息公开申请情况",
        "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    }
    for key, title in titles.items():
        model = models[key]
        if title:
            parts += ["", title]
        parts.append(write_table(model, model.layouts[tables.profile], tables.table(key), shape))
    parts += ["", "五、存在的主要问题及改进情况", "无。", ""]
    parts += ["六、其他需要报告的事项", "本年度未收取信息处理费。"]
    parts += ["", "测试市测试局", f"{year + 1}年1月15日", ""]
    joiner = " " if shape == "glued" else "\n"
    return joiner.join(part for part in parts if part or shape != "glued")
