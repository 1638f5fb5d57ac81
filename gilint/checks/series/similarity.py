"""How alike two sections' prose is, for GI502 (copied text).

What is compared is what an agency wrote itself: the sentences of the format's standard
wording (rules/lexicon/boilerplate.yaml), the mandated section titles and the tables'
labels (rules/profiles.yaml, rules/tables/*.yaml, which flattened tables leave in the
prose), every numeral (the year and the figures change every year, nothing else should),
spaces and punctuation are left out. The rest is compared with rapidfuzz's Indel distance
(the longest common subsequence, normalised by both lengths: 1.0 for the same text), and
its alignment gives the longest passage the two share, located in both reports.
"""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Indel

from gilint.checks.lexicon import load_lexicon
from gilint.model import Location, ProseLine, SectionText
from gilint.tables.labels import strip_numbering

_WORD = re.compile(r"[^\W_]+")  # runs of letters, digits and CJK characters
# A sentence, or the part of one on a line (a standard sentence is looked for in each: a
# table flattened into a line with no full stop is not one long sentence).
_PIECE = re.compile(r"[^。;!?\n]+[。;!?]*")
_NUMERALS = "0-9〇○零一二两三四五六七八九十百千万亿"
_SHORTEST_LABEL = 2
QUOTE_HEAD, QUOTE_TAIL = 36, 16  # a quoted passage longer than both is shortened between them


def canonical(text: str) -> str:
    return "".join(_WORD.findall(text))


@dataclass(frozen=True)
class Masker:
    """Standard sentences, then mandated labels and numerals, removed from a section's prose."""

    standard_sentence: re.Pattern[str]
    removed: re.Pattern[str]  # labels and numerals, over the canonical text

    @classmethod
    def build(cls, structure: Any, table_models: Any, lexicon_pack: str | None = None) -> Masker:
        lexicon = load_lexicon("boilerplate", lexicon_pack)
        labels = {canonical(label) for label in _mandated_labels(structure, table_models)}
        words = sorted((label for label in labels if len(label) >= _SHORTEST_LABEL), key=len, reverse=True)
        # the lexicon's own labels are patterns over the canonical text; numerals last,
        # so that a label holding a numeral (第二十条, “三安全一稳定”) goes whole
        alternatives = [f"(?:{lexicon.pattern('labels').pattern})", *map(re.escape, words), f"[{_NUMERALS}]+"]
        return cls(
            standard_sentence=lexicon.pattern("sentences"),
            removed=re.compile("|".join(alternatives)),
        )

    def mask(self, prose: str, start: int = 0) -> Masked:
        """The words of ``prose`` from ``start`` that are compared, and where each came from."""
        # the words of every piece that is not a standard sentence, as one text (a label
        # may run over a line break), with where each character came from
        runs = [
            run
            for piece in _PIECE.finditer(prose, start)
            if not self.standard_sentence.search(piece.group())
            for run in _WORD.finditer(prose, piece.start(), piece.end())
        ]
        words = "".join(run.group() for run in runs)
        offsets = array("l")
        for run in runs:
            offsets.extend(range(run.start(), run.end()))
        kept: list[str] = []
        origin = array("l")
        position = 0
        for match in self.removed.finditer(words):
            kept.append(words[position : match.start()])
            origin.extend(offsets[position : match.start()])
            position = match.end()
        kept.append(words[position:])
        origin.extend(offsets[position:])
        return Masked("".join(kept), origin)


def _mandated_labels(structure: Any, table_models: Any) -> list[str]:
    """Section titles (every profile, with their accepted wordings), legacy topic titles,
    and every table's titles and row and column labels."""
    found: list[str] = list(structure.known_titles)
    for model in table_models.tables.values():
        found += [*model.titles, *model.start_labels, *model.group_labels]
        for column in model.columns.values():
            found += [label for labels in column.labels.values() for label in labels]
        for row in model.rows:
            found += [strip_numbering(label).raw for labels in row["labels"].values() for label in labels]
    return found


@dataclass(frozen=True)
class Masked:
    text: str
    origin: array  # origin[i]: offset in the section's prose of text[i]


@dataclass(frozen=True)
class Prose:
    """A section's lines joined with newlines, and what of it is compared."""

    section: SectionText
    text: str
    starts: tuple[int, ...]  # offset of each line in ``text``
    masked: Masked

    @classmethod
    def of(cls, section: SectionText, masker: Masker) -> Prose:
        starts: list[int] = []
        offset = 0
        for line in section.lines:
            starts.append(offset)
            offset += len(line.text) + 1
        text = "\n".join(line.text for line in section.lines)
        # the heading's own title is the same in both reports by construction
        title_end = text.find(section.title) + len(section.title) if section.title in text else 0
        return cls(section, text, tuple(starts), masker.mask(text, title_end))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in ``text`` of the masked span ``start``..``end``."""
        return self.masked.origin[start], self.masked.origin[end - 1] + 1

    def locate(self, start: int, end: int) -> Location:
        """Where offsets ``start``..``end`` of ``text`` are in the file: to the character
        on a line whose columns follow its text, else the line itself."""
        first, first_offset = self._line_at(start)
        last, last_offset = self._line_at(max(start, end - 1))
        here, there = first.location, last.location
        if first is last and first.aligned:
            column = here.column + first_offset
            return Location(here.line, column, here.line, here.column + last_offset + 1, here.where)
        column = here.column + first_offset if first.aligned else here.column
        end_column = there.column + last_offset + 1 if last.aligned else there.end_column
        return Location(here.line, column, there.end_line, end_column, here.where)

    def _line_at(self, offset: int) -> tuple[ProseLine, int]:
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.section.lines[index], offset - self.starts[index]


@dataclass(frozen=True)
class Likeness:
    similarity: float  # 0..1
    passage: tuple[int, int]  # the longest shared passage: offsets in the later section's text
    earlier_passage: tuple[int, int]  # …and in the earlier one's


def compare(later: Prose, earlier: Prose, cutoff: float) -> Likeness | None:
    """The two sections' likeness, when it reaches ``cutoff``."""
    a, b = later.masked.text, earlier.masked.text
    similarity = Indel.normalized_similarity(a, b, score_cutoff=cutoff)
    if similarity < cutoff:
        return None
    blocks = [op for op in Indel.opcodes(a, b) if op.tag == "equal"]
    if not blocks:
        return None
    longest = max(blocks, key=lambda op: op.src_end - op.src_start)
    return Likeness(
        similarity,
        later.span(longest.src_start, longest.src_end),
        earlier.span(longest.dest_start, longest.dest_end),
    )


def quote(text: str) -> str:
    """A passage on one line, shortened in the middle when long."""
    flat = " ".join(text.split())
    if len(flat) <= QUOTE_HEAD + QUOTE_TAIL + 1:
        return flat
    return f"{flat[:QUOTE_HEAD]}……{flat[-QUOTE_TAIL:]}"
