"""``gilint extract``: the parsed reports (structure and tables) as JSON."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from gilint.cli.base import EXIT_ERROR, EXIT_OK, error
from gilint.cli.inputs import (
    build_linter,
    collect_paths,
    config_of,
    explicit_config,
    read_stdin,
    resolve_settings,
    shown_path,
)
from gilint.extract import extract_document
from gilint.read.base import LoadError, LoadOptions
from gilint.read.load import load_path


def command_extract(args: argparse.Namespace, out: TextIO) -> int:
    explicit = explicit_config(args)
    paths, missing = collect_paths(args.paths)
    resolve_settings(args, paths, explicit)
    linter = build_linter(args, config_of(paths[0] if paths else "-", args, explicit))
    stdin = read_stdin(paths, args.max_bytes)
    reports: list[dict] = []
    failed = missing
    for path in paths:
        try:
            document = load_path(path, LoadOptions(args.max_bytes), stdin, args.stdin_filename)
        except LoadError as problem:
            error(f"{shown_path(path, args)}: {problem.code} {problem.message[args.lang]}")
            failed = True
            continue
        reports.extend(extract_document(linter.analyse(document)))
    json.dump(reports, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return EXIT_ERROR if failed else EXIT_OK
