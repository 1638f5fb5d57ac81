"""The options of ``check`` (and the input options ``extract`` shares), defined once
so that every command reading reports spells them the same way. Importing this
module loads nothing of the pipeline (``gilint --version`` stays fast)."""

from __future__ import annotations

import argparse
from pathlib import Path

from gilint.cli.base import non_negative_int, positive_float, positive_int, rule_folder

FORMATS = ("full", "concise", "json", "github", "sarif", "html")
DEFAULT_MAX_PER_CODE = 50


def add_input_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "paths", nargs="+", help="文件、目录，或 - 表示标准输入 / files, folders, or - for standard input"
    )
    command.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="标准输入显示为此文件名，并按其扩展名判断格式（无扩展名时按内容判断） / "
        "the name standard input is shown as; its extension gives the format (else the bytes do)",
    )
    command.add_argument(
        "--agency-map",
        type=Path,
        metavar="FILE",
        help="YAML 或 CSV：机关名称的变体 -> 统一名称，用于跨年度归并更名的机关 / YAML or CSV: agency "
        "name variant -> canonical agency, to group renamed organs across years",
    )
    add_reading_arguments(command)


def add_reading_arguments(command: argparse.ArgumentParser) -> None:
    """How reports are read and checked: configuration, format, agency kind, language, packs, size."""
    command.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="使用此配置文件（YAML 或 TOML），不再向上查找 / use this configuration file "
        "(YAML, or TOML with [tool.gilint]) instead of looking for one",
    )
    command.add_argument(
        "--profile", choices=("legacy", "2019", "2021"), help="指定格式版本 / override the detected format"
    )
    command.add_argument(
        "--agency-kind",
        choices=("department", "government"),
        help="指定机关类型 / override the agency kind",
    )
    command.add_argument(
        "--lang", choices=("zh", "en"), help="消息语言（默认 zh） / message language (default zh)"
    )
    add_rules_argument(command)
    command.add_argument(
        "--max-bytes",
        type=positive_int,
        default=20 * 1024 * 1024,
        metavar="N",
        help="单个文件的大小上限（字节，默认 20 MB） / size limit per file in bytes (default 20 MB)",
    )


def add_check_arguments(command: argparse.ArgumentParser) -> None:
    """Selection, output and CI options of ``check``."""
    output = command.add_argument_group("输出 / output")
    output.add_argument(
        "--output-format",
        choices=FORMATS,
        default="full",
        help="输出格式（默认 full）；full、concise、github 随每个文件检查完按输入顺序输出，"
        "跨报告问题（GI5xx）在其后，汇总最后；json、sarif、html 是完整文档，全部检查完才输出 / "
        "output format (default full); "
        "full, concise and github are written as each file finishes, in input order, the cross-report "
        "findings (GI5xx) after them, the summary last; json, sarif and html are whole documents, "
        "written at the end",
    )
    output.add_argument(
        "--output-file",
        "-o",
        type=Path,
        metavar="PATH",
        help="把结果写入文件而不是标准输出 / write the output to this file instead of standard output",
    )
    output.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="彩色输出：auto 只在终端上（遵循 NO_COLOR、FORCE_COLOR） / colour: auto = on a terminal "
        "only (NO_COLOR and FORCE_COLOR are honoured)",
    )
    output.add_argument(
        "--no-color",
        dest="color",
        action="store_const",
        const="never",
        help="同 --color never / same as --color never",
    )
    output.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="只输出问题，不输出汇总和无问题的报告 / print the findings only: no summary, no clean reports",
    )
    output.add_argument(
        "--statistics",
        action="store_true",
        help="按代码统计问题数量，代替逐条列出 / count the findings per code instead of listing them",
    )
    output.add_argument(
        "--max-per-code",
        type=non_negative_int,
        default=DEFAULT_MAX_PER_CODE,
        metavar="N",
        help=f"每份报告每个代码最多列出 N 条，其余只计数（默认 {DEFAULT_MAX_PER_CODE}，0 表示全部） / "
        f"list at most N findings per code and report, count the rest "
        f"(default {DEFAULT_MAX_PER_CODE}, 0 = all)",
    )
    selection = add_selection_arguments(command)
    selection.add_argument(
        "--exit-zero",
        action="store_true",
        help="有问题时退出码仍为 0（用法错误仍为 2） / exit 0 even with findings (usage errors still exit 2)",
    )
    baseline = command.add_argument_group("基线 / baseline")
    baseline.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="只报告基线文件中没有的新问题 / report (and fail on) only findings not in this baseline",
    )
    baseline.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="把当前全部问题写入基线文件，退出码 0 / record every current finding in this baseline, exit 0",
    )
    add_budget_arguments(command)
    command.add_argument(
        "--jobs",
        "-j",
        type=positive_int,
        default=None,
        metavar="N",
        help="并行进程数（默认：可用的 CPU 核数） / worker processes (default: the usable CPU cores)",
    )


