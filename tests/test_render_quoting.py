"""Which output formats quote the checked file's lines (render.QUOTING_FORMATS): a run
writing any other leaves the lines out of its results (Options.source_lines), so a format
must be listed there as soon as it reads them."""

from __future__ import annotations

import argparse
import io
from dataclasses import replace
from pathlib import Path

import pytest

from gilint.cli import build_parser
from gilint.cli.check import plan_batch
from gilint.model import CheckedReport
from gilint.pipeline import Linter, Options
from gilint.render import QUOTING_FORMATS, RenderOptions, load_renderers


@pytest.fixture(scope="module")
def results(examples_dir: Path) -> list[CheckedReport]:
    """Reports with findings on many lines (a flattened seed) and the HTML example."""
    linter = Linter(Options())
    found = [
        *linter.check_path(str(examples_dir / "zhaotong-eco-2020.txt")),
        *linter.check_path(str(examples_dir / "clean-2021.html")),
    ]
    assert all(result.source_lines for result in found)
    assert sum(len(result.diagnostics) for result in found) >= 5
    return found


def rendered(format_name: str, results: list[CheckedReport]) -> str:
    out = io.StringIO()
    load_renderers()[format_name](results, RenderOptions(color=False, version="test"), out)
    return out.getvalue()


@pytest.mark.parametrize("format_name", sorted(set(load_renderers()) - QUOTING_FORMATS))
def test_a_format_that_does_not_quote_says_the_same_without_the_lines(format_name: str, results):
    without = [replace(result, source_lines=None) for result in results]
    assert rendered(format_name, without) == rendered(format_name, results)


@pytest.mark.parametrize("format_name", sorted(QUOTING_FORMATS))
def test_a_quoting_format_shows_the_lines(format_name: str, results):
    without = [replace(result, source_lines=None) for result in results]
    assert rendered(format_name, without) != rendered(format_name, results)


@pytest.mark.parametrize("format_name", ["full", "concise", "json", "sarif", "github", "html"])
def test_the_workers_keep_the_lines_only_for_a_quoting_format(format_name: str, examples_dir: Path):
    args = build_parser().parse_args(["check", str(examples_dir), "--output-format", format_name])
    assert isinstance(args, argparse.Namespace)
    batch = plan_batch([str(examples_dir / "clean-2021.md")], args, None)
    (linter,) = batch.linters.values()
    assert linter.options.source_lines is (format_name in QUOTING_FORMATS)
    (result,) = linter.check_path(str(examples_dir / "clean-2021.md"))
    assert (result.source_lines is not None) is (format_name in QUOTING_FORMATS)


def test_a_result_keeps_only_the_lines_its_findings_can_be_on(examples_dir: Path, tmp_path: Path):
    """A result keeps the lines its findings are on and, when the cross-report rules run, the
    lines its digest holds a place on (where their findings are); the others blank, as many
    as the file has. The full output, cross-report findings included, reads as from the file."""
    source = examples_dir / "clean-2021.md"
    text = source.read_text(encoding="utf-8")
    later = tmp_path / "later.md"  # the same agency's next year, its prose copied (GI502)
    later.write_text(text.replace("2024", "2025"), encoding="utf-8")

    (alone,) = Linter(Options(ignore=("GI5",))).check_path(str(examples_dir / "zhaotong-eco-2020.txt"))
    assert alone.source_lines is not None and alone.diagnostics
    on = {d.location.line for d in alone.diagnostics if d.location is not None}
    assert all(bool(line) <= (number in on) for number, line in enumerate(alone.source_lines, 1))
    whole_file = (examples_dir / "zhaotong-eco-2020.txt").read_text(encoding="utf-8").split("\n")
    assert rendered("full", [alone]) == rendered("full", [replace(alone, source_lines=whole_file)])

    linter = Linter(Options())
    results = [*linter.check_path(str(source)), *linter.check_path(str(later))]
    added = linter.check_series(results)
    assert any(d.code == "GI502" for d in added)
    with_files = []
    for result, path in zip(results, [source, later], strict=True):
        file_lines = path.read_text(encoding="utf-8").split("\n")
        assert result.source_lines is not None and result.digest is not None
        places = result.digest.lines() | {d.location.line for d in result.diagnostics if d.location}
        for number, (kept, line) in enumerate(zip(result.source_lines, file_lines, strict=True), 1):
            assert kept == (line if number in places else "")
        assert any(line and not kept for kept, line in zip(result.source_lines, file_lines, strict=True))
        with_files.append(replace(result, source_lines=file_lines))
    assert rendered("full", results) == rendered("full", with_files)
    assert rendered("html", results) == rendered("html", with_files)
