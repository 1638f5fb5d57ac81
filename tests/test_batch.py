"""Batches (issue 14): one bad file never costs a batch its other results.

Every file is checked in a worker process under a time and a memory budget; a file
that hangs, runs out of memory, has its worker killed, or hits a bug comes back as
one GI001 saying why, and every other file's findings are what they are alone —
with ``--jobs 1`` and ``--jobs 2``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import signal
import time
import types
from pathlib import Path

import pytest

from gilint.batch import Budget, FileJob, check_files
from gilint.checks.kinds.base import KINDS, Kind
from gilint.cli import main
from gilint.pipeline import Options
from tests.conftest import EXAMPLES
from tests.hostile_inputs import ALL_TRIGGERS, CLEAN
from tests.test_hostile_inputs import EXPECTED

MIB = 1024 * 1024
GOOD = sorted(str(path) for path in EXAMPLES.iterdir() if path.suffix in (".md", ".txt", ".html", ".docx"))


class HostileBehaviour(Kind):
    """A rule kind for these tests only: misbehaves on the reports that ask for it."""

    name = "test_hostile_behaviour"

    def check(self, report, rule, context):
        text = "\n".join(line.text for line in report.lines)
        if "HOSTILE-HANG" in text:
            time.sleep(3600)
        if "HOSTILE-MEMORY" in text:
            hoard = [bytearray(64 * MIB) for _ in range(10_000)]
            del hoard
        if "HOSTILE-KILL" in text:  # what the system's out-of-memory killer does
            os.kill(os.getpid(), signal.SIGKILL)
        if "HOSTILE-BUG" in text:
            raise TypeError("boom")
        return []


KINDS.setdefault(HostileBehaviour.name, HostileBehaviour)

PACK = """pack: hostile-test
catalog:
  GX901:
    name: hostile-behaviour
    severity: info
    profiles: all
    summary: {zh: 测试, en: test}
rules:
  - code: GX901
    kind: test_hostile_behaviour
    messages: {default: {zh: 测试, en: test}}
"""
BEHAVIOURS = {
    "HOSTILE-HANG": "time budget of 2 s per file",
    "HOSTILE-MEMORY": "memory budget of 256 MB per file",
    "HOSTILE-KILL": "killed by the system with SIGKILL",
    "HOSTILE-BUG": "internal error (TypeError): boom",
}


@functools.lru_cache(maxsize=64)
def alone(path: str, *args: str) -> list[dict]:
    """The file's entries when it is checked on its own."""
    return run([path], *args)[1][path]


