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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, islice
from typing import Any

from rapidfuzz.distance import Indel

from gilint.checks.lexicon import load_lexicon
from gilint.model import Location, ProseLine, SectionText
from gilint.patterns import linear
from gilint.tables.labels import strip_numbering

_WORD = linear(r"[^\W_]+")  # runs of letters, digits and CJK characters
# One group: ``split`` keeps them. Written ``x x*``, not ``x+``: a pattern that starts
# with a character class lets ``re`` scan in C to the next separator instead of trying
# the pattern at every character (the separators' split -15% over /tmp/b600's sections).
_SEPARATORS = linear(r"([\W_][\W_]*)")
# A standard sentence is left out from the end of the sentence or line before it to the end
# of its own (a table flattened into a line with no full stop is not one long sentence).
_ENDS = ("。", ";", "!", "?", "\n")
_SENTENCE_END = linear(r"[。;!?]+|\n")
_NUMERAL_CHARACTERS = "0123456789〇○零一二两三四五六七八九十百千万亿"
_SHORTEST_LABEL = 2
LONGEST = 20_000  # compared characters of a section, at most (a real one has a few thousand)
QUOTE_HEAD, QUOTE_TAIL = 36, 16  # a quoted passage longer than both is shortened between them


def canonical(text: str) -> str:
    return "".join(_WORD.findall(text))


def removed_pattern(words: list[str]) -> str:
    """One capturing group (``split`` keeps what it removes): any of ``words``, in their
    order (longest first: a label holding a numeral, 第二十条第一项 or “三安全一稳定”, goes
    whole), else a run of numerals.

    Written as one alternative per first character, each that character then the rest of
    its words and, for a numeral, the rest of the run: with every alternative starting
    with a literal, ``re`` scans in C to the next character that can start one instead
    of trying the pattern at every character (the masker's split 212 -> 93 ms over the
    sections of /tmp/b600). The order of the words of one first character is kept, and
    two first characters never match at one place: the same matches as the plain
    alternation ``(w1|w2|…|[numerals]+)``."""
    rests: dict[str, list[str]] = {}
    for word in words:
        rests.setdefault(word[0], []).append(re.escape(word[1:]))
    for numeral in _NUMERAL_CHARACTERS:
        rests.setdefault(numeral, []).append(f"[{_NUMERAL_CHARACTERS}]*")
    return "(" + "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in rests.items()) + ")"


@dataclass(frozen=True)
class Masker:
    """Standard sentences, then mandated labels and numerals, removed from a section's prose."""

    standard_sentence: re.Pattern[str]
    removed: re.Pattern[str]  # labels and numerals, over the canonical text (one capturing group)

    @classmethod
    def build(cls, structure: Any, table_models: Any, lexicon_pack: str | None = None) -> Masker:
        lexicon = load_lexicon("boilerplate", lexicon_pack)
        labels = [*_mandated_labels(structure, table_models), *lexicon.data["labels"]]
        labels = {canonical(label) for label in labels}
        # (ties in alphabetical order: the same pattern in every run, so that it is compiled
        # once and kept; two words of one length never match at the same place)
        words = sorted(
            (label for label in labels if len(label) >= _SHORTEST_LABEL), key=lambda w: (-len(w), w)
        )
        return cls(
            standard_sentence=lexicon.pattern("sentences"),
            # (linear: compiled once and kept between runs by gilint.patterns, ~8 ms a run
            # with a series to compare; escaped words and a class cannot backtrack)
            removed=linear(removed_pattern(words), origin="similarity.Masker: mandated labels and numerals"),
        )

    def mask(self, prose: str, start: int = 0) -> Masked:
        """The words of ``prose`` from ``start`` that are compared, and the way back.

        Pieces are cut with ``re.split``: no Python step per word or per number, which a
        section has hundreds of. The way back is laid out only when asked for."""
        regions: list[tuple[int, list[str]]] = []  # (where a region starts, its word, separator, word, …)
        words: list[str] = []
        for region_start, region_end in self._regions(prose, start):
            pieces = _SEPARATORS.split(prose[region_start:region_end])
            regions.append((region_start, pieces))
            words += pieces[0::2]
        split = self.removed.split("".join(words))  # kept, removed, kept, …
        return Masked("".join(split[0::2]), split, regions)

    def _regions(self, prose: str, start: int) -> list[tuple[int, int]]:
        """The spans of ``prose`` from ``start`` that are not a standard sentence (the
        sentence, or its part on a line, around a standard phrase)."""
        regions: list[tuple[int, int]] = []
        position = start
        for match in self.standard_sentence.finditer(prose, start):
            if match.start() < position:
                continue  # inside a sentence already left out
            sentence_start = max(prose.rfind(mark, position, match.start()) for mark in _ENDS) + 1
            sentence_end = _SENTENCE_END.search(prose, match.end())
            regions.append((position, max(position, sentence_start)))
            position = sentence_end.end() if sentence_end else len(prose)
        regions.append((position, len(prose)))
        return [(a, b) for a, b in regions if b > a]


