"""``gilint check``: run the pipeline over files, then baseline, cap, render, exit status.

Exit status: 0 nothing at or above --fail-on (or --exit-zero, or --write-baseline),
1 findings, 2 usage or I/O error. It is decided by the findings alone: a reader that
closes the pipe early (``| head``) changes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
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
from gilint.cli.progress import BatchProgress
from gilint.config import Config
from gilint.model import CheckedReport
from gilint.pipeline import Linter, SeriesRun
from gilint.pipeline import _position as reading_order  # the order Linter keeps findings in
from gilint.render import QUOTING_FORMATS, RenderOptions, Stream, load_renderers, load_streams
from gilint.render.base import cap_findings, summary
from gilint.render.statistics import render_statistics
from gilint.structure.knowledge import KnowledgeError

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


# ------------------------------------------------------------------ running


@dataclass
class Batch:
    """What to check and how: one job per file, the configuration each file is checked
    under (None: it is broken), the Linter of each configuration, the catalogue the checks
    use (custom packs' codes included) and the configuration or rule-pack errors met
    (their files come back as GI001, the other files are checked)."""

    jobs: list[FileJob]
    configs: list[Config | None]
    linters: dict[Config, Linter]
    catalog: dict
    problems: list[str]

    def linter(self) -> Linter | None:
        """A Linter of the run (for the cross-report rules), None when no file could be checked."""
        return next(iter(self.linters.values()), None)


def plan_batch(paths: list[str], args: argparse.Namespace, explicit: Config | None) -> Batch:
    batch = Batch([], [], {}, {}, [])
    for path in paths:
        try:
            config = config_of(path, args, explicit)
            if config not in batch.linters:
                batch.linters[config] = build_linter(
                    args,
                    config,
                    table_views=args.output_format == "html",
                    source_lines=args.output_format in QUOTING_FORMATS,
                )
        except KnowledgeError as problem:  # a broken .gilint.yaml or pack costs its own files only
            batch.problems.append(describe_problem(problem))
            batch.jobs.append(FileJob(path, refused=str(problem)))
            batch.configs.append(None)
            continue
        batch.jobs.append(FileJob(path, batch.linters[config].options))
        batch.configs.append(config)
    for linter in batch.linters.values():
        batch.catalog.update(linter.ruleset.catalog)
    if not batch.linters and not batch.problems:  # nothing to check: still refuse unknown codes
        batch.catalog.update(build_linter(args, config_of("-", args, explicit)).ruleset.catalog)
    return batch


def checked_files(
    batch: Batch,
    args: argparse.Namespace,
    stdin: bytes | None,
    while_waiting: Callable[[], None] | None = None,
) -> Iterator[list[CheckedReport]]:
    """Each file's reports, in input order as soon as known, its per-file ignores applied;
    every file in a worker under the time and memory budget (gilint.batch). The workers
    are stopped when this generator is closed (Ctrl-C)."""
    built = {linter.options: linter for linter in batch.linters.values()}
    workers = args.jobs or usable_cores()
    with contextlib.closing(
        check_files(batch.jobs, budget_of(args, batch.configs), workers, stdin, built, while_waiting)
    ) as results:
        for result in results:
            config = batch.configs[result.index]
            ignored = config.ignored_for(shown_path(result.job.path, args)) if config else ()
            if ignored:
                for report in result.reports:
                    report.diagnostics = [d for d in report.diagnostics if not d.code.startswith(ignored)]
            if result.failure == "rules" and result.job.refused is None:
                batch.problems.append(f"规则包错误 / rule pack error: {result.detail}")
            yield result.reports


def usable_cores() -> int:
    """The --jobs default: the cores this process may run on (its affinity), else all."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # no sched_getaffinity (macOS, Windows)
        return os.cpu_count() or 1


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


@contextlib.contextmanager
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


class Findings:
    """The run's findings on their way out. Each file's reports are settled as they come
    (baseline, per-code cap; the baseline file was read before the batch) and, in a format
    that streams (full, concise, github), written at once; the cross-report findings
    follow once every file is checked, the summary last. --statistics and the
    whole-document formats (json, sarif, html) are written at the end from the same
    settled results."""

    def __init__(
        self,
        args: argparse.Namespace,
        baseline: dict[str, set[tuple[str, str]]] | None,
        options: RenderOptions,
        stream: TextIO,
    ):
        self.args = args
        self.baseline = baseline
        self.options = options
        self.stream = stream
        self.writer: Stream | None = None
        self.prepared = False
        self.results: list[CheckedReport] = []
        self.recorded: list[CheckedReport] = []  # every finding as found, for --write-baseline
        self.files = 0

    def prepare(self) -> None:
        """Load the output format's renderer: run while the workers check the first files,
        since importing rich costs about 50 ms that a one-file run would otherwise wait for."""
        if self.prepared:
            return
        self.prepared = True
        streams = load_streams()
        if self.args.output_format in streams and not self.args.statistics:
            self.writer = streams[self.args.output_format](self.options, self.stream)

    def add_file(self, reports: list[CheckedReport], progress: BatchProgress) -> None:
        self.prepare()
        self.files += 1
        self._settle(reports)
        self.results.extend(reports)
        if self.writer is not None:
            with progress.paused():
                self.writer.reports(reports)
                self.stream.flush()

    def add_across(self, pairs: list[tuple[CheckedReport, CheckedReport]]) -> None:
        """The cross-report findings, as (report, copy holding only its GI5xx findings):
        written after the files' own, then merged into their reports."""
        across = [copy for _, copy in pairs]
        self.prepare()
        self._settle(across)
        if self.writer is not None:
            self.writer.across([copy for copy in across if copy.diagnostics or copy.omitted])
        for report, copy in pairs:
            report.diagnostics = sorted([*report.diagnostics, *copy.diagnostics], key=reading_order)
            report.omitted = [*report.omitted, *copy.omitted]

    def _settle(self, reports: list[CheckedReport]) -> None:
        if self.args.write_baseline is not None:
            self.recorded.extend(replace(report, diagnostics=list(report.diagnostics)) for report in reports)
        if self.baseline is not None:
            drop_baselined(reports, self.args.baseline, self.baseline)
        cap_findings(reports, self.args.max_per_code)

    def end(self) -> None:
        """The summary after streamed output; --statistics or a whole document otherwise."""
        options = replace(self.options, files_checked=self.files)
        self.prepare()
        if self.writer is not None:
            self.writer.end(summary(self.results, self.files))
        elif self.args.statistics:
            render_statistics(self.results, options, self.stream, as_json=self.args.output_format == "json")
        else:
            load_renderers()[self.args.output_format](self.results, options, self.stream)


def render_options(args: argparse.Namespace, files: int, catalog: dict, stream: TextIO) -> RenderOptions:
    return RenderOptions(
        lang=args.lang,
        color=use_color(args.color, stream),
        version=__version__,
        files_checked=files,
        quiet=args.quiet,
        catalog=catalog,
    )


def cross_report(
    results: list[CheckedReport],
    args: argparse.Namespace,
    explicit: Config | None,
    linter: Linter,
    run: SeriesRun,
    batch: Batch,
) -> list[tuple[CheckedReport, CheckedReport]]:
    """The cross-report rules over every report of the run: (report, a copy of it holding
    only its GI5xx findings) for each report that has some. Copies, because the report
    itself may be written already. ``run``: the ``linter``'s series run the results were
    added to as they came; ``batch``: the files' configurations, found once already."""
    copies = [replace(report, diagnostics=[], omitted=[]) for report in results]
    configs = {job.path: config for job, config in zip(batch.jobs, batch.configs, strict=True)}
    check_series(copies, args, explicit, linter, None, run, configs)
    return [(report, copy) for report, copy in zip(results, copies, strict=True) if copy.diagnostics]


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
    stdin = read_stdin(paths, args.max_bytes)
    batch = plan_batch(paths, args, explicit)
    linter = batch.linter()
    series = linter.series_run(agency_map) if linter is not None else None
    with output_stream(args, out) as stream:
        findings = Findings(args, baseline, render_options(args, len(paths), batch.catalog, stream), stream)
        if not run_batch(batch, args, stdin, findings, series):
            _say_what_was_done(findings, len(paths))
            return EXIT_ERROR
        if linter is not None and series is not None:
            findings.add_across(cross_report(findings.results, args, explicit, linter, series, batch))
        for problem in dict.fromkeys(batch.problems):
            error(problem)
        if args.write_baseline is not None:
            count = write_baseline(args.write_baseline, findings.recorded)
            written = args.write_baseline
            error(f"已把 {count} 个问题写入基线 / wrote {count} finding(s) to the baseline {written}")
        findings.end()
    status = exit_status(findings.results, args.fail_on)
    if missing or batch.problems:
        return EXIT_ERROR
    if args.exit_zero or args.write_baseline is not None:
        return EXIT_OK
    return status


def run_batch(
    batch: Batch,
    args: argparse.Namespace,
    stdin: bytes | None,
    findings: Findings,
    series: SeriesRun | None = None,
) -> bool:
    """Check every file, its findings out as each comes, a progress bar on a terminal's
    standard error; False when interrupted (Ctrl-C): the workers are stopped, what was
    done stays, and a second Ctrl-C cannot break the output of what was done. Each
    report's digest goes to the ``series`` run as it comes (its cross-report work then
    runs while the workers check the next files)."""
    with (
        BatchProgress(len(batch.jobs), findings.stream) as progress,
        contextlib.closing(checked_files(batch, args, stdin, findings.prepare)) as files,
    ):
        try:
            for reports in files:
                findings.add_file(reports, progress)
                progress.advance()
                if series is not None:
                    for report in reports:
                        if report.digest is not None:
                            series.add(report.digest)
        except KeyboardInterrupt:
            return False
    return True


def _say_what_was_done(findings: Findings, total: int) -> None:
    """After Ctrl-C (in the main thread, where Python delivers it): the results received so
    far (no cross-report step: it needs every file), then one line on standard error; a
    second Ctrl-C meanwhile is ignored, so that it cannot cut this short with a traceback."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        findings.end()
        findings.stream.flush()
        done = findings.files
        error(f"已中断：已检查 {done} 个文件，共 {total} 个 / interrupted after {done} of {total} files")
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
