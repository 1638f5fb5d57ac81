"""Any bytes give diagnostics or a one-line error, exit 0/1/2, never a traceback,
and the checked file is never written."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gilint.cli import main
from gilint.read.load import read_at_most
from tests.conftest import SHARED

SEEDS = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
SUFFIXES = (".txt", ".md", ".markdown")


def check_file(path: Path, capsys) -> int:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code = main(["check", str(path), "--output-format", "json", "--no-color"], io.StringIO())
    err = capsys.readouterr().err
    assert code in (0, 1, 2)
    assert "internal error" not in err and "Traceback" not in err, err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    return code


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(tmp_path_factory, capsys, data, suffix):
    path = tmp_path_factory.mktemp("random") / f"report{suffix}"
    path.write_bytes(data)
    check_file(path, capsys)


@pytest.mark.skipif(not SEEDS, reason="seeds not available")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.sampled_from(SEEDS or [Path("x")]),
    cut=st.floats(0, 1),
    inserts=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=20)), max_size=5),
)
def test_mutated_seeds(tmp_path_factory, capsys, seed, cut, inserts):
    data = bytearray(
        seed.read_bytes()[: max(1, int(len(seed.read_bytes()) * cut))]
    )  # truncated mid-character too
    for where, blob in inserts:
        position = int(len(data) * where)
        data[position:position] = blob
    path = tmp_path_factory.mktemp("mutated") / "report.txt"
    path.write_bytes(bytes(data))
    check_file(path, capsys)


@pytest.mark.parametrize(
    "content",
    [
        b"\x00" * 1000,
        "一、总体情况\x00\x00二、主动公开".encode() * 50,
        ("很长的一行" * 400_000).encode(),  # a 2 MB+ line
        ("一、总体情况\n(一)小标题\n1.项目\n" * 17_000).encode(),  # 51,000 headings
        "\ufeff".encode() + b"\xff\xfe\x00",
        b"\xff\xfe" + "一、总体情况".encode("utf-16-le")[:-1],  # truncated UTF-16
    ],
    ids=["nuls", "nuls-in-text", "2mb-line", "50k-headings", "bom-junk", "truncated-utf16"],
)
def test_hostile_text(tmp_path, capsys, content):
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    check_file(path, capsys)


def test_size_cap_is_gi001(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    out = io.StringIO()
    code = main(["check", str(path), "--max-bytes", "1024", "--output-format", "concise"], out)
    assert code == 1
    assert "GI001" in out.getvalue()


@given(st.binary(max_size=300), st.integers(0, 400), st.integers(0, 400))
def test_read_at_most_reads_what_the_file_holds_up_to_one_byte_over_the_limit(content, expected, max_bytes):
    """Whatever size the file said it had when opened (it may have grown or shrunk since; a
    /proc file says 0), what is read is the file's bytes up to one over the limit."""
    assert read_at_most(io.BytesIO(content), expected, max_bytes) == content[: max_bytes + 1]


def test_a_file_that_grew_after_it_was_opened_is_still_refused_over_the_limit(tmp_path):
    path = tmp_path / "grown.txt"
    path.write_bytes(b"a" * 2048)
    with open(path, "rb") as handle:  # as if it held 10 bytes when opened
        assert len(read_at_most(handle, 10, 1024)) == 1025
