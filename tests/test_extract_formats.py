"""`gilint extract --format csv|xlsx` (issue 9): the corpus as one long table of cells that
pandas reads with no custom code, and a workbook LibreOffice converts without errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gilint.cli import main
from gilint.extract import CELL_COLUMNS, TOTALS_ROWS, write_xlsx
from gilint.model import CellValue, CheckedReport, Location, ReportDigest

openpyxl = pytest.importorskip("openpyxl")


def _extract(paths: list[str], fmt: str) -> tuple[int, bytes]:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    code = main(["extract", *paths, "--format", fmt], out=out)
    out.flush()
    return code, raw.getvalue()


@pytest.fixture(scope="module")
def corpus_csv(corpus_dir: Path) -> str:
    code, data = _extract([str(corpus_dir)], "csv")
    assert code == 0
    return data.decode("utf-8")


@pytest.fixture(scope="module")
def corpus_xlsx(corpus_dir: Path, tmp_path_factory) -> Path:
    code, data = _extract([str(corpus_dir)], "xlsx")
    assert code == 0
    path = tmp_path_factory.mktemp("xlsx") / "corpus.xlsx"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def corpus_json(corpus_dir: Path) -> list[dict]:
    out = io.StringIO()
    assert main(["extract", str(corpus_dir)], out=out) == 0
    return json.loads(out.getvalue())


def test_the_corpus_csv_is_one_tidy_pandas_frame(corpus_csv: str, corpus_json: list[dict]):
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.StringIO(corpus_csv))
    assert tuple(frame.columns) == CELL_COLUMNS
    assert not frame.duplicated(["path", "report_index", "table", "row", "column"]).any()
    assert pandas.api.types.is_numeric_dtype(frame["value"])
    assert pandas.api.types.is_numeric_dtype(frame["line"])
    # the same cells as the JSON extract, value for value
    expected = {
        (report["path"], report["report_index"], table, row, column): cell["value"]
        for report in corpus_json
        for table, rows in report["tables"].items()
        for row, cells in rows.items()
        for column, cell in cells.items()
    }
    assert len(frame) == len(expected) > 5000
    got = {
        (r.path, r.report_index, r.table, r.row, r.column): (None if pandas.isna(r.value) else r.value)
        for r in frame.itertuples()
    }
    assert got == expected
    totals = frame[(frame.table == "application") & (frame.column == "total")]
    assert int(totals[(totals.row == "new") & totals.path.str.endswith("001.pdf")].value.iloc[0]) == 3119


def test_the_workbook_holds_the_cells_and_one_row_per_report(
    corpus_xlsx: Path, corpus_csv: str, corpus_dir: Path
):
    workbook = openpyxl.load_workbook(corpus_xlsx, read_only=True)
    assert workbook.sheetnames == ["cells", "reports"]
    sheet = workbook["cells"].iter_rows(values_only=True)
    cells = [tuple("" if value is None else str(value) for value in row) for row in sheet]
    assert cells == [tuple(row) for row in csv.reader(io.StringIO(corpus_csv))]
    reports = list(workbook["reports"].iter_rows(values_only=True))
    header, rows = reports[0], reports[1:]
    assert header[:6] == ("path", "report_index", "agency", "agency_kind", "year", "profile")
    assert {"GI201", "GI501", "GI502", "GI503", "error", "warning", "info"} <= set(header)
    assert len(rows) == 49  # every report of the corpus, tables or not
    by_file = {Path(row[0]).name: dict(zip(header, row, strict=True)) for row in rows}
    # table 三's totals against the hand-checked values
    with open(corpus_dir / "GROUND_TRUTH.tsv", encoding="utf-8") as handle:
        truth = [row for row in csv.DictReader(handle, delimiter="\t") if row["file"] in by_file]
    assert len(truth) >= 20
    for row in truth:
        for key in TOTALS_ROWS:
            expected = float(row[key]) if row[key] else None
            assert by_file[row["file"]][f"application.{key}.total"] == expected, (row["file"], key)
    # finding counts are the check's, cross-report rules included
    out = io.StringIO()
    main(["check", str(corpus_dir), "--output-format", "json"], out=out)
    for checked in json.loads(out.getvalue())["files"]:
        counted = by_file[Path(checked["path"]).name]
        for code in ("GI201", "GI502", "GI108"):
            assert counted[code] == sum(d["code"] == code for d in checked["diagnostics"])
    assert by_file["014.txt"]["GI502"] == 3


def _libreoffice() -> str:
    soffice = shutil.which("soffice")
    install = "apt-get install libreoffice-calc-nogui"
    if soffice is None:
        pytest.skip(f"LibreOffice is not installed ({install}): the workbook is not converted")
    if not (Path(os.path.realpath(soffice)).parent / "libsclo.so").exists():
        pytest.skip(f"LibreOffice Calc is not installed ({install}): the workbook is not converted")
    return soffice


@pytest.mark.parametrize(("sheet", "name"), [(1, "corpus-cells.csv"), (2, "corpus-reports.csv")])
def test_libreoffice_converts_the_workbook_without_errors(
    corpus_xlsx: Path, corpus_csv: str, tmp_path: Path, sheet: int, name: str
):
    soffice = _libreoffice()
    # CSV filter options: comma, quote, UTF-8, from line 1, …, the sheet to export
    options = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet}"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            options,
            "--outdir",
            str(tmp_path),
            str(corpus_xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in (result.stdout + result.stderr).lower().replace("javaldx", "")
    with open(tmp_path / name, encoding="utf-8", newline="") as handle:
        converted = list(csv.reader(handle))
    if sheet == 1:
        assert converted == list(csv.reader(io.StringIO(corpus_csv)))
    else:
        assert converted[0][:3] == ["path", "report_index", "agency"] and len(converted) == 50


def test_text_in_the_workbook_stays_text(tmp_path: Path):
    agency = "=HYPERLINK(1)"
    tables = {"application": {"new": {"total": CellValue(None, "=1+1\x07", Location(3, 1, 3, 9))}}}
    digest = ReportDigest("x.txt", 0, 1, agency, "unknown", 2024, "2021", None, tables, ())
    result = CheckedReport("x.txt", 0, 1, "2021", 2024, agency, "unknown", [], digest=digest)
    path = tmp_path / "x.xlsx"
    with open(path, "wb") as handle:
        write_xlsx([result], ["GI001"], handle)
    workbook = openpyxl.load_workbook(path)
    row = [cell for cell in next(workbook["cells"].iter_rows(min_row=2))]
    assert [cell.value for cell in row][2] == "=HYPERLINK(1)" and row[2].data_type == "s"
    assert row[9].value == "=1+1" and row[9].data_type == "s"  # the control character dropped
    assert workbook["reports"]["C2"].value == "=HYPERLINK(1)" and workbook["reports"]["C2"].data_type == "s"


def test_a_workbook_is_never_written_to_a_terminal_or_a_text_stream(capsys, examples_dir: Path):
    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    command = ["extract", str(examples_dir / "clean-2021.md"), "--format", "xlsx"]
    assert main(command, out=Terminal(io.BytesIO())) == 2
    assert "redirect" in capsys.readouterr().err
    assert main(command, out=io.StringIO()) == 2


def test_extract_formats_from_the_command_line(tmp_path: Path, examples_dir: Path):
    """The real command: JSON stays the default, --output-format still names it."""
    command = [sys.executable, "-m", "gilint", "extract", str(examples_dir / "clean-2021.md")]
    plain = subprocess.run(command, capture_output=True, check=True).stdout
    named = subprocess.run([*command, "--output-format", "json"], capture_output=True, check=True).stdout
    assert plain == named and json.loads(plain)[0]["agency"] == "青禾市生态环境局"
    table = subprocess.run([*command, "--format", "csv"], capture_output=True, check=True).stdout.decode()
    assert table.splitlines()[0] == ",".join(CELL_COLUMNS)
    book = subprocess.run([*command, "--format", "xlsx"], capture_output=True, check=True).stdout
    (tmp_path / "one.xlsx").write_bytes(book)
    assert openpyxl.load_workbook(tmp_path / "one.xlsx")["reports"].max_row == 2
