"""Check every hostile input (tests/hostile_inputs.py) with the command line, one
after the other in this process; tests/test_hostile_inputs.py runs this module in a
subprocess under a memory limit and watches it with a wall-clock limit per input.

    python -m tests.hostile_probe FOLDER [NAME ...]

For each input it prints ``start NAME`` before and ``result {json}`` after (exit
code, standard output and standard error of ``gilint check … --output-format json``).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

from gilint.cli import main as gilint
from tests.hostile_inputs import ALL_TRIGGERS, Trigger


def build(trigger: Trigger, folder: Path) -> Path:
    own = folder / trigger.name
    own.mkdir(parents=True, exist_ok=True)
    return trigger.build(own)


def check(paths: list[str], *args: str) -> dict:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = gilint(["check", *paths, "--output-format", "json", "--lang", "en", *args], out)
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main(argv: list[str]) -> int:
    folder, names = Path(argv[0]), set(argv[1:])
    for trigger in ALL_TRIGGERS:
        if names and trigger.name not in names:
            continue
        print(f"start {trigger.name}", flush=True)
        path = build(trigger, folder)
        result = check([str(path)], *trigger.args)
        print("result " + json.dumps({"name": trigger.name, "path": str(path), **result}), flush=True)
    print("finished", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


# ------------------------------------------------------------ the watcher

SECONDS_PER_INPUT = 10.0
MEMORY_LIMIT = 1536 * 1024 * 1024  # 1.5 GB of address space for the probe and its workers


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_probe(folder: Path, names: list[str]) -> dict[str, dict]:
    """Every input's result, each under ``SECONDS_PER_INPUT`` of wall-clock time; an
    input that overruns is recorded as ``{"timeout": True}`` and the probe restarts
    with the inputs after it."""
    import select
    import subprocess
    import time

    from tests.conftest import REPO

    results: dict[str, dict] = {}
    pending = list(names)
    while pending:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile_probe", str(folder), *pending],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            preexec_fn=_limit_memory,
        )
        current, deadline = None, time.monotonic() + 60  # imports, before the first input
        try:
            while True:
                ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    results[current or pending[0]] = {"timeout": True}
                    break
                line = process.stdout.readline()
                if not line or line.startswith("finished"):
                    break
                if line.startswith("start "):
                    current = line.split(" ", 1)[1].strip()
                    deadline = time.monotonic() + SECONDS_PER_INPUT
                elif line.startswith("result "):
                    result = json.loads(line[len("result ") :])
                    results[result["name"]] = result
                    current = None
        finally:
            process.kill()
            process.wait()
            process.stdout.close()
        done = [name for name in pending if name in results]
        if not done:  # the probe died before its first input: record and stop
            results.update({name: {"died": True} for name in pending})
            break
        pending = [name for name in pending if name not in results]
    return results
