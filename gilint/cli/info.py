"""``gilint rules`` and ``gilint explain``: the catalogue, and which of its codes the
loaded rule packs implement.

"Implemented" is not a list kept by hand: a code is implemented when a loaded pack has
a rule for it (or the pipeline itself emits it), so a code becomes implemented the
moment a pack (built-in or ``--rules``) adds its rule.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from gilint.checks.catalog import RuleInfo
from gilint.checks.engine import load_rules
from gilint.cli.base import EXIT_OK, UsageError
from gilint.cli.codes import require_known
from gilint.data import rules_dir
from gilint.pipeline import PIPELINE_CODES
from gilint.render.json_text import write_json

NOT_IMPLEMENTED = {
    "zh": "尚未实现：规则目录中有此代码，但已加载的规则包中没有它的规则，检查时不会报告",
    "en": "not implemented yet: the code is catalogued, but no loaded rule pack has a rule for it, "
    "so checks never report it",
}


def loaded_catalog(extra: list[Path]) -> tuple[dict[str, RuleInfo], set[str]]:
    """The catalogue with the packs of ``extra`` folders, and the implemented codes."""
    ruleset = load_rules([rules_dir(), *extra])
    implemented = {rule.code for rule in ruleset.rules} | set(PIPELINE_CODES)
    return ruleset.catalog, implemented


def command_rules(args: argparse.Namespace, out: TextIO) -> int:
    catalog, implemented = loaded_catalog(args.rules)
    records = sorted(catalog.values(), key=lambda info: info.code)
    if args.output_format == "json":
        rows = [dict(info.to_dict(args.lang), implemented=info.code in implemented) for info in records]
        write_json(rows, out)
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
    if any(info.code not in implemented for info in records):
        console.print(note[args.lang])
    return EXIT_OK


def command_explain(args: argparse.Namespace, out: TextIO) -> int:
    catalog, implemented = loaded_catalog(args.rules)
    code = args.code.upper()
    info = catalog.get(code)
    if info is None:
        require_known([code], catalog, "explain")  # names the nearest real code
        raise UsageError(f"explain: 请给出完整的规则代码 / give a whole rule code, not a prefix: {code}")
    lang = args.lang
    titles = {
        "zh": ("规则", "级别", "适用格式", "检查什么", "为什么", "依据", "示例", "状态"),
        "en": ("rule", "severity", "profiles", "what", "why", "legal basis", "example", "status"),
    }[lang]
    lines = [
        f"{info.code} {info.name}",
        f"{titles[1]}: {info.severity.value}    {titles[2]}: {', '.join(info.profiles)}",
    ]
    if info.code not in implemented:
        lines.append(f"{titles[7]}: {NOT_IMPLEMENTED[lang]}")
    lines += ["", f"{titles[3]}: {info.summary[lang]}"]
    if info.why:
        lines.append(f"{titles[4]}: {info.why[lang]}")
    if info.basis:
        lines.append(f"{titles[5]}: {info.basis}")
    if info.example:
        lines.append(f"{titles[6]}: {info.example[lang]}")
    out.write("\n".join(lines) + "\n")
    return EXIT_OK
