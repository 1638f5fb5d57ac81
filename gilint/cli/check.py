"""``gilint check``: run the pipeline over files, then baseline, cap, render, exit status.

Exit status: 0 nothing at or above --fail-on (or --exit-zero, or --write-baseline),
1 findings, 2 usage or I/O error. It is decided by the findings alone: a reader that
closes the pipe early (``| head``) changes nothing.
"""

from __future__ import annotations

import argparse
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from gilint import __version__
from gilint.batch import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Budget, FileJob, check_files
from gilint.cli.base import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, describe_problem, error
from gilint.cli.baseline import drop_baselined, read_baseline, write_baseline
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
from gilint.config import Config
from gilint.model import CheckedReport
from gilint.pipeline import Linter
from gilint.render import RenderOptions, load_renderers
from gilint.render.base import cap_findings
from gilint.render.statistics import render_statistics
from gilint.structure.knowledge import KnowledgeError

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


# ------------------------------------------------------------------ running


def run_checks(
    paths: list[str], args: argparse.Namespace, stdin: bytes | None, explicit: Config | None
) -> tuple[list[CheckedReport], dict, list[str], Linter | None]:
    """Check every path under the configuration that applies to it, each file in a worker
    under the time and memory budget (gilint.batch), in input order. Also returns the
    catalogue the checks used (custom packs' codes included) and the configuration or
    rule-pack errors met: their files come back as GI001, the other files are checked; and
    a Linter of the run (for the cross-report rules), None when no file could be checked."""
    jobs: list[FileJob] = []
    configs: list[Config | None] = []
    linters: dict[Config, Linter] = {}
    problems: list[str] = []
    for path in paths:
        try:
            config = config_of(path, args, explicit)
            if config not in linters:
                linters[config] = build_linter(args, config)
        except KnowledgeError as problem:  # a broken .gilint.yaml or pack costs its own files only
            problems.append(describe_problem(problem))
            jobs.append(FileJob(path, refused=str(problem)))
            configs.append(None)
            continue
        jobs.append(FileJob(path, linters[config].options))
        configs.append(config)
    catalog: dict = {}
    for linter in linters.values():
        catalog.update(linter.ruleset.catalog)
    if not linters and not problems:  # nothing to check: still refuse unknown codes on the command line
        catalog.update(build_linter(args, config_of("-", args, explicit)).ruleset.catalog)
    built = {linter.options: linter for linter in linters.values()}
    results: list[CheckedReport] = []
    for result in check_files(jobs, budget_of(args, configs), args.jobs, stdin, built):
        config = configs[result.index]
        ignored = config.ignored_for(shown_path(result.job.path, args)) if config else ()
        for report in result.reports:
            if ignored:
                report.diagnostics = [d for d in report.diagnostics if not d.code.startswith(ignored)]
            results.append(report)
        if result.failure == "rules" and result.job.refused is None:
            problems.append(f"规则包错误 / rule pack error: {result.detail}")
    return results, catalog, list(dict.fromkeys(problems)), next(iter(linters.values()), None)


def budget_of(args: argparse.Namespace, configs: list[Config | None]) -> Budget:
    """--timeout / --max-memory, else the first file's configuration, else the defaults."""
    config = next((config for config in configs if config is not None), None)
    seconds = getattr(args, "timeout", None) or (config and config.timeout) or DEFAULT_SECONDS
    memory = getattr(args, "max_memory", None) or (config and config.max_memory) or DEFAULT_MEMORY_MB
    return Budget(float(seconds), int(memory))


# ------------------------------------------------------------------- output


def use_color(mode: str, stream: TextIO) -> bool:
    """--color always/never decide; auto: NO_COLOR (any value) turns colour off, then
    FORCE_COLOR (any value but 0) on, else colour only on a terminal."""
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return stream.isatty()


@contextmanager
def output_stream(args: argparse.Namespace, out: TextIO) -> Iterator[TextIO]:
    if args.output_file is None:
        yield out
        return
    try:
        handle = open(args.output_file, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
    except OSError as problem:
        raise UsageError(
            f"无法写入输出文件 / cannot write the output file {args.output_file}: {problem.strerror}"
        ) from problem
    with handle:
        yield handle


def _render(
    results: list[CheckedReport], files: int, args: argparse.Namespace, catalog: dict, stream: TextIO
) -> None:
    options = RenderOptions(
        lang=args.lang,
        color=use_color(args.color, stream),
        version=__version__,
        files_checked=files,
        quiet=args.quiet,
        catalog=catalog,
    )
    if args.statistics:
        render_statistics(results, options, stream, as_json=args.output_format == "json")
    else:
        load_renderers()[args.output_format](results, options, stream)


def exit_status(results: list[CheckedReport], fail_on: str) -> int:
    threshold = SEVERITY_RANK[fail_on]
    failing = any(d.severity.rank >= threshold for result in results for d in result.diagnostics) or any(
        omitted.severity.rank >= threshold for result in results for omitted in result.omitted
    )
    return EXIT_FINDINGS if failing else EXIT_OK


# ------------------------------------------------------------------ command


# The pipeline builds many objects that live as long as their report (lines, sentences and
# what each caches) and creates no reference cycles worth collecting while it runs: with
# the default first-generation threshold (700) the collector ran ~6,000 times over them on
# a 6 MB report, a quarter of its time. mypy makes the same trade.
GC_THRESHOLDS = (200_000, 30, 30)


def command_check(args: argparse.Namespace, out: TextIO) -> int:
    gc.set_threshold(*GC_THRESHOLDS)
    explicit = explicit_config(args)
    paths, missing = collect_paths(args.paths)
    resolve_settings(args, paths, explicit)
    baseline = read_baseline(args.baseline) if args.baseline is not None else None
    agency_map = agency_map_of(args)  # a broken map is said before the batch, not after it
    results, catalog, problems, linter = run_checks(paths, args, read_stdin(paths, args.max_bytes), explicit)
    if linter is not None:
        check_series(results, args, explicit, linter, agency_map)
    for problem in problems:
        error(problem)
    if args.write_baseline is not None:
        count = write_baseline(args.write_baseline, results)
        error(f"已把 {count} 个问题写入基线 / wrote {count} finding(s) to the baseline {args.write_baseline}")
    if baseline is not None:
        drop_baselined(results, args.baseline, baseline)
    cap_findings(results, args.max_per_code)
    status = exit_status(results, args.fail_on)
    with output_stream(args, out) as stream:
        _render(results, len(paths), args, catalog, stream)
    if missing or problems:
        return EXIT_ERROR
    if args.exit_zero or args.write_baseline is not None:
        return EXIT_OK
    return status
