#!/usr/bin/env python3
"""Where a report's time goes: each step of the pipeline, per input format, in one process.

Generates the bench's reports (``bench.generate``: the same variants of examples/clean-2021.md)
as Markdown, plain text and web pages, ``--count`` of each, and times each step of
``gilint.pipeline`` over them, after one warm-up pass (caches, lazily built data):

- read: the file's bytes to a Document (``load_path``);
- structure: the Lark parse, the profile and the sections (``parse_document``,
  ``assign_profile``, ``classify_sections``);
- tables: ``extract_tables``;
- rules: every per-report rule (``Linter``'s diagnostics, fingerprints included);
- digest: what the cross-report rules read (``digest_report``), which a run builds when one
  of them is on.

Prints a Markdown table of milliseconds a report. ``--profile N`` adds cProfile's N
functions with the most time of their own over the whole pipeline of one format (cProfile:
in the standard library, exact call counts, which show what runs once a cell or once a
line; its overhead inflates small functions, so read its ranking, not its seconds). The
collector runs as in a worker (gilint.batch.runner): with Python's default threshold its
pauses are billed to whatever function happens to allocate.

    python benchmarks/stages.py [--count 200] [--profile 30 --format .html]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import generate  # the bench's reports (the script beside this one)

from gilint.batch.runner import _YOUNG_COLLECTION
from gilint.checks.series.digest import digest_report
from gilint.config import suppression_ranges
from gilint.pipeline import Linter, Options
from gilint.read.load import load_path
from gilint.structure.parse import parse_document
from gilint.structure.profile import assign_profile
from gilint.structure.sections import classify_sections
from gilint.tables import extract_tables

FORMATS = (".md", ".txt", ".html")
STEPS = ("read", "structure", "tables", "rules", "digest")


def check_timed(linter: Linter, paths: Sequence[Path], clock: Callable[[], float]) -> dict[str, float]:
    """Seconds spent in each step over ``paths``."""
    spent = dict.fromkeys(STEPS, 0.0)
    for path in paths:
        started = clock()
        document = load_path(str(path), linter.load_options)
        read = clock()
        reports = parse_document(document, linter.structure)
        spent["read"] += read - started
        spent["structure"] += clock() - read
        for report in reports:
            began = clock()
            assign_profile(report, linter.structure, None)
            classify_sections(report, linter.structure)
            parsed = clock()
            extract_tables(report, linter.table_models)
            tabled = clock()
            linter._diagnostics(report, suppression_ranges(report))
            ruled = clock()
            digest_report(report, linter.digest_rows)
            digested = clock()
            spent["structure"] += parsed - began
            spent["tables"] += tabled - parsed
            spent["rules"] += ruled - tabled
            spent["digest"] += digested - ruled
    return spent


def check_all(linter: Linter, paths: Sequence[Path]) -> None:
    for path in paths:
        document = load_path(str(path), linter.load_options)
        for report in parse_document(document, linter.structure):
            assign_profile(report, linter.structure, None)
            classify_sections(report, linter.structure)
            extract_tables(report, linter.table_models)
            linter._diagnostics(report, suppression_ranges(report))
            digest_report(report, linter.digest_rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="reports of each format")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (the fastest counts)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile's top N functions")
    parser.add_argument("--format", choices=FORMATS, default=".html", help="the format --profile runs")
    args = parser.parse_args(argv)

    gc.set_threshold(_YOUNG_COLLECTION, *gc.get_threshold()[1:])
    # As a JSON run builds it: no table views, no lines kept, the digest's rows those the
    # cross-report rules read.
    linter = Linter(Options(table_views=False, source_lines=False))
    with tempfile.TemporaryDirectory(prefix="gilint-stages-") as temp:
        batches = {}
        for suffix in FORMATS:
            folder = Path(temp) / suffix.lstrip(".")
            generate(folder, args.count, seed=2026, only=suffix)
            batches[suffix] = sorted(folder.iterdir())
        print(f"| format | {' | '.join(STEPS)} | total |")
        print(f"|---|{'---|' * len(STEPS)}---|")
        for suffix, paths in batches.items():
            check_all(linter, paths)  # warm-up
            runs = [check_timed(linter, paths, time.perf_counter) for _ in range(args.repeat)]
            best = min(runs, key=lambda spent: sum(spent.values()))
            cells = [f"{best[step] * 1000 / len(paths):.2f}" for step in STEPS]
            total = sum(best.values()) * 1000 / len(paths)
            print(f"| {suffix} | {' | '.join(cells)} | {total:.2f} ms |")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(check_all, linter, batches[args.format])
            print(f"\ncProfile, {args.format}, {len(batches[args.format])} reports:\n")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
