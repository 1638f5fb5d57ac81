"""Row labels: their matching form, their numbering, and fuzzy matching.

A label as printed (``（三）不予公开 1.属于国家秘密``) carries numbering markers
and punctuation that copies mangle (full/half-width brackets, ``1.``/``1、``,
spaces, quotes). Matching compares the text after the last marker with every
punctuation mark and space removed, and uses the marker's number only to break
ties. Typos (``其他法律行政止公开``) and labels cut by a line break
(``1.本机关不掌握相关政`` / ``府信息``) are matched with rapidfuzz.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from gilint.patterns import linear
from gilint.structure.parse import cn_number
from gilint.text.normalize import CN_NUMERAL

_CN = CN_NUMERAL
# Numbering markers, by level: 一、 (1), (一) (2), 1. / 1、 / (1) (3).
MARKER = linear(
    rf"(?P<l1>{_CN})、|\(\s*(?P<l2>{_CN})\s*\)|(?P<l3>[1-9][0-9]?)\s*[.、](?![0-9])|\((?P<l3b>[1-9])\)"
)
_NOISE = linear(r"[\s\"'“”‘’「」『』《》()\[\]{}<>,，、。.:：;；!！?？·・/\\|_*#=~\-—–－]+")
_SENTENCE = linear(r"[,，。;；:：!！?？]")
_PARENTHESES = linear(r"\([^()]*\)")

# Below this a label is no match; within this of the best, a rival is kept as a candidate.
MATCH_THRESHOLD = 75.0
RIVAL_MARGIN = 8.0
CACHE_SIZE = 20_000


def canon(text: str) -> str:
    """The matching form: no spaces, quotes, brackets or punctuation."""
    # Spaces, Markdown bars and line ends, the commonest noise in a table's text, go by str.replace
    # first, not a regex match each (a 4,500-character table: 835k -> 657k instructions).
    return _NOISE.sub("", text.replace(" ", "").replace("|", "").replace("\n", ""))


def looks_like_prose(text: str) -> bool:
    """Sentence punctuation: text of a paragraph, not a row label."""
    return bool(_SENTENCE.search(_PARENTHESES.sub("", text)))


@dataclass(frozen=True)
class Numbered:
    """A label split into its numbering and its text."""

    level: int | None
    number: int | None
    text: str  # canonical text after the last marker
    raw: str = ""  # the text after the last marker, as written


def _marker_number(match: re.Match[str]) -> tuple[int, int | None]:
    if match.group("l1"):
        return 1, cn_number(match.group("l1"))
    if match.group("l2"):
        return 2, cn_number(match.group("l2"))
    return 3, int(match.group("l3") or match.group("l3b"))


def strip_numbering(text: str) -> Numbered:
    """Leading markers removed (``三、（一）予以公开`` -> level 2, number 1, 予以公开)."""
    level = number = None
    position = 0
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    while True:
        match = MARKER.match(text, offset + position)
        if not match:
            break
        level, number = _marker_number(match)
        position = match.end() - offset
        while offset + position < len(text) and text[offset + position] == " ":
            position += 1
    rest = text[offset + position :]
    return Numbered(level, number, canon(rest), rest)


def pieces(text: str) -> list[str]:
    """A fragment cut before each numbering marker, so that
    ``（三）不予公开1.属于国家秘密`` gives ``（三）不予公开`` and ``1.属于国家秘密``."""
    starts = [match.start() for match in MARKER.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = [*starts[1:], len(text)]
    return [text[start:end] for start, end in zip(starts, bounds, strict=True) if text[start:end].strip()]


@dataclass(frozen=True)
class Label:
    """One accepted spelling of a row's label."""

    key: str  # the row key it names
    text: str  # as written in the model (normalised)
    numbered: Numbered
    foreign: bool = False  # another layout's wording (GI403 evidence)


@dataclass(frozen=True)
class Candidate:
    """A model row (or column) a label may name, with the match's score."""

    key: str
    score: float
    foreign: bool = False
    label: str = ""


def _prose_before(raw: str, wanted: str) -> bool:
    """Sentence punctuation before a label found at the end of a fragment
    (``其中包括:行政规范性文件``): the label is a word in a sentence there.
    Parenthesised notes (``(单位:万元)``) do not count."""
    return bool(_SENTENCE.search(_PARENTHESES.sub("", raw)[: -len(wanted)] if wanted else raw))


