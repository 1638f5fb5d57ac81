"""The command line: ``gilint check | rules | explain | extract | annotate | serve``.

Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or I/O error
(one line on stderr). Nothing the user passes produces a traceback: input
problems are diagnostics, everything else a one-line error. Help texts are
bilingual (中文 / English), like every other line gilint prints outside the
messages that follow --lang.

The package: base.py (parser, exit codes, output safe from closed pipes),
arguments.py (the options, defined once), inputs.py (files, configuration,
standard input, a Linter with checked code lists), check.py, baseline.py,
codes.py (strict code lists), info.py (rules, explain), extract.py, front.py
(annotate, serve). Only base and
arguments are imported before a command runs, so ``gilint --version`` loads
nothing of the pipeline.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn, TextIO

from gilint import __version__
from gilint.cli.arguments import (
    add_annotate_arguments,
    add_check_arguments,
    add_input_arguments,
    add_rules_argument,
    add_serve_arguments,
)
from gilint.cli.base import (
    EXIT_ERROR,
    EXIT_OK,
    Parser,
    PipeSafe,
    UsageError,
    describe_problem,
    error,
    silence_stdout,
)

__all__ = ["EXIT_ERROR", "EXIT_OK", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="gilint", description="政府信息公开工作年度报告合规检查工具 / GOI annual report linter"
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"gilint {__version__}",
        help="显示版本并退出 / show the version and exit",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=Parser, title="命令 / commands"
    )

    check = commands.add_parser(
        "check", help="检查报告 / check reports", description="检查报告 / check reports"
    )
    add_input_arguments(check)
    add_check_arguments(check)

    rules = commands.add_parser(
        "rules", help="列出规则 / list the rules", description="列出规则 / list the rules"
    )
    rules.add_argument(
        "--output-format", choices=("full", "json"), default="full", help="输出格式 / output format"
    )
    _catalog_arguments(rules)

    explain = commands.add_parser(
        "explain", help="解释规则 / explain a rule", description="解释规则 / explain a rule"
    )
    explain.add_argument("code", help="规则代码，如 GI201 / a rule code such as GI201")
    _catalog_arguments(explain)

    extract = commands.add_parser(
        "extract",
        help="提取报告结构和表格 / extract structure and tables",
        description="提取报告结构和表格 / extract structure and tables",
    )
    add_input_arguments(extract)
    extract.add_argument(
        "--format",
        "--output-format",
        dest="format",
        choices=("json", "csv", "xlsx"),
        default="json",
        help="json（结构和表格）、csv（每个单元格一行）、xlsx（单元格表，以及每份报告一行：表三合计和各代码"
        "问题数；二进制，请重定向到文件） / json (structure and tables), csv (one row per table cell), "
        "xlsx (cells, and a sheet of reports with table 三 totals and finding counts; binary, redirect "
        "it to a file)",
    )
    annotate = commands.add_parser(
        "annotate",
        help="生成带批注的 Word 副本 / a commented copy of a Word draft",
        description="把每个问题作为批注写入 Word 草稿的副本 / write every finding into a copy of a Word "
        "draft as a comment",
    )
    add_annotate_arguments(annotate)
    serve = commands.add_parser(
        "serve",
        help="本机上传检查页面 / the local upload page",
        description="在本机浏览器中上传文件检查 / check files uploaded from a browser on this computer",
    )
    add_serve_arguments(serve)
    return parser


def _catalog_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 / language")
    add_rules_argument(command)


def _command(name: str) -> Callable[[argparse.Namespace, TextIO], int]:
    """The command's function, imported only when it runs."""
    if name == "check":
        from gilint.cli.check import command_check

        return command_check
    if name == "extract":
        from gilint.cli.extract import command_extract

        return command_extract
    if name in ("annotate", "serve"):
        from gilint.cli.front import command_annotate, command_serve

        return {"annotate": command_annotate, "serve": command_serve}[name]
    from gilint.cli.info import command_explain, command_rules

    return {"rules": command_rules, "explain": command_explain}[name]


def _load_command(name: str) -> Callable[[argparse.Namespace, TextIO], int]:
    """Import the command's modules. They make only objects that live as long as the
    process (modules, classes, compiled patterns), so the cyclic collector has nothing
    to find while they load: it is paused (its 50-odd passes were 20 ms of a one-report
    run), and what was loaded is then frozen out of its view for the rest of the run."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        from gilint.cache import dataclass_code

        dataclass_code.install()  # before the command's modules make their dataclasses
        command = _command(name)
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    return command


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)  # --version and --help exit here, before any import
        command = _load_command(args.command)
        try:
            from gilint.config import find_config

            find_config.cache_clear()  # configuration is read afresh on each run
            safe = PipeSafe(out)  # a closed pipe drops the output; the command still decides the status
            status = command(args, safe)
            safe.flush()
            return status
        finally:
            gc.unfreeze()  # (``main`` may run again in the same process: the tests)
    except UsageError as problem:
        error(str(problem))
        return EXIT_ERROR
    except SystemExit as exit_:  # --version / --help
        return int(exit_.code or 0)
    except KeyboardInterrupt:
        error("interrupted")
        return EXIT_ERROR
    except BrokenPipeError:  # --help or --version into a closed pipe
        silence_stdout(out)
        return EXIT_OK
    except Exception as problem:  # a bug or an unusable data file: one line, never a traceback
        error(describe_problem(problem))
        if os.environ.get("GILINT_DEBUG"):
            raise
        return EXIT_ERROR


def run() -> NoReturn:
    """The ``gilint`` console script: ``main``, then the process ends without tearing its
    heap down object by object (the modules, the rule data, every result: 15-20 ms of a
    one-report run, more after a large batch). What a normal exit would still do is done
    first: the exit handlers (the start-up caches are saved there), the flush of the
    output. Only when no other thread runs (a normal exit would wait for it) and no
    profiler or tracer watches (``python -m cProfile -m gilint`` writes its figures after)."""
    status = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can go out
            stream.flush()
    if threading.active_count() == 1 and sys.getprofile() is None and sys.gettrace() is None:
        os._exit(status)
    sys.exit(status)
