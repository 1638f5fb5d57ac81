"""Property tests: consistent 2019 and 2021 tables written in every text shape
read back exactly, raise no arithmetic error, and a single changed cell is
named (its row or its column) by the identity it breaks."""

from __future__ import annotations

import os
import re
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from table_render import (
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    Tables,
    application_values,
    outcome_rows,
    review_values,
    write_report,
)

from gilint.data import rules_dir
from gilint.read.load import load_bytes
from gilint.tables import load_table_models

TABLE_CODES = {"GI004", "GI104", "GI105", "GI206", "GI403"}
# TABLE_EXAMPLES=200 for a deeper search (CI keeps the suite fast).
SETTINGS = settings(
    max_examples=int(os.environ.get("TABLE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@lru_cache(maxsize=1)
def models():
    return load_table_models([rules_dir()])


@lru_cache(maxsize=1)
def shared_linter():
    from gilint.pipeline import Linter

    return Linter()


COUNTS = st.integers(0, 400)
# Crawler text glues digits: mostly zeros and small counts, as in real reports.
SMALL = st.sampled_from([0, 0, 0, 0, 0, 1, 1, 2, 3, 5, 8, 13, 21, 40])


@st.composite
def tables(draw, profile: str, value=COUNTS) -> Tables:
    application_layout = models()["application"].layouts[profile]
    six = st.lists(value, min_size=6, max_size=6)
    outcomes = [draw(six) for _ in outcome_rows(application_layout)]
    application = application_values(application_layout, outcomes, draw(six), draw(six))
    review = review_values([draw(st.lists(value, min_size=4, max_size=4)) for _ in REVIEW_ROWS])
    proactive_layout = models()["proactive"].layouts[profile]
    proactive: dict[str, dict[str, float]] = {}
    for row in proactive_layout.rows:
        cells: dict[str, float] = {}
        for column in row.columns:
            kind = proactive_layout.column_kind(column)
            if kind == "signed":
                cells[column] = draw(st.integers(-30, 30))
            elif kind == "amount":
                cells[column] = draw(st.sampled_from([0, 12.5, 300, 4068.208, 99.9]))
            else:
                cells[column] = draw(value)
        if "issued" in cells:  # GI210: what was issued is in force or repealed
            cells["in_force"] = max(cells["in_force"], cells["issued"])
        proactive[row.key] = cells
    return Tables(profile, proactive, application, review)


def check(tables: Tables, shape: str):
    """(report with its tables, diagnostics) through the whole pipeline."""
    text = write_report(models(), tables, shape)
    name = "report.md" if shape == "pipe" else "report.txt"
    linter = shared_linter()
    reports = linter.analyse(load_bytes(name, text.encode("utf-8")))
    results = linter.check_document(load_bytes(name, text.encode("utf-8")))
    assert len(reports) == 1 and len(results) == 1, text[:200]
    assert reports[0].profile == tables.profile
    return reports[0], results[0].diagnostics, text


def assert_damage_in_english(diagnostics) -> None:
    """GI006 in English is English throughout: row names, and the splits' separator (not 「；」)."""
    for finding in [d for d in diagnostics if d.code == "GI006"]:
        english = finding.message["en"].replace("「", "").replace("」", "")
        assert not re.search(r"[\u4e00-\u9fff；、]", english), english


def table_errors(diagnostics) -> list:
    """Error-level findings of the table rules."""
    return [
        d
        for d in diagnostics
        if d.severity.value == "error" and (d.code.startswith("GI2") or d.code in TABLE_CODES)
    ]


def assert_round_trip(report, tables: Tables, exact: bool) -> None:
    for key in ("proactive", "application", "review_litigation"):
        truth = tables.table(key)
        table = report.tables[key]
        assert table.layout == tables.profile, (key, table.layout, [i.kind for i in table.issues])
        for row, cells in truth.items():
            for column, value in cells.items():
                cell = table.cells.get((row, column))
                if cell is None and not exact:
                    continue  # a glued row several splits fit is reported, not guessed
                assert cell is not None, (key, row, column, [(i.kind, i.row) for i in table.issues])
                if cell.value is None and not exact:
                    continue
                assert cell.value == pytest.approx(value), (key, row, column, cell.raw)


@pytest.mark.parametrize("shape", ["pipe", "cells", "lines"])
@pytest.mark.parametrize("profile", ["2019", "2021"])
def test_round_trip_without_errors(shape: str, profile: str) -> None:
    @SETTINGS
    @given(tables(profile))
    def run(generated: Tables) -> None:
        report, diagnostics, _ = check(generated, shape)
        assert_round_trip(report, generated, exact=True)
        assert not table_errors(diagnostics)

    run()


@pytest.mark.parametrize("profile", ["2019", "2021"])
def test_glued_digits_never_guessed(profile: str) -> None:
    @SETTINGS
    @given(tables(profile, SMALL))
    def run(generated: Tables) -> None:
        report, diagnostics, _ = check(generated, "glued")
        assert_round_trip(report, generated, exact=False)
        assert not [d for d in diagnostics if d.code.startswith("GI2")]
        # glued digits are damage done to the input (GI006), never a table-shape error
        assert not table_errors(diagnostics), [(d.code, d.data) for d in table_errors(diagnostics)]
        damage = {d.data["issue"] for d in diagnostics if d.code == "GI006" and d.severity.value != "info"}
        assert damage <= {"ambiguous_split"}, damage
        assert_damage_in_english(diagnostics)

    run()


@pytest.mark.parametrize("shape", ["pipe", "cells", "lines"])
@pytest.mark.parametrize("profile", ["2019", "2021"])
def test_one_changed_cell_is_named(shape: str, profile: str) -> None:
    application_layout = models()["application"].layouts[profile]
    rows = [row for row in application_layout.rows if not row.optional]
    cells = [("application", row.key, column) for row in rows for column in row.columns]
    cells += [("review_litigation", row, column) for row in REVIEW_ROWS for column in REVIEW_COLUMNS]

    @SETTINGS
    @given(tables(profile), st.sampled_from(cells), st.integers(1, 50), st.booleans())
    def run(generated: Tables, cell, delta: int, down: bool) -> None:
        key, row, column = cell
        values = generated.table(key)
        old = values[row][column]
        values[row][column] = old - delta if down and old >= delta else old + delta
        _, diagnostics, _ = check(generated, shape)
        named = [d for d in diagnostics if d.code.startswith("GI2") and d.cell is not None]
        assert named, f"{key} {row} {column}: nothing reported"
        assert any(d.cell.table == key and (d.cell.row == row or d.cell.column == column) for d in named), [
            (d.code, d.cell) for d in named
        ]

    run()


def test_correct_glued_report_has_no_table_errors() -> None:
    """A balanced report on one line with glued digits that split one way only."""
    layout = models()["application"].layouts["2021"]
    outcomes = [[0] * 6 for _ in outcome_rows(layout)]
    outcomes[0] = [7, 0, 0, 0, 0, 0]
    outcomes[10] = [3, 1, 0, 0, 0, 0]
    generated = Tables(
        "2021",
        proactive={
            "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": 0, "repealed": 0, "in_force": 7},
            "licensing": {"decisions": 2293},
            "punishment": {"decisions": 1282},
            "coercion": {"decisions": 42},
            "fees": {"amount_10k_yuan": 12.5},
        },
        application=application_values(layout, outcomes, [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
        review_litigation=review_values([[1, 0, 2, 0], [0, 0, 0, 0], [0, 0, 0, 1]]),
    )
    report, diagnostics, _ = check(generated, "glued")
    assert_round_trip(report, generated, exact=True)
    assert not table_errors(diagnostics)


def test_glued_review_table_with_several_splits_is_damaged_not_missing() -> None:
    """表四's 15 numbers glued into one run that three splits fit (found by hypothesis):
    the table is read in its layout and the run reported as ambiguous (GI006), not
    called unreadable (GI004) and not guessed."""
    layout = models()["application"].layouts["2019"]
    proactive_layout = models()["proactive"].layouts["2019"]
    outcomes = [[0] * 6 for _ in outcome_rows(layout)]
    outcomes[0] = [1, 0, 0, 0, 0, 0]
    generated = Tables(
        "2019",
        proactive={row.key: dict.fromkeys(row.columns, 0) for row in proactive_layout.rows},
        application=application_values(layout, outcomes, [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
        review_litigation=review_values([[13, 40, 8, 2], [1, 2, 2, 8], [2, 21, 1, 0]]),
    )
    report, diagnostics, text = check(generated, "glued")
    assert "134082631228132211024" in text
    review = report.tables["review_litigation"]
    assert review.layout == "2019"
    assert [issue.kind for issue in review.issues] == ["ambiguous_split"]
    assert not [d for d in diagnostics if d.code == "GI004"]
    damage = [d for d in diagnostics if d.code == "GI006" and d.data.get("issue") == "ambiguous_split"]
    [review_damage] = [d for d in damage if d.data.get("table") == "review_litigation"]
    # The run holds all three rows: the finding names them all and shows the digits and splits.
    assert review_damage.data["spans_rows"] == ["review", "litigation_direct", "litigation_after_review"]
    assert "行政复议、行政诉讼·未经复议直接起诉、行政诉讼·复议后起诉」各行" in review_damage.message["zh"]
    assert "134082631228132211024" in review_damage.message["zh"]
    assert "13/40/8/2/63 1/2/2/8/13 2/21/1/0/24" in review_damage.message["zh"]
    assert_damage_in_english(diagnostics)
    assert not table_errors(diagnostics)


def test_rows_only_one_version_has_weigh_for_it():
    """Found by test_glued_digits_never_guessed: a glued 2019 table 二 whose 行政强制 and
    收费 rows read as one number each in the 2021 layout (1013, 130), which has one column
    there, and split several ways in 2019's. The 2019-only rows the table shows
    (其他对外管理服务事项, 政府集中采购) are evidence for 2019, as in the version evidence."""
    layout = models()["proactive"].layouts["2019"]
    proactive = {row.key: dict.fromkeys(row.columns, 0) for row in layout.rows}
    proactive["coercion"] = {"prior_items": 1, "change": 0, "decisions": 13}
    proactive["fees"] = {"prior_items": 13, "change": 0}
    proactive["procurement"] = {"items": 1, "amount": 12.5}
    application_layout = models()["application"].layouts["2019"]
    application = application_values(
        application_layout, [[0] * 6 for _ in outcome_rows(application_layout)], [0] * 6, [0] * 6
    )
    generated = Tables("2019", proactive, application, review_values([[0] * 4 for _ in REVIEW_ROWS]))
    report, diagnostics, text = check(generated, "glued")
    assert "其他对外管理服务事项000行政处罚000行政强制1013行政事业性收费130政府集中采购112.5" in text
    assert report.tables["proactive"].layout == "2019"
    assert_round_trip(report, generated, exact=False)
    assert not [d for d in diagnostics if d.code == "GI403"]
