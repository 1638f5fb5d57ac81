"""The default output (``full``) as people see it: the same text with and without colour,
and the user's text, paths and positions printed as they are (rich styles the output but
never reads it as markup or emoji codes)."""

from __future__ import annotations

import io
import re
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from rich.control import strip_control_codes

from gilint.model import CheckedReport, Diagnostic, Location, Severity
from gilint.render import RenderOptions
from gilint.render.full import FullStream

ANSI_SEQUENCE = re.compile(r"\x1b\[[0-9;]*m")


def _report(path: str, message: str, line_text: str, column: int) -> CheckedReport:
    location = Location(line=100, column=column, end_line=100, end_column=column + 2)
    diagnostic = Diagnostic(
        code="GI107",
        name="title-form",
        severity=Severity.WARNING,
        message={"zh": message, "en": message},
        location=location,
        path=path,
    )
    lines = [""] * 99 + [line_text]
    return CheckedReport(path, 0, 1, "2021", 2021, "某市[bold]局", "department", [diagnostic], lines)


def _printed(results: list[CheckedReport], color: bool, quiet: bool = False) -> str:
    out = io.StringIO()
    stream = FullStream(RenderOptions(color=color, quiet=quiet), out)
    stream.reports(results)
    stream.end({"error": 0, "warning": 1, "info": 0, "files": 1, "reports": 1})
    return out.getvalue()


def test_positions_and_user_text_are_printed_as_they_are():
    # ":100:" is an emoji code to rich (💯), "[bold]" and "[/]" markup: neither may be read so.
    report = _report("reports/008.md", "标题「[/]:smile: [red]x」不符合", "第[b]行:100:内容", 3)
    for color in (False, True):
        text = ANSI_SEQUENCE.sub("", _printed([report], color))
        assert "reports/008.md:100:3" in text
        assert "「[/]:smile: [red]x」" in text
        assert "某市[bold]局" in text
        assert "100 | 第[b]行:100:内容" in text
        assert "💯" not in text and "😄" not in text


# (No escape character: the text would hold what ANSI_SEQUENCE takes for colour.)
@given(
    message=st.text(st.characters(codec="utf-8", exclude_characters="\x1b"), max_size=40),
    line_text=st.text(st.characters(codec="utf-8", exclude_characters="\x1b"), min_size=1, max_size=60),
    column=st.integers(min_value=1, max_value=60),
    quiet=st.booleans(),
)
def test_colour_adds_only_styles(message: str, line_text: str, column: int, quiet: bool):
    report = _report("a.md", message, line_text, column)
    results = [report, replace(report, path="clean.md", diagnostics=[])]
    plain = _printed(results, color=False, quiet=quiet)
    coloured = _printed(results, color=True, quiet=quiet)
    assert ANSI_SEQUENCE.search(coloured) and not ANSI_SEQUENCE.search(plain)
    assert ANSI_SEQUENCE.sub("", coloured) == plain
    assert ("clean.md" in plain) is not quiet
    assert f"a.md:100:{column}" in plain
    assert strip_control_codes(message.replace("\t", " ")) in plain
