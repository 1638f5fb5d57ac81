"""Baselines: accept today's findings, fail only on new ones.

``gilint check --write-baseline FILE`` records every current finding as (file, code,
fingerprint); ``--baseline FILE`` drops the findings recorded there. Fingerprints
(gilint.checks.fingerprint) hold no line numbers, so a baseline survives lines moving
and edits elsewhere. Files are keyed by their path relative to the baseline file's
folder, so the baseline works from any working directory and on any checkout.

The file is JSON, sorted, one finding per line group, so that it diffs well in review::

    {"version": 1, "files": {"reports/2024.md": [{"code": "GI201", "fingerprint": "…:1"}]}}
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from gilint.cli.base import UsageError
from gilint.model import CheckedReport

BASELINE_VERSION = 1


def _key(path: str, folder: Path) -> str:
    if path == "-":
        return path
    return Path(os.path.relpath(Path(path).resolve(), folder.resolve())).as_posix()


def write_baseline(file: Path, results: list[CheckedReport]) -> int:
    """Record every finding of ``results``; returns how many."""
    folder = file.parent
    files: dict[str, list[dict[str, str]]] = {}
    for result in results:
        entries = files.setdefault(_key(result.path, folder), [])
        entries.extend(
            {"code": diagnostic.code, "fingerprint": diagnostic.fingerprint or ""}
            for diagnostic in result.diagnostics
        )
    document = {
        "version": BASELINE_VERSION,
        "files": {
            path: sorted(entries, key=lambda entry: (entry["code"], entry["fingerprint"]))
            for path, entries in sorted(files.items())
            if entries
        },
    }
    try:
        file.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"无法写入基线文件 / cannot write the baseline {file}: {error.strerror}") from error
    return sum(len(entries) for entries in document["files"].values())


def read_baseline(file: Path) -> dict[str, set[tuple[str, str]]]:
    """{file key: {(code, fingerprint)}}; a missing or malformed file is a usage error."""
    try:
        document: Any = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"无法读取基线文件 / cannot read the baseline {file}: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UsageError(
            f"基线文件不是有效的 JSON / the baseline {file} is not valid JSON: {error}"
        ) from error
    if not (
        isinstance(document, dict)
        and document.get("version") == BASELINE_VERSION
        and isinstance(document.get("files"), dict)
    ):
        raise UsageError(
            f"基线文件格式不对 / the baseline {file} is not a gilint baseline (version {BASELINE_VERSION})"
        )
    try:
        return {
            path: {(entry["code"], entry["fingerprint"]) for entry in entries}
            for path, entries in document["files"].items()
        }
    except (TypeError, KeyError) as error:
        raise UsageError(f"基线文件格式不对 / the baseline {file} has a malformed entry: {error}") from error


def drop_baselined(
    results: list[CheckedReport], file: Path, baseline: dict[str, set[tuple[str, str]]]
) -> int:
    """Remove the findings recorded in the baseline; returns how many were removed."""
    removed = 0
    for result in results:
        known = baseline.get(_key(result.path, file.parent))
        if not known:
            continue
        kept = [d for d in result.diagnostics if (d.code, d.fingerprint or "") not in known]
        removed += len(result.diagnostics) - len(kept)
        result.diagnostics = kept
    return removed
