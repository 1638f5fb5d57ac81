"""``gilint extract``: the parsed reports (structure and tables) as JSON, a CSV long table
of cells, or a workbook (cells, and one row per report with its finding counts)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from gilint.cli.base import EXIT_ERROR, EXIT_OK, UsageError, error
from gilint.cli.inputs import (
    agency_map_of,
    build_linter,
    check_series,
    collect_paths,
    config_of,
    explicit_config,
    read_stdin,
    resolve_settings,
    shown_path,
)
from gilint.model import Report
from gilint.pipeline import Linter
from gilint.read.base import LoadError, LoadOptions
from gilint.read.load import load_path
from gilint.render.json_text import write_json


def command_extract(args: argparse.Namespace, out: TextIO) -> int:
    explicit = explicit_config(args)
    paths, missing = collect_paths(args.paths)
    resolve_settings(args, paths, explicit)
    binary = _binary_output(out) if args.format == "xlsx" else None
    agency_map = agency_map_of(args) if args.format == "xlsx" else None
    config = config_of(paths[0] if paths else "-", args, explicit)
    linter = build_linter(args, config, digests=args.format == "xlsx")
    stdin = read_stdin(paths, args.max_bytes)
    if binary is not None:
        failed = _extract_workbook(linter, paths, args, stdin, binary, explicit, agency_map)
        return EXIT_ERROR if failed or missing else EXIT_OK
    unreadable: list[str] = []
    reports = _extract_reports(linter, paths, args, stdin, unreadable)
    if args.format == "csv":  # row by row, report by report: a corpus is never all in memory
        from gilint.checks.series.digest import digest_report
        from gilint.extract import write_csv

        write_csv((digest_report(report) for report in reports), out)
    else:
        from gilint.extract import extract_document

        write_json(extract_document(list(reports)), out)
        out.write("\n")
    return EXIT_ERROR if unreadable or missing else EXIT_OK


def _extract_reports(
    linter: Linter, paths: list[str], args: argparse.Namespace, stdin: bytes | None, unreadable: list[str]
) -> Iterator[Report]:
    """Every report of the paths up to its tables (no rules), one file at a time; an
    unreadable file is said on stderr and added to ``unreadable``."""
    for path in paths:
        try:
            document = load_path(path, LoadOptions(args.max_bytes), stdin, args.stdin_filename)
        except LoadError as problem:
            error(f"{shown_path(path, args)}: {problem.code} {problem.message[args.lang]}")
            unreadable.append(path)
            continue
        yield from linter.analyse(document)


def _extract_workbook(
    linter: Linter,
    paths: list[str],
    args: argparse.Namespace,
    stdin: bytes | None,
    out: BinaryIO,
    explicit,
    agency_map: dict[str, str] | None,
) -> bool:
    """Checked reports (their findings are counted) as a workbook; whether a file was unreadable."""
    from gilint.batch import FileJob, check_files
    from gilint.cli.check import budget_of
    from gilint.extract import write_xlsx

    jobs = [FileJob(path, linter.options) for path in paths]
    budget = budget_of(args, [explicit])
    done = check_files(jobs, budget, 1, stdin, {linter.options: linter})
    results = [result for file in done for result in file.reports]
    check_series(results, args, explicit, linter, agency_map)
    failed = False
    for result in results:
        if result.digest is None:  # unreadable: its GI001/GI002 is counted in the sheet too
            message = result.diagnostics[0].text(args.lang) if result.diagnostics else ""
            error(f"{result.path}: {message}")
            failed = True
    write_xlsx(results, sorted(linter.ruleset.catalog), out)
    out.flush()
    return failed


def _binary_output(out: TextIO) -> BinaryIO:
    """Where a workbook goes: the binary stream under standard output, never a terminal."""
    target = getattr(out, "stream", out)  # the stream under the closed-pipe guard (PipeSafe)
    binary = getattr(target, "buffer", None)
    if binary is None or out.isatty():
        raise UsageError(
            "--format xlsx 输出二进制工作簿，请重定向到文件（> reports.xlsx） / --format xlsx writes a "
            "binary workbook: redirect it to a file (> reports.xlsx)"
        )
    out.flush()
    return binary
