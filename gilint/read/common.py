"""Text helpers shared by the HTML, DOCX and PDF readers.

Every reader ends in the same canonical blocks, so the rules for turning
layout (a label wrapped inside a table cell, a paragraph split over source
lines) into text live here once.
"""

from __future__ import annotations

from gilint.patterns import linear
from gilint.read.base import LoadError


def is_wide(char: str) -> bool:
    """True for characters set without spaces around them in Chinese text:
    CJK ideographs, CJK and full-width punctuation, curly quotes, dashes."""
    if not char:
        return False
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK symbols/punctuation, kana, ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x2010 <= code <= 0x2027  # dashes, curly quotes, ellipsis
        or 0x20000 <= code <= 0x3FFFF  # ideograph extensions
    )


def join_wrapped(pieces: list[str]) -> str:
    """Join the visual lines of one cell or paragraph back into one string.

    A break next to a Chinese character is an artefact of the column width
    (``商业`` / ``企业``), so it disappears; between two Latin or digit runs
    it stands for a word break and becomes one space."""
    if len(pieces) == 1:  # a one-line cell: no loop, no is_wide calls
        return pieces[0].strip()
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and not (is_wide(out[-1]) or is_wide(piece[0])):
            out += " "
        out += piece
    return out


_ANY_SPACE = linear(r"\s+")


def collapse(text: str) -> str:
    """Cell text: every whitespace run (NBSP, U+3000 included) -> one space, stripped."""
    # Every white-space character but " " is unprintable: text that is printable
    # and holds no " " has none, and needs no regex pass.
    if text.isprintable() and " " not in text:
        return text
    return _ANY_SPACE.sub(" ", text).strip()


WIDE = "[\u2010-\u2027\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
# The second alternative starts only at the start of a run of spaces: tried inside
# one, it would scan the rest of the run at every position.
_SPACE_BY_WIDE = linear(rf"(?<={WIDE}) +|(?<! ) ++(?={WIDE})")


def cell_text(lines: list[str]) -> str:
    """The text of a table cell from its visual lines (paragraphs, <br>, PDF
    lines). Spaces next to Chinese characters go too: in a cell they only
    spread a short label over its width (``总　计``, ``合  计``)."""
    if len(lines) == 1 and lines[0].isprintable() and " " not in lines[0]:
        return lines[0]  # most cells: no white space to collapse or strip (no collapse/join/regex calls)
    text = join_wrapped([collapse(line) for line in lines if line])  # ("" stays "": skipped)
    return _SPACE_BY_WIDE.sub("", text) if " " in text else text  # no space left, no regex pass


def unreadable(zh: str, en: str) -> LoadError:
    return LoadError("GI001", zh, en)
