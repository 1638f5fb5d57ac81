"""gilint's own rules/ data is checked here, once, instead of at every start (issue 13).

Loading shipped data skips JSON-Schema validation and the static linearity analysis of its
patterns (``gilint.data.is_shipped``): together they were most of a start. These tests keep
the guarantee: every shipped file still passes both, and data from anywhere else is still
checked at load.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from gilint.data import is_shipped, rules_dir
from gilint.structure.knowledge import KnowledgeError, validate
from tests.conftest import REPO


def test_only_files_inside_the_shipped_rules_folder_count_as_shipped(tmp_path):
    assert is_shipped(rules_dir() / "lexicon" / "quantities.yaml")
    assert is_shipped(f"{rules_dir() / 'profiles.yaml'}: title_form")
    assert not is_shipped(tmp_path / "rules" / "profiles.yaml")
    assert not is_shipped(str(rules_dir()) + "-copy/profiles.yaml")  # a sibling folder is not inside


def test_gilint_vet_shipped_turns_the_checks_back_on(monkeypatch):
    monkeypatch.setenv("GILINT_VET_SHIPPED", "1")
    assert not is_shipped(rules_dir() / "profiles.yaml")


def test_every_shipped_file_passes_validation_and_the_linearity_check():
    """A Linter built with the checks on: every shipped pack, lexicon, table model and profile is
    validated against its schema and every pattern in them analysed, as a user pack would be."""
    probe = "from gilint.pipeline import Linter; Linter(); print('ok')"
    env = {**os.environ, "GILINT_VET_SHIPPED": "1"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


def test_data_outside_the_shipped_folder_is_still_validated(tmp_path):
    schema = {"type": "object", "required": ["rules"]}
    with pytest.raises(KnowledgeError, match="rules"):
        validate({}, schema, str(tmp_path / "pack.yaml"))
    validate({}, schema, str(rules_dir() / "pack.yaml"))  # shipped: trusted, the tests above vet it


def test_a_copy_of_the_shipped_rules_with_a_bad_pattern_is_refused(tmp_path):
    """The same data loaded from elsewhere (--rules) gets the full checks: a super-linear
    pattern put into a copy of the profiles is refused at load, naming the file."""
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    profiles = copy / "profiles.yaml"
    lines = profiles.read_text(encoding="utf-8").splitlines()
    at = next(index for index, line in enumerate(lines) if line.startswith("title_form:"))
    lines[at] = "title_form: '^(?P<agency>(?:.+)+)年度报告$'"
    profiles.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from gilint.structure.knowledge import load_structure

    with pytest.raises(KnowledgeError) as refused:
        load_structure(profiles)
    assert str(profiles) in str(refused.value) and "super-linear" in str(refused.value)
