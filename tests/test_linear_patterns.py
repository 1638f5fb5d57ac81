"""Every regular expression gilint applies to user text runs in linear time (issue 14).

Python's ``re`` backtracks; a pattern such as ``\\s*(?:一、)?\\s*`` took over 60 s on
one sentence with a 1,000-space run. The class is closed three ways:

- every pattern is compiled through ``gilint.patterns`` (a registry), so the tests
  can enumerate them all, built-in and pack-supplied;
- the static linearity check passes on every built-in pattern, and refuses a
  pack pattern at load with an error naming the file and key;
- a subprocess feeds every registered pattern adversarial text (long runs of
  spaces, digits, 〇, ``| ``, ``<!DOCTYPE ``, the pattern's own literals…) under a
  wall-clock limit per pattern.
"""

from __future__ import annotations

import re
import select
import subprocess
import sys
import textwrap
import time

import pytest

from gilint.patterns import UnsafePattern, linear, problems, registered, untrusted
from tests.conftest import REPO
from tests.pattern_probe import load_everything

SECONDS_PER_PATTERN = 5.0  # a linear pattern takes well under 0.5 s on all its inputs


@pytest.fixture(scope="module")
def entries():
    load_everything()
    return registered()


def test_the_registry_holds_builtin_and_pack_patterns(entries):
    origins = {entry.origin.split(":")[0] for entry in entries}
    assert "gilint.text.quantities" in origins and "gilint.tables.regions" in origins
    assert any(not entry.trusted and "lexicon" in entry.origin for entry in entries)
    assert len(entries) > 100


# Modules whose patterns read only gilint's own text, never a user's: the renderers turn
# gilint's location labels (段落 3, 第2页) into English.
_OWN_TEXT_ONLY = {"gilint/render/base.py"}
_DIRECT_RE = re.compile(r"\bre\.(?:compile|subn?|search|match|fullmatch|split|findall|finditer)\(")


def test_no_module_compiles_a_pattern_behind_gilint_patterns_back():
    """What ``re`` compiles directly is neither checked linear nor probed here (the
    cross-report rules' patterns were, until they were found this way)."""
    direct = {
        str(path.relative_to(REPO)): len(_DIRECT_RE.findall(path.read_text(encoding="utf-8")))
        for path in (REPO / "gilint").rglob("*.py")
        if "patterns" not in path.relative_to(REPO / "gilint").parts
    }
    assert {path for path, count in direct.items() if count} == _OWN_TEXT_ONLY


def test_every_builtin_pattern_passes_the_static_check(entries):
    failing = {
        f"{entry.origin}: {entry.pattern.pattern!r}": problems(
            entry.pattern.pattern, entry.pattern.flags, entry.searched
        )
        for entry in entries
        if not entry.exempt
    }
    assert {where: found for where, found in failing.items() if found} == {}


def test_exemptions_are_few_and_say_why(entries):
    exempt = [entry for entry in entries if entry.exempt]
    assert len(exempt) <= 2
    assert all(len(entry.exempt) > 40 for entry in exempt)


@pytest.mark.parametrize(
    "source",
    [
        r"(a+)+$",
        r"(?:\s*x)*y",
        r"\s*(?:一、)?\s*主动公开",  # the table-region heading of issue 14
        r"[ |]+$",  # trailing pipes
        r"<!DOCTYPE[^>\[]*\[",  # the HTML internal subset
        r"[ ]*(?P<n>\ue000\ue001*)件",  # a lexicon {N} at the start
        r"[0-9]+\s*(?:件|条)",  # a digit run before a unit, tried at every digit
        r".*信息公开.*报告",
        r"(?:a|ab)*c",
        r"(?:ab?|b)+c",  # "ab" is one iteration or two: 2^n ways
        r"(?:a{0,100}){0,100}b",  # bounded, but 100^100 ways
        r"[^,]{0,40}[^,]{0,40}x",  # 1,600 ways per attempt
    ],
)
def test_the_static_check_refuses_super_linear_shapes(source):
    assert problems(source)


@pytest.mark.parametrize(
    "source",
    [
        r"信息处理费|收费通知",
        r"(?:收到|受理)[^,;:。!?]{0,24}?申请{0,1}",
        r"(?<![ |])[ |]++$",
        r"<!DOCTYPE[^<>\[]*+\[",
        r"(?<![0-9])[0-9]++\s*+(?:件|条)",
        r"^(?>.*?信息公开).*(?:报告|总结)",
        r"(?:\s|&(?:nbsp;?|#160;))*",
    ],
)
def test_the_static_check_accepts_linear_shapes(source):
    assert problems(source) == []


def test_a_pack_pattern_is_refused_with_its_file_and_key():
    with pytest.raises(UnsafePattern) as error:
        untrusted(r"(\s*)*报告", "rules/lexicon/x.yaml: topics/0/patterns")
    assert "rules/lexicon/x.yaml: topics/0/patterns" in str(error.value)
    assert "super-linear" in str(error.value)
    with pytest.raises(UnsafePattern, match="bad regular expression"):
        untrusted("(unclosed", "pack.yaml: key")


def test_match_only_patterns_skip_the_search_rule():
    assert problems(r"[ ]*(?:的)?年度报告", searched=True)
    assert problems(r"[ ]*(?:的)?年度报告", searched=False) == []
    assert linear(r"[ ]*(?:的)?年度报告", searched=False).match("  年度报告")


def test_every_pattern_survives_adversarial_text():
    """The probe prints ``start N …`` / ``done N`` per pattern; each pattern gets a
    wall-clock limit, and a pattern that overruns names itself in the failure."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.pattern_probe"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    current, finished = "loading", False
    deadline = time.monotonic() + 120  # loading the rules and examples
    try:
        while True:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([process.stdout], [], [], max(0.0, remaining))
            if not ready:
                pytest.fail(f"over {SECONDS_PER_PATTERN} s on adversarial text: {current}")
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("start"):
                current = line.strip()
                deadline = time.monotonic() + SECONDS_PER_PATTERN
            finished = finished or line.startswith("finished")
    finally:
        process.kill()
        process.wait()
        errors = process.stderr.read()
    assert finished, textwrap.shorten(errors, 2000)


def test_issue_14_regions_pattern_is_fast_on_a_long_space_run():
    """The trigger itself, through the real pattern: a search over a sentence with a
    long run of spaces finds the heading after it (and the same match as before)."""
    from gilint.tables.regions import heading_pattern

    pattern = heading_pattern(("主动公开政府信息情况",))
    text = "本年度" + " " * 5000 + "二、主动公开政府信息情况"
    match = pattern.search(text)
    assert match is not None and match.group().endswith("主动公开政府信息情况")
    assert re.fullmatch(r" +二、主动公开政府信息情况", text[match.start() :])
