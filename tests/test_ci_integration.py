"""The pre-commit hook and the GitHub Action, as a report repository uses them.

The pre-commit test is end to end: it clones this repository's committed state into a
temporary folder (``try-repo`` installs hooks from a git repository; the worktree's
uncommitted state is not what users get), makes a git repository of reports, and runs
``pre-commit try-repo`` there. pre-commit installs gilint into its own virtualenv with
pip, so it needs the package index (or a pip cache), nothing else.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from gilint.cli import build_parser
from tests.conftest import REPO

GIT = shutil.which("git")
PRE_COMMIT = shutil.which("pre-commit")


def _git(*argv: str, cwd: Path) -> None:
    subprocess.run(
        [GIT or "git", "-c", "user.name=gilint-test", "-c", "user.email=test@gilint.invalid", *argv],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _try_repo(hooks: Path, reports: Path, home: Path) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    environment.pop("GILINT_DEBUG", None)
    return subprocess.run(
        [PRE_COMMIT or "pre-commit", "try-repo", str(hooks), "gilint", "--all-files", "--color", "never"],
        cwd=reports,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.mark.skipif(PRE_COMMIT is None or GIT is None, reason="pre-commit and git are needed")
def test_pre_commit_hook_end_to_end(tmp_path, examples_dir):
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: try-repo needs the hooks in a git repository")
    hooks = tmp_path / "gilint"
    _git("clone", "--quiet", "--no-hardlinks", str(REPO), str(hooks), cwd=tmp_path)
    if not (hooks / ".pre-commit-hooks.yaml").is_file():
        pytest.skip("the checked-out commit has no .pre-commit-hooks.yaml yet")

    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(examples_dir / "clean-2021.md", reports / "2024.md")
    shutil.copy(examples_dir / "clean-2021.docx", reports / "2024.docx")
    (reports / "README.md").write_text("# 年报仓库\n", encoding="utf-8")  # not a report: excluded
    (reports / "notes.csv").write_text("a,b\n", encoding="utf-8")  # not a supported format
    _git("init", "--quiet", cwd=reports)
    _git("add", ".", cwd=reports)
    _git("commit", "--quiet", "-m", "reports", cwd=reports)

    home = tmp_path / "pre-commit-home"
    clean = _try_repo(hooks, reports, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"gilint\.+Passed", clean.stdout)

    shutil.copy(examples_dir / "zhaotong-eco-2020.txt", reports / "2020.txt")
    _git("add", ".", cwd=reports)
    _git("commit", "--quiet", "-m", "a report with errors", cwd=reports)
    failing = _try_repo(hooks, reports, home)
    assert failing.returncode == 1
    assert re.search(r"gilint\.+Failed", failing.stdout)
    assert re.search(r"^2020\.txt:\d+:\d+: GI201 \[error\] ", failing.stdout, re.M)
    assert "README.md" not in failing.stdout and "notes.csv" not in failing.stdout


def test_hook_definition_matches_what_gilint_reads():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "gilint" and hook["language"] == "python"
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name in ("a.txt", "b.md", "c.markdown", "d.html", "e.htm", "f.docx", "年报/g.PDF"):
        assert files.search(name) and not exclude.search(name), name
    for name in ("README.md", "docs/CHANGELOG.md", "x.doc", "y.csv"):
        assert not (files.search(name) and not exclude.search(name)), name
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["gilint", "check"]
    build_parser().parse_args([*entry[1:], "report.md"])  # the options exist


def test_action_runs_gilint_with_options_that_exist():
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(use.startswith("actions/setup-python@") for use in uses)
    assert any(use.startswith("github/codeql-action/upload-sarif@") for use in uses)
    commands = [
        line.strip()
        for step in steps
        for line in step.get("run", "").splitlines()
        if line.strip().startswith("gilint check")
    ]
    assert commands
    for command in commands:
        words = [word for word in shlex.split(command) if word not in ("$GILINT_PATHS", "$GILINT_ARGS")]
        words = [word.replace("$GILINT_SARIF", "gilint.sarif") for word in words]
        build_parser().parse_args([*words[1:], "reports/"])
        assert "${{" not in command  # inputs reach the shell through env, never pasted into the script
    for name in re.findall(r"inputs\.([a-z-]+)", (REPO / "action.yml").read_text(encoding="utf-8")):
        assert name in action["inputs"], name
