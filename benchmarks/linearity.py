#!/usr/bin/env python3
"""Whether checking costs grow linearly with a report's size (issue 10: "a real report
repeated ×30 and ×300: cost per KB within 1.3× of each other").

Builds a real report grown N times, two ways:

- ``whole``: the file repeated N times (one long report: N copies of every section;
  a file is only cut into several reports at 第N篇 markers);
- ``body``: every prose paragraph repeated N times in place (one report, its sections
  and tables as they were);
- ``line``: the whole repeated N times on one line (scraped reports often are one line).

Each size is checked by ``gilint check --output-format json`` (in process: the batch
worker, rendering included) in a fresh Python process, after the original report was
checked once in that process; the cost of the grown report is the CPU time (the process
and its workers, best of ``--repeat``) beyond the original's, per KB beyond the
original's. The last column is the largest per-KB cost over the smallest; 1.0 is linear.
Prose past 5,000 sentences is not read (gilint.text.prose.MAX_SENTENCES), so a grown
report that passes that pays less per KB for its prose (clean-2021 ×300 is past it, ×30
is not): ``--no-sentence-limit`` lifts the limit, to see whether the checks themselves
are linear.

    python benchmarks/linearity.py                                   # clean-2021 ×30, ×300
    python benchmarks/linearity.py --no-sentence-limit                 # every sentence read
    python benchmarks/linearity.py --source ../shared/corpus/034.txt --times 30 300 --ways body
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# In a fresh process: check the original (warming every cache), then each file
# --repeat times; print JSON [cpu seconds of the original, of each file], peak worker RSS.
_PROBE = """
import io, json, resource, sys
from gilint.cli import main

def cpu():
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime

def best(path, repeat):
    times = []
    for _ in range(repeat):
        start = cpu()
        main(["check", path, "--output-format", "json", "--max-bytes", str(1 << 26)], io.StringIO())
        times.append(cpu() - start)
    return min(times)

original, grown, repeat, unlimited = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
if unlimited:  # the workers are forked from this process: they see it too
    import gilint.text.prose
    gilint.text.prose.MAX_SENTENCES = 1 << 40
best(original, 1)
seconds = [best(original, repeat), best(grown, repeat)]
print(json.dumps([seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))
"""


def grow(text: str, times: int, way: str) -> str:
    """``text`` grown ``times`` over: the whole of it, each prose paragraph in place, or
    the whole on one line."""
    if not text.endswith("\n"):
        text += "\n"
    if way == "whole":
        return text * times
    if way == "line":
        return (text * times).replace("\n", " ")
    lines = text.split("\n")
    grown: list[str] = []
    for number, line in enumerate(lines):
        is_prose = number > 2 and "。" in line and not line.lstrip().startswith(("#", "|"))
        grown.extend([line, ""] * times if is_prose else [line])
    return "\n".join(grown)


def measure(original: Path, grown: Path, repeat: int, unlimited: bool) -> tuple[float, float, float]:
    """(CPU seconds of the original, of the grown file, peak worker RSS MiB)."""
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, str(original), str(grown), str(repeat), str(int(unlimited))],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    (base, seconds), rss = json.loads(probe.stdout)
    return base, seconds, rss


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", type=Path, default=REPO / "examples" / "clean-2021.md")
    parser.add_argument("--times", type=int, nargs="+", default=[30, 300])
    ways = ["whole", "body", "line"]
    parser.add_argument("--ways", choices=ways, nargs="+", default=ways)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument(
        "--no-sentence-limit",
        action="store_true",
        help="read all prose (MAX_SENTENCES lifted): whether the checks themselves are linear",
    )
    args = parser.parse_args()
    text = args.source.read_text(encoding="utf-8")
    print(f"{args.source.name}: CPU time beyond the original's, per KB beyond its size")
    print("| way | ×N | size | CPU | ms/KB | peak RSS | max/min ms/KB |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        original = Path(folder) / f"original{args.source.suffix}"
        original.write_text(text, encoding="utf-8")
        base_kb = original.stat().st_size / 1024
        for way in args.ways:
            costs: list[float] = []
            for times in args.times:
                path = Path(folder) / f"{way}-{times}{args.source.suffix}"
                path.write_text(grow(text, times, way), encoding="utf-8")
                kb = path.stat().st_size / 1024
                base, seconds, rss = measure(original, path, args.repeat, args.no_sentence_limit)
                costs.append((seconds - base) / (kb - base_kb) * 1000)
                ratio = f"{max(costs) / min(costs):.2f}" if len(costs) > 1 else "—"
                print(
                    f"| {way} | ×{times} | {kb:.0f} KB | {seconds:.2f} s | {costs[-1]:.2f} "
                    f"| {rss:.0f} MiB | {ratio} |"
                )
                sys.stdout.flush()


if __name__ == "__main__":
    main()
