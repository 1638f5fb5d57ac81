"""Baselines survive unrelated edits; SARIF is valid SARIF 2.1.0 with what code
scanning needs (relative URIs, ruleIndex, rule help, fingerprints)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from gilint.cli import main
from tests.conftest import REPO
from tests.test_ci import mismatching_report

# The official SARIF 2.1.0 JSON Schema (OASIS), $id
# https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json
# (published as https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json).
# No network here but package registries: it was taken, unchanged, from the npm package
# @datadog/datadog-ci-plugin-sarif 5.25.0 (dist/bundle.js, region src/json-schema/sarif-schema-2.1.0.json),
# which embeds that file as a JavaScript object literal; node serialised it with JSON.stringify.
SARIF_SCHEMA = json.loads(
    (REPO / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def findings(*argv: str) -> list[dict]:
    _, text = run(*argv, "--output-format", "json")
    return [d for entry in json.loads(text)["files"] for d in entry["diagnostics"]]


# ----------------------------------------------------------------- baseline


@pytest.fixture
def reports(tmp_path, examples_dir) -> Path:
    folder = tmp_path / "repo" / "reports"
    folder.mkdir(parents=True)
    (folder / "2024.md").write_text(mismatching_report(examples_dir, 3), encoding="utf-8")
    shutil.copy(examples_dir / "zhaotong-eco-2020.txt", folder / "2020.txt")
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_baseline_accepts_todays_findings_and_fails_on_new_ones(reports, monkeypatch):
    baseline = reports.parent / "gilint-baseline.json"
    before = findings("check", str(reports))
    assert len(before) > 5
    code, _ = run("check", str(reports), "--write-baseline", str(baseline))
    assert code == 0
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert set(recorded["files"]) == {"reports/2020.txt", "reports/2024.md"}
    assert sum(len(entries) for entries in recorded["files"].values()) == len(before)

    # unrelated edits: lines move (a paragraph added near the top), another section changes
    report = reports / "2024.md"
    _edit(report, "## 一、总体情况\n", "## 一、总体情况\n\n新增一段说明。\n\n再加一段。\n\n")
    _edit(report, "全年对公文公开属性逐件审核", "全年对公文公开属性逐件严格审核")
    _edit(reports / "2020.txt", "政府信息公开\n\n", "政府信息公开\n\n网站导航\n\n首页\n\n")  # cells move down
    moved = findings("check", str(reports))
    assert sorted(d["fingerprint"] for d in moved) == sorted(d["fingerprint"] for d in before)
    assert [d["line"] for d in moved] != [d["line"] for d in before]
    assert {d["code"] for d in moved if d["cell"]} >= {"GI201", "GI202"}  # cell findings kept theirs too
    monkeypatch.chdir(reports)  # the baseline's paths do not depend on the working directory
    code, text = run(
        "check", ".", "--baseline", str(baseline), "--fail-on", "warning", "--output-format", "json"
    )
    assert code == 0 and all(entry["diagnostics"] == [] for entry in json.loads(text)["files"])

    # a new finding: another count contradicting table 三
    _edit(
        report,
        "## 二、主动公开政府信息情况",
        "全年共收到政府信息公开申请60件。\n\n## 二、主动公开政府信息情况",
    )
    code, text = run(
        "check", ".", "--baseline", str(baseline), "--fail-on", "warning", "--output-format", "json"
    )
    (new,) = [d for entry in json.loads(text)["files"] for d in entry["diagnostics"]]
    assert code == 1 and new["code"] == "GI207" and "60" in new["message"]


def test_fixing_one_of_identical_findings_is_not_a_new_one(reports):
    baseline = reports / "baseline.json"
    run("check", str(reports), "--write-baseline", str(baseline))
    report = reports / "2024.md"
    _edit(report, "申请50件", "申请48件")  # one of the three identical contradictions fixed
    code, text = run(
        "check", str(reports), "--baseline", str(baseline), "--fail-on", "info", "--output-format", "json"
    )
    assert code == 0 and all(entry["diagnostics"] == [] for entry in json.loads(text)["files"])


def test_bad_baselines_are_usage_errors(tmp_path, capsys, examples_dir):
    path = str(examples_dir / "clean-2021.md")
    assert run("check", path, "--baseline", str(tmp_path / "missing.json"))[0] == 2
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert run("check", path, "--baseline", str(tmp_path / "bad.json"))[0] == 2
    (tmp_path / "other.json").write_text('{"version": 9, "files": {}}', encoding="utf-8")
    assert run("check", path, "--baseline", str(tmp_path / "other.json"))[0] == 2
    assert capsys.readouterr().err.count("\n") == 3


# -------------------------------------------------------------------- SARIF


def _sarif(*argv: str) -> dict:
    _, text = run("check", *argv, "--output-format", "sarif")
    document = json.loads(text)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(document)
    return document


def test_sarif_is_valid_and_complete(reports, monkeypatch, corpus_dir):
    monkeypatch.chdir(reports.parent)
    document = _sarif("reports", str(corpus_dir / "template-2021-blank.docx"))
    (run_,) = document["runs"]
    driver = run_["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    for rule in rules:
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["helpUri"] == f"{driver['informationUri']}#{rule['id'].lower()}"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == reports.parent.resolve().as_uri() + "/"
    json_findings = {d["fingerprint"] for d in findings("check", "reports")}
    seen_relative = seen_docx = False
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]
        artifact = location["physicalLocation"]["artifactLocation"]
        if artifact.get("uriBaseId") == "%SRCROOT%":
            seen_relative = True
            assert artifact["uri"].startswith("reports/")
            assert result["partialFingerprints"]["gilint/v1"] in json_findings
            assert "region" in location["physicalLocation"] or result["ruleId"] in ("GI001", "GI002")
        else:
            assert artifact["uri"].startswith("file:///") and artifact["uri"].endswith(".docx")
            if location.get("logicalLocations"):
                seen_docx = True  # a Word place is not a line: no region
                assert "region" not in location["physicalLocation"]
                assert location["properties"]["locationKind"] in ("docx_paragraph", "docx_table_cell")
    assert seen_relative and seen_docx


def test_readme_has_the_rule_anchors_sarif_points_at():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    _, text = run("rules", "--output-format", "json")
    for row in json.loads(text):
        assert f'<a id="{row["code"].lower()}"></a>' in readme, row["code"]


def test_sarif_lists_custom_pack_codes(tmp_path, examples_dir):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "local.yaml").write_text(
        "pack: local\ncatalog:\n  ZJ101:\n    name: several\n    severity: info\n    profiles: all\n"
        "    summary: {zh: 多份报告, en: several reports}\n"
        "rules:\n  - code: ZJ101\n    kind: several_reports\n"
        "    messages:\n      default: {zh: '共 {count} 份', en: '{count} reports'}\n",
        encoding="utf-8",
    )
    document = _sarif(
        str(examples_dir / "mianyang-nanning-multi.txt"), "--rules", str(pack), "--select", "ZJ1"
    )
    (result,) = document["runs"][0]["results"]
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert result["ruleId"] == "ZJ101" and rules[result["ruleIndex"]]["id"] == "ZJ101"
