"""The command line as CI uses it (issue 10): strict options, colour, standard input
in every format, exact concise lines, honest DOCX/PDF locations, closed pipes, the
per-code cap, explain's implemented status, bilingual help, configuration errors,
--output-file / --config / --exit-zero / --quiet / --statistics, and GI007."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from gilint.cli import main
from tests.conftest import REPO, seed_path

CHECK_SCHEMA = json.loads((REPO / "schemas" / "check.schema.json").read_text(encoding="utf-8"))
CONCISE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<code>GI\d{3}) \[(error|warning|info)\] \S.*$"
)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


def run_json(*argv: str) -> tuple[int, dict]:
    code, text = run(*argv, "--output-format", "json")
    document = json.loads(text)
    jsonschema.validate(document, CHECK_SCHEMA)
    return code, document


def codes_of(document: dict) -> list[str]:
    return [d["code"] for entry in document["files"] for d in entry["diagnostics"]]


def mismatching_report(examples_dir: Path, repeats: int) -> str:
    """The clean example with a paragraph whose count contradicts table 三, ``repeats`` times."""
    text = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    start = text.index("全年共收到政府信息公开申请48件")
    end = text.index("\n", start)
    paragraph = text[start:end].replace("申请48件", "申请50件")
    return text[:end] + "\n\n" + "\n\n".join([paragraph] * repeats) + text[end:]


# ---------------------------------------------------------------- strict options


@pytest.mark.parametrize(
    ("argv", "bad", "nearest"),
    [
        (["--select", "FOO"], "FOO", None),
        (["--select", "GI9"], "GI9", None),
        (["--ignore", "GI2O7"], "GI2O7", "GI207"),
        (["--select", "GI1,GI1O1"], "GI1O1", "GI101"),
    ],
)
def test_unknown_codes_on_the_command_line_are_usage_errors(capsys, examples_dir, argv, bad, nearest):
    code, _ = run("check", str(examples_dir / "clean-2021.md"), *argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and bad in err
    match = re.search(r"最接近的是 (\S+)", err)
    assert match is not None
    if nearest:
        assert match.group(1) == nearest


def test_unknown_codes_in_configuration_name_the_file_and_key(tmp_path, capsys, examples_dir):
    report = tmp_path / "report.md"
    report.write_bytes((examples_dir / "clean-2021.md").read_bytes())
    (tmp_path / ".gilint.yaml").write_text("ignore: [GI99]\n", encoding="utf-8")
    assert run("check", str(report))[0] == 2
    err = capsys.readouterr().err
    assert ".gilint.yaml: ignore" in err and "GI99" in err
    (tmp_path / ".gilint.yaml").write_text("per-file-ignores:\n  '*.md': [GI2O7]\n", encoding="utf-8")
    assert run("check", str(report))[0] == 2
    err = capsys.readouterr().err
    assert "per-file-ignores" in err and "GI207" in err


def test_custom_pack_codes_are_known(tmp_path, examples_dir):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "local.yaml").write_text(
        "pack: local\ncatalog:\n  ZJ101:\n    name: local-rule\n    severity: info\n    profiles: all\n"
        "    summary: {zh: 本地规则, en: a local rule}\nrules: []\n",
        encoding="utf-8",
    )
    path = str(examples_dir / "clean-2021.md")
    assert run("check", path, "--select", "ZJ101")[0] == 2  # unknown without the pack
    assert run("check", path, "--select", "ZJ101", "--rules", str(pack))[0] == 0


@pytest.mark.parametrize(
    "argv",
    [["--rules", "/nonexistent/rules"], ["--jobs", "0"], ["--jobs", "-3"], ["--max-bytes", "0"], ["-j", "x"]],
)
def test_nonsense_numbers_and_folders_are_usage_errors(capsys, examples_dir, argv):
    assert run("check", str(examples_dir / "clean-2021.md"), *argv)[0] == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_config_errors_name_the_file_and_key(tmp_path, capsys, examples_dir):
    report = tmp_path / "report.md"
    report.write_bytes((examples_dir / "clean-2021.md").read_bytes())
    (tmp_path / ".gilint.yaml").write_text("fail-on: sometimes\n", encoding="utf-8")
    assert run("check", str(report))[0] == 2
    err = capsys.readouterr().err
    assert "rule pack" not in err
    assert "configuration error" in err and ".gilint.yaml" in err and "fail-on" in err
    (tmp_path / ".gilint.yaml").write_text("select: [GI1\n", encoding="utf-8")  # not YAML
    assert run("check", str(report))[0] == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and ".gilint.yaml" in err
    (tmp_path / ".gilint.yaml").write_text("rules: [missing-folder]\n", encoding="utf-8")
    assert run("check", str(report))[0] == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and "rules/0" in err


# ------------------------------------------------------------------- colour

ANSI = "\x1b["


@pytest.mark.parametrize(
    ("environment", "argv", "coloured"),
    [
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, [], False),  # NO_COLOR wins; a flag used to override it
        ({"FORCE_COLOR": "1"}, [], True),
        ({}, [], False),  # not a terminal
        ({}, ["--color", "always"], True),
        ({"FORCE_COLOR": "1"}, ["--color", "never"], False),
        ({"NO_COLOR": "1"}, ["--color", "always"], True),
        ({"FORCE_COLOR": "1"}, ["--no-color"], False),
    ],
)
def test_colour_follows_flag_then_no_color_then_force_color(
    monkeypatch, seeds_dir, environment, argv, coloured
):
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    _, text = run("check", str(seed_path(seeds_dir, "001")), "--select", "GI107", *argv)
    assert (ANSI in text) is coloured


# -------------------------------------------------------------- standard input


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize("name", ["clean-2021.docx", "clean-2021.html", "clean-2021.md"])
def test_stdin_reads_every_format_like_the_file(monkeypatch, examples_dir, name):
    path = examples_dir / name
    _, from_file = run_json("check", str(path))
    _stdin(monkeypatch, path.read_bytes())
    code, from_stdin = run_json("check", "-")
    assert codes_of(from_stdin) == codes_of(from_file) == []
    assert code == 0 and from_stdin["files"][0]["path"] == "-"


def test_stdin_pdf_like_the_file(monkeypatch, corpus_dir):
    path = corpus_dir / "002.pdf"
    _, from_file = run_json("check", str(path))
    _stdin(monkeypatch, path.read_bytes())
    _, from_stdin = run_json("check", "-")
    assert codes_of(from_stdin) == codes_of(from_file) and "GI205" in codes_of(from_file)


def test_stdin_filename_names_the_input_and_gives_the_format(monkeypatch, examples_dir):
    _stdin(monkeypatch, (examples_dir / "clean-2021.docx").read_bytes())
    code, document = run_json("check", "-", "--stdin-filename", "reports/2024.docx")
    assert code == 0 and document["files"][0]["path"] == "reports/2024.docx"
    _stdin(monkeypatch, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word")
    _, document = run_json("check", "-", "--stdin-filename", "old.doc")
    (diagnostic,) = document["files"][0]["diagnostics"]
    assert diagnostic["code"] == "GI002" and ".docx" in diagnostic["message"]
    assert document["files"][0]["path"] == "old.doc"


def test_sniffing(examples_dir):
    from gilint.read.load import sniff_extension

    assert sniff_extension((examples_dir / "clean-2021.docx").read_bytes()) == ".docx"
    assert sniff_extension((examples_dir / "clean-2021.html").read_bytes()) == ".html"
    assert sniff_extension((examples_dir / "clean-2021.md").read_bytes()) == ".txt"
    assert sniff_extension(b"%PDF-1.7\n...") == ".pdf"
    assert sniff_extension(b"PK\x03\x04 not really a zip") == ".zip"
    assert sniff_extension("<!-- gilint: disable=GI207 -->\n# 报告".encode()) == ".txt"


# ------------------------------------------------------------------ concise


def test_concise_lines_are_exactly_path_line_col_code_severity_message(seeds_dir, examples_dir, corpus_dir):
    paths = [
        str(seed_path(seeds_dir, "003")),  # five reports in one file
        str(examples_dir / "zhaotong-eco-2020.txt"),
        str(corpus_dir / "template-2021-blank.docx"),
        str(corpus_dir / "002.pdf"),
    ]
    _, text = run("check", *paths, "--output-format", "concise", "--quiet")
    lines = text.splitlines()
    assert lines, "expected findings"
    for line in lines:
        match = CONCISE.match(line)
        assert match is not None, line
        assert match.group("path") in paths, line  # no #N report suffix, no (where) before the colon
    docx_lines = [line for line in lines if ".docx:" in line and "GI206" in line]
    assert docx_lines and all(line.endswith("列）") and "Word 文件中第" in line for line in docx_lines)
    assert any(".pdf:1:1:" in line and "第4页）" in line for line in lines)


def test_multi_report_lines_point_at_the_real_line(seeds_dir):
    path = str(seed_path(seeds_dir, "003"))
    _, text = run("check", path, "--output-format", "concise", "--quiet", "--select", "GI107")
    _, document = run_json("check", path, "--select", "GI107")
    expected = [(d["line"], d["column"]) for entry in document["files"] for d in entry["diagnostics"]]
    found = [(int(m.group("line")), int(m.group("col"))) for m in map(CONCISE.match, text.splitlines())]
    assert found == expected and len({line for line, _ in found}) == len(found) > 1


# ---------------------------------------------------------------- locations


def test_location_kind_in_json(corpus_dir, examples_dir):
    _, document = run_json(
        "check", str(corpus_dir / "template-2021-blank.docx"), str(corpus_dir / "002.pdf"),
        str(examples_dir / "zhaotong-eco-2020.txt"),
    )  # fmt: skip
    kinds = {
        (Path(entry["path"]).suffix, d["location_kind"])
        for entry in document["files"]
        for d in entry["diagnostics"]
    }
    assert {(".docx", "docx_table_cell"), (".docx", "docx_paragraph"), (".pdf", "pdf_page_line")} <= kinds
    assert (".txt", "text") in kinds
    assert not {kind for suffix, kind in kinds if suffix == ".txt"} - {"text"}
    cells = [
        d
        for entry in document["files"]
        for d in entry["diagnostics"]
        if d["location_kind"] == "docx_table_cell"
    ]
    for cell in cells:  # the Word file's own table count, never 表 N that reads like the report's 表二
        assert re.fullmatch(r"Word 文件中第 \d+ 个表格 第\d+行第\d+列", cell["where"])


def test_english_places(corpus_dir):
    _, document = run_json("check", str(corpus_dir / "template-2021-blank.docx"), "--lang", "en")
    places = {d["where"] for entry in document["files"] for d in entry["diagnostics"]}
    assert "table 2 of the Word file, row 4, column 4" in places and "paragraph 2" in places


# ------------------------------------------------------------------ pipes


def _closed_pipe(*argv: str) -> subprocess.CompletedProcess:
    """Run gilint with a standard output whose reader has already gone (``| head``)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "gilint", *argv],
            stdout=write,
            stderr=subprocess.PIPE,
            cwd=REPO,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["check", "examples/zhaotong-eco-2020.txt"], 1),
        (["check", "examples/zhaotong-eco-2020.txt", "--output-format", "json"], 1),
        (["check", "examples/clean-2021.md"], 0),
        (["rules"], 0),
        (["explain", "GI201"], 0),
        (["extract", "examples/clean-2021.md"], 0),
        (["--help"], 0),
    ],
)
def test_a_closed_pipe_leaves_the_exit_status_to_the_findings(argv, status):
    result = _closed_pipe(*argv)
    assert result.returncode == status
    assert result.stderr == b""