class _Steps:
    """A piecewise map of offsets: ``starts[i]`` maps to ``targets[i]``, onwards one to one."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.targets: list[int] = []
        self.length = 0

    def extend(self, pieces: list[str], targets: Iterable[int]) -> None:
        """Pieces laid end to end from ``length`` on; ``targets`` yields every other
        piece's start in the source, beginning with the first's (``re.split`` order)."""
        lengths = list(map(len, pieces))
        self.starts += accumulate(lengths[:-1], initial=self.length)
        self.targets += islice(targets, 0, None, 2)
        del self.targets[len(self.starts) :]
        self.length += sum(lengths)

    def __call__(self, offset: int) -> int:
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.targets[index] + offset - self.starts[index]


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
    """The compared words of a section's prose, with the way back to the prose."""

    text: str  # what is compared
    split: list[str]  # the words cut by the masker: kept, removed, kept, …
    regions: list[tuple[int, list[str]]]  # (offset in the prose, its word, separator, word, …)

    def origin(self, offset: int) -> int:
        """Where character ``offset`` of ``text`` is in the section's prose."""
        pieces, runs = self._steps
        return runs(pieces(offset))

    @cached_property
    def _steps(self) -> tuple[_Steps, _Steps]:
        """(offset in ``text`` -> offset in the words, offset in the words -> offset in the
        prose): laid out at the first ``origin``, since only a section as alike as the
        threshold needs it (nearly every one on /tmp/b600, whose reports copy; few in a
        real run)."""
        pieces = _Steps()
        pieces.extend(self.split[0::2], accumulate(map(len, self.split), initial=0))
        runs = _Steps()  # where each run of word characters starts in the prose
        for region_start, region in self.regions:
            runs.extend(region[0::2], accumulate(map(len, region), initial=region_start))
        return pieces, runs


@dataclass(frozen=True)
class Prose:
    """A section's lines joined with newlines, and what of it is compared."""

    section: SectionText
    text: str
    compared_from: int  # offset in ``text`` where the compared prose starts (after the title)
    masker: Masker

    @classmethod
    def of(cls, section: SectionText, masker: Masker) -> Prose:
        text = "\n".join(section.texts)
        # the heading's own title is the same in both reports by construction
        title_at = text.find(section.title)
        return cls(section, text, title_at + len(section.title) if title_at >= 0 else 0, masker)

    @cached_property
    def starts(self) -> list[int]:
        """The offset of each line in ``text``: only a section with a finding is located."""
        return list(accumulate((len(text) + 1 for text in self.section.texts[:-1]), initial=0))

    @property
    def most_compared(self) -> int:
        """At least ``len(masked.text)``, known without masking: the masker only removes."""
        return len(self.text) - self.compared_from

    @cached_property
    def masked(self) -> Masked:
        """Masked at the first use: a section too short to be compared never is (half the
        sections of /tmp/b600)."""
        return self.masker.mask(self.text, self.compared_from)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in ``text`` of the masked span ``start``..``end``."""
        return self.masked.origin(start), self.masked.origin(end - 1) + 1

    def locate(self, start: int, end: int) -> Location:
        """Where offsets ``start``..``end`` of ``text`` are in the file: to the character
        on a line whose columns follow its text, else the line itself."""
        first, first_offset = self._line_at(start)
        last, last_offset = self._line_at(max(start, end - 1))
        if first is last:
            return first.span(first_offset, last_offset + 1)
        here, there = first.location, last.location
        column = here.column + first_offset if first.aligned else here.column
        end_column = there.column + last_offset + 1 if last.aligned else there.end_column
        return Location(here.line, column, there.end_line, end_column, here.where)

    def _line_at(self, offset: int) -> tuple[ProseLine, int]:
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.section.line(index), offset - self.starts[index]


@dataclass(frozen=True)
class Likeness:
    """How alike two sections are, and the longest passage they share."""

    similarity: float  # 0..1
    passage: tuple[int, int]  # the longest shared passage: offsets in the later section's text
    earlier_passage: tuple[int, int]  # …and in the earlier one's


def compare(later: Prose, earlier: Prose, cutoff: float) -> Likeness | None:
    """The two sections' likeness, when it reaches ``cutoff``. Only the first
    ``LONGEST`` compared characters of each count: the alignment takes memory in
    the product of the lengths, and no real section comes near."""
    a, b = later.masked.text[:LONGEST], earlier.masked.text[:LONGEST]
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
