"""Run every registered pattern over adversarial text; tests/test_linear_patterns.py
runs this module in a subprocess and watches it with a wall-clock limit per pattern.

    python -m tests.pattern_probe        # prints "start N origin" / "done N" per pattern

Every pattern gilint applies to user text is compiled through ``gilint.patterns``; to
reach the ones built at load or at check time (lexicons, table labels, headings)
this loads the rules and checks the example reports first.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys

from gilint.patterns import Registered, registered
from gilint.patterns.linearity import C, P

SIZE = 60_000
_OWN_LITERALS = 8  # the pattern's own literal runs tried (the first ones: its start)
GENERIC_RUNS = (
    " ", "\t", "\n", "\u3000", "1", "〇", "一", "中", "，", "。", "| ", "-", "—", "(", "《〔", "a",
    "<", "&", "\ue000", "\ue001", "1,234", "1.2", "5 ", "申请1件。", "<!DOCTYPE ", "2021年", "（一）",
)  # fmt: skip


def load_everything() -> None:
    """Import every module and run the examples, so that every pattern is compiled."""
    import gilint
    from gilint.pipeline import Linter
    from tests.conftest import REPO

    for module in pkgutil.walk_packages(gilint.__path__, "gilint."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    linter = Linter()
    for path in sorted((REPO / "examples").iterdir()):
        if path.suffix in (".md", ".txt", ".html", ".docx"):
            linter.check_path(str(path))
    # What the cross-report rules compile when a run has reports to compare.
    from gilint.checks.series.agency import load_name_rules
    from gilint.checks.series.similarity import Masker

    load_name_rules()
    Masker.build(linter.structure, linter.table_models)


def literals(pattern: re.Pattern) -> list[str]:
    """Runs of literal characters in the pattern, and one character of each class."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    found: list[str] = []

    def walk(items) -> None:
        run = ""
        for op, av in items:
            if op is C.LITERAL:
                run += chr(av)
                continue
            if run:
                found.append(run)
                run = ""
            if op is C.IN:
                found.extend(chr(a) for o, a in av if o is C.LITERAL)
                found.extend(chr(a[0]) for o, a in av if o is C.RANGE)
            for child in _children(op, av):
                walk(child)
        if run:
            found.append(run)

    walk(list(P.parse(source, pattern.flags & ~re.ASCII)))
    return list(dict.fromkeys(text for text in found if text))[:_OWN_LITERALS]


def _children(op, av) -> list:
    if op is C.SUBPATTERN:
        return [av[3]]
    if op is C.BRANCH:
        return list(av[1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        return [av[2]]
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [av[1]]
    if op is C.ATOMIC_GROUP:
        return [av]
    return []


def _run(piece: str) -> str:
    """A long run of ``piece`` inside other text (a pattern anchored at the start, or
    one whose run must end the string, is then tried where it can fail)."""
    return "x" + piece * (SIZE // len(piece)) + "x"


def adversarial(pattern: re.Pattern) -> list[str]:
    texts = [_run(piece) for piece in GENERIC_RUNS]
    own = literals(pattern)
    for text in own:
        texts.append(_run(text))  # the pattern's own words, over and over
        texts.append(_run(text + " "))
        texts.append(text + " " * SIZE)
    if own:
        texts.append(_run("".join(own[:3])))
    return texts


def exercise(entry: Registered) -> None:
    pattern = entry.pattern
    for text in adversarial(pattern):
        subject = text.encode("utf-8", "replace") if isinstance(pattern.pattern, bytes) else text
        pattern.match(subject)
        pattern.fullmatch(subject)
        pattern.match(subject, len(subject) // 2)
        if entry.searched:
            for _ in pattern.finditer(subject):
                pass


def main() -> None:
    load_everything()
    entries = registered()
    print(f"count {len(entries)}", flush=True)
    for index, entry in enumerate(entries):
        print(f"start {index} {entry.origin} {entry.pattern.pattern!r:.120}", flush=True)
        exercise(entry)
        print(f"done {index}", flush=True)
    print("finished", flush=True)


if __name__ == "__main__":
    sys.exit(main())
