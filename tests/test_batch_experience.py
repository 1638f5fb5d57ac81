"""Big batches (issue 9): --jobs defaults to the usable cores; full, concise and github
output streams file by file in input order, the cross-report findings (GI5xx) after
them, the summary last; a progress bar on standard error only when that is a terminal;
Ctrl-C prints what was done and exits 2."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import gilint.cli.check as check_module
from gilint.cli import main
from tests.conftest import EXAMPLES, REPO

EXAMPLE_FILES = sorted(str(path) for path in EXAMPLES.iterdir() if path.suffix in (".md", ".txt", ".html"))
ESCAPE = re.compile(r"\x1b\[")
DEADLINE = 120.0  # seconds: a generous bound on waiting for a subprocess, not a measurement


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["check", *argv, "--lang", "en", "--no-color"], out)
    return code, out.getvalue()


def json_findings(*argv: str) -> tuple[dict, Counter[str]]:
    """The JSON document (written at the end, every finding merged into its report) and
    the findings per code: what the streamed formats must match."""
    _, text = run(*argv, "--output-format", "json")
    document = json.loads(text)
    codes = Counter(d["code"] for entry in document["files"] for d in entry["diagnostics"])
    return document, codes


# ----------------------------------------------------------------- --jobs


def test_jobs_defaults_to_the_usable_cores(monkeypatch):
    seen: list[int] = []
    original = check_module.check_files

    def recording(jobs, budget, workers, stdin, *rest):
        seen.append(workers)
        return original(jobs, budget, workers, stdin, *rest)

    monkeypatch.setattr(check_module, "check_files", recording)
    run(EXAMPLE_FILES[0])
    run(EXAMPLE_FILES[0], "--jobs", "1")
    assert seen == [len(os.sched_getaffinity(0)), 1]
    assert check_module.usable_cores() == len(os.sched_getaffinity(0))


# -------------------------------------------------------------- streaming


class RecordingOutput(io.StringIO):
    """Standard output that notes, at each write, how many files the batch had handed over."""

    def __init__(self, yielded: list[int]):
        super().__init__()
        self.yielded = yielded
        self.writes: list[tuple[int, str]] = []

    def write(self, text: str) -> int:
        self.writes.append((self.yielded[0], text))
        return super().write(text)


@pytest.mark.parametrize("output_format", ["full", "concise", "github"])
def test_each_file_is_written_before_the_next_is_received(monkeypatch, output_format):
    yielded = [0]
    original = check_module.check_files

    def counting(*args, **kwargs):
        for result in original(*args, **kwargs):
            yielded[0] += 1
            yield result

    monkeypatch.setattr(check_module, "check_files", counting)
    out = RecordingOutput(yielded)
    argv = ["check", *EXAMPLE_FILES, "--output-format", output_format, "--no-color", "--lang", "en"]
    argv += ["--jobs", "2"]
    main(argv, out)
    # Every file's findings are out before the batch hands over the next file.
    across = next(i for i, (_, text) in enumerate(out.writes) if "GI5" in text or "across reports" in text)
    single = out.writes[:across]
    for position, path in enumerate(EXAMPLE_FILES, start=1):
        own = [count for count, text in single if path in text]
        if own:
            assert max(own) == position, path
    assert all(count == len(EXAMPLE_FILES) for count, _ in out.writes[across:])
    assert len(EXAMPLE_FILES) > 2 and any(count < len(EXAMPLE_FILES) for count, _ in out.writes)


def test_full_output_is_in_input_order_with_the_cross_report_section_before_the_summary():
    document, codes = json_findings(*EXAMPLE_FILES)
    assert codes["GI502"] and codes["GI503"]  # the examples hold a series and duplicates
    _, text = run(*EXAMPLE_FILES)
    headers = [line.split("  ")[0].split(" [")[0] for line in text.splitlines() if "  agency: " in line]
    across = text.index("── across reports ──")
    single = [header for header in headers if text.index(header) < across]
    assert list(dict.fromkeys(single)) == EXAMPLE_FILES
    for code, count in codes.items():
        at = [match.start() for match in re.finditer(rf"\[{code}\]", text)]
        assert len(at) == count, code  # every finding exactly once
        if code.startswith("GI5"):
            assert min(at) > across, code
        else:
            assert max(at) < across, code
    summary = text.rstrip().splitlines()[-1]
    tally = document["summary"]
    assert summary == (
        f"checked {tally['files']} file(s), {tally['reports']} report(s): "
        f"{tally['error']} error(s), {tally['warning']} warning(s), {tally['info']} info"
    )


@pytest.mark.parametrize("output_format", ["concise", "github"])
def test_line_formats_list_every_finding_once_cross_report_ones_last(output_format):
    _, codes = json_findings(*EXAMPLE_FILES)
    _, text = run(*EXAMPLE_FILES, "--output-format", output_format)
    pattern = r": (GI\d{3}) \[" if output_format == "concise" else r"title=(GI\d{3}) "
    found = [re.search(pattern, line).group(1) for line in text.splitlines() if re.search(pattern, line)]
    assert Counter(found) == codes
    first_across = next(i for i, code in enumerate(found) if code.startswith("GI5"))
    assert all(code.startswith("GI5") for code in found[first_across:])


def test_the_cap_and_the_baseline_apply_to_streamed_output(tmp_path):
    _, codes = json_findings(*EXAMPLE_FILES)
    _, capped = run(*EXAMPLE_FILES, "--output-format", "concise", "--max-per-code", "1")
    capped_json, listed = json_findings(*EXAMPLE_FILES, "--max-per-code", "1")
    omitted = [line for line in capped.splitlines() if "not listed (see --max-per-code)" in line]
    assert omitted and any(": GI502 [warning]" in line for line in omitted)  # the cap on GI5xx too
    assert len(capped.splitlines()) == sum(listed.values()) + len(omitted) + 1
    assert capped_json["summary"] == json_findings(*EXAMPLE_FILES)[0]["summary"]  # capped ones still count

    baseline = tmp_path / "baseline.json"
    assert run(*EXAMPLE_FILES, "--write-baseline", str(baseline))[0] == 0
    recorded = json.loads(baseline.read_text(encoding="utf-8"))["files"]
    assert sum(len(entries) for entries in recorded.values()) == sum(codes.values())  # GI5xx, uncapped too
    code, text = run(*EXAMPLE_FILES, "--output-format", "concise", "--baseline", str(baseline))
    assert code == 0
    assert text.splitlines() == [
        f"checked {len(EXAMPLE_FILES)} file(s), 12 report(s): 0 error(s), 0 warning(s), 0 info"
    ]


def test_statistics_and_quiet_count_the_cross_report_findings():
    _, codes = json_findings(*EXAMPLE_FILES)
    _, table = run(*EXAMPLE_FILES, "--statistics", "--quiet")
    counted: Counter[str] = Counter()
    for line in table.splitlines():  # count, code, [severity], name: one row per code and severity
        count, code = line.split("\t")[:2]
        counted[code] += int(count)
    assert counted == codes
    _, quiet = run(*EXAMPLE_FILES, "--quiet")
    assert "report(s):" not in quiet and "no problems found" not in quiet
    assert quiet.count("[GI502]") == codes["GI502"]


def test_whole_documents_are_unchanged_by_streaming(tmp_path):
    """json stays one document with the GI5xx findings inside their reports, in position order."""
    document, _ = json_findings(*EXAMPLE_FILES)
    for entry in document["files"]:
        lines = [d["line"] for d in entry["diagnostics"]]
        assert lines == sorted(lines)
    assert any(d["code"].startswith("GI5") for entry in document["files"] for d in entry["diagnostics"])


# ---------------------------------------------------------- progress bar


def _batch_folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for index in range(count):
        shutil.copy(EXAMPLES / "clean-2021.md", folder / f"report-{index:02}.md")
    return folder


def _read_until_exit(process: subprocess.Popen, fd: int) -> bytes:
    """What the process writes to the pseudo-terminal ``fd`` until it exits."""
    received = b""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the other end closed
                break
            received += chunk
        elif process.poll() is not None:
            break
    return received


def _gilint(*argv: str) -> list[str]:
    return [sys.executable, "-m", "gilint", "check", *argv, "--lang", "en", "--ignore", "GI5"]


def test_a_progress_bar_on_a_terminals_standard_error_only(tmp_path):
    folder = _batch_folder(tmp_path, 12)
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        _gilint(str(folder), "--output-format", "concise"),
        stdout=subprocess.PIPE,
        stderr=terminal,
        cwd=REPO,
        env=env,
    )
    os.close(terminal)
    on_terminal = _read_until_exit(process, controller).decode("utf-8", "replace")
    stdout = process.stdout.read().decode("utf-8")
    os.close(controller)
    assert process.wait(DEADLINE) == 0
    assert "checking" in on_terminal and "12/12" in on_terminal
    assert stdout == "checked 12 file(s), 12 report(s): 0 error(s), 0 warning(s), 0 info\n"

    plain = subprocess.run(
        _gilint(str(folder), "--output-format", "concise"),
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=DEADLINE,
    )
    assert plain.stderr == b""  # not a terminal (CI logs): nothing extra
    assert plain.stdout.decode("utf-8") == stdout


def test_no_bar_for_a_handful_of_files(tmp_path):
    folder = _batch_folder(tmp_path, 3)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(_gilint(str(folder)), stdout=subprocess.DEVNULL, stderr=terminal, cwd=REPO)
    os.close(terminal)
    on_terminal = _read_until_exit(process, controller)
    os.close(controller)
    assert process.wait(DEADLINE) == 0
    assert on_terminal == b""


def test_the_bar_makes_way_for_output_on_the_same_terminal(tmp_path):
    folder = _batch_folder(tmp_path, 10)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        _gilint(str(folder), "--output-format", "concise"), stdout=terminal, stderr=terminal, cwd=REPO
    )
    os.close(terminal)
    shown = _read_until_exit(process, controller).decode("utf-8", "replace")
    os.close(controller)
    assert process.wait(DEADLINE) == 0
    assert "checking" in shown
    assert "checked 10 file(s), 10 report(s)" in shown
    assert "Traceback" not in shown


# ------------------------------------------------------------------ Ctrl-C

INTERRUPTIBLE = """
import sys
import tests.test_batch  # registers the test-only rule kind that hangs on HOSTILE-HANG
from gilint.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("output_format", ["full", "json"])
def test_ctrl_c_prints_what_was_done_and_exits_2(tmp_path, output_format):
    from tests.hostile_inputs import CLEAN
    from tests.test_batch import PACK

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(PACK, encoding="utf-8")
    files = [tmp_path / "a-first.md", tmp_path / "b-hangs.md", tmp_path / "c-last.md"]
    files[0].write_text(CLEAN, encoding="utf-8")
    files[1].write_text(CLEAN.replace("（二）", "HOSTILE-HANG\n\n（二）", 1), encoding="utf-8")
    files[2].write_text(CLEAN, encoding="utf-8")
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    argv = ["check", *map(str, files), "--rules", str(pack), "--jobs", "2", "--timeout", "600"]
    argv += ["--output-format", output_format, "--lang", "en", "--no-color"]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", INTERRUPTIBLE, *argv],
            stdout=out,
            stderr=err,
            cwd=REPO,
            start_new_session=True,
        )
        if output_format == "full":  # wait until the first file is out
            end = time.monotonic() + DEADLINE
            while "a-first.md" not in stdout.read_text(encoding="utf-8") and time.monotonic() < end:
                time.sleep(0.1)
        else:  # json writes at the end: wait until both workers have their files
            end = time.monotonic() + DEADLINE
            while len(_processes(parent=process.pid)) < 2 and time.monotonic() < end:
                time.sleep(0.1)
            time.sleep(1)  # the workers start on their files; no result depends on when
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
        code = process.wait(DEADLINE)
    output, errors = stdout.read_text(encoding="utf-8"), stderr.read_text(encoding="utf-8")
    assert code == 2
    assert "Traceback" not in errors and "Traceback" not in output
    assert "c-last.md" not in output  # never reached in input order: the hanging file comes first
    if output_format == "full":
        assert "a-first.md" in output and "interrupted after 1 of 3 files" in errors
        assert "checked 1 file(s), 1 report(s)" in output
    else:
        done = json.loads(output)  # a whole document of what was done
        assert [entry["path"] for entry in done["files"]] == [str(files[0])][: len(done["files"])]
        assert re.search(r"interrupted after [01] of 3 files", errors)
    end = time.monotonic() + DEADLINE
    while _processes(group=process.pid) and time.monotonic() < end:
        time.sleep(0.1)
    assert _processes(group=process.pid) == []  # the workers were stopped, none left behind


def _processes(parent: int | None = None, group: int | None = None) -> list[int]:
    """The live processes (Linux /proc) with this parent or in this process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state, ppid, pgrp = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if state != "Z" and (int(ppid) == parent or int(pgrp) == group):
            found.append(int(entry.name))
    return found
