"""The rule engine: packs are validated data; custom packs plug in without code."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gilint.checks.engine import CodeFilter, RulePackError, load_rules
from gilint.data import rules_dir
from gilint.pipeline import Linter, Options


def write_pack(folder, text: str):
    folder.mkdir(exist_ok=True)
    (folder / "pack.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def test_builtin_packs_load_and_name_known_codes():
    ruleset = load_rules([rules_dir()])
    assert {rule.code for rule in ruleset.rules} >= {"GI101", "GI102", "GI103", "GI106", "GI107", "GI005"}
    assert all(rule.code in ruleset.catalog for rule in ruleset.rules)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("rules:\n  - {code: GI101, kind: no_such_kind}", "unknown kind 'no_such_kind'"),
        ("rules:\n  - {code: GI999, kind: title_form}", "GI999 is not in the catalogue"),
        (
            "rules:\n  - {code: GI106, kind: empty_section, params: {bogus: 1},"
            " messages: {default: {zh: a, en: b}}}",
            "params",
        ),
        (
            "rules:\n  - {code: GI107, kind: title_form, messages: {missing: {zh: a, en: b}}}",
            "messages missing",
        ),
        ("rules:\n  - {code: GI107, kind: title_form, colour: red}", "rules/0"),
    ],
)
def test_bad_packs_name_file_rule_and_key(tmp_path, body, expected):
    folder = write_pack(tmp_path / "custom", "pack: bad\n" + body + "\n")
    with pytest.raises(RulePackError) as error:
        load_rules([folder])
    assert str(folder / "pack.yaml") in str(error.value)
    assert expected in str(error.value)


def test_a_custom_pack_adds_a_code_without_code(tmp_path, examples_dir):
    folder = write_pack(
        tmp_path / "province",
        """\
        pack: province
        catalog:
          GX101:
            name: province-empty-section
            severity: info
            profiles: ["2021"]
            summary: {zh: 省级要求：章节不得为空, en: "province: no empty sections"}
        rules:
          - code: GX101
            kind: empty_section
            messages:
              default: {zh: "「{title}」为空", en: "「{title}」 is empty"}
        """,
    )
    mutated = tmp_path / "report.md"
    text = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    mutated.write_text(text.rstrip("\n") + "\n\n## 七、附加\n", "utf-8")
    (result,) = Linter(Options(rule_dirs=(folder,))).check_path(str(mutated))
    assert "GX101" in [d.code for d in result.diagnostics]


@pytest.mark.parametrize(
    ("select", "ignore", "code", "allowed"),
    [
        ((), (), "GI101", True),
        ((), ("GI1",), "GI101", False),
        (("GI1",), ("GI101",), "GI101", False),
        (("GI101",), ("GI1",), "GI101", True),
        (("GI2",), (), "GI101", False),
    ],
)
def test_code_filter_longest_prefix_wins(select, ignore, code, allowed):
    assert CodeFilter(select, ignore).allows(code) is allowed


_PREFIXES = st.lists(st.sampled_from(["GI", "GI1", "GI10", "GI101", "GI2", "GI5", "GI50", "GX1"]), max_size=3)


@given(
    select=_PREFIXES,
    ignore=_PREFIXES,
    codes=st.lists(st.sampled_from(["GI101", "GI102", "GI201", "GI502", "GX101"])),
)
def test_code_filter_answers_each_code_as_the_rule_says_however_often_asked(select, ignore, codes):
    """The longest matching prefix wins, select a tie; the answers kept give the same."""
    codes_filter = CodeFilter(tuple(select), tuple(ignore))
    for code in codes + codes:
        # (length, select first on a tie, the verdict) of every prefix the code has
        matches = sorted(
            [(len(p), 1, True) for p in select if code.startswith(p)]
            + [(len(p), 0, False) for p in ignore if code.startswith(p)],
            reverse=True,
        )
        assert codes_filter.allows(code) is (matches[0][2] if matches else not select)
    # A filter made from it answers by its own prefixes, not by the answers kept.
    narrowed = replace(codes_filter, select=("GI5",), ignore=())
    for code in codes:
        assert narrowed.allows(code) is code.startswith("GI5")


def test_table_views_are_built_only_for_output_that_redraws_the_tables(examples_dir):
    report = str(examples_dir / "clean-2021.md")
    [redrawn] = Linter(Options()).check_path(report)  # the HTML report, the upload page
    assert [view.key for view in redrawn.tables] == ["proactive", "application", "review_litigation"]
    [plain] = Linter(Options(table_views=False)).check_path(report)  # JSON, SARIF, terminal
    assert plain.tables == []
    assert plain.diagnostics == redrawn.diagnostics


@pytest.mark.parametrize("name", ["clean-2021.md", "clean-2021.html", "mianyang-nanning-multi.txt"])
def test_a_checked_report_is_freed_by_reference_counting(examples_dir, name):
    """Once checked, a report leaves nothing for the garbage collector (its runs let go of
    their sentences, the one reference cycle of a report): a worker checking thousands of
    files, or `gilint serve`, frees each report at once, not at the next collection."""
    import gc

    linter = Linter(Options(digests=True))
    path = str(examples_dir / name)
    linter.check_path(path)  # (the caches a first check fills are not garbage)
    gc.collect()
    gc.disable()
    try:
        assert linter.check_path(path)
        assert gc.collect() == 0
    finally:
        gc.enable()
