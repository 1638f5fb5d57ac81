#!/usr/bin/env python3
"""A JSON snapshot of everything gilint says about the real reports.

Runs ``gilint check --output-format json`` and ``gilint extract`` over the corpus, the seeds
(../shared) and the bundled examples, and writes one JSON document with paths relative to
their folder, so two checkouts can be compared byte for byte:

    python benchmarks/snapshot.py > before.json
    ... refactor ...
    python benchmarks/snapshot.py > after.json && cmp before.json after.json

A refactor that should not change behaviour (a move, a speed-up) must leave it identical.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FOLDERS = {"corpus": SHARED / "corpus", "seeds": SHARED / "seeds", "examples": REPO / "examples"}


def _gilint(*args: str) -> Any:
    command = [sys.executable, "-m", "gilint", *args, "--output-format", "json"]
    result = subprocess.run(command, capture_output=True, check=False, cwd=REPO)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}: {result.stderr.decode()}")
    return json.loads(result.stdout)


def _relative(value: Any, folder: Path) -> Any:
    """Paths under ``folder`` written relative to it, everything else unchanged."""
    prefix = str(folder) + "/"
    if isinstance(value, str):
        return value.removeprefix(prefix)
    if isinstance(value, list):
        return [_relative(item, folder) for item in value]
    if isinstance(value, dict):
        return {key: _relative(item, folder) for key, item in value.items()}
    return value


def snapshot(folders: dict[str, Path]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, folder in folders.items():
        if not folder.is_dir():
            continue
        result[name] = {
            "check": _relative(_gilint("check", str(folder), "--jobs", "1"), folder),
            "extract": _relative(_gilint("extract", str(folder)), folder),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(FOLDERS), action="append", help="limit to these folders")
    args = parser.parse_args()
    folders = {name: FOLDERS[name] for name in args.only} if args.only else FOLDERS
    json.dump(snapshot(folders), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
