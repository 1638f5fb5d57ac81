"""What ``check`` and ``extract`` share: which files, which configuration applies to
each, standard input, and a Linter whose code lists have been checked."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Mapping
from functools import cache

from gilint.cli.base import UsageError, error, split_codes
from gilint.cli.codes import require_known
from gilint.config import Config, config_for, load_config
from gilint.model import CheckedReport, Diagnostic
from gilint.pipeline import Linter, Options, SeriesRun
from gilint.structure.knowledge import KnowledgeError

# ------------------------------------------------------------------- paths


def _targets(paths: list[str]) -> Iterator[str]:
    from gilint.read.load import discover

    for path in discover(paths):
        if path != "-" and not os.path.exists(path):
            raise FileNotFoundError(path)
        yield path


def collect_paths(raw: list[str]) -> tuple[list[str], bool]:
    """The files to read, and whether a named path was missing (reported on stderr)."""
    paths: list[str] = []
    missing = False
    for path in raw:
        try:
            paths.extend(_targets([path]))
        except FileNotFoundError:
            error(f"路径不存在 / no such file or directory: {path}")
            missing = True
    return paths, missing


def shown_path(path: str, args: argparse.Namespace) -> str:
    """The name a path is reported and configured under (``--stdin-filename`` for ``-``)."""
    return args.stdin_filename if path == "-" and args.stdin_filename else path


def read_stdin(paths: list[str], max_bytes: int) -> bytes | None:
    """Standard input, read up to one byte past the size limit (the reader then refuses it)."""
    return sys.stdin.buffer.read(max_bytes + 1) if "-" in paths else None


# ----------------------------------------------------------- configuration


def explicit_config(args: argparse.Namespace) -> Config | None:
    return load_config(args.config) if args.config is not None else None


def config_of(path: str, args: argparse.Namespace, explicit: Config | None) -> Config:
    return explicit or config_for(shown_path(path, args))


def resolve_settings(args: argparse.Namespace, paths: list[str], explicit: Config | None) -> None:
    """--lang and --fail-on: the flag, else the (first file's) configuration, else the default."""
    try:
        config = config_of(paths[0] if paths else "-", args, explicit)
    except KnowledgeError:  # reported with that file's result (GI001, exit 2)
        config = Config()
    args.lang = args.lang or config.lang or "zh"
    if hasattr(args, "fail_on"):
        args.fail_on = args.fail_on or config.fail_on or "error"


def build_linter(
    args: argparse.Namespace,
    config: Config,
    digests: bool = False,
    table_views: bool = True,
    source_lines: bool = True,
) -> Linter:
    """A Linter for the files under ``config``, flags over configuration, after checking
    that every code named on the command line or in the configuration exists.
    ``digests``: every report's digest is wanted (Options.digests); ``table_views``: the
    output redraws the tables (Options.table_views); ``source_lines``: it quotes the files'
    lines (Options.source_lines)."""
    cli_select = split_codes(getattr(args, "select", None))
    cli_ignore = split_codes(getattr(args, "ignore", None))
    linter = Linter(
        Options(
            profile=args.profile or config.profile,
            select=cli_select or config.select,
            ignore=cli_ignore or config.ignore,
            rule_dirs=(*config.rules, *args.rules),
            max_bytes=args.max_bytes,
            agency_kind=args.agency_kind,
            stdin_filename=args.stdin_filename,
            rule_params=config.rule_params,
            digests=digests,
            table_views=table_views,
            source_lines=source_lines,
        )
    )
    catalog = linter.ruleset.catalog
    require_known(cli_select, catalog, "--select")
    require_known(cli_ignore, catalog, "--ignore")
    source = str(config.path) if config.path else "configuration"
    require_known(config.select, catalog, f"{source}: select")
    require_known(config.ignore, catalog, f"{source}: ignore")
    for pattern, codes in config.per_file_ignores:
        require_known(codes, catalog, f"{source}: per-file-ignores/{pattern}")
    return linter


def agency_map_of(args: argparse.Namespace) -> dict[str, str] | None:
    """--agency-map, read before the batch so that a broken map is said at once."""
    from gilint.checks.series.agency import load_agency_map

    if getattr(args, "agency_map", None) is None:
        return None
    try:
        return load_agency_map(args.agency_map)
    except KnowledgeError as problem:
        raise UsageError("--agency-map: " + " ".join(str(problem).split())) from problem


def check_series(
    results: list[CheckedReport],
    args: argparse.Namespace,
    explicit: Config | None,
    linter: Linter,
    agency_map: dict[str, str] | None,
    run: SeriesRun | None = None,
    configs: Mapping[str, Config | None] | None = None,
) -> None:
    """The cross-report rules (GI5xx) over every report of the run once all are checked, on
    what the single checks left (no file is read again); a finding is kept as its own file's
    configuration says. ``run``: the ``Linter.series_run`` the results were added to as
    they came (made with ``agency_map``); ``configs``: the files' configurations as found
    before the batch (None: broken), by path."""
    from gilint.checks.engine import CodeFilter

    if sum(result.digest is not None for result in results) < 2:
        return
    cli_select = split_codes(getattr(args, "select", None))
    cli_ignore = split_codes(getattr(args, "ignore", None))

    # Once per file, not per finding: finding a file's configuration resolves its path on
    # disk (~0.2 ms), and a batch of 300 reports has ~2,000 cross-report findings.
    @cache  # (the run's own files: bounded by the batch)
    def settings(path: str) -> tuple[CodeFilter, tuple[str, ...]] | None:
        try:
            config = (
                configs[path] if configs is not None and path in configs else config_of(path, args, explicit)
            )
        except KnowledgeError:
            config = None
        if config is None:
            return None  # the file's configuration is broken: its own findings were refused too
        codes = CodeFilter(cli_select or config.select, cli_ignore or config.ignore)
        return codes, config.ignored_for(shown_path(path, args))

    def keep(diagnostic: Diagnostic) -> bool:
        found = settings(diagnostic.path)
        if found is None:
            return False
        codes, ignored = found
        return codes.allows(diagnostic.code) and not (ignored and diagnostic.code.startswith(ignored))

    linter.check_series(results, agency_map, keep, run)
