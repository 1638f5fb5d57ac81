"""Traditional -> simplified conversion, giving exactly what OpenCC's t2s gives.

The ``opencc`` package (opencc-python-reimplemented) converts ~1.3 µs a character
in pure Python: for every piece of text it tries every substring length against
its dictionaries. Its t2s is simple, though, and is reproduced here from the same
dictionary files:

- the text is cut at OpenCC's separators (spaces, punctuation), which are never
  converted and which no dictionary key contains;
- in each piece, phrases of TSPhrases.txt are replaced longest first, leftmost
  first among equally long ones, never overlapping a phrase already replaced
  (OpenCC's recursive "longest match, then the left and right rest" is exactly
  this greedy order);
- every other character goes through TSCharacters.txt (single characters);
- a key with several values takes the first.

Phrases are found from the (few) positions holding a phrase's first character;
characters are mapped with ``str.translate``. tests/test_t2s.py compares the
result with OpenCC's.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from gilint.patterns import linear

# OpenCC's separators (opencc.OpenCC.split_chars_re), as one character class plus whitespace.
_SEPARATORS = (
    r"\s|-|,|\.|\?|!|\*|　|，|。|、|；|：|？|！|…|“|”|‘|’|『|』|「|」|﹁|﹂|—|－|（|）|《|》|〈|〉|～"
    r"|．|／|＼|︒|︑|︔|︓|︿|﹀|︹|︺|︙|︐|［|﹇|］|﹈|︕|︖|︰|︳|︴|︽|︾|︵|︶|｛|︷|｝|︸|﹃|﹄|【|︻|】|︼"
)
_SEPARATOR = linear(_SEPARATORS)


def _read_dictionary(name: str) -> dict[str, str]:
    """key -> first value, read the way OpenCC reads it (a later line wins)."""
    import opencc  # only for where its dictionaries are

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", name)
    table: dict[str, str] = {}
    with open(path, encoding="utf-8") as handle:
        for row in handle:
            key, value = row.strip().split("\t")
            table[key] = value.split(" ")[0]
    return table


class Converter:
    def __init__(self, phrases: dict[str, str], characters: dict[str, str]):
        # A key holding a separator can never match (OpenCC converts between separators).
        self.phrases = {key: value for key, value in phrases.items() if not _SEPARATOR.search(key)}
        self.prefixes = {key[:size] for key in self.phrases for size in range(1, len(key) + 1)}
        self.longest = max(map(len, self.phrases), default=0)
        starts = "".join(sorted({re.escape(key[0]) for key in self.phrases}))
        self.phrase_start = linear(f"[{starts}]") if starts else None
        self.characters = str.maketrans(
            {key: value for key, value in characters.items() if len(key) == 1 and not _SEPARATOR.match(key)}
        )

    def _phrases(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the phrases to replace, in text order."""
        if self.phrase_start is None:
            return []
        found: list[tuple[int, int]] = []  # (-length, start): longest, then leftmost first
        for match in self.phrase_start.finditer(text):
            start = match.start()
            for end in range(start + 1, min(len(text), start + self.longest) + 1):
                piece = text[start:end]
                if piece not in self.prefixes:
                    break
                if piece in self.phrases:
                    found.append((start - end, start))
        if not found:
            return []
        found.sort()
        taken = bytearray(len(text))
        chosen: list[tuple[int, int]] = []
        for negative_length, start in found:
            end = start - negative_length
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                chosen.append((start, end))
        chosen.sort()
        return chosen

    def convert(self, text: str) -> str:
        phrases = self._phrases(text)
        if not phrases:
            return text.translate(self.characters)
        pieces: list[str] = []
        last = 0
        for start, end in phrases:
            pieces.append(text[last:start].translate(self.characters))
            pieces.append(self.phrases[text[start:end]])
            last = end
        pieces.append(text[last:].translate(self.characters))
        return "".join(pieces)


@lru_cache(maxsize=1)
def converter() -> Converter:
    return Converter(_read_dictionary("TSPhrases.txt"), _read_dictionary("TSCharacters.txt"))


def t2s(text: str) -> str:
    """OpenCC t2s of ``text``."""
    return converter().convert(text)
