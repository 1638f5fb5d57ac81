"""The command line: ``gilint check | rules | explain | extract``.

Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or I/O error
(one line on stderr). Nothing the user passes produces a traceback: input
problems are diagnostics, everything else a one-line error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from gilint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("full", "concise", "json", "github", "sarif")
EXTRACT_FORMATS = ("json", "csv", "xlsx")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage too)
        raise UsageError(message)


def _codes(values: list[str] | None) -> tuple[str, ...]:
    codes: list[str] = []
    for value in values or []:
        codes.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(codes)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gilint", description="政府信息公开工作年度报告合规检查工具 / GOI annual report linter"
    )
    parser.add_argument("--version", action="version", version=f"gilint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("check", help="检查报告 / check reports")
    check.add_argument("paths", nargs="+", help="files, folders, or - for standard input")
    check.add_argument("--output-format", choices=FORMATS, default="full")
    _common(check)
    check.add_argument("--select", action="append", help="only these codes or prefixes (GI1,GI201)")
    check.add_argument("--ignore", action="append", help="skip these codes or prefixes")
    check.add_argument("--fail-on", choices=("error", "warning", "info"), help="default: error")
    check.add_argument("--no-color", action="store_true")
    check.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default 1)")

    rules = commands.add_parser("rules", help="列出规则 / list the rules")
    rules.add_argument("--output-format", choices=("full", "json"), default="full")
    rules.add_argument("--lang", choices=("zh", "en"), default="zh")
    rules.add_argument("--rules", action="append", type=Path, default=[], help="extra rule-pack folder")

    explain = commands.add_parser("explain", help="解释规则 / explain a rule")
    explain.add_argument("code")
    explain.add_argument("--lang", choices=("zh", "en"), default="zh")

    extract = commands.add_parser("extract", help="提取报告结构和表格 / extract structure and tables")
    extract.add_argument("paths", nargs="+")
    extract.add_argument(
        "--format",
        "--output-format",
        dest="format",
        choices=EXTRACT_FORMATS,
        default="json",
        help="json (structure and tables), csv (one row per table cell), xlsx (cells, and a sheet "
        "of reports with table 三 totals and finding counts; binary, redirect it to a file)",
    )
    _common(extract)
    return parser


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--profile", choices=("legacy", "2019", "2021"), help="override the detected format")
    command.add_argument(
        "--agency-kind", choices=("department", "government"), help="override the agency kind"
    )
    command.add_argument("--lang", choices=("zh", "en"), help="message language (default zh)")
    command.add_argument("--rules", action="append", type=Path, default=[], help="extra rule-pack folder")
    command.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024, help="size limit per file")
    command.add_argument(
        "--agency-map",
        type=Path,
        help="YAML or CSV: agency name variant -> canonical agency, to group renamed organs across years",
    )


def _error(message: str) -> None:
    print(f"gilint: {message}", file=sys.stderr)


# --------------------------------------------------------------------- check


def _options(args: argparse.Namespace, config):
    """CLI flags over the configuration file's values."""
    from gilint.pipeline import Options

    return Options(
        profile=args.profile or config.profile,
        select=_codes(getattr(args, "select", None)) or config.select,
        ignore=_codes(getattr(args, "ignore", None)) or config.ignore,
        rule_dirs=(*config.rules, *args.rules),
        max_bytes=args.max_bytes,
        agency_kind=args.agency_kind,
        rule_params=config.rule_params,
    )


def _resolve_output_settings(args: argparse.Namespace, paths: list[str]) -> None:
    """--lang and --fail-on: the flag, else the first file's configuration, else the default."""
    from gilint.config import config_for

    config = config_for(paths[0] if paths else "-")
    args.lang = args.lang or config.lang or "zh"
    if hasattr(args, "fail_on"):
        args.fail_on = args.fail_on or config.fail_on or "error"


def _targets(paths: list[str]) -> Iterator[str]:
    """Files to check; a missing path is reported on stderr and skipped."""
    from gilint.read.load import discover

    for path in discover(paths):
        if path != "-" and not os.path.exists(path):
            raise FileNotFoundError(path)
        yield path


_WORKER = None


def _init_worker(options) -> None:
    global _WORKER
    from gilint.pipeline import Linter

    _WORKER = Linter(options)


def _check_one(path: str):
    return _WORKER.check_path(path)


