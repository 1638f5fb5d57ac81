"""The JSON writer (gilint.render.json_text) writes what ``json.dump(..., ensure_ascii=False,
indent=2)`` writes, for any JSON value: JSON, SARIF, extract and statistics output depend on it."""

from __future__ import annotations

import io
import json
from enum import StrEnum

from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.render.json_text import write_json

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)  # any code point: controls, quotes, backslashes, lone surrogates
)
_KEYS = st.text(max_size=6) | st.integers(-5, 5) | st.floats(allow_nan=False) | st.booleans() | st.none()
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(_KEYS, inner, max_size=4)
    ),
    max_leaves=30,
)


def _written(value: object) -> str:
    out = io.StringIO()
    write_json(value, out)
    return out.getvalue()


@settings(max_examples=500)
@given(_VALUES)
def test_the_text_is_json_dumps_with_indent_2(value):
    assert _written(value) == json.dumps(value, ensure_ascii=False, indent=2)


class _Severity(StrEnum):
    ERROR = "error"


def test_str_enums_large_documents_and_refusals_as_json_does():
    document = {
        "files": [{"n": n, "severity": _Severity.ERROR, "data": {"x": [n, 1.5]}} for n in range(5000)]
    }
    assert _written(document) == json.dumps(document, ensure_ascii=False, indent=2)  # (written in chunks)
    for bad in ({"x": object()}, {(1, 2): 1}):
        try:
            json.dumps(bad)
        except TypeError:
            pass
        else:  # pragma: no cover
            raise AssertionError("json accepts it")
        try:
            _written(bad)
        except TypeError:
            continue
        raise AssertionError(f"{bad!r} was written")
