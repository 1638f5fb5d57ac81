"""Issue 14 acceptance: every hostile input answers within 10 s, under a 1.5 GB
memory limit, with exit code 0/1/2, JSON on standard output and no internal error.

The inputs (tests/hostile_inputs.py) are the triggers an attack found — backtracking
regular expressions, unbounded expansions, escaping exceptions, endless PDFs, hostile
rule packs, a FIFO — and variants of them (other sizes, whitespace, codecs, formats).
They are checked by tests/hostile_probe.py in a subprocess (the ``hostile_results``
fixture), which a watcher gives 10 s of wall-clock time per input.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import REPO
from tests.hostile_inputs import ALL_TRIGGERS

CHECK_SCHEMA = json.loads((REPO / "schemas" / "check.schema.json").read_text(encoding="utf-8"))

# What some inputs must say (code, words of the English message); the others only
# have to answer in time, with valid output.
EXPECTED: dict[str, tuple[str, str]] = {
    "html-grid-1000x100000": ("GI001", "columns has more than"),
    "html-grid-1000x10000": ("GI001", "columns has more than"),
    "docx-grid-1000x100000": ("GI001", "columns has more than"),
    "member-ratio-7mb": ("GI001", "zip bomb"),
    "tounicode-200000": ("GI001", "maps one glyph to 200000 characters"),
    "tounicode-20000": ("GI001", "maps one glyph"),
    "self-reference": ("GI001", "refers to itself"),
    "reference-cycle": ("GI001", "refers to itself"),
    "encrypted": ("GI001", "encrypted"),
    "fifo": ("GI001", "not a regular file"),
    "sentences-1000000": ("GI008", "only the first 5000 were checked"),
    "catastrophic-lexicon": ("GI001", "super-linear"),
    "lexicon-outside-pack": ("GI001", "does not match"),
    "expression-3000-terms": ("GI001", "over the limit of 1000"),
    "template-open-brace": ("GI001", "malformed template"),
    "template-huge-width": ("GI001", "not allowed"),
    "template-attribute": ("GI001", "only plain names"),
    "template-index": ("GI001", "only plain names"),
    "pack-not-utf8": ("GI001", "not UTF-8"),
    "config-not-utf8": ("GI001", "not UTF-8"),
}
# A broken rule pack or configuration is also a one-line error and exit code 2.
PACK_ERRORS = {
    name
    for name in EXPECTED
    if name.startswith(("catastrophic", "lexicon-", "expression", "template", "pack-", "config-"))
}


def diagnostics(result: dict) -> list[dict]:
    return [d for entry in json.loads(result["stdout"])["files"] for d in entry["diagnostics"]]


@pytest.mark.parametrize("name", [trigger.name for trigger in ALL_TRIGGERS])
def test_hostile_input_answers_in_time_with_json(hostile_results, name):
    result = hostile_results[name]
    assert not result.get("timeout"), f"{name}: no answer within 10 s"
    assert not result.get("died"), f"{name}: the checking process died"
    assert result["code"] in (0, 1, 2), result["stderr"]
    assert "internal error" not in result["stdout"] + result["stderr"]
    assert "Traceback" not in result["stderr"]
    jsonschema.validate(json.loads(result["stdout"]), CHECK_SCHEMA)
    if name in EXPECTED:
        code, words = EXPECTED[name]
        assert any(d["code"] == code and words in d["message"] for d in diagnostics(result)), result["stdout"]
    if name in PACK_ERRORS:
        assert result["code"] == 2
        assert "rule pack error" in result["stderr"] or "configuration error" in result["stderr"]
        assert result["stderr"].count("\n") == 1  # one line


def test_a_refused_file_is_one_gi001_and_nothing_else(hostile_results):
    for name, (code, _) in EXPECTED.items():
        if code == "GI001":
            assert [d["code"] for d in diagnostics(hostile_results[name])] == ["GI001"], name


def test_meta_charset_codecs_are_ignored_not_fatal(hostile_results):
    """<meta charset=base64> (any bytes-to-bytes codec) reads the page as if no
    charset were declared: GB18030 bytes still decode, and the report is checked."""
    result = hostile_results["meta-charset-base64-gbk"]
    assert "GI001" not in {d["code"] for d in diagnostics(result)}


def test_every_input_has_its_own_name():
    names = [trigger.name for trigger in ALL_TRIGGERS]
    assert len(names) == len(set(names))