def _run_checks(paths: list[str], args: argparse.Namespace, stdin: bytes | None):
    """Check paths grouped by the configuration that applies to them, in order."""
    from gilint.config import config_for

    groups: dict[object, list[int]] = {}
    configs = [config_for(path) for path in paths]
    for index, config in enumerate(configs):
        groups.setdefault(config, []).append(index)
    results: list[list] = [[] for _ in paths]
    for config, indices in groups.items():
        batch = [paths[index] for index in indices]
        checked_batch = _run_group(batch, _options(args, config), args.jobs, stdin)
        for index, checked in zip(indices, checked_batch, strict=True):
            ignored = config.ignored_for(paths[index])
            if ignored:
                for result in checked:
                    result.diagnostics = [d for d in result.diagnostics if not d.code.startswith(ignored)]
            results[index] = checked
    return [result for checked in results for result in checked]


def _run_group(paths: list[str], options, jobs: int, stdin: bytes | None) -> list[list]:
    from gilint.pipeline import Linter

    if jobs > 1 and len(paths) > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs, _init_worker, (options,)) as pool:
            return list(pool.imap(_check_one, paths, chunksize=8))
    linter = Linter(options)
    return [linter.check_path(path, stdin) for path in paths]


def _agency_map(args: argparse.Namespace) -> dict[str, str] | None:
    from gilint.checks.series.agency import load_agency_map
    from gilint.structure.knowledge import KnowledgeError

    if args.agency_map is None:
        return None
    try:
        return load_agency_map(args.agency_map)
    except KnowledgeError as error:
        raise UsageError("--agency-map: " + " ".join(str(error).split())) from error


def _check_series(
    results: list, args: argparse.Namespace, paths: list[str], agency_map: dict[str, str] | None
) -> None:
    """The cross-report rules (GI5xx) over every report of the run, once all are checked;
    a finding is kept as its own file's configuration says."""
    from gilint.checks.engine import CodeFilter
    from gilint.config import config_for
    from gilint.pipeline import Linter

    if sum(result.digest is not None for result in results) < 2:
        return

    def keep(diagnostic) -> bool:
        config = config_for(diagnostic.path)
        options = _options(args, config)
        ignored = config.ignored_for(diagnostic.path)
        return CodeFilter(options.select, options.ignore).allows(diagnostic.code) and not (
            ignored and diagnostic.code.startswith(ignored)
        )

    linter = Linter(_options(args, config_for(paths[0])))
    linter.check_series(results, agency_map, keep)


def _collect_paths(raw: list[str]) -> tuple[list[str], bool]:
    paths: list[str] = []
    missing = False
    for path in raw:
        try:
            paths.extend(_targets([path]))
        except FileNotFoundError:
            _error(f"路径不存在 / no such file or directory: {path}")
            missing = True
    return paths, missing


def command_check(args: argparse.Namespace, out: TextIO) -> int:
    from gilint.render import RenderOptions, load_renderers

    paths, missing = _collect_paths(args.paths)
    _resolve_output_settings(args, paths)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    args.jobs = max(1, args.jobs)
    agency_map = _agency_map(args)  # a broken map is said before the batch, not after it
    results = _run_checks(paths, args, stdin)
    _check_series(results, args, paths, agency_map)
    render_options = RenderOptions(
        lang=args.lang, color=not args.no_color, version=__version__, files_checked=len(paths)
    )
    load_renderers()[args.output_format](results, render_options, out)
    threshold = SEVERITY_RANK[args.fail_on]
    failing = any(d.severity.rank >= threshold for result in results for d in result.diagnostics)
    if missing:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing else EXIT_OK


# ------------------------------------------------------------- rules/explain


