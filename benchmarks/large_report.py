#!/usr/bin/env python3
"""Time and peak memory of one very large report (issue 10: "a 12.5 MB single report
takes 70 s, 1.8 GB RSS and prints 240,000 warnings").

Builds the bundled clean 2021 example with a block of prose inserted before section 二
and grown to each size: sentences that each contradict table 三
(「全年共收到政府信息公开申请50件。」 while the table says 48), twenty to a paragraph, so
every sentence is a GI207 finding — the densest realistic case. Each size is checked by
``gilint check --output-format concise`` in a fresh process; the table gives wall time,
CPU time (every process: steadier than wall time on a shared machine), CPU time per MB
(flat = linear), the peak RSS of the largest process and what was printed (the per-code
cap lists 50 findings and counts the rest). For growth measured beyond the startup, see
benchmarks/linearity.py.

    python benchmarks/large_report.py                      # 0.78 … 12.5 MB
    python benchmarks/large_report.py --sizes 1 12.5 --prose paragraph
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SENTENCE = "全年共收到政府信息公开申请50件。"
PARAGRAPH_SENTENCES = 20
MiB = 1024 * 1024

# Run the command from a fresh parent (ru_maxrss of RUSAGE_CHILDREN is a running maximum),
# its output into the file named first; print its exit code, peak RSS and CPU seconds.
_RSS_PROBE = (
    "import resource, subprocess, sys\n"
    "with open(sys.argv[1], 'wb') as out:\n"
    "    code = subprocess.run(sys.argv[2:], stdout=out).returncode\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)\n"
)


def build(size_mib: float, prose: str) -> str:
    """The clean example grown to ``size_mib`` by contradicting prose before section 二."""
    text = (REPO / "examples" / "clean-2021.md").read_text(encoding="utf-8")
    anchor = text.index("## 二、主动公开政府信息情况")
    if prose == "sentences":
        unit = SENTENCE * PARAGRAPH_SENTENCES + "\n\n"
    else:  # the example's own paragraph on applications, with the count changed
        start = text.index("全年共收到政府信息公开申请48件")
        unit = text[start : text.index("\n", start)].replace("申请48件", "申请50件") + "\n\n"
    missing = int(size_mib * MiB) - len(text.encode("utf-8"))
    repeats = max(1, missing // len(unit.encode("utf-8")))
    return text[:anchor] + unit * repeats + text[anchor:]


def measure(path: Path) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds, peak RSS MiB, the summary line) of one check in a fresh process."""
    command = [sys.executable, "-m", "gilint", "check", str(path), "--output-format", "concise"]
    command += ["--max-bytes", str(64 * MiB)]
    printed = path.with_suffix(".out")
    start = time.perf_counter()
    probe = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(printed), *command],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    elapsed = time.perf_counter() - start
    code, kib, cpu = probe.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"gilint exited with {code}")
    lines = printed.read_text(encoding="utf-8").splitlines()
    listed = sum(1 for line in lines if " GI207 " in line and "未列出" not in line)
    omitted = next((line.split(": ", 1)[1] for line in lines if "未列出" in line), "—")
    return elapsed, float(cpu), int(kib) / 1024, f"{listed} listed; {omitted}; {lines[-1]}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.78125, 1.5625, 3.125, 6.25, 12.5])
    parser.add_argument("--prose", choices=("sentences", "paragraph"), default="sentences")
    args = parser.parse_args()
    print("| size | time | CPU | CPU s/MiB | peak RSS | output |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"large-{size}.md"
            path.write_text(build(size, args.prose), encoding="utf-8")
            real = path.stat().st_size / MiB
            seconds, cpu, rss, output = measure(path)
            cells = [f"{real:.2f} MiB", f"{seconds:.1f} s", f"{cpu:.1f} s", f"{cpu / real:.2f}"]
            print("| " + " | ".join([*cells, f"{rss:.0f} MiB", output]) + " |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
