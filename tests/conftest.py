"""Shared test fixtures: the repository, the examples, and ../shared (seeds and
corpus), which tests skip cleanly without."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = Path(os.environ.get("GILINT_SHARED", REPO.parent / "shared"))


def _require(path: Path) -> Path:
    if not path.is_dir():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _require(SHARED / "seeds")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return _require(SHARED / "corpus")


@pytest.fixture(scope="session")
def linter():
    from gilint.pipeline import Linter

    return Linter()


@pytest.fixture
def cache_folder(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of gilint's own (gilint.cache), with caching on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GILINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("GILINT_NO_CACHE", raising=False)
    return folder


def cache_entries(folder: Path, kind: str) -> list[Path]:
    """The entries of one kind (its subfolder: data, re, code…) in a cache folder."""
    return sorted((folder / kind).glob("*.marshal")) if (folder / kind).is_dir() else []


def seed_path(seeds_dir: Path, number: str) -> Path:
    matches = sorted(seeds_dir.glob(f"{number}_*.txt"))
    assert matches, f"seed {number} missing"
    return matches[0]


@pytest.fixture(scope="session")
def hostile_results(tmp_path_factory) -> dict[str, dict]:
    """Every hostile input of tests/hostile_inputs.py checked on its own (issue 14),
    shared by the acceptance test and the batch test."""
    from tests.hostile_inputs import ALL_TRIGGERS
    from tests.hostile_probe import run_probe

    folder = tmp_path_factory.mktemp("hostile")
    return run_probe(folder, [trigger.name for trigger in ALL_TRIGGERS])
