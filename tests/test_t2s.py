"""gilint.text.t2s must give exactly what OpenCC's t2s gives."""

from __future__ import annotations

import opencc
from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.text.t2s import _read_dictionary, t2s

_OPENCC = opencc.OpenCC("t2s")
_PHRASES = sorted(_read_dictionary("TSPhrases.txt"))
_CHARACTERS = sorted(_read_dictionary("TSCharacters.txt"))

# Pieces that make phrase matches overlap and nest: phrases, their halves,
# traditional characters, plain text, separators.
_PIECES = st.one_of(
    st.sampled_from(_PHRASES),
    st.sampled_from(_PHRASES).map(lambda phrase: phrase[: len(phrase) // 2 + 1]),
    st.sampled_from(_PHRASES).map(lambda phrase: phrase[len(phrase) // 2 :]),
    st.sampled_from(_CHARACTERS),
    st.sampled_from(["政府", "信息", "公开", "年度", "报告", "12", "件", "a"]),
    st.sampled_from([" ", "，", "。", ",", "、", "（", "）", "-", "\t", "…", "—"]),
)


@given(st.lists(_PIECES, max_size=30).map("".join))
@settings(max_examples=400, deadline=None)
def test_same_as_opencc(text: str) -> None:
    assert t2s(text) == _OPENCC.convert(text)


def test_report_text(examples_dir) -> None:
    # A whole report, converted to traditional and back.
    text = opencc.OpenCC("s2t").convert((examples_dir / "clean-2021.md").read_text(encoding="utf-8"))
    for line in text.split("\n"):
        assert t2s(line) == _OPENCC.convert(line)