def run(paths: list[str], *args: str) -> tuple[int, dict[str, list[dict]], list[str]]:
    """Exit code, the diagnostics per file, and the files in output order. The cross-report
    rules (GI5xx) are left out: several triggers hold the example report's text, so a batch
    rightly finds duplicates that a file checked alone cannot have."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        argv = ["check", *paths, "--output-format", "json", "--lang", "en", "--ignore", "GI5", *args]
        code = main(argv, out)
    files = json.loads(out.getvalue())["files"]
    by_path: dict[str, list[dict]] = {}
    for entry in files:
        by_path.setdefault(entry["path"], []).append(entry)
    return code, by_path, [entry["path"] for entry in files]


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    (folder / "pack.yaml").write_text(PACK, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def misbehaving(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("misbehaving")
    paths = {}
    for marker in BEHAVIOURS:
        path = folder / f"{marker.lower()}.md"
        path.write_text(CLEAN.replace("（二）", marker + "\n\n（二）", 1), encoding="utf-8")
        paths[marker] = str(path)
    return paths


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_with_every_hostile_input_keeps_every_result(hostile_results, jobs):
    """Good files plus every hostile input in one batch: each file's result is the
    one it gets alone (a refused input: its one GI001), in input order."""
    triggers = [hostile_results[trigger.name]["path"] for trigger in ALL_TRIGGERS]
    paths = [GOOD[0], *triggers[: len(triggers) // 2], *GOOD[1:], *triggers[len(triggers) // 2 :]]
    code, by_path, order = run(paths, "--jobs", jobs)
    assert code == 2  # the broken rule packs among the inputs
    assert list(dict.fromkeys(order)) == paths
    for path in GOOD:
        assert by_path[path] == alone(path), path
    for trigger in ALL_TRIGGERS:
        result = hostile_results[trigger.name]
        by_itself = json.loads(result["stdout"])["files"]
        assert by_path[result["path"]] == by_itself, trigger.name
        if EXPECTED.get(trigger.name, ("",))[0] == "GI001":
            assert [d["code"] for entry in by_itself for d in entry["diagnostics"]] == ["GI001"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_hangs_eats_memory_kills_its_worker_or_crashes_is_one_gi001(pack, misbehaving, jobs):
    paths = [GOOD[0], *misbehaving.values(), *GOOD[1:]]
    args = ("--rules", str(pack), "--timeout", "2", "--max-memory", "256")
    code, by_path, order = run(paths, "--jobs", jobs, *args)
    assert code == 1
    assert list(dict.fromkeys(order)) == paths
    for marker, reason in BEHAVIOURS.items():
        (entry,) = by_path[misbehaving[marker]]
        (diagnostic,) = entry["diagnostics"]
        assert diagnostic["code"] == "GI001" and reason in diagnostic["message"], (marker, diagnostic)
    for path in GOOD:
        assert by_path[path] == alone(path, *args), path


def test_check_files_is_an_iterator_in_input_order(misbehaving):
    jobs = [FileJob(path) for path in [*GOOD[:3], misbehaving["HOSTILE-BUG"], *GOOD[3:]]]
    results = check_files(jobs, Budget(seconds=20, memory_mb=512), workers=2)
    assert isinstance(results, types.GeneratorType)
    collected = list(results)
    assert [result.index for result in collected] == list(range(len(jobs)))
    assert [result.job.path for result in collected] == [job.path for job in jobs]
    assert all(result.failure is None and result.reports for result in collected)


def test_the_callers_setup_runs_while_the_first_files_are_checked():
    """``while_waiting`` (the CLI loads its renderer there) runs once, after the first files
    went to the workers and before any result came back."""
    calls: list[bool] = []
    jobs = [FileJob(path) for path in GOOD[:3]]
    results = check_files(jobs, workers=2, while_waiting=lambda: calls.append(True))
    first = next(results)
    assert calls == [True] and first.index == 0
    assert len(list(results)) == 2 and calls == [True]


def test_an_internal_error_names_its_exception(pack, misbehaving):
    options = Options(rule_dirs=(pack,))
    (result,) = check_files([FileJob(misbehaving["HOSTILE-BUG"], options)], Budget(seconds=20))
    assert result.failure == "internal" and result.detail == "TypeError: boom"
    assert [d.code for d in result.reports[0].diagnostics] == ["GI001"]


def test_a_broken_configuration_costs_only_its_own_files(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / ".gilint.yaml").write_text("rules: [missing]\nselect: [not a code]\n", encoding="utf-8")
    (broken / "report.md").write_text(CLEAN, encoding="utf-8")
    code, by_path, _ = run([GOOD[0], str(broken / "report.md")])
    assert code == 2
    assert by_path[GOOD[0]] == alone(GOOD[0])
    (entry,) = by_path[str(broken / "report.md")]
    assert [d["code"] for d in entry["diagnostics"]] == ["GI001"]


def test_budgets_come_from_flags_then_configuration(tmp_path, pack, misbehaving):
    folder = tmp_path / "configured"
    folder.mkdir()
    (folder / ".gilint.yaml").write_text(f"timeout: 1.5\nrules: ['{pack}']\n", encoding="utf-8")
    path = folder / "report.md"
    path.write_text(Path(misbehaving["HOSTILE-HANG"]).read_text(encoding="utf-8"), encoding="utf-8")
    _, by_path, _ = run([str(path)])
    assert "time budget of 1.5 s" in by_path[str(path)][0]["diagnostics"][0]["message"]
    _, by_path, _ = run([str(path), "--timeout", "1"])
    assert "time budget of 1 s" in by_path[str(path)][0]["diagnostics"][0]["message"]


@pytest.mark.parametrize("flag", ["--timeout", "--max-memory"])
@pytest.mark.parametrize("value", ["0", "-1", "nan", "x"])
def test_budget_flags_must_be_positive_numbers(flag, value, capsys):
    assert main(["check", GOOD[0], flag, value], io.StringIO()) == 2
    assert "gilint:" in capsys.readouterr().err