def command_rules(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from gilint.checks.engine import load_rules
    from gilint.data import rules_dir
    from gilint.pipeline import PIPELINE_CODES

    ruleset = load_rules([rules_dir(), *args.rules])
    implemented = {rule.code for rule in ruleset.rules} | set(PIPELINE_CODES)
    records = sorted(ruleset.catalog.values(), key=lambda info: info.code)
    if args.output_format == "json":
        rows = [dict(info.to_dict(args.lang), implemented=info.code in implemented) for info in records]
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    headers = {
        "zh": ("代码", "名称", "级别", "适用格式", "说明"),
        "en": ("code", "name", "severity", "profiles", "summary"),
    }
    table = Table(*headers[args.lang], show_lines=False)
    for info in records:
        mark = "" if info.code in implemented else " *"
        table.add_row(
            info.code + mark,
            info.name,
            info.severity.value,
            ", ".join(info.profiles),
            info.summary[args.lang],
        )
    console = Console(file=out, soft_wrap=False, width=None if out.isatty() else 160)
    console.print(table)
    note = {"zh": "* 已列入规则目录、尚未实现", "en": "* catalogued, not implemented yet"}
    if implemented != {info.code for info in records}:
        console.print(note[args.lang])
    return EXIT_OK


def command_explain(args: argparse.Namespace, out: TextIO) -> int:
    from gilint.checks.catalog import load_catalog

    info = load_catalog().get(args.code.upper())
    if info is None:
        raise UsageError(f"unknown rule code {args.code}; see `gilint rules`")
    lang = args.lang
    titles = {
        "zh": ("规则", "级别", "适用格式", "检查什么", "为什么", "依据", "示例"),
        "en": ("rule", "severity", "profiles", "what", "why", "legal basis", "example"),
    }[lang]
    lines = [
        f"{info.code} {info.name}",
        f"{titles[1]}: {info.severity.value}    {titles[2]}: {', '.join(info.profiles)}",
        "",
        f"{titles[3]}: {info.summary[lang]}",
    ]
    if info.why:
        lines.append(f"{titles[4]}: {info.why[lang]}")
    if info.basis:
        lines.append(f"{titles[5]}: {info.basis}")
    if info.example:
        lines.append(f"{titles[6]}: {info.example[lang]}")
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


# ------------------------------------------------------------------ extract


def command_extract(args: argparse.Namespace, out: TextIO) -> int:
    from gilint.config import config_for
    from gilint.pipeline import Linter

    paths, missing = _collect_paths(args.paths)
    _resolve_output_settings(args, paths)
    if args.format == "xlsx":
        binary = _binary_output(out)
        agency_map = _agency_map(args)
    linter = Linter(_options(args, config_for(paths[0] if paths else "-")))
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    if args.format == "xlsx":
        code = _extract_workbook(linter, paths, args, stdin, binary, agency_map)
        return code or (EXIT_ERROR if missing else EXIT_OK)
    failed: list[str] = []
    reports = _extract_reports(linter, paths, args, stdin, failed)
    if args.format == "csv":  # row by row, report by report: a corpus is never all in memory
        from gilint.checks.series.digest import digest_report
        from gilint.extract import write_csv

        write_csv((digest_report(report) for report in reports), out)
    else:
        import json

        from gilint.extract import extract_document

        json.dump(extract_document(list(reports)), out, ensure_ascii=False, indent=2)
        out.write("\n")
    return EXIT_ERROR if failed or missing else EXIT_OK


def _extract_reports(linter, paths: list[str], args: argparse.Namespace, stdin: bytes | None, failed: list):
    """Every report of the paths up to its tables (no rules), one file at a time;
    an unreadable file is said on stderr and added to ``failed``."""
    from gilint.read.base import LoadError, LoadOptions
    from gilint.read.load import load_path

    for path in paths:
        try:
            document = load_path(path, LoadOptions(args.max_bytes), stdin)
        except LoadError as error:
            _error(f"{path}: {error.code} {error.message[args.lang]}")
            failed.append(path)
            continue
        yield from linter.analyse(document)


def _extract_workbook(
    linter, paths: list[str], args: argparse.Namespace, stdin: bytes | None, out, agency_map
) -> int:
    """Checked reports (their findings are counted) as a workbook; 2 when a file was unreadable."""
    from gilint.extract import write_xlsx

    results = [result for path in paths for result in linter.check_path(path, stdin)]
    _check_series(results, args, paths, agency_map)
    failed = False
    for result in results:
        if result.digest is None:  # unreadable: its GI001/GI002 is counted in the sheet too
            message = result.diagnostics[0].text(args.lang) if result.diagnostics else ""
            _error(f"{result.path}: {message}")
            failed = True
    write_xlsx(results, sorted(linter.ruleset.catalog), out)
    out.flush()
    return EXIT_ERROR if failed else EXIT_OK


def _binary_output(out: TextIO):
    """Where a workbook goes: the binary stream under standard output, never a terminal."""
    binary = getattr(out, "buffer", None)
    if binary is None or out.isatty():
        raise UsageError("--format xlsx writes a binary workbook: redirect it to a file (> reports.xlsx)")
    out.flush()
    return binary


COMMANDS = {
    "check": command_check,
    "rules": command_rules,
    "explain": command_explain,
    "extract": command_extract,
}


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        from gilint.config import find_config

        find_config.cache_clear()  # configuration is read afresh on each run
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args, out)
    except UsageError as error:
        _error(str(error))
        return EXIT_ERROR
    except SystemExit as exit_:  # --version / --help
        return int(exit_.code or 0)
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # a bug or an unusable rule pack: one line, never a traceback
        from gilint.structure.knowledge import KnowledgeError

        kind = (
            "rule pack error"
            if isinstance(error, KnowledgeError)
            else f"internal error ({type(error).__name__})"
        )
        _error(f"{kind}: {error}")
        if os.environ.get("GILINT_DEBUG"):
            raise
        return EXIT_ERROR