# -------------------------------------------------------------------- cap


def test_findings_are_capped_per_code_and_counted(tmp_path, examples_dir):
    path = tmp_path / "many.md"
    path.write_text(mismatching_report(examples_dir, 70), encoding="utf-8")
    code, document = run_json("check", str(path), "--select", "GI207", "--fail-on", "warning")
    entry = document["files"][0]
    assert codes_of(document).count("GI207") == 50
    assert entry["omitted"] == [{"code": "GI207", "severity": "warning", "count": 20}]
    assert document["summary"]["warning"] == 70 and code == 1
    _, text = run("check", str(path), "--select", "GI207", "--output-format", "concise")
    assert text.count("\n") == 50 + 1 + 1 and "另有 20 条警告未列出" in text
    _, everything = run_json("check", str(path), "--select", "GI207", "--max-per-code", "0")
    assert len(codes_of(everything)) == 70 and everything["files"][0]["omitted"] == []


# --------------------------------------------------------------- explain


def test_explain_says_when_a_rule_is_not_implemented(tmp_path):
    # A pack that only catalogues a code declares it without implementing it.
    declared = tmp_path / "declared"
    declared.mkdir()
    (declared / "province.yaml").write_text(
        "pack: province\ncatalog:\n  GX901:\n    name: province-rule\n    severity: warning\n"
        "    profiles: ['2021']\n    summary: {zh: 省级要求, en: a province's requirement}\nrules: []\n",
        encoding="utf-8",
    )
    code, text = run("explain", "GX901", "--rules", str(declared))
    assert code == 0 and "尚未实现" in text
    assert "not implemented" in run("explain", "GX901", "--lang", "en", "--rules", str(declared))[1]
    assert "尚未实现" not in run("explain", "GI201")[1]
    assert "尚未实现" not in run("explain", "GI501")[1]  # the cross-report rules are implemented
    # implemented = some loaded pack has a rule for the code: a pack adding one changes the answer
    (declared / "rule.yaml").write_text(
        "pack: rule\nrules:\n  - code: GX901\n    kind: empty_section\n    messages:\n"
        "      default: {zh: '{title}', en: '{title}'}\n",
        encoding="utf-8",
    )
    assert "尚未实现" not in run("explain", "GX901", "--rules", str(declared))[1]
    rows = {
        row["code"]: row
        for row in json.loads(run("rules", "--output-format", "json", "--rules", str(declared))[1])
    }
    assert rows["GX901"]["implemented"] and rows["GI502"]["implemented"]


