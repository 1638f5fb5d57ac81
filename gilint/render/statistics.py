"""``check --statistics``: how many findings of each code, most frequent first (ruff's
``--statistics``), as a table or, with ``--output-format json``, a JSON list."""

from __future__ import annotations

from collections import Counter
from typing import Any, TextIO

from gilint.checks.catalog import load_catalog
from gilint.model import CheckedReport
from gilint.render.base import RenderOptions, label, summary
from gilint.render.json_text import write_json


def statistics(results: list[CheckedReport], options: RenderOptions) -> list[dict[str, Any]]:
    """One row per (code, severity): count, name; findings past the per-code cap included."""
    tally: Counter[tuple[str, str]] = Counter()
    for result in results:
        for diagnostic in result.diagnostics:
            tally[(diagnostic.code, diagnostic.severity.value)] += 1
        for omitted in result.omitted:
            tally[(omitted.code, omitted.severity.value)] += omitted.count
    catalog = options.catalog or load_catalog()
    rows = [
        {"code": code, "name": getattr(catalog.get(code), "name", ""), "severity": severity, "count": count}
        for (code, severity), count in tally.items()
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["code"], row["severity"]))


def render_statistics(
    results: list[CheckedReport], options: RenderOptions, out: TextIO, as_json: bool = False
) -> None:
    rows = statistics(results, options)
    if as_json:
        write_json(rows, out)
        out.write("\n")
        return
    width = max((len(str(row["count"])) for row in rows), default=1)
    for row in rows:
        out.write(f"{row['count']:>{width}}\t{row['code']}\t[{row['severity']}]\t{row['name']}\n")
    if not options.quiet:
        out.write(label(options.lang, "summary").format(**summary(results, options.files_checked)) + "\n")
