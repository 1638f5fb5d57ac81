"""A static check that a regular expression runs in linear time under Python's ``re``.

Python's engine backtracks. A pattern is super-linear on some text when a long run
of characters can be consumed in more than one way, or consumed again and again:

- **nested repetition** – ``(a+)+``, ``(?:\\s*x)*``: exponentially many ways;
- **adjacent repetition** – ``\\s*(?:一、)?\\s*``, ``.*x.*y``: a second unbounded
  repetition that can take over what the first one consumed, with nothing in
  between that the first could not also consume: O(n²) per attempt;
- **re-scanning** – ``[ ]*X`` or ``<!DOCTYPE[^>]*\\[``: a search starts an attempt at
  every position; when a run of characters that an unbounded repetition consumes
  can also start an attempt, and the attempt can fail after consuming the run,
  every start position pays for the rest of the run: O(n²) in all. (A possessive
  quantifier does not help here; anchoring the start does: ``(?<!\\s)\\s+X``,
  ``^…``, or excluding the starting characters from the repetition.)

The check walks the parsed pattern (``re._parser``) and refuses these shapes; it is
conservative (it may refuse a pattern that happens to be linear, never the other
way round for the shapes above). Character-set overlap is decided on a sample of
characters: the pattern's own literals plus the characters hostile text is made of.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover - Python < 3.11 is not supported
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

# A repetition whose upper bound is above this is treated as unbounded: its cost
# per attempt is no longer a small constant.
LONG = 100
# Bounded repetitions that can share text multiply their ways of splitting it:
# ``[^,]{0,40}[^,]{0,40}`` has 1,600 per attempt, ten of them 40¹⁰. Past this
# product a chain of them (or a nesting) counts as super-linear.
MAX_WAYS = 1000
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
_SINGLE = (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN)
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
# Characters hostile text is made of, besides the pattern's own literals.
BASE_SAMPLE = (
    " \t\n\r\f\v\xa0\u3000\u2003|-_,.:;!?()[]{}<>/\\'\"#*=~&%+@$^`"
    "0123456789aAzZxXoO〇○零一二三四五六七八九十百千万亿年月日号件条元中文字申请公开报告"
    "、。，：；！？（）《》“”\ue000\ue001\ue002\ue003\ue004\ue005\U00020000"
)


class NotLinear(ValueError):
    """The pattern can take super-linear time; the message says which part."""


CharTest = Callable[[str], bool]


@dataclass
class _Chars:
    """A set of characters, decided by a predicate and compared on samples."""

    test: CharTest
    samples: tuple[str, ...]

    def overlaps(self, other: _Chars) -> bool:
        return any(self.test(ch) and other.test(ch) for ch in self.samples)

    def within(self, other: _Chars) -> bool:
        return all(other.test(ch) for ch in self.samples if self.test(ch))


def _category(name) -> CharTest:
    tests: dict[object, CharTest] = {
        C.CATEGORY_DIGIT: str.isdecimal,
        C.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdecimal(),
        C.CATEGORY_SPACE: lambda ch: ch.isspace() or ch in "\x1c\x1d\x1e\x1f\x85",
        C.CATEGORY_NOT_SPACE: lambda ch: not (ch.isspace() or ch in "\x1c\x1d\x1e\x1f\x85"),
        C.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
        C.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
    }
    return tests.get(name, lambda ch: True)


def _in_test(items) -> CharTest:
    negate = False
    parts: list[CharTest] = []
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            parts.append(lambda ch, code=av: ord(ch) == code)
        elif op is C.RANGE:
            parts.append(lambda ch, lo=av[0], hi=av[1]: lo <= ord(ch) <= hi)
        elif op is C.CATEGORY:
            parts.append(_category(av))
        else:  # RANGE_UNI_IGNORE and friends: treat as anything
            parts.append(lambda ch: True)
    if negate:
        return lambda ch: not any(part(ch) for part in parts)
    return lambda ch: any(part(ch) for part in parts)


@dataclass
class _Context:
    """What the linearity check of one pattern knows and has found so far."""

    flags: int
    samples: tuple[str, ...]
    searched: bool = True  # tried at every position (search, finditer, sub), not only at one
    problems: list[str] = field(default_factory=list)

    def chars(self, test: CharTest) -> _Chars:
        if self.flags & re.IGNORECASE:
            base = test
            test = lambda ch: base(ch) or base(ch.lower()) or base(ch.upper())  # noqa: E731
        return _Chars(test, self.samples)

    def single(self, op, av) -> _Chars:
        if op is C.LITERAL:
            return self.chars(lambda ch: ord(ch) == av)
        if op is C.NOT_LITERAL:
            return self.chars(lambda ch: ord(ch) != av)
        if op is C.ANY:
            dotall = self.flags & re.DOTALL
            return self.chars(lambda ch: bool(dotall) or ch != "\n")
        return self.chars(_in_test(av))


def _union(sets: Iterable[_Chars], samples: tuple[str, ...]) -> _Chars:
    tests = [s.test for s in sets]
    return _Chars(lambda ch: any(test(ch) for test in tests), samples)


# ------------------------------------------------------------ properties


def _width(items) -> tuple[int, int]:
    if not items:
        return (0, 0)
    try:
        return P.SubPattern(P.State(), list(items)).getwidth()
    except (IndexError, KeyError, TypeError):  # a group reference: width unknown
        return (0, C.MAXREPEAT)


def _nullable(op, av) -> bool:
    if op in _ZERO_WIDTH:
        return True
    return _width([(op, av)])[0] == 0


def _trivial(op, av) -> bool:
    """Always matches (nothing but the empty string is required, nothing can fail)."""
    if op in _REPEATS:
        return av[0] == 0
    if op is C.SUBPATTERN:
        return all(_trivial(o, a) for o, a in av[3])
    if op is C.ATOMIC_GROUP:
        return all(_trivial(o, a) for o, a in av)
    if op is C.BRANCH:
        return any(all(_trivial(o, a) for o, a in branch) for branch in av[1])
    return False


def _children(op, av) -> list[list]:
    """The sub-sequences inside one item."""
    if op is C.SUBPATTERN:
        return [list(av[3])]
    if op in (C.ATOMIC_GROUP,):
        return [list(av)]
    if op is C.BRANCH:
        return [list(branch) for branch in av[1]]
    if op in _REPEATS:
        return [list(av[2])]
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [list(av[1])]
    if op is C.GROUPREF_EXISTS:
        return [list(part) for part in av[1:] if part is not None]
    return []


def _all_chars(items, ctx: _Context) -> _Chars:
    """Every character the items can consume."""
    sets: list[_Chars] = []
    for op, av in items:
        if op in _SINGLE:
            sets.append(ctx.single(op, av))
        elif op in (C.ASSERT, C.ASSERT_NOT):
            continue
        elif op is C.GROUPREF:
            sets.append(ctx.chars(lambda ch: True))
        else:
            sets.extend(_all_chars(child, ctx) for child in _children(op, av))
    return _union(sets, ctx.samples)


def _long(op, av) -> bool:
    return op in _REPEATS and (av[1] is C.MAXREPEAT or av[1] > LONG)


# ------------------------------------------------------------------ walk


def _leading_chars(items, ctx: _Context) -> _Chars:
    """The characters a match of ``items`` can start with."""
    sets: list[_Chars] = []
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op in _SINGLE:
            sets.append(ctx.single(op, av))
        else:
            sets.extend(_leading_chars(child, ctx) for child in _children(op, av))
        if not _nullable(op, av):
            break
    return _union(sets, ctx.samples)


def _check_nested(op, av, ctx: _Context, where: str) -> None:
    """A repetition of something that itself repeats a variable amount."""
    _low, high, body = av
    if op is C.POSSESSIVE_REPEAT or (high is not C.MAXREPEAT and high < 2):
        return
    inner_long = any(_contains_long(o, a) for o, a in body)
    inner_ways = max((_ways(o, a) for o, a in body), default=1)
    # An ambiguous body can take a piece of text in two ways or more at each
    # iteration: 2^iterations ways in all.
    ambiguous = not _deterministic(list(body), ctx)
    iterations = min(_upper(high), 64)
    if inner_long or (ambiguous and (_long(op, av) or inner_ways * 2**iterations > MAX_WAYS)):
        ctx.problems.append(f"nested repetition {where}")


def _upper(high) -> float:
    return float("inf") if high is C.MAXREPEAT else high


def _ways(op, av) -> float:
    """How many ways the largest variable repetition inside can split its text."""
    if op is C.ATOMIC_GROUP or op is C.POSSESSIVE_REPEAT:
        return 1
    own = _upper(av[1]) if op in _REPEATS and av[0] != av[1] else 1
    inner = max((_ways(o, a) for child in _children(op, av) for o, a in child), default=1)
    return max(own, inner) if op not in _REPEATS else own * inner


def _contains_long(op, av) -> bool:
    if _long(op, av) and op is not C.POSSESSIVE_REPEAT:
        return True
    if op is C.ATOMIC_GROUP:
        return False
    return any(_contains_long(o, a) for child in _children(op, av) for o, a in child)


def _deterministic(body: list, ctx: _Context) -> bool:
    """A repeated body that splits a text into iterations in one way only: its
    alternatives start with different characters, and nothing optional inside it can
    take a character that starts an iteration (``(?:ab?|b)+`` can read ``ab`` as one
    iteration or two: 2ⁿ ways)."""
    if _width(body)[0] == 0:
        return False
    branches: list[list] = [body]
    if len(body) == 1 and body[0][0] is C.SUBPATTERN:
        branches = [list(body[0][1][3])]
    if len(branches[0]) == 1 and branches[0][0][0] is C.BRANCH:
        branches = [list(b) for b in branches[0][0][1][1]]
    firsts = [_leading_chars(b, ctx) for b in branches]
    for index, first in enumerate(firsts):
        if any(first.overlaps(other) for other in firsts[index + 1 :]):
            return False
    starts = _union(firsts, ctx.samples)
    return not any(_optional_overlaps(op, av, starts, ctx) for op, av in body)


def _optional_overlaps(op, av, starts: _Chars, ctx: _Context) -> bool:
    """Whether a variable repetition inside can consume a character of ``starts``."""
    if op in _REPEATS and av[0] != av[1] and _all_chars(av[2], ctx).overlaps(starts):
        return True
    return any(_optional_overlaps(o, a, starts, ctx) for child in _children(op, av) for o, a in child)


@dataclass(frozen=True, order=True)
class _Ways:
    """In how many ways a chain of repetitions sharing their text can split it: the
    product of the bounded ones' upper bounds, and how many are unbounded. One
    unbounded repetition costs a scan of its run; two cost the run squared."""

    bounded: float
    unbounded: int

    @staticmethod
    def of(op, av) -> _Ways:
        return _Ways(1, 1) if _long(op, av) else _Ways(_upper(av[1]), 0)

    def times(self, other: _Ways) -> _Ways:
        return _Ways(self.bounded * other.bounded, self.unbounded + other.unbounded)

    def too_many(self) -> bool:
        return self.unbounded >= 2 or self.bounded > MAX_WAYS


# A repetition that could go on consuming: its characters, where it is, what was
# matched after it that it could also have consumed, and in how many ways it (with
# the repetitions before it that share its text) can split a run.
_Open = tuple[_Chars, str, tuple[_Chars, ...], _Ways]


def _variable(op, av) -> bool:
    return op in _REPEATS and av[0] != av[1]


def _walk(
    items: list,
    ctx: _Context,
    prefix: list,
    rest_trivial: bool,
    where: str,
    open_repeats: list[_Open] | None = None,
) -> list[_Open]:
    """Walk one sequence. ``prefix``: the items an attempt matches before it;
    ``open_repeats``: unbounded repeats that could go on consuming into it.
    Returns the unbounded repeats that can end it."""
    open_repeats = list(open_repeats or [])
    for index, (op, av) in enumerate(items):
        after_trivial = rest_trivial and all(_trivial(o, a) for o, a in items[index + 1 :])
        before = prefix + items[:index]
        label = f"{where}/{index}"
        if op in _REPEATS:
            _check_nested(op, av, ctx, label)
        ways = _Ways(1, 0)
        if _variable(op, av):
            chars = _all_chars(av[2], ctx)
            ways = own = _Ways.of(op, av)
            for previous, previous_label, between, previous_ways in open_repeats:
                # they split the same text between them when the second can take
                # what the first took and what stands between them
                if previous.overlaps(chars) and all(part.within(chars) for part in between):
                    chained = previous_ways.times(own)
                    ways = max(ways, chained)
                    if not after_trivial and chained.too_many():
                        ctx.problems.append(
                            f"two repetitions ({previous_label}, {label}) can take the same text"
                        )
        if _long(op, av) and not after_trivial:
            chars = _all_chars(av[2], ctx)
            if ctx.searched and _rescans(chars, before, ctx):
                ctx.problems.append(
                    f"unbounded repetition {label} can consume a run of text that also starts "
                    "a match (every start position would scan the rest of the run)"
                )
        trailing: list[_Open] = []
        for child in _children(op, av):
            if op in (C.ASSERT, C.ASSERT_NOT):
                _walk(child, ctx, before if av[0] >= 0 else [], True, label)
            else:
                trailing += _walk(child, ctx, before, after_trivial, label, open_repeats)
        open_repeats = _still_open(open_repeats, op, av, ctx)
        if _variable(op, av) and op is not C.POSSESSIVE_REPEAT:
            open_repeats.append((_all_chars(av[2], ctx), label, (), ways))
        elif op in (C.SUBPATTERN, C.BRANCH):
            open_repeats += [entry for entry in trailing if entry not in open_repeats]
    return open_repeats


def _still_open(open_repeats: list, op, av, ctx: _Context) -> list:
    """The repeats that could still consume what comes after this item."""
    if op in _ZERO_WIDTH or _nullable(op, av):
        return open_repeats
    if op is C.ATOMIC_GROUP:
        return []
    consumed = _all_chars([(op, av)], ctx)
    return [
        (chars, label, (*between, consumed), ways)
        for chars, label, between, ways in open_repeats
        if consumed.within(chars)
    ]


def _rescans(chars: _Chars, prefix: list, ctx: _Context) -> bool:
    """Whether an attempt can start inside a run of ``chars`` and reach the
    repetition: everything it must match before is made of those characters and
    no anchor or look-behind stops it from starting there."""
    for op, av in prefix:
        if op is C.AT:
            if av is C.AT_BEGINNING_STRING or (av is C.AT_BEGINNING and not ctx.flags & re.MULTILINE):
                return False
            if av is C.AT_BEGINNING and not chars.test("\n"):
                return False
            continue
        if op in (C.ASSERT, C.ASSERT_NOT) and av[0] < 0 and all(o in _SINGLE for o, _ in av[1]):
            # inside a long run, every character the look-behind sees is of the run
            behind = [ctx.single(o, a) for o, a in av[1]]
            if op is C.ASSERT and not all(each.overlaps(chars) for each in behind):
                return False
            if op is C.ASSERT_NOT and all(chars.within(each) for each in behind):
                return False
            continue
        if op in _ZERO_WIDTH or _nullable(op, av):
            continue
        if not _all_chars([(op, av)], ctx).within(chars):
            return False
    return True


def _samples(items) -> set[str]:
    found: set[str] = set()
    for op, av in items:
        if op in (C.LITERAL, C.NOT_LITERAL):
            found.add(chr(av))
        elif op is C.IN:
            for item_op, item_av in av:
                if item_op is C.LITERAL:
                    found.add(chr(item_av))
                elif item_op is C.RANGE:
                    low, high = item_av
                    found.update(chr(code) for code in {low, high, (low + high) // 2, min(high, low + 1)})
        else:
            for child in _children(op, av):
                found |= _samples(child)
    return found


def problems(source: str, flags: int = 0, searched: bool = True) -> list[str]:
    """Why ``source`` may take super-linear time (empty when it is linear).
    ``searched=False``: the pattern is only ever tried at one position (``match``,
    ``fullmatch``), so a search's re-scanning does not arise."""
    if isinstance(source, bytes):
        source = source.decode("latin-1")
    parsed = P.parse(source, flags & ~re.ASCII)
    flags |= parsed.state.flags
    items = list(parsed)
    ctx = _Context(flags, tuple(sorted(set(BASE_SAMPLE) | _samples(items))), searched)
    _walk(items, ctx, [], True, "")
    return list(dict.fromkeys(ctx.problems))


def check(source: str, flags: int = 0, searched: bool = True) -> None:
    found = problems(source, flags, searched)
    if found:
        raise NotLinear("; ".join(found))
