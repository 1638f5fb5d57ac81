"""Where an HTML page's lines, tables and cells start in its source.

libxml2 gives elements a source line but text nodes no position at all, so the page's
source is tokenised (its text runs and the start tags of tables, rows and cells) and each
text node the reader meets is matched, in document order, to the run of source text it
came from: every block and cell gets the exact line and column of its first character.

``SourceMap`` answers the reader's questions at once; ``Positions`` records them and
answers when a position is first asked (a report with nothing to report at a place never
pays for the matching). ``Starts`` is either: what the reader (``read/html.py``) asks.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from itertools import accumulate

from gilint.model import GridBlock, GridCell, Location, TextBlock
from gilint.patterns import linear

# A tag's attributes: unquoted runs taken whole, then each quoted value with
# the unquoted run after it (the loop unrolled: re turns once per quoted value,
# not once per run or value; with end tags tried first and the other start tags
# under the same "<": the source map 13.5M -> 12.5M instructions a CMS page).
# The parts start with different characters, so what is matched is the same
# as by ``(?:[^'">]++|"[^"]*+"|'[^']*+')*+``.
_ATTRIBUTES = r"""[^'\">]*+(?:(?:\"[^\"]*+\"|'[^']*+')[^'\">]*+)*+"""
_LEADING_SPACE = linear(r"(?:\s|&(?:nbsp;?|#160;|#[xX][aA]0;))*", searched=False)
_SEARCH_WINDOW = 512
_LOCATED_TAGS = frozenset({"table", "tr", "td", "th"})  # the only elements whose start tags are asked for
_NO_INDICES: list[int] = []  # (no offsets)
# Matched case-blind where letters matter (?i:…) and nowhere else: a case-blind
# class or literal costs re a case fold for each character (html_document: 65.4M -> 64.7M
# instructions a page). _LETTER is what [A-Za-z] matches case-blind: the Latin
# letters, dotted and dotless I, long S and the Kelvin sign.
_LETTER = "[A-Za-z\u0130\u0131\u017f\u212a]"
_LOCATED_NAME = r"(?i:table|t[rdh])"  # (as name.lower() in _LOCATED_TAGS: no other letter folds to these)
_MARKUP_START = rf"(?:<[!?]|</?{_LETTER})"  # what starts a token; a "<" not followed so is text
# The page's tokens: the text runs between markup, and the start tags of
# tables, rows and cells (the only ones asked for). End tags, comments,
# doctypes, other start tags and the white space between markup are passed over
# inside the match of what follows them, never reaching Python (more than half
# the tokens of a CMS page: the source map 15.6M -> 13.5M instructions a page).
# White space is passed over only when markup or the end follows it (a run
# keeps its leading white space). Start tags, in precedence order: raw-text
# elements with their content; table tags, named; any other. The alternatives
# after a "<" start with different characters: re tries only the one that can match.
_RAW_NAME = r"(?i:script|style|textarea|title|xmp)\b"
_TABLE_TAG_NAME = rf"{_LOCATED_NAME}(?=[\s/>]|\Z)"
# What follows a "<" that is passed over: end tags (the most, first), comments,
# doctypes and processing instructions.
_PASSED_MARKUP = rf"/{_LETTER}[^\s/>]*{_ATTRIBUTES}>?|!--.*?(?:-->|\Z)|![^>]*>?|\?[^>]*>?"
_SPACE_BEFORE_MARKUP = rf"\s++(?={_MARKUP_START}|\Z)"
_START_TAG = (
    rf"<(?:(?P<raw>{_RAW_NAME}){_ATTRIBUTES}>.*?(?:(?i:</(?P=raw))\s*>|\Z)"
    rf"|(?P<located>{_TABLE_TAG_NAME}){_ATTRIBUTES}>?"
    rf"|(?P<tag>{_LETTER})[^\s/>]*{_ATTRIBUTES}>?)"
)
# A start tag that is neither a raw-text element's nor a table tag's, after its
# "<": the same text the last alternative of _START_TAG takes.
_OTHER_START_TAG = rf"(?!{_RAW_NAME}|{_TABLE_TAG_NAME}){_LETTER}[^\s/>]*{_ATTRIBUTES}>?"
_RUN = rf"(?P<run>(?:[^<]++|<(?![!?]|/?{_LETTER}))++)"
_TOKENS = linear(
    rf"(?:<(?:{_PASSED_MARKUP}|{_OTHER_START_TAG})|{_SPACE_BEFORE_MARKUP})*+(?:{_START_TAG}|{_RUN}|\Z)",
    re.S,
    exempt="every match starts where the last ended and succeeds there (a start tag, a run or "
    "the end follows what is passed over): no text is scanned twice; every `.*?` ends at its "
    "closing mark or else at \\Z, the other repetitions are possessive over disjoint alternatives",
)
# The numbers of _TOKENS' groups named "located" and "run" (written out: asking the
# pattern would compile it at import; tests/readers/test_html_sourcemap.py checks them).
_LOCATED_GROUP, _RUN_GROUP = 2, 4
# One of what _TOKENS passes over, matched where it starts (to find the other
# start tags among it: ``SourceMap._every_tag_start``).
_PASSED_ITEM = linear(
    rf"<(?:{_PASSED_MARKUP}|(?P<other>{_OTHER_START_TAG}))|{_SPACE_BEFORE_MARKUP}", re.S, searched=False
)


class SourceMap:
    """Offsets of the page's text runs and start tags, matched in document
    order against what lxml parsed, to give line/column positions."""

    def __init__(self, text: str, lines: list[str] | None = None, *, gradual: bool = False):
        """``lines``: ``text.split("\n")``, when the caller has it. ``gradual``: the page is
        tokenised only as far as the positions asked so far need (``Positions``: a report
        whose findings are all near its start is not tokenised to its end), else at once."""
        self.text = text
        lines = text.split("\n") if lines is None else lines
        # Each line starts one past the end of the one before: summed in C
        # (map, accumulate) instead of a regex match object per newline.
        self._line_starts = list(accumulate(map((1).__add__, map(len, lines[:-1])), initial=0))
        self._run_starts: list[int] = []
        self._run_keys: list[str] = []
        # table tag name -> offsets of its start tags (its name matched case-blind, lowered:
        # no other letter folds to those of _LOCATED_TAGS)
        self._table_tags: dict[str, list[int]] = {name: [] for name in _LOCATED_TAGS}
        self._every_tag: list[int] | None = None  # offsets of every start tag, when needed
        # The page's tokens still to read (None: all read); every token starting before
        # ``_read_to`` is read.
        self._matches: Iterator[re.Match[str]] | None = _TOKENS.finditer(text)
        self._read_to = 0
        self._read(len(text) if not gradual else -1)
        self._run_cursor = 0
        self._tag_floor = 0  # one past the offset of the last start tag located
        self._line_hint = 0  # index of the line of the last position asked

    def _read(self, offset: int, runs: int = 0) -> None:
        """Read tokens until every one starting at or before ``offset`` is read and at
        least ``runs`` text runs are, or the page's end; ``offset`` = its length: all."""
        matches = self._matches
        if matches is None or (self._read_to > offset and len(self._run_starts) >= runs):
            return
        # Groups by number, not name (lastindex, not lastgroup: no name looked
        # up for each token), a list ready for each table tag's name (no
        # setdefault), _squash inline (no call a run): the source map 13.2M -> 12.7M
        # instructions a CMS page.
        run_starts = self._run_starts
        run_keys = self._run_keys
        table_tags = self._table_tags
        whole = offset >= len(self.text)  # (then no stop to test for at each token)
        for match in matches:
            group = match.lastindex
            if group == _RUN_GROUP:
                run = match[group]
                if "&" in run:  # (no call for a run without entities)
                    run = html.unescape(run)
                # (A printable run without a space holds no white space: no split and join.)
                key = run if run.isprintable() and " " not in run else "".join(run.split())
                if key:
                    run_starts.append(match.start(group))
                    run_keys.append(key)
            elif group == _LOCATED_GROUP:
                table_tags[match[group].lower()].append(match.start(group) - 1)
            # (any other start tag, "raw" or "tag", is not asked for; None: the end of the page)
            if not whole:
                end = match.end()  # (the tokens are contiguous: every one starting before it is read)
                if end > offset and len(run_starts) >= runs:
                    self._read_to = end
                    return
        self._matches = None

    def _every_tag_start(self) -> list[int]:
        """Offsets of every start tag of the page (found once, and only for a
        table tag far from where its search starts): the tokens' and those
        among what is passed over before each, matched again one by one."""
        if self._every_tag is None:
            text = self.text
            every: list[int] = []
            for match in _TOKENS.finditer(text):
                group = match.lastgroup
                token = match.end() if group is None else match.start(group) - (group != "run")
                position = match.start()
                while position < token:
                    item = _PASSED_ITEM.match(text, position)
                    if item.lastgroup == "other":
                        every.append(position)
                    position = item.end()
                if group is not None and group != "run":
                    every.append(token)
            self._every_tag = every
        return self._every_tag

    def locate_text(self, text: str, line: int | None) -> int | None:
        """Source offset of the first visible character of a parsed text node
        whose element starts on ``line``; None when it cannot be matched."""
        # (_squash, without a call per text node, and no split and join for a printable text
        # without a space: it holds no white space)
        key = text if text.isprintable() and " " not in text else "".join(text.split())
        if not key:
            return None
        # The search starts at the cursor, or past it at the first run on the
        # element's line; known without a bisect when the cursor's run is on
        # or after that line (the usual case). Inline: one call less per text
        # node (with _squash inline, write 20.6M -> 20.3M instructions a CMS page).
        starts = self._run_starts
        start = self._run_cursor
        gradual = self._matches is not None  # (then what the search may look at is read first)
        if gradual:
            self._read(-1, start + 1)  # (the cursor's run; a search past it reads on as it goes)
        if line and line > 1 and start < len(starts):  # (line 1 starts at 0: at or before every run)
            line_starts = self._line_starts
            last = len(line_starts)
            line_start = line_starts[(line if line < last else last) - 1]  # (min() is a dear call)
            if gradual:
                self._read(line_start)  # (every run before the line, for the bisect)
            if starts[start] < line_start:
                start = bisect.bisect_left(starts, line_start, start + 1)
                if gradual:
                    self._read(-1, start + 1)
        keys = self._run_keys
        if start < len(keys) and keys[start] == key:  # the usual case, one text node = one run: no search
            self._run_cursor = start + 1
            offset = starts[start]
            char = self.text[offset]
            # (_first_visible's usual case inline: one call less a text node)
            return offset if char != "&" and not char.isspace() else self._first_visible(offset)
        found = self._match_run(key, start)
        if found is None and start != self._run_cursor:  # then from the cursor
            found = self._match_run(key, self._run_cursor)
        return found

    def _match_run(self, key: str, start: int) -> int | None:
        keys = self._run_keys
        for index in range(start, start + _SEARCH_WINDOW):  # (rare: no worry about a test a run)
            if index == len(keys):
                self._read(-1, index + 1)  # (gradually read: the next run, if any)
                if index == len(keys):
                    break
            run = keys[index]
            if run == key or key.startswith(run) or run.startswith(key):
                # lxml joins text around a removed comment into one node:
                # consume the runs that make up the rest of it.
                consumed, nxt = len(run), index + 1
                while consumed < len(key):
                    if nxt == len(keys):
                        self._read(-1, nxt + 1)  # (gradually read: the next run, if any)
                    if nxt == len(keys) or not key[consumed:].startswith(keys[nxt]):
                        break
                    consumed += len(keys[nxt])
                    nxt += 1
                self._run_cursor = nxt
                return self._first_visible(self._run_starts[index])
        return None

    def _first_visible(self, offset: int) -> int:
        """Offset of a run's first character that is not (an entity for) white space."""
        char = self.text[offset]
        if char != "&" and not char.isspace():  # the usual case: no regex match
            return offset
        return _LEADING_SPACE.match(self.text, offset).end()

    def text_block(self, text: str, offset: int | None, line: int | None) -> TextBlock:
        """A line of the page starting at ``offset`` (None: unknown, then ``line``'s start)."""
        location = self.location(offset, line)
        return TextBlock(text, location.line, location.column)

    def grid_block(self, rows: list[list[GridCell]], offset: int | None, line: int | None) -> GridBlock:
        """A table whose start tag is at ``offset`` (None: unknown, then ``line``'s start)."""
        return GridBlock(rows, self.location(offset, line))

    def next_line(self, offset: int | None) -> int | None:
        """Offset of the first visible character of the source line after ``offset``'s;
        None for none (the lines of a <pre>: its source newlines match its text's one to one)."""
        if offset is None:
            return None
        offset = self.text.find("\n", offset) + 1 or None
        return None if offset is None else _LEADING_SPACE.match(self.text, offset).end()

    def locate_tag(self, name: str, line: int | None) -> int | None:
        """Source offset of an element's start tag (None for tags the parser
        implied, like a missing <tbody>); ``name``: one of _LOCATED_TAGS.

        It is the first tag named ``name`` on ``line`` after the last one
        located and after the start of the last text run located, with fewer
        than _SEARCH_WINDOW start tags of any name between the start of its
        search (the line's start, that tag or that run) and it."""
        if not line or line < 1:  # (no tag is on a line before the first)
            return None
        line_starts = self._line_starts
        last = len(line_starts)
        line_start = line_starts[(line if line < last else last) - 1]  # (min() is a dear call)
        if self._matches is not None:  # (gradually read: every tag up to the line's end first)
            self._read(line_starts[line] if line < last else len(self.text))
        floor = self._tag_floor if self._tag_floor > line_start else line_start
        # Text and tags come in one order: a tag sought now is past the text read so far,
        # so an earlier element's tag on the line (the layout table's around a data
        # table, a cell with text before an empty one) is never taken for it.
        if self._run_cursor and self._run_starts[self._run_cursor - 1] > floor:
            floor = self._run_starts[self._run_cursor - 1]
        offsets = self._table_tags.get(name, _NO_INDICES)
        found = bisect.bisect_left(offsets, floor)
        if found == len(offsets):
            return None
        offset = offsets[found]
        if line < last and offset >= line_starts[line]:
            return None
        if not self._within_window(floor, offset):
            return None
        self._tag_floor = offset + 1
        return offset

    def _within_window(self, floor: int, offset: int) -> bool:
        """Whether fewer than _SEARCH_WINDOW start tags begin in [floor, offset)."""
        # Bounds first, so that the page is tokenised again only for a tag far
        # from its search's start: a start tag takes two characters at least,
        # and begins with a "<" that no "/", "!" or "?" follows. (Each count is of
        # characters the search then leaves behind, or is the last: counting stays linear.)
        if offset - floor < 2 * _SEARCH_WINDOW:
            return True
        if self._every_tag is None:
            text = self.text
            markup = text.count("<", floor, offset)
            if markup < _SEARCH_WINDOW:
                return True
            passed = (
                text.count("</", floor, offset)
                + text.count("<!", floor, offset)
                + text.count("<?", floor, offset)
            )
            if markup - passed < _SEARCH_WINDOW:
                return True
        every = self._every_tag_start()
        return bisect.bisect_left(every, offset) - bisect.bisect_left(every, floor) < _SEARCH_WINDOW

    # The writer's questions (as ``Positions`` asks them), answered at once: for a run that
    # asks where every line and cell starts anyway (a digest locates each section and cell),
    # recording them to answer later is only extra work.
    text_start = visible_start = locate_text
    tag_start = locate_tag

    def cell_start(self, cell, line: int | None, pieces: list[int | None]) -> int | None:
        """Where ``cell`` starts: the first of its text pieces located (``pieces``: their
        offsets, in order), else its start tag."""
        found = _first_located(pieces)
        # (the tag's name read only if needed: a C call building a str)
        return found if found is not None else self.locate_tag(cell.tag, line)

    def lone_text_start(self, cell, line: int | None, text: str, text_line: int | None) -> int | None:
        """Where ``cell`` starts when its one piece is ``text`` (holding a visible character,
        its element on ``text_line``): ``cell_start`` of that piece located."""
        found = self.locate_text(text, text_line)
        return found if found is not None else self.locate_tag(cell.tag, line)

    def location(self, offset: int | None, line: int | None, length: int = 0) -> Location:
        """The span of ``length`` characters from ``offset`` (or, unknown, the start of ``line``)."""
        if offset is None:
            row = line or 1
            return _location(row, 1, 1 + length)
        starts = self._line_starts
        index = self._line_hint
        # Positions are asked in document order: the line of the last one, or
        # the next, saves a bisect.
        if not (starts[index] <= offset and (index + 1 == len(starts) or offset < starts[index + 1])):
            index += 1
            if not (index + 1 < len(starts) and starts[index] <= offset < starts[index + 1]):
                index = bisect.bisect_right(starts, offset) - 1
            self._line_hint = index
        column = offset - starts[index] + 1
        return _location(index + 1, column, column + length)


def _first_located(offsets: list[int | None]) -> int | None:
    """A cell's start from its text pieces' offsets: the first found (a loop, not next()
    over a generator: 0.5 µs a cell)."""
    for offset in offsets:
        if offset is not None:
            return offset
    return None


def _location(line: int, column: int, end_column: int) -> Location:
    """``Location(line, column, line, end_column)``."""
    return Location.made(line, column, line, end_column)


# What a Positions record asks the SourceMap, replayed in order.
_TEXT, _TAG, _CELL, _NEXT_LINE, _LONE_TEXT = range(5)


class Positions:
    """Where the writer's lines, tables and cells start, worked out when first asked.

    Matching the page's text nodes to its source (``SourceMap``: the page tokenised, each
    text node matched) was a quarter of reading a CMS page, and a report with nothing to
    report at a place and no digest to make never asks where its lines start. So the
    writer records what it would locate, in document order, and gets a ticket for each;
    a position asked replays the records up to its own (those not replayed yet) through a
    SourceMap in that same order (the matching is sequential: each search starts where the
    one before ended), so each ticket's offset is what locating it at once would have
    given; the SourceMap tokenises the page only as far as those searches look
    (``gradual``). ``location(ticket, line)`` is the ``Locator`` of the reader's blocks and
    cells."""

    def __init__(self, text: str, lines: list[str]):
        """``lines``: ``text.split("\n")``."""
        self._text = text
        self._lines = lines
        self._records: list[tuple[int, object, int | None]] | None = []
        self._offsets: list[int | None] = []  # of the records found so far, in order
        self._source: SourceMap | None = None

    def text_start(self, text: str, line: int | None) -> int | None:
        """Ticket of the first visible character of a text node whose element starts on
        ``line``; None for white space only (nothing to locate: SourceMap.locate_text
        says None at once, its cursor unmoved)."""
        return None if not text or text.isspace() else self.visible_start(text, line)

    def visible_start(self, text: str, line: int | None) -> int:
        """``text_start(text, line)`` of a text known to hold a visible character."""
        records = self._records
        records.append((_TEXT, text, line))
        return len(records) - 1

    def tag_start(self, name: str, line: int | None) -> int:
        """Ticket of an element's start tag (``name``: one of _LOCATED_TAGS)."""
        records = self._records
        records.append((_TAG, name, line))
        return len(records) - 1

    def cell_start(self, cell, line: int | None, pieces: list[int | None]) -> int:
        """Ticket of ``cell``'s start: the first of its text pieces located (``pieces``: their
        tickets, in order), else its start tag."""
        records = self._records
        if pieces:
            records.append((_CELL, (cell.tag, pieces), line))
        else:  # (nothing else to try)
            records.append((_TAG, cell.tag, line))
        return len(records) - 1

    def lone_text_start(self, cell, line: int | None, text: str, text_line: int | None) -> int:
        """Ticket of ``cell``'s start when its one piece is ``text`` (holding a visible
        character, its element on ``text_line``): one record for the piece and the cell."""
        records = self._records
        records.append((_LONE_TEXT, (text, text_line, cell.tag), line))
        return len(records) - 1

    def next_line(self, ticket: int | None) -> int | None:
        """Ticket of the first visible character of the source line after the one holding
        ``ticket``'s (the lines of a <pre>)."""
        if ticket is None:
            return None
        records = self._records
        records.append((_NEXT_LINE, ticket, None))
        return len(records) - 1

    def text_block(self, text: str, ticket: int | None, line: int | None) -> TextBlock:
        """A line of the page starting at ``ticket``'s offset, placed when first asked."""
        return TextBlock.to_locate(text, self, ticket, line)

    def grid_block(self, rows: list[list[GridCell]], ticket: int, line: int | None) -> GridBlock:
        """A table whose start tag is ``ticket``'s, placed when first asked."""
        return GridBlock.to_locate(rows, self, ticket, line)

    def location(self, ticket: int | None, line: int | None, length: int = 0) -> Location:
        """The span of ``length`` characters from ``ticket``'s offset (or, unknown, the start of ``line``)."""
        if ticket is None:
            return _location(line or 1, 1, 1 + length)
        if ticket >= len(self._offsets):
            self._replay(ticket)
        assert self._source is not None
        return self._source.location(self._offsets[ticket], line, length)

    def _replay(self, ticket: int) -> None:
        """Find the offsets of the records up to ``ticket``'s, from the first not yet
        found: the page is matched (and tokenised) only as far as the positions asked."""
        try:
            self._replay_from(len(self._offsets), ticket)
        except BaseException:
            # Failed part-way (out of memory): the source map's reading and cursor may have
            # moved past what was found, so the next position asked starts afresh.
            self._source, self._offsets = None, []
            raise

    def _replay_from(self, first: int, ticket: int) -> None:
        """Find the offsets of records ``first`` to ``ticket``."""
        source = self._source
        if source is None:
            source = self._source = SourceMap(self._text, self._lines, gradual=True)
        offsets = self._offsets
        append = offsets.append
        records = self._records
        for index in range(first, ticket + 1):
            kind, value, line = records[index]
            if kind == _TEXT:
                append(source.locate_text(value, line))  # type: ignore[arg-type]
            elif kind == _TAG:
                append(source.locate_tag(value, line))  # type: ignore[arg-type]
            elif kind == _CELL:
                name, pieces = value  # type: ignore[misc]
                found = _first_located([offsets[piece] for piece in pieces])
                append(found if found is not None else source.locate_tag(name, line))
            elif kind == _LONE_TEXT:
                text, text_line, name = value  # type: ignore[misc]
                found = source.locate_text(text, text_line)
                append(found if found is not None else source.locate_tag(name, line))
            else:
                append(source.next_line(offsets[value]))  # type: ignore[index]
        if len(offsets) == len(records):
            # All found: the page's text nodes are no longer needed (None: a record made after
            # a position was asked, which the writer never does, would fail, not get a stale ticket).
            self._records = None


# What the writer asks where its lines, tables and cells start: a SourceMap answers at
# once, Positions records the questions and answers them when a position is first asked.
Starts = SourceMap | Positions
