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
    check.add_argument(
        "--timeout", type=_positive(float), metavar="SECONDS", help="time budget per file (default 30)"
    )
    check.add_argument(
        "--max-memory", type=_positive(int), metavar="MB", help="memory budget per file (default 1024)"
    )

    rules = commands.add_parser("rules", help="列出规则 / list the rules")
    rules.add_argument("--output-format", choices=("full", "json"), default="full")
    rules.add_argument("--lang", choices=("zh", "en"), default="zh")
    rules.add_argument("--rules", action="append", type=Path, default=[], help="extra rule-pack folder")

    explain = commands.add_parser("explain", help="解释规则 / explain a rule")
    explain.add_argument("code")
    explain.add_argument("--lang", choices=("zh", "en"), default="zh")

    extract = commands.add_parser("extract", help="提取报告结构和表格 / extract structure and tables")
    extract.add_argument("paths", nargs="+")
    extract.add_argument("--output-format", choices=("json",), default="json")
    _common(extract)
    return parser


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text}") from None
        if not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"must be a positive number: {text}")
        return value

    return parse


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--profile", choices=("legacy", "2019", "2021"), help="override the detected format")
    command.add_argument(
        "--agency-kind", choices=("department", "government"), help="override the agency kind"
    )
    command.add_argument("--lang", choices=("zh", "en"), help="message language (default zh)")
    command.add_argument("--rules", action="append", type=Path, default=[], help="extra rule-pack folder")
    command.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024, help="size limit per file")


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
    )


def _resolve_output_settings(args: argparse.Namespace, paths: list[str]) -> None:
    """--lang and --fail-on: the flag, else the first file's configuration, else the default."""
    from gilint.config import Config, config_for
    from gilint.structure.knowledge import KnowledgeError

    try:
        config = config_for(paths[0] if paths else "-")
    except KnowledgeError:  # reported with that file's result
        config = Config()
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


def _run_checks(paths: list[str], args: argparse.Namespace, stdin: bytes | None) -> tuple[list, bool]:
    """Check every path under its configuration, each file in a worker under the time
    and memory budget (gilint.batch); the reports in input order, and whether a rule
    pack or configuration failed to load."""
    from gilint.batch import FileJob, check_files
    from gilint.config import config_for
    from gilint.structure.knowledge import KnowledgeError

    jobs, configs = [], []
    for path in paths:
        try:
            config = config_for(path)
            jobs.append(FileJob(path, _options(args, config)))
        except KnowledgeError as error:  # a bad .gilint.yaml costs its own files only
            config = None
            jobs.append(FileJob(path, refused=str(error)))
        configs.append(config)
    results, broken = [], set()
    for result in check_files(jobs, _budget(args, configs), args.jobs, stdin):
        config = configs[result.index]
        ignored = config.ignored_for(result.job.path) if config else ()
        for report in result.reports:
            if ignored:
                report.diagnostics = [d for d in report.diagnostics if not d.code.startswith(ignored)]
            results.append(report)
        if result.failure == "rules":
            broken.add(result.detail)
    for detail in sorted(broken):
        _error(f"rule pack error: {detail}")
    return results, bool(broken)


def _budget(args: argparse.Namespace, configs: list):
    """--timeout / --max-memory, else the first file's configuration, else the defaults."""
    from gilint.batch import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Budget

    config = next((config for config in configs if config is not None), None)
    seconds = args.timeout or (config and config.timeout) or DEFAULT_SECONDS
    memory = args.max_memory or (config and config.max_memory) or DEFAULT_MEMORY_MB
    return Budget(float(seconds), int(memory))


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
    stdin = sys.stdin.buffer.read(args.max_bytes + 1) if "-" in paths else None
    args.jobs = max(1, args.jobs)
    results, broken_rules = _run_checks(paths, args, stdin)
    render_options = RenderOptions(
        lang=args.lang, color=not args.no_color, version=__version__, files_checked=len(paths)
    )
    load_renderers()[args.output_format](results, render_options, out)
    threshold = SEVERITY_RANK[args.fail_on]
    failing = any(d.severity.rank >= threshold for result in results for d in result.diagnostics)
    if missing or broken_rules:
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
    import json

    from gilint.config import config_for
    from gilint.extract import extract_document
    from gilint.pipeline import Linter
    from gilint.read.base import LoadError, LoadOptions
    from gilint.read.load import load_path

    paths, missing = _collect_paths(args.paths)
    _resolve_output_settings(args, paths)
    linter = Linter(_options(args, config_for(paths[0] if paths else "-")))
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    reports: list[dict] = []
    failed = missing
    for path in paths:
        try:
            document = load_path(path, LoadOptions(args.max_bytes), stdin)
        except LoadError as error:
            _error(f"{path}: {error.code} {error.message[args.lang]}")
            failed = True
            continue
        reports.extend(extract_document(linter.analyse(document)))
    json.dump(reports, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return EXIT_ERROR if failed else EXIT_OK


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
