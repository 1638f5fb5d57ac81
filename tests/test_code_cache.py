"""The dataclass methods compiled once (``gilint.cache.dataclass_code``, issue 13): classes made from the
kept code behave exactly as classes compiled afresh, and a damaged or missing cache changes
nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO, cache_entries

# Made in a fresh interpreter after gilint is imported: what each class does, as JSON.
PROGRAM = """
import dataclasses, inspect, json
from gilint.cache import dataclass_code
dataclass_code.install()  # as the command line does
from gilint.model import Diagnostic, Location, Severity

@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: int = 2
    tags: tuple = ()

p = Point(1)
try:
    p.x = 5
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
location = Location(3, 4, 3, 9)
print(json.dumps({
    "repr": repr(p),
    "eq": p == Point(1, 2, ()),
    "hash": hash(p) == hash(Point(1)),
    "frozen": frozen,
    "init_return": repr(inspect.signature(Point.__init__).return_annotation),
    "location": repr(location),
    "location_init_return": repr(inspect.signature(Location.__init__).return_annotation),
    "location_eq": location == Location(3, 4, 3, 9),
    "severity": Severity.ERROR.rank,
    "patched": getattr(dataclasses, "exec", None) is not None,
}))
"""


def _run(cache: str | None) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "GILINT_NO_CACHE"}
    if cache is None:
        env["GILINT_NO_CACHE"] = "1"
    else:
        env["GILINT_CACHE_DIR"] = cache
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_classes_from_kept_code_are_the_classes_compiled_afresh(tmp_path) -> None:
    folder = tmp_path / "cache"
    plain = _run(None)
    assert plain["patched"] is False  # no cache folder: dataclasses is left alone
    cold = _run(str(folder))
    [entry] = cache_entries(folder, "code")
    warm = _run(str(folder))
    assert cold["patched"] and warm["patched"]
    for result in (cold, warm):
        assert {k: v for k, v in result.items() if k != "patched"} == {
            k: v for k, v in plain.items() if k != "patched"
        }
    # No __future__ annotations leak into the generated methods: the annotation is None itself.
    assert plain["init_return"] == plain["location_init_return"] == "None"
    assert plain["location_eq"]
    assert plain["frozen"] and plain["eq"] and plain["hash"]
    assert cache_entries(folder, "code") == [entry]


def test_a_damaged_cache_changes_nothing(tmp_path) -> None:
    folder = tmp_path / "cache"
    first = _run(str(folder))
    [entry] = cache_entries(folder, "code")
    entry.write_bytes(b"\x00damaged")
    assert _run(str(folder)) == first
    import marshal

    entry.write_bytes(marshal.dumps({"not": "code"}))
    assert _run(str(folder)) == first


def test_every_dataclass_of_gilint_has_a_docstring() -> None:
    # Without one, ``dataclasses`` writes one from ``inspect.signature`` at every start
    # (~0.3 ms a class, 2% of checking one report for gilint's 56).
    import dataclasses
    import importlib
    import pkgutil

    import gilint

    undocumented = []
    for module_info in pkgutil.walk_packages(gilint.__path__, "gilint."):
        if module_info.name.endswith("__main__"):  # runs the command line when imported
            continue
        module = importlib.import_module(module_info.name)
        classes = [value for value in vars(module).values() if isinstance(value, type)]
        for cls in classes:
            own = dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
            if own and (cls.__doc__ or "").startswith(f"{cls.__name__}("):  # the signature dataclasses made
                undocumented.append(f"{module.__name__}.{cls.__qualname__}")
    assert undocumented == []