def _score(piece: Numbered, label: Label, suffix: bool) -> float:
    observed, wanted = piece.text, label.numbered.text
    if not observed or not wanted:
        return 0.0
    if observed == wanted:
        score = 100.0
    elif suffix and observed.endswith(wanted) and len(wanted) >= 2 and not _prose_before(piece.raw, wanted):
        # A flattened table glues the header before the first row label:
        # ...现行有效件数规章 names 规章. Short labels are weaker evidence.
        score = 92.0 if len(wanted) >= 4 else 86.0
    else:
        score = fuzz.ratio(observed, wanted)
        if 4 <= len(observed) < len(wanted):  # a label cut by a line break
            coverage = len(observed) / len(wanted)
            score = max(score, fuzz.partial_ratio(observed, wanted) * (0.75 + 0.25 * coverage))
    wanted_number = label.numbered.number
    if piece.number is not None and wanted_number is not None and piece.level == label.numbered.level:
        score += 3.0 if piece.number == wanted_number else -25.0
    return score


class LabelMatcher:
    """Matches label fragments against one layout's row labels."""

    def __init__(self, labels: Sequence[Label], group_labels: Iterable[str], units: Sequence[str] = ()):
        self.labels = tuple(labels)
        # A unit written right after a row label is the table's 计量单位 column.
        self.units = tuple(sorted((canon(unit) for unit in units), key=len, reverse=True))
        self.exact: dict[str, list[Label]] = {}
        for label in self.labels:
            self.exact.setdefault(label.numbered.text, []).append(label)
        self.groups = frozenset(canon(text) for text in group_labels)
        # Reports print the same labels: a piece is scored once per layout, and so
        # is a row's whole set of fragments.
        self._cache: dict[tuple[str, bool], list[Candidate]] = {}
        self._rows: dict[tuple[tuple[str, ...], bool], list[Candidate]] = {}

    def is_group(self, text: str) -> bool:
        return strip_numbering(text).text in self.groups or canon(text) in self.groups

    def match_piece(self, text: str, suffix: bool = False) -> list[Candidate]:
        key = (text, suffix)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            found = self._cache[key] = self._match_piece(text, suffix)
        return found

    def _match_piece(self, text: str, suffix: bool) -> list[Candidate]:
        piece = self._without_unit(strip_numbering(text))
        if not piece.text or piece.text in self.groups:
            return []
        scored: dict[str, Candidate] = {}
        labels = self.exact.get(piece.text) if not suffix else None
        for label in labels or self.labels:
            score = _score(piece, label, suffix)
            best = scored.get(label.key)
            if score >= MATCH_THRESHOLD and (best is None or score > best.score):
                scored[label.key] = Candidate(label.key, score, label.foreign, label.text)
        return _best(scored.values())

    def _without_unit(self, piece: Numbered) -> Numbered:
        for unit in self.units:
            if piece.text.endswith(unit) and len(piece.text) >= len(unit) + 2:
                raw = piece.raw.rstrip()
                raw = raw[: -len(unit)] if raw.endswith(unit) else raw
                return Numbered(piece.level, piece.number, piece.text[: -len(unit)], raw)
        return piece

    def match_fragments(self, fragments: Sequence[str], last_only: bool) -> list[Candidate]:
        """Candidates for a row from its label fragments (cells or lines, in order).

        A row's own label is what stands right before its numbers: the last piece
        of the last fragment, or the last two fragments joined (a label broken
        across cells or lines). Label-only lines above a row (``last_only`` off)
        may hold its label anywhere, so every piece of every fragment counts."""
        if not fragments:
            return []
        key = (tuple(fragments), last_only)
        found = self._rows.get(key)
        if found is None:
            if len(self._rows) >= CACHE_SIZE:
                self._rows.clear()
            found = self._rows[key] = self._match_fragments(fragments, last_only)
        return list(found)

    def _match_fragments(self, fragments: Sequence[str], last_only: bool) -> list[Candidate]:
        texts: list[tuple[str, bool]] = []
        if last_only:
            texts.append((fragments[-1], True))
            if len(fragments) > 1:
                texts.append((fragments[-2] + fragments[-1], True))
        else:
            texts.extend((fragment, False) for fragment in fragments)
            texts.extend((a + b, False) for a, b in itertools.pairwise(fragments))
        scored: dict[str, Candidate] = {}
        for text, own in texts:
            parts = pieces(text)
            for part in parts[-1:] if own else parts:
                for candidate in self.match_piece(part, suffix=own):
                    best = scored.get(candidate.key)
                    if best is None or candidate.score > best.score:
                        scored[candidate.key] = candidate
        return _best(scored.values())


def _best(candidates: Iterable[Candidate]) -> list[Candidate]:
    ranked = sorted(candidates, key=lambda c: -c.score)
    if not ranked:
        return []
    top = ranked[0].score
    return [c for c in ranked if c.score >= top - RIVAL_MARGIN]
