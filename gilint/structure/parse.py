"""Step 3, parse: normalised lines -> Report trees (title, sections, items, signature).

A small lexer turns each line into one token (grammar/report.lark lists them);
Lark's LALR parser builds the tree and a Transformer turns it into model types.
A file holding several reports (第一篇 … 第二篇 …) is split first and each part
parsed on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from lark import Lark, Token, Transformer
from lark.lexer import Lexer
from rapidfuzz import fuzz

from gilint.data import grammar_dir
from gilint.model import (
    Document,
    GridBlock,
    GridTable,
    Heading,
    Item,
    Line,
    NormText,
    Paragraph,
    Report,
    Section,
    Signature,
    TextBlock,
    TextTable,
)
from gilint.patterns import linear
from gilint.structure.cache import lark_cache
from gilint.structure.knowledge import Structure
from gilint.structure.sections import FUZZY_THRESHOLD
from gilint.text.dates import find_dates
from gilint.text.normalize import CN_NUMERAL, normalize_block, split_lines
from gilint.text.prefilter import required_chars
from gilint.text.quantities import parse_chinese_int

_CN = CN_NUMERAL
# Markdown decoration a heading may carry: "## ", "**", "> ".
_DECORATION = r"^[ >]*+(?:#{1,6}[ ]*+)?(?:\*\*|__)?[ ]*+"
_H1 = linear(_DECORATION + rf"(?P<n>{_CN})[ ]*[、.](?![0-9])[ ]*")
_H2 = linear(_DECORATION + rf"\([ ]*(?P<n>{_CN})[ ]*\)[ ]*")
_H3 = linear(_DECORATION + r"(?:(?P<n>[1-9][0-9]?)[ ]*[、.](?![0-9])|\([ ]*(?P<p>[1-9][0-9]?)[ ]*\))[ ]*")
# What the decoration is made of, and what any of the three forms goes on with: a line whose
# first other character is not one of these is no heading, without trying the three patterns
# (most lines; tests/test_structure.py checks the sets against the patterns).
_DECORATION_CHARS = " >#*_"
_HEADING_STARTS = frozenset("一二三四五六七八九十(123456789")
# Where an unknown heading's title ends: a sentence mark, a space, or a year that
# starts the body ("四、…减免情况2015年我区…").
_TITLE_END = linear(r"[。,;:!?(]|[ ]|(?<=[\u4e00-\u9fff])(?:19|20)[0-9]{2}年")
_MAX_TITLE = 40
_PIPE_ROW = linear(r"^[ ]*\|.*\|")
_ONLY_RULES = linear(r"^[ |\-:=*_#>]*$")
_RULE_CHARS = " |-:=*_#>"  # _ONLY_RULES' class
# The second alternative starts only at the start of a run: tried inside one, it
# would scan the rest of the run at every position (a line of 40,000 "| ").
_EDGES = (" ", "|")  # what scraped table borders leave at either end of a line
_DECORATION_ONLY = linear(r"^[ >]*+(?:#{1,6}[ ]*+)?(?:\*\*|__)?|(?:\*\*|__)?[ ]*+$", searched=False)

_SENTENCE = linear(r"[。,;:]")
_SENTENCE_END = linear(r"[。;!?]")
_NOT_TITLE = linear(r"[《》。,;]")  # a title is not a sentence
_TITLE_TAIL = linear(r"\([^()]*\)$")  # …年度报告(全文)
_TITLE_REACH = 15  # the title stands among the first lines
_SIGNATURE_LOOKBACK = 8  # signature lines sit among the last few lines
_MAX_AGENCY = 40


# Per set of titles, not per report: building and loading it cost ~0.5 ms of each report's parse.
@lru_cache(maxsize=8)
def _known_heading_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(title) for title in titles)
    return linear(rf"{_CN}、[ ]*(?:{alternatives})")


def cn_number(text: str) -> int | None:
    """A heading number: 一..九十九 or Arabic digits."""
    return int(text) if text.isdigit() else parse_chinese_int(text, digit_string=False)


def slice_line(line: Line, start: int, end: int | None = None) -> Line:
    end = len(line.text) if end is None else end
    return Line(line.text[start:end], line.source, line.start + start)


# ------------------------------------------------------------------- lexing


@dataclass
class _Tok:
    """A token for the grammar: its kind and the model object it carries."""

    kind: str  # TITLE H1 H2 H3 TEXT TABLE
    value: object  # Line | Heading | TextTable | GridTable


def _only_rules(text: str) -> bool:
    """``_ONLY_RULES.match(text)``: nothing but rule and border characters. On a line without a
    newline (all but a title joined over two) str.strip answers it for a third of a regex call
    (~2,000 instructions; tokens -0.16M instructions a /tmp/b600 Markdown report)."""
    if "\n" in text:
        return _ONLY_RULES.match(text) is not None
    return not text.strip(_RULE_CHARS)


def _strip_edges(line: Line) -> Line | None:
    """Drop scraped table borders around a non-table line; None if nothing is left."""
    text = line.text
    if _only_rules(text):
        return None
    if not text.startswith(_EDGES) and not text.endswith(_EDGES):  # two tests, not a regex scan of the line
        return line
    start = len(text) - len(text.lstrip(" |"))
    end = len(text.rstrip(" |"))
    return slice_line(line, start, end) if end > start else None


class Tokenizer:
    """Lines -> tokens; knows heading forms, table rows and the title."""

    def __init__(self, structure: Structure):
        self.structure = structure
        self.known_heading = _known_heading_pattern(structure.known_titles)

    def split_known_headings(self, line: Line) -> list[Line]:
        """Crawled text glues whole sections together, even after digits
        (``…24252.311082三、收到和处理政府信息公开申请情况``). A numbered heading is
        split off wherever its title is one the profiles know, boundary or not."""
        if "、" not in line.text:  # every match holds one: a C scan instead of the regex's
            return [line]
        cuts = [match.start() for match in self.known_heading.finditer(line.text) if match.start() > 0]
        if not cuts:
            return [line]
        bounds = [0, *cuts, len(line.text)]
        return [slice_line(line, start, end) for start, end in pairwise(bounds)]

    def heading(self, line: Line) -> tuple[Heading, Line | None] | None:
        text = line.text
        if text.lstrip(_DECORATION_CHARS)[:1] not in _HEADING_STARTS:
            return None
        for level, pattern in ((1, _H1), (2, _H2), (3, _H3)):
            match = pattern.match(text)
            if not match:
                continue
            number_text = match.group("n") or (match.groupdict().get("p") or "")
            number = cn_number(number_text)
            rest_start = match.end()
            rest = text[rest_start:]
            if level == 1 and any(rest.startswith(label) for label in self.structure.not_headings):
                return None  # a row label of table 三 on its own line
            title_length = self._title_length(rest, level)
            title = rest[:title_length].rstrip(" *_")
            if not title and not rest:
                title = ""
            marker = text[:rest_start].strip(" #*_>")
            heading = Heading(level, number, marker, title, slice_line(line, 0, rest_start + title_length))
            body_start = rest_start + title_length
            body = text[body_start:]
            body_offset = len(body) - len(body.lstrip(" 。.,:;*_"))
            body_line = slice_line(line, body_start + body_offset) if body.strip(" 。.,:;*_") else None
            return heading, body_line
        return None

    def _title_length(self, rest: str, level: int) -> int:
        if level == 1:
            for title in self.structure.known_titles:
                if rest.startswith(title):
                    return len(title)
            near = self._near_known_title(rest)
            if near:
                return near
        match = _TITLE_END.search(rest, 0, _MAX_TITLE + 1)
        if match:
            return match.start()
        return len(rest) if len(rest) <= _MAX_TITLE else _MAX_TITLE

    def _near_known_title(self, rest: str) -> int | None:
        """The length of a known title written with a slip (``政府信息公开行政法复议、
        行政诉讼情况``) at the start of ``rest``, when the body is glued to it."""
        best = (0.0, 0)
        for title in self.structure.known_titles:
            for length in range(len(title) - 1, len(title) + 3):
                score = fuzz.ratio(rest[:length], title)
                if score > best[0]:
                    best = (score, length)
        return best[1] if best[0] >= FUZZY_THRESHOLD else None

    def title_line(self, line: Line) -> Line | None:
        """The title part of a line (without 第一篇:, 标题:, Markdown marks), if
        the line reads as a report title."""
        text = line.text
        start = 0
        for separator in self.structure.separators:
            match = separator.match(text)
            if match:
                start = match.end()
        decoration = _DECORATION_ONLY.match(text, start)
        start = decoration.end() if decoration else start
        for prefix in self.structure.title_prefixes:
            if text.startswith(prefix, start):
                start += len(prefix)
        end = len(text.rstrip(" *_#"))
        start += len(text[start:end]) - len(text[start:end].lstrip())
        title = _TITLE_TAIL.sub("", "".join(text[start:end].split()))
        if not (4 <= len(title) <= 60) or "公开" not in title or _NOT_TITLE.search(title):
            return None
        if not title.endswith(self.structure.title_markers):
            return None
        return slice_line(line, start, end)

    def join_wrapped_title(self, items: list[Line | GridBlock]) -> list[Line | GridBlock]:
        """A title wrapped over two lines (PDF conversions: ``2025 年上海市人民政府办公厅
        政府信息公开`` / ``工作年度报告``) becomes one line spanning both."""
        texts = [(index, item) for index, item in enumerate(items[:_TITLE_REACH]) if isinstance(item, Line)]
        for (index, first), (next_index, second) in pairwise(texts):
            if _H1.match(first.text):
                break
            if not first.text.strip() or self.title_line(first) is not None:
                continue
            if next_index != index + 1 or first.source is not second.source:
                continue
            end = second.start + len(second.text)
            joined = Line(first.source.text[first.start : end], first.source, first.start)
            if self.title_line(joined) is not None:
                return [*items[:index], joined, *items[next_index + 1 :]]
        return items

    def tokens(self, items: list[Line | GridBlock]) -> list[_Tok]:
        items = self.join_wrapped_title(items)
        tokens: list[_Tok] = []
        pipe_rows: list[Line] = []
        seen_title = False
        seen_h1 = False

        def flush_pipes() -> None:
            if pipe_rows:
                tokens.append(_Tok("TABLE", TextTable(list(pipe_rows))))
                pipe_rows.clear()

        for item in items:
            if isinstance(item, GridBlock):
                flush_pipes()
                tokens.append(_Tok("TABLE", GridTable(item)))
                continue
            # A blank line ends a table and is no token: no pattern tried on it (a quarter of a
            # report's lines; tokens 2.77M -> 2.61M instructions a /tmp/bmd report).
            if not item.text:
                flush_pipes()
                continue
            if _PIPE_ROW.match(item.text) and not _only_rules(item.text.replace("-", "")):
                pipe_rows.append(item)
                continue
            if pipe_rows and _only_rules(item.text) and "|" in item.text:
                pipe_rows.append(item)  # a |---|---| separator row
                continue
            flush_pipes()
            line = _strip_edges(item)
            if line is None:
                continue
            for part in self.split_known_headings(line):
                title = None if seen_title or seen_h1 else self.title_line(part)
                if title is not None:
                    seen_title = True
                    tokens.append(_Tok("TITLE", title))
                    continue
                found = self.heading(part)
                if found is None:
                    tokens.append(_Tok("TEXT", part))
                    continue
                seen_h1 = seen_h1 or found[0].level == 1
                tokens.extend(self._heading_tokens(*found))
        flush_pipes()
        return tokens

    def _heading_tokens(self, heading: Heading, body: Line | None) -> list[_Tok]:
        """A heading and the text after it on its line; when that text opens with a
        sub-heading (「二、主动公开政府信息情况(一)主动公开政府信息的数量2024年…」),
        that is a heading too."""
        tokens = [_Tok(f"H{heading.level}", heading)]
        while body is not None:
            nested = self.heading(body)
            if nested is None or nested[0].level <= heading.level:
                tokens.append(_Tok("TEXT", body))
                break
            heading, body = nested
            tokens.append(_Tok(f"H{heading.level}", heading))
        return tokens


# ------------------------------------------------------------------ parsing


class _LarkLexer(Lexer):
    """Feeds pre-made tokens to Lark. A Token is a str: its text is left empty and its
    ``value`` is the model object (turning that into a str would cost more than the parse)."""

    def __init__(self, lexer_conf: object):
        pass

    def lex(self, data: list[_Tok]) -> Iterator[Token]:  # type: ignore[override]
        for tok in data:
            token = Token(tok.kind, "")
            token.value = tok.value
            yield token


class _ToModel(Transformer):
    """The parse tree as model types. Given to Lark, which calls it as it reduces (no tree is
    built and walked again: parse_document 11.7M -> 11.0M instructions a /tmp/bmd report)."""

    @staticmethod
    def _value(token: Token) -> object:
        return token.value

    def start(self, children: list) -> tuple[list, list[Section]]:
        front, *sections = children
        return front, sections

    def front(self, children: list) -> list:
        return [self._node(child) for child in children]

    def section(self, children: list) -> Section:
        heading, *rest = children
        return Section(self._value(heading), [self._node(child) for child in rest])

    def item2(self, children: list) -> Item:
        heading, *rest = children
        return Item(self._value(heading), [self._node(child) for child in rest])

    item3 = item2

    def _node(self, child: object) -> object:
        if isinstance(child, Token):
            value = self._value(child)
            if child.type in ("TEXT", "TITLE"):
                return Paragraph(value)
            if child.type in ("H2", "H3"):
                return Item(value, [])
            return value
        return child


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark.open(
        str(grammar_dir() / "report.lark"),
        parser="lalr",
        lexer=_LarkLexer,
        transformer=_ToModel(),
        cache=lark_cache("report"),
    )


# ----------------------------------------------------------------- reports


def _normalized_blocks(document: Document, structure: Structure) -> list[NormText | GridBlock]:
    return [
        normalize_block(block, structure.heading_split) if isinstance(block, TextBlock) else block
        for block in document.blocks
    ]


def document_items(blocks: list[NormText | GridBlock]) -> list[Line | GridBlock]:
    """Normalised lines and grids of a document, in reading order."""
    items: list[Line | GridBlock] = []
    for block in blocks:
        if isinstance(block, NormText):
            items.extend(split_lines(block))
        else:
            items.append(block)
    return items


def split_reports(
    items: list[Line | GridBlock], texts: list[str], structure: Structure
) -> list[list[Line | GridBlock]]:
    """Cut a file holding several reports at their 第N篇 markers (two or more). ``texts``: the
    normalised texts the lines come from."""
    if not _may_hold_separator(texts, structure.separators):
        return [items]
    starts = _separator_lines(items, structure.separators)
    if len(starts) < 2:
        return [items]
    starts[0] = 0  # anything before the first marker belongs to the first report
    return [items[start:end] for start, end in zip(starts, [*starts[1:], len(items)], strict=True)]


# A separator's required characters (prefilter.required_chars: 「第」, 「篇」 …) are looked for in the
# whole text at once: most files hold none, and their lines are not matched one by one (a regex
# call a line: split_reports 0.35M -> ~0.01M instructions a /tmp/b600 Markdown report).
@lru_cache(maxsize=8)
def _separator_needs(separators: tuple[re.Pattern[str], ...]) -> tuple[tuple[frozenset[str], ...], ...]:
    return tuple(required_chars(pattern) for pattern in separators)


def _may_hold_separator(texts: list[str], separators: tuple[re.Pattern[str], ...]) -> bool:
    """False only when no line of ``texts`` can match a separator."""
    text = "\n".join(texts)
    return any(
        all(any(char in text for char in needed) for needed in needs)
        for needs in _separator_needs(separators)
    )


def _separator_lines(items: list[Line | GridBlock], separators: tuple[re.Pattern[str], ...]) -> list[int]:
    """The indexes of the lines a separator matches. Plain loops: a generator and any() per
    line cost more than the match itself (split_reports: 7% of a Markdown report's parse)."""
    starts: list[int] = []
    for index, item in enumerate(items):
        if isinstance(item, Line):
            for pattern in separators:
                if pattern.match(item.text):
                    starts.append(index)
                    break
    return starts


def _closing_date(text: str) -> tuple[str, str] | None:
    """(what precedes, the date) when a line ends with a complete 年月日 date."""
    text = text.strip(" |")
    dates = [found for found in find_dates(text) if found.complete and found.form == "cn"]
    if not dates or text[dates[-1].end :].strip():
        return None
    return text[: dates[-1].start].strip(" |"), dates[-1].text


def _signature(report: Report) -> Signature | None:
    """The last line near the end that is a date (with the agency on it or just above)."""
    text_lines = [line for line in report.lines if line.text.strip()]
    tail = text_lines[-_SIGNATURE_LOOKBACK:]
    for position in range(len(tail) - 1, -1, -1):
        line = tail[position]
        found = _closing_date(line.text)
        if found is None:
            continue
        before, date_text = found
        # One-line reports end "…工作水平。 平潭综合实验区财政局 2022年1月13日": the
        # agency is what follows the last sentence.
        sentence_end = max((m.end() for m in _SENTENCE_END.finditer(before)), default=0)
        agency: str | None = before[sentence_end:].strip(" |") or None
        if agency is None and sentence_end == 0 and position > 0:
            previous = tail[position - 1].text.strip(" |")
            if len(previous) <= _MAX_AGENCY and not _SENTENCE.search(previous):
                agency = previous
        if agency and (len(agency) > _MAX_AGENCY or _SENTENCE.search(agency)):
            continue  # a sentence that ends with a date is not a signature
        start = line.text.find(agency) if agency and line.text.find(agency) >= sentence_end else None
        signature_line = slice_line(line, start) if start is not None else line
        return Signature(agency, date_text, signature_line)
    return None


def parse_items(
    document: Document, items: list[Line | GridBlock], structure: Structure, index: int, count: int
) -> Report:
    tokenizer = Tokenizer(structure)
    tokens = tokenizer.tokens(items)
    lines = [item for item in items if isinstance(item, Line)]
    report = Report(document=document, index=index, count=count, lines=lines)
    if tokens:
        front, sections = _parser().parse(tokens)  # type: ignore[misc]  # what _ToModel.start returns
    else:
        front, sections = [], []
    report.preamble = front
    report.sections = sections
    for tok in tokens:
        if tok.kind == "TITLE":
            report.title = tok.value  # type: ignore[assignment]
            break
    report.signature = _signature(report)
    return report


def parse_document(document: Document, structure: Structure) -> list[Report]:
    blocks = _normalized_blocks(document, structure)
    texts = [block.text for block in blocks if isinstance(block, NormText)]
    parts = split_reports(document_items(blocks), texts, structure)
    return [parse_items(document, part, structure, index, len(parts)) for index, part in enumerate(parts)]
