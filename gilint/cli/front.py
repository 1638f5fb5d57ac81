"""``gilint annotate`` (a commented copy of a Word draft) and ``gilint serve`` (the
local upload page): the front ends for staff, on the same checks as ``check``."""

from __future__ import annotations

import argparse
from typing import TextIO

from gilint import __version__
from gilint.cli.base import EXIT_ERROR, EXIT_OK, error
from gilint.cli.check import budget_of, exit_status
from gilint.cli.inputs import build_linter, config_of, resolve_settings
from gilint.config import Config


def command_annotate(args: argparse.Namespace, out: TextIO) -> int:
    from gilint.render import RenderOptions, load_renderers
    from gilint.serve.annotate import AnnotateError, annotate_file, summary_line

    resolve_settings(args, [args.path], None)
    config = config_of(args.path, args, None)
    options = build_linter(args, config).options
    try:
        annotated = annotate_file(
            args.path,
            args.output,
            options,
            args.lang,
            args.force,
            config.ignored_for(args.path),
            budget_of(args, [config]),
        )
    except AnnotateError as problem:
        error(str(problem))
        return EXIT_ERROR
    render_options = RenderOptions(lang=args.lang, color=False, version=__version__, files_checked=1)
    load_renderers()["concise"](annotated.results, render_options, out)
    if annotated.output is not None:
        out.write(summary_line(annotated, args.lang) + "\n")
    return exit_status(annotated.results, args.fail_on)


def command_serve(args: argparse.Namespace, out: TextIO) -> int:
    from gilint.serve.app import Settings, serve

    config = Config()  # an upload has no folder: no configuration file applies
    settings = Settings(
        options=build_linter(args, config).options,
        lang=args.lang or "zh",
        workers=args.workers,
        host=args.host,
        budget=budget_of(args, [config]),
    )
    try:
        serve(settings, args.port, out)
    except OSError as problem:
        error(str(problem))
        return EXIT_ERROR
    return EXIT_OK
