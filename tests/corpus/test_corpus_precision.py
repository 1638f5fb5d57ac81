"""Precision and recall on the real reports (issue 11): each false or mis-aimed
finding a careful reader found, and each miss, on the corpus file where it was
found (or a copy with one edit, written to the test's tmp dir)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gilint.model import CheckedReport, Diagnostic


def check(linter, path: Path | str) -> CheckedReport:
    (result,) = linter.check_path(str(path))
    return result


def found(result: CheckedReport, code: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code == code]


def edited(corpus_dir: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of a corpus file with one edit (the original is never touched)."""
    data = (corpus_dir / name).read_bytes()
    encoded = old.encode("utf-8")
    assert data.count(encoded) >= 1, f"{old!r} not in {name}"
    target = tmp_path / name
    target.write_bytes(data.replace(encoded, new.encode("utf-8"), 1))
    return target


# ------------------------------------------------------ input damage: GI006


@pytest.mark.parametrize("name", ["022.txt", "026.txt", "045.txt", "046.txt", "028.txt"])
def test_glued_digits_are_input_damage_not_a_table_shape_error(linter, corpus_dir: Path, name: str) -> None:
    result = check(linter, corpus_dir / name)
    assert not found(result, "GI105"), [d.text("zh") for d in found(result, "GI105")]
    damage = found(result, "GI006")
    assert damage and all(d.severity.value in ("warning", "info") for d in damage)
    assert not [d for d in result.diagnostics if d.severity.value == "error" and d.code == "GI006"]


def test_045_unsplittable_row_is_a_warning_at_its_digits(linter, corpus_dir: Path) -> None:
    result = check(linter, corpus_dir / "045.txt")
    (warning,) = [d for d in found(result, "GI006") if d.severity.value == "warning"]
    assert warning.data["row"] == "normative_documents" and warning.data["issue"] == "ambiguous_split"
    assert "2159165" in warning.text("zh") and "输入" in warning.text("zh")
    source = result.source_lines[warning.location.line - 1]
    assert source[warning.location.column - 1 : warning.location.end_column - 1] == "2159165"
