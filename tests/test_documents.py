"""Real documents through the whole pipeline: the same report as Markdown, HTML
and DOCX gives the same findings; the blank template, the corpus PDFs and HTML
pages read as their hand-checked values say."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from tests.conftest import REPO

MAKE_EXAMPLES = REPO / "tests" / "fixtures" / "readers" / "make_examples.py"
# One cell of table 三: （一）予以公开 × 自然人 (a changed count breaks the column
# identities and the row total, whatever the format).
GRANTED_ROW = "| 三、本年度办理结果 | （一）予以公开 |"


def findings(linter, path) -> list[tuple[str, str | None]]:
    (result,) = linter.check_path(str(path))
    return sorted(
        (d.code, f"{d.cell.table}/{d.cell.row}/{d.cell.column}" if d.cell else None)
        for d in result.diagnostics
    )


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx"])
def test_clean_example_in_every_format_is_clean(linter, examples_dir, suffix):
    assert findings(linter, examples_dir / f"clean-2021{suffix}") == []


def test_one_cell_error_gives_the_same_findings_in_every_format(linter, examples_dir, corpus_dir, tmp_path):
    text = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if line.startswith(GRANTED_ROW))
    cells = line.split("|")
    value_index = next(i for i, cell in enumerate(cells) if cell.strip().isdigit())
    cells[value_index] = f" {int(cells[value_index]) + 5} "
    source = tmp_path / "broken.md"
    source.write_text(text.replace(line, "|".join(cells)), encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            str(MAKE_EXAMPLES),
            "--source",
            str(source),
            "--template",
            str(corpus_dir / "template-2021-blank.docx"),
        ],
        check=True,
        capture_output=True,
    )
    expected = findings(linter, source)
    # Both identities the cell breaks blame the changed cell, not a total.
    assert expected == [
        ("GI202", "application/granted/natural_person"),
        ("GI204", "application/granted/natural_person"),
    ]
    for suffix in (".html", ".docx"):
        assert findings(linter, source.with_suffix(suffix)) == expected, suffix


def test_blank_template(linter, corpus_dir):
    from gilint.read.load import load_path

    (report,) = linter.analyse(load_path(str(corpus_dir / "template-2021-blank.docx")))
    assert [section.expected_number for section in report.sections] == [1, 2, 3, 4, 5, 6]
    shapes = {key: (table.status, len(table.cells)) for key, table in report.tables.items()}
    assert shapes == {"proactive": ("ok", 10), "application": ("ok", 175), "review_litigation": ("ok", 15)}
    assert all(cell.value is None for table in report.tables.values() for cell in table.cells.values())
    codes = [code for code, _ in findings(linter, corpus_dir / "template-2021-blank.docx")]
    assert codes.count("GI206") == 3 and "GI004" not in codes and "GI104" not in codes


def ground_truth(corpus_dir) -> dict[str, dict[str, str]]:
    with open(corpus_dir / "GROUND_TRUTH.tsv", encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


@pytest.mark.parametrize("name", ["001.pdf", "002.pdf", "003.pdf", "005.html", "027a.html"])
def test_real_documents_extract_the_hand_checked_totals(linter, corpus_dir, name):
    from gilint.read.load import load_path

    truth = ground_truth(corpus_dir)[name]
    (report,) = linter.analyse(load_path(str(corpus_dir / name)))
    cells = report.tables["application"].cells
    for row in ("new", "carried_over", "total_processed", "carried_forward"):
        value = cells[(row, "total")].value
        assert value == (int(truth[row]) if truth[row] else None), (name, row)


def test_hongze_2023_table_four_and_format_version(linter, corpus_dir):
    found = findings(linter, corpus_dir / "002.pdf")
    assert ("GI205", "review_litigation/review/total") in found
    assert ("GI205", "review_litigation/litigation_after_review/total") in found
    assert "GI403" in [code for code, _ in found]
    assert "GI403" in [code for code, _ in findings(linter, corpus_dir / "003.pdf")]


def test_shanghai_2019_from_javascript_fixture(linter):
    fixture = REPO / "tests" / "fixtures" / "readers" / "004-shanghai-2019.html"
    from gilint.read.load import load_path

    (report,) = linter.analyse(load_path(str(fixture)))
    assert report.profile == "2019"
    cells = report.tables["application"].cells
    assert [
        cells[(row, "total")].value for row in ("new", "carried_over", "total_processed", "carried_forward")
    ] == [
        859,
        18,
        805,
        72,
    ]