def add_selection_arguments(command: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """--select, --ignore and --fail-on (check, annotate)."""
    selection = command.add_argument_group("规则选择与退出码 / rule selection and exit status")
    selection.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="只检查这些代码或前缀（如 GI1,GI201） / only these codes or prefixes (e.g. GI1,GI201)",
    )
    selection.add_argument(
        "--ignore", action="append", metavar="CODES", help="跳过这些代码或前缀 / skip these codes or prefixes"
    )
    selection.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="达到此级别的问题使退出码为 1（默认 error） / exit 1 on findings at or above this severity "
        "(default error)",
    )
    return selection


def add_budget_arguments(command: argparse.ArgumentParser) -> None:
    """The time and memory budget of checking one file (gilint.batch)."""
    command.add_argument(
        "--timeout",
        type=positive_float,
        metavar="SECONDS",
        help="每个文件的时间上限（默认 30 秒） / time budget per file (default 30 s)",
    )
    command.add_argument(
        "--max-memory",
        type=positive_int,
        metavar="MB",
        help="每个文件的内存上限（默认 1024 MB） / memory budget per file (default 1024 MB)",
    )


def add_annotate_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "path", help="Word 草稿（.docx），只读不写 / the Word draft (.docx); it is only read"
    )
    command.add_argument(
        "-o",
        "--output",
        metavar="OUT.docx",
        help="写出的副本（默认：草稿旁的 草稿名.gilint.docx） / the copy to write "
        "(default: DRAFT.gilint.docx beside the draft)",
    )
    command.add_argument(
        "--force", action="store_true", help="覆盖已存在的输出文件 / overwrite an existing output file"
    )
    command.set_defaults(stdin_filename=None)
    add_reading_arguments(command)
    add_selection_arguments(command)
    add_budget_arguments(command)


def add_serve_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--host",
        default="127.0.0.1",
        help="监听地址（默认 127.0.0.1，仅本机） / address to listen on "
        "(default 127.0.0.1: this computer only)",
    )
    command.add_argument(
        "--port",
        type=non_negative_int,
        default=8765,
        help="端口（默认 8765；0 表示任选空闲端口） / port (default 8765; 0 picks a free one)",
    )
    command.add_argument(
        "--workers",
        type=positive_int,
        default=2,
        help="同时进行的检查数（默认 2） / checks running at once (default 2)",
    )
    command.set_defaults(stdin_filename=None, select=None, ignore=None)
    add_reading_arguments(command)
    add_budget_arguments(command)


def add_rules_argument(command: argparse.ArgumentParser) -> None:
    """--rules DIR: extra rule packs (every command that loads the catalogue)."""
    command.add_argument(
        "--rules",
        action="append",
        type=rule_folder,
        default=[],
        metavar="DIR",
        help="额外的规则包目录 / extra rule-pack folder",
    )
