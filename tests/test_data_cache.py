"""The cache of parsed data files (``gilint.structure.cache``, issue 13): it saves a start the
YAML parse and Lark's table building, and never changes what is read."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gilint.structure.cache import lark_cache
from gilint.structure.knowledge import KnowledgeError, read_yaml
from tests.conftest import REPO, cache_entries


def test_a_file_is_parsed_once_then_read_from_the_cache(cache_folder, tmp_path):
    source = tmp_path / "pack.yaml"
    # YAML 1.1 reads the key `no` as False: the cache keeps such keys as they are.
    yaml = "rules:\n  - code: GI201\n    params: {limit: 3, ratio: 0.5, set: true, no: null}\n"
    source.write_text(yaml, "utf-8")
    first = read_yaml(source)
    [entry] = cache_entries(cache_folder, "data")
    assert (
        read_yaml(source)
        == first
        == {"rules": [{"code": "GI201", "params": {"limit": 3, "ratio": 0.5, "set": True, False: None}}]}
    )
    source.write_text("rules: []\n", "utf-8")  # new bytes, new entry: the old one is never read
    assert read_yaml(source) == {"rules": []}
    assert len(cache_entries(cache_folder, "data")) == 2 and entry in cache_entries(cache_folder, "data")


def test_a_damaged_entry_is_parsed_again(cache_folder, tmp_path):
    source = tmp_path / "pack.yaml"
    source.write_text("a: [1, 2]\n", "utf-8")
    read_yaml(source)
    [entry] = cache_entries(cache_folder, "data")
    entry.write_bytes(b"\x00not marshal")
    assert read_yaml(source) == {"a": [1, 2]}


def test_errors_are_the_same_with_and_without_the_cache(cache_folder, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1, 2\n", "utf-8")
    for _ in range(2):
        with pytest.raises(KnowledgeError, match=r"bad\.yaml"):
            read_yaml(bad)
    assert cache_entries(cache_folder, "data") == []
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: café\n".encode("latin-1"))
    with pytest.raises(KnowledgeError, match="not UTF-8"):
        read_yaml(latin)


def test_a_value_marshal_cannot_hold_is_parsed_each_time(cache_folder, tmp_path):
    source = tmp_path / "dates.yaml"
    source.write_text("deadline: 2025-01-31\n", "utf-8")
    assert str(read_yaml(source)["deadline"]) == "2025-01-31"
    assert cache_entries(cache_folder, "data") == []


def test_no_cache_and_an_unwritable_folder_change_nothing(tmp_path, monkeypatch):
    source = tmp_path / "pack.yaml"
    source.write_text("a: 1\n", "utf-8")
    monkeypatch.setenv("GILINT_NO_CACHE", "1")
    assert read_yaml(source) == {"a": 1}
    assert lark_cache("report") is False
    monkeypatch.delenv("GILINT_NO_CACHE")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", "utf-8")
    monkeypatch.setenv("GILINT_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    assert read_yaml(source) == {"a": 1}
    assert lark_cache("report") is False


def test_a_cold_and_a_warm_start_give_the_same_findings(tmp_path):
    """The whole command, first with an empty cache folder (filled on the way), then from it."""
    env = {**os.environ, "GILINT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("GILINT_NO_CACHE", None)
    example = str(REPO / "examples" / "changzhou-eco-2021.txt")
    command = [sys.executable, "-m", "gilint", "check", example, "--output-format", "json"]
    cold = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO, check=False)
    assert list((tmp_path / "cache" / "lark").iterdir()) and cache_entries(tmp_path / "cache", "data")
    assert cache_entries(tmp_path / "cache", "re")  # compiled patterns (patterns.store)
    assert cache_entries(tmp_path / "cache", "code")  # dataclass methods (cache.dataclass_code)
    warm = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO, check=False)
    assert cold.returncode == warm.returncode and cold.stdout == warm.stdout and '"code"' in cold.stdout


def test_values_derived_from_the_cache_equal_fresh_ones(cache_folder):
    """Identities (tables.expression), prefilter sets and the t2s character set read back from
    the cache equal what is derived without it; a bad identity fails each time, nothing kept."""
    from gilint.patterns import linear
    from gilint.tables.expression import ExpressionError, parse_expression
    from gilint.text.normalize import _traditional_characters
    from gilint.text.prefilter import _required, required_chars

    parse = parse_expression.__wrapped__  # past the in-process lru_cache
    source = "total == granted + partial + denied.* + 2 * fees[amount] - 3"
    cold, warm = parse(source), parse(source)
    assert cold == warm and cache_entries(cache_folder, "expression")
    assert [(c, r.key, r.column) for c, r in warm.left.terms + warm.right.terms] == [
        (1.0, "total", None),
        (1.0, "granted", None),
        (1.0, "partial", None),
        (1.0, "denied.*", None),
        (2.0, "fees", "amount"),
    ]
    assert warm.right.constant == -3.0
    for _ in range(2):
        with pytest.raises(ExpressionError):
            parse("total == == 3")
    pattern = linear(r"(?:收到|受理|新收)[^。]{0,20}申请(?P<n>\d+)件")
    assert required_chars(pattern) == required_chars(pattern) == _required(pattern.pattern, 0)
    assert required_chars(pattern)
    _traditional_characters.cache_clear()
    assert "個" in _traditional_characters() and "个" not in _traditional_characters()
    assert cache_entries(cache_folder, "t2s") and cache_entries(cache_folder, "prefilter")
    _traditional_characters.cache_clear()