def test_explain_unknown_code_names_the_nearest(capsys):
    assert run("explain", "GI2O1")[0] == 2
    assert "GI201" in capsys.readouterr().err


# ------------------------------------------------------------------ help


def _help(*argv: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "gilint", *argv, "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize("command", [[], ["check"], ["rules"], ["explain"], ["extract"]])
def test_help_is_bilingual(command):
    text = _help(*command)
    assert "用法 / usage" in text
    # every option's help text (the indented lines after an option) holds Chinese and English
    entries = re.split(r"\n  (?=-|\w)", text.split("\n\n", 2)[-1])
    described = [entry for entry in entries if re.match(r"-{1,2}\w", entry)]
    assert described
    for entry in described:
        assert re.search(r"[\u4e00-\u9fff]", entry) and re.search(r"[a-z]{3}", entry), entry


# ------------------------------------------------- output file, config, quiet…


def test_output_file_for_every_format(tmp_path, seeds_dir):
    path = str(seed_path(seeds_dir, "001"))
    for output_format in ("full", "concise", "json", "github", "sarif"):
        target = tmp_path / f"out.{output_format}"
        code, printed = run("check", path, "--output-format", output_format, "--output-file", str(target))
        assert code == 1 and printed == ""
        assert "GI107" in target.read_text(encoding="utf-8")
    assert run("check", path, "--output-file", str(tmp_path / "missing" / "out.txt"))[0] == 2


def test_config_option_replaces_discovery(tmp_path, seeds_dir):
    report = tmp_path / "zhaotong.txt"
    report.write_bytes(seed_path(seeds_dir, "001").read_bytes())
    (tmp_path / ".gilint.yaml").write_text("select: [GI4]\n", encoding="utf-8")
    elsewhere = tmp_path / "ci" / "gilint.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text('[tool.gilint]\nselect = ["GI107"]\nlang = "en"\n', encoding="utf-8")
    _, discovered = run_json("check", str(report))
    assert set(codes_of(discovered)) <= {"GI401", "GI402", "GI403", "GI404"}
    _, explicit = run_json("check", str(report), "--config", str(elsewhere))
    assert codes_of(explicit) == ["GI107"] and explicit["files"][0]["diagnostics"][0]["message"].startswith(
        "the"
    )
    assert run("check", str(report), "--config", str(tmp_path / "none.yaml"))[0] == 2


def test_exit_zero_quiet_and_statistics(seeds_dir, examples_dir):
    path = str(seed_path(seeds_dir, "001"))
    assert run("check", path)[0] == 1
    assert run("check", path, "--exit-zero")[0] == 0
    assert run("check", "/nonexistent.txt", "--exit-zero")[0] == 2
    _, quiet = run("check", path, str(examples_dir / "clean-2021.md"), "--quiet", "--no-color")
    assert "共检查" not in quiet and "clean-2021.md" not in quiet and "GI107" in quiet
    _, full = run_json("check", path)
    _, table = run("check", path, "--statistics")
    rows = [line.split("\t") for line in table.splitlines()[:-1]]
    counted: dict[str, int] = {}
    for row in rows:  # one row per code and severity (GI105 is an error or an info note)
        counted[row[1]] = counted.get(row[1], 0) + int(row[0])
    assert counted == {code: codes_of(full).count(code) for code in set(codes_of(full))}
    assert [int(row[0]) for row in rows] == sorted((int(row[0]) for row in rows), reverse=True)
    _, as_json = run("check", path, "--statistics", "--output-format", "json")
    assert sum(row["count"] for row in json.loads(as_json)) == sum(counted.values())


# ------------------------------------------------------------------- GI007


def test_unknown_code_in_an_inline_suppression_is_reported(tmp_path, examples_dir):
    text = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    path = tmp_path / "report.md"
    path.write_text("<!-- gilint: disable=GI2O7, GI103 -->\n" + text, encoding="utf-8")
    _, document = run_json("check", str(path))
    (diagnostic,) = document["files"][0]["diagnostics"]
    assert (
        diagnostic["code"] == "GI007"
        and "GI2O7" in diagnostic["message"]
        and "GI207" in diagnostic["message"]
    )
    assert (diagnostic["line"], diagnostic["column"]) == (1, 22)
    assert run_json("check", str(path), "--ignore", "GI007")[1]["files"][0]["diagnostics"] == []


def test_lower_case_inline_codes_suppress_only_those_codes(tmp_path, examples_dir):
    text = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    broken = text.replace("## 六、其他需要报告的事项", "## 六、其它").replace("申请48件", "申请50件")
    path = tmp_path / "report.md"
    path.write_text("<!-- gilint: disable=gi103 -->\n" + broken, encoding="utf-8")
    _, document = run_json("check", str(path))
    # GI103 suppressed; GI207 and GI208 (the paragraph's own figures no longer balance) not:
    # a lower-case list used to disable everything
    assert codes_of(document) == ["GI207", "GI208"]
