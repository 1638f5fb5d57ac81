"""The command line: exit codes, output formats against the JSON Schema, rules, explain."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import jsonschema
import pytest

from gilint.cli import main
from tests.conftest import REPO, seed_path

CHECK_SCHEMA = json.loads((REPO / "schemas" / "check.schema.json").read_text(encoding="utf-8"))
ISSUE_2_CODES = {"GI001", "GI002", "GI003", "GI005", "GI101", "GI102", "GI103", "GI106", "GI107"}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


def run_json(*argv: str) -> tuple[int, dict]:
    code, text = run(*argv, "--output-format", "json")
    document = json.loads(text)
    jsonschema.validate(document, CHECK_SCHEMA)
    return code, document


def test_clean_example_exits_zero(examples_dir):
    code, text = run("check", str(examples_dir / "clean-2021.md"), "--no-color")
    assert code == 0
    assert "未发现问题" in text


def test_every_example_validates_against_the_schema(examples_dir):
    paths = sorted(
        str(p) for p in examples_dir.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md"
    )
    code, document = run_json("check", *paths)
    assert code == 1
    assert {entry["path"] for entry in document["files"]} == set(paths)
    assert document["summary"]["reports"] == len(document["files"])


def test_multi_report_file_gives_several_entries(seeds_dir):
    _, document = run_json("check", str(seed_path(seeds_dir, "003")))
    assert [entry["report_index"] for entry in document["files"]] == [0, 1, 2, 3, 4]
    assert {entry["profile"] for entry in document["files"]} == {"legacy"}


def test_english_messages(seeds_dir):
    _, document = run_json("check", str(seed_path(seeds_dir, "001")), "--lang", "en", "--select", "GI107")
    (diagnostic,) = document["files"][0]["diagnostics"]
    assert diagnostic["message"].startswith("the title")


def test_select_ignore_and_fail_on(seeds_dir):
    path = str(seed_path(seeds_dir, "001"))
    _, document = run_json("check", path, "--select", "GI1", "--ignore", "GI107")
    assert all(
        d["code"].startswith("GI1") and d["code"] != "GI107" for d in document["files"][0]["diagnostics"]
    )
    code, _ = run("check", path, "--select", "GI107")  # a warning only
    assert code == 0
    code, _ = run("check", path, "--select", "GI107", "--fail-on", "warning")
    assert code == 1


def test_concise_is_one_line_per_diagnostic(seeds_dir):
    _, text = run(
        "check", str(seed_path(seeds_dir, "001")), "--output-format", "concise", "--select", "GI107"
    )
    lines = text.strip().split("\n")
    assert lines[0].startswith(str(seed_path(seeds_dir, "001")) + ":4:1: GI107 [warning] 标题")
    assert len(lines) == 2  # the diagnostic and the summary


def test_full_output_underlines_the_span(seeds_dir):
    _, text = run("check", str(seed_path(seeds_dir, "001")), "--select", "GI107", "--no-color")
    assert "警告[GI107] title-form" in text
    assert "4 | 2020年昭通市生态环境局政府信息公开工作年度报告" in text
    assert "^" * 46 in text  # 23 CJK characters, two cells each


def test_missing_path_is_exit_2_with_one_line(capsys, examples_dir):
    code, _ = run("check", "/nonexistent/report.txt", str(examples_dir / "clean-2021.md"))
    assert code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_usage_error_is_exit_2(capsys):
    assert run("check")[0] == 2
    assert run("check", "x.txt", "--output-format", "xml")[0] == 2
    assert capsys.readouterr().err.startswith("gilint:")


def test_unsupported_and_unreadable_inputs(tmp_path):
    doc = tmp_path / "report.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0 binary")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _, document = run_json("check", str(doc), str(empty))
    found = {entry["path"]: entry["diagnostics"][0] for entry in document["files"]}
    assert found[str(doc)]["code"] == "GI002"
    assert ".docx" in found[str(doc)]["message"]
    assert found[str(empty)]["code"] == "GI001"


def test_gb18030_and_utf16_text_read_like_utf8(tmp_path, examples_dir):
    text = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    for encoding, prefix in (("gb18030", b""), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"\xef\xbb\xbf")):
        path = tmp_path / f"{encoding}.md"
        path.write_bytes(prefix + text.encode(encoding))
        assert run("check", str(path))[0] == 0, encoding


def test_stdin(monkeypatch, examples_dir):
    data = (examples_dir / "clean-2021.md").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, document = run_json("check", "-")
    assert code == 0
    assert document["files"][0]["path"] == "-"


def test_directory_is_walked(tmp_path, examples_dir):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_bytes((examples_dir / "clean-2021.md").read_bytes())
    (tmp_path / "notes.csv").write_text("x")
    _, document = run_json("check", str(tmp_path))
    assert [entry["path"] for entry in document["files"]] == [str(tmp_path / "sub" / "a.md")]


def test_jobs_give_the_same_results(examples_dir):
    paths = sorted(str(p) for p in examples_dir.glob("*.txt"))
    _, single = run_json("check", *paths)
    _, parallel = run_json("check", *paths, "--jobs", "2")
    assert single["files"] == parallel["files"]


def test_rules_lists_every_code_of_the_skeleton():
    code, text = run("rules", "--output-format", "json")
    rows = {row["code"]: row for row in json.loads(text)}
    assert {code for code, row in rows.items() if row["implemented"]} >= ISSUE_2_CODES
    assert set(rows["GI101"]) >= {"code", "name", "severity", "profiles", "summary"}
    code, text = run("rules")
    assert code == 0 and "GI101" in text and "missing-section" in text


def test_explain():
    code, text = run("explain", "GI101")
    assert code == 0
    assert "missing-section" in text and "第五十条" in text and "示例" in text
    assert run("explain", "GI999")[0] == 2


@pytest.mark.parametrize("argv", [["--version"], ["-m", "gilint", "--version"]])
def test_version_entry_points(argv):
    command = [sys.executable, *argv] if argv[0] == "-m" else [sys.executable, "-m", "gilint", *argv]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("gilint ")


def test_config_file_and_per_file_ignores(tmp_path, seeds_dir):
    shutil.copy(seed_path(seeds_dir, "001"), tmp_path / "zhaotong.txt")
    (tmp_path / "sub").mkdir()
    shutil.copy(seed_path(seeds_dir, "001"), tmp_path / "sub" / "other.txt")
    (tmp_path / ".gilint.yaml").write_text(
        "select: [GI1, GI4]\nfail-on: warning\nlang: en\nper-file-ignores:\n  'sub/*.txt': [GI107]\n",
        encoding="utf-8",
    )
    code, document = run_json("check", str(tmp_path / "zhaotong.txt"), str(tmp_path / "sub" / "other.txt"))
    first, second = (entry["diagnostics"] for entry in document["files"])
    assert {d["code"][:3] for d in first} <= {"GI1", "GI4"}
    assert "GI107" in [d["code"] for d in first] and "GI107" not in [d["code"] for d in second]
    assert first[0]["message"].isascii() or "the" in first[0]["message"]  # lang: en from the config
    assert code == 1  # fail-on: warning


def test_pyproject_config_and_bad_config(tmp_path, capsys, examples_dir):
    shutil.copy(examples_dir / "clean-2021.md", tmp_path / "report.md")
    (tmp_path / "pyproject.toml").write_text('[tool.gilint]\nignore = ["GI1"]\n', encoding="utf-8")
    assert run("check", str(tmp_path / "report.md"))[0] == 0
    (tmp_path / ".gilint.yaml").write_text("colour: red\n", encoding="utf-8")
    assert run("check", str(tmp_path / "report.md"))[0] == 2
    assert ".gilint.yaml" in capsys.readouterr().err


def test_inline_suppression(tmp_path, examples_dir):
    text = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    broken = text.replace("## 六、其他需要报告的事项", "## 六、其它")
    path = tmp_path / "report.md"
    path.write_text(broken, encoding="utf-8")
    _, document = run_json("check", str(path))
    assert "GI103" in [d["code"] for d in document["files"][0]["diagnostics"]]
    path.write_text("<!-- gilint: disable=GI103 -->\n" + broken, encoding="utf-8")
    _, document = run_json("check", str(path))
    assert "GI103" not in [d["code"] for d in document["files"][0]["diagnostics"]]


def test_github_and_sarif_outputs(seeds_dir):
    path = str(seed_path(seeds_dir, "001"))
    _, text = run("check", path, "--output-format", "github", "--select", "GI107")
    assert text.startswith(f"::warning file={path},line=4,col=1,")
    _, text = run("check", path, "--output-format", "sarif", "--select", "GI107")
    sarif = json.loads(text)
    assert sarif["version"] == "2.1.0"
    assert {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]} >= ISSUE_2_CODES
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "GI107"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 4


def test_extract_command(examples_dir, seeds_dir):
    schema = json.loads((REPO / "schemas" / "extract.schema.json").read_text(encoding="utf-8"))
    code, text = run("extract", str(examples_dir / "clean-2021.md"), str(seed_path(seeds_dir, "003")))
    records = json.loads(text)
    jsonschema.validate(records, schema)
    assert code == 0 and len(records) == 6  # the clean report and the five of seed 003
    clean = records[0]
    assert (clean["profile"], clean["report_year"], clean["published"]) == ("2021", 2024, "2025-01-20")
    assert clean["tables"]["application"]["new"]["total"]["value"] == 48
    assert [section["number"] for section in clean["sections"]] == [1, 2, 3, 4, 5, 6]


def test_the_console_script_writes_everything_and_keeps_the_exit_status(tmp_path, examples_dir):
    """``gilint`` ends with os._exit (cli.run): the buffered output, the exit status and
    the exit handlers (the start-up caches are saved there) must all survive it."""
    cache = tmp_path / "cache"
    env = {**os.environ, "GILINT_CACHE_DIR": str(cache)}
    env.pop("GILINT_NO_CACHE", None)
    command = [sys.executable, "-m", "gilint", "check", str(examples_dir), "--output-format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert result.returncode == 1  # the seed reports have findings
    assert len(result.stdout) > 8192  # more than the stream buffers: written in parts, the last flushed
    assert len(json.loads(result.stdout)["files"]) >= len(list(examples_dir.glob("*.*"))) - 1
    assert result.stderr == ""
    assert list((cache / "code").iterdir())  # the dataclass code cache was saved at exit
    clean = subprocess.run(
        [sys.executable, "-m", "gilint", "check", str(examples_dir / "clean-2021.md")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert clean.returncode == 0 and "错误 0 个" in clean.stdout


def test_main_leaves_the_garbage_collector_as_it_found_it(examples_dir):
    """main pauses the collector while the command's modules load and freezes them out
    of its view for the run; a caller's process (these tests, a library user) gets it back."""
    import gc

    assert gc.isenabled()
    code = main(["check", str(examples_dir / "clean-2021.md"), "--output-format", "json"], out=io.StringIO())
    assert code == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
