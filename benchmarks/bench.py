#!/usr/bin/env python3
"""Benchmark the gilint command line.

Generates synthetic reports in a temporary directory (variants of examples/clean-2021.md with other
agencies, years and numbers, about 15% of them converted to traditional characters to exercise the
t2s path, a quarter of them with a deliberate inconsistency; plus the real seed reports in
examples/*.txt), then measures:

- ``gilint --version`` wall time (median of 5);
- ``gilint check DIR --output-format json`` throughput with ``--jobs 1`` and ``--jobs N``;
- peak RSS while checking 1,000 reports (``ru_maxrss`` of the largest process in the run);
- the batch as people run it: ``gilint check DIR --ignore GI5`` over the 1,000 reports with the
  default output (full, streamed file by file) and the default ``--jobs`` (the usable cores).
  ``--ignore GI5``: the generator gives many reports one agency and year from one template, so
  the cross-report rules would rightly flag most of them (GI502, GI503) and the figure would
  measure the writing of those findings, not the checking.

Prints a Markdown table. Writes nothing into the repository: the reports and Python's bytecode
cache go to a temporary directory that is removed at the end.

    python benchmarks/bench.py [--count 300] [--jobs 2] [--rss-count 1000] [--gilint "gilint"]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
CLEAN = EXAMPLES / "clean-2021.md"

CITIES = ["青禾市", "岚溪市", "栖桐市", "霁原市", "墨棠市", "汀兰市", "禾川市", "雁汀市"]
DEPARTMENTS = [
    "生态环境局",
    "自然资源和规划局",
    "交通运输局",
    "市场监督管理局",
    "卫生健康委员会",
    "教育局",
    "住房和城乡建设局",
    "人民政府",  # a government, not a department: 3月31日 deadline and GI108 apply
]

# Table 三 rows in order (TABLE-KEYS.md); the 21 outcome rows sit between carried_over and total_processed.
GROUP_SIZES = {"denied": 8, "unable": 3, "not_processed": 5, "other": 3}
OUTCOMES = ["granted", "partial"] + [f"{group}.{i}" for group, n in GROUP_SIZES.items() for i in range(n)]
ROW_KEYS = ["new", "carried_over", *OUTCOMES, "total_processed", "carried_forward"]
PROSE_GROUPS = {
    "予以公开": ["granted"],
    "部分公开": ["partial"],
    "不予公开": [k for k in OUTCOMES if k.startswith("denied.")],
    "无法提供": [k for k in OUTCOMES if k.startswith("unable.")],
    "不予处理": [k for k in OUTCOMES if k.startswith("not_processed.")],
    "其他处理": [k for k in OUTCOMES if k.startswith("other.")],
}
# Rough weights: how likely an application of each applicant type ends in each outcome row.
# other.1 (逾期未缴纳信息处理费) stays 0: section 六 of the template says no fee notice was sent.
OUTCOME_WEIGHT = {"granted": 8, "partial": 2, "unable.0": 4, "unable.1": 1, "unable.2": 1, "other.1": 0}


# --------------------------------------------------------------------------- generation


def _balanced_application(rng: random.Random) -> dict[str, list[int]]:
    """A random table 三 (7 columns, the last the total) satisfying every identity."""
    scale = [
        rng.randint(5, 60),
        rng.randint(0, 12),
        rng.randint(0, 2),
        rng.randint(0, 2),
        rng.randint(0, 3),
        0,
    ]
    scale[5] = rng.randint(0, 2)
    weights = [OUTCOME_WEIGHT.get(key, 0.3) for key in OUTCOMES]
    rows = {key: [0] * 7 for key in ROW_KEYS}
    for column, amount in enumerate(scale):
        for key in rng.choices(OUTCOMES, weights=weights, k=amount):
            rows[key][column] += 1
        processed = sum(rows[key][column] for key in OUTCOMES)
        forward = rng.randint(0, 3) if amount else 0
        over = rng.randint(0, min(3, processed + forward))
        rows["total_processed"][column] = processed
        rows["carried_forward"][column] = forward
        rows["carried_over"][column] = over
        rows["new"][column] = processed + forward - over
    for row in rows.values():
        row[6] = sum(row[:6])
    return rows


def _rewrite_application(text: str, rows: dict[str, list[int]]) -> str:
    head, rest = text.split("## 三、", 1)
    body, tail = rest.split("\n## ", 1)
    keys = iter(ROW_KEYS)
    lines = []
    for line in body.split("\n"):
        cells = line.strip()[1:-1].split("|") if line.startswith("|") else []
        if len(cells) == 10 and all(cell.strip().isdigit() for cell in cells[3:]):
            numbers = rows[next(keys)]
            line = "|" + "|".join(cells[:3]) + "|" + "|".join(f" {n} " for n in numbers) + "|"
        lines.append(line)
    return head + "## 三、" + "\n".join(lines) + "\n## " + tail


def _rewrite_prose(text: str, rows: dict[str, list[int]], rng: random.Random) -> str:
    total = {key: row[6] for key, row in rows.items()}
    values = {
        "全年共收到政府信息公开申请": total["new"],
        "上年结转政府信息公开申请": total["carried_over"],
        "自然人申请": rows["new"][0],
        "法人或其他组织申请": total["new"] - rows["new"][0],
        "办结政府信息公开申请": total["total_processed"],
        "结转下年度继续办理": total["carried_forward"],
    }
    for phrase, keys in PROSE_GROUPS.items():
        values[phrase] = sum(total[key] for key in keys)
    for phrase, value in values.items():
        text = re.sub(rf"{phrase}\d+件", f"{phrase}{value}件", text)
    letters = rng.randint(0, total["new"] // 4)
    in_person = rng.randint(0, (total["new"] - letters) // 4)
    online = total["new"] - letters - in_person
    share = f"{100 * online / total['new']:.1f}" if total["new"] else "0.0"
    return re.sub(
        r"网上申请\d+件，占[\d.]+%；信函申请\d+件，当面申请\d+件",
        f"网上申请{online}件，占{share}%；信函申请{letters}件，当面申请{in_person}件",
        text,
    )


def _rewrite_review(text: str, rng: random.Random) -> str:
    groups = []
    for _ in range(3):
        parts = [rng.choice([0, 0, 0, 1, 1, 2]) for _ in range(4)]
        groups.append([*parts, sum(parts)])
    numbers = [n for group in groups for n in group]
    text = re.sub(
        r"^\|(?: \d+ \|){15}$",
        "|" + "|".join(f" {n} " for n in numbers) + "|",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    review = groups[0]
    sentence = f"本年度因政府信息公开工作被申请行政复议{review[4]}件"
    if review[4]:
        labels = ["结果维持", "结果纠正", "其他结果", "尚未审结"]
        sentence += "，其中" + "，".join(
            f"{label}{n}件" for label, n in zip(labels, review, strict=False) if n
        )
    sentence += f"；被提起行政诉讼{groups[1][4] + groups[2][4]}件。"
    return re.sub(r"^本年度因政府信息公开工作被申请行政复议.*$", sentence, text, count=1, flags=re.MULTILINE)


def _variant(template: str, index: int, rng: random.Random) -> tuple[str, bool]:
    """One synthetic report; returns (text, deliberately_inconsistent)."""
    city = CITIES[index % len(CITIES)]
    year = rng.randint(2021, 2024)
    text = template.replace("青禾市生态环境局", city + rng.choice(DEPARTMENTS)).replace("青禾市", city)
    text = re.sub(r"(\d{4})年", lambda m: f"{year + int(m.group(1)) - 2024}年", text)
    rows = _balanced_application(rng)
    text = _rewrite_prose(_rewrite_application(text, rows), rows, rng)
    text = _rewrite_review(text, rng)
    dirty = rng.random() < 0.25
    if dirty:  # one cell off by one: an unbalanced table, or prose that contradicts it
        if rng.random() < 0.5:
            key = rng.choice(OUTCOMES)
            column = rng.randrange(6)
            rows[key][column] += 1
            text = _rewrite_application(text, rows)
        else:
            text = re.sub(r"(全年共收到政府信息公开申请)(\d+)件", lambda m: f"{m[1]}{int(m[2]) + 1}件", text)
    return text, dirty


def generate(directory: Path, count: int, seed: int = 2024) -> Counter[str]:
    """Write `count` reports into `directory` (the seeds first); returns counts by kind."""
    import opencc  # installed with gilint (its t2s dependency)

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    template = CLEAN.read_text(encoding="utf-8")
    kinds: Counter[str] = Counter()
    directory.mkdir(parents=True, exist_ok=True)
    seeds = sorted(EXAMPLES.glob("*.txt"))[:count]
    for path in seeds:
        shutil.copyfile(path, directory / path.name)
        kinds["seed"] += 1
    for index in range(count - len(seeds)):
        text, dirty = _variant(template, index, rng)
        kind = "dirty" if dirty else "clean"
        if rng.random() < 0.15:
            text = s2t.convert(text)
            kind += "-traditional"
        suffix = ".md" if rng.random() < 0.7 else ".txt"
        (directory / f"report-{index:05d}{suffix}").write_text(text, encoding="utf-8")
        kinds[kind] += 1
    return kinds


# --------------------------------------------------------------------------- measurement


def _gilint_command(override: str | None) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if override:
        return shlex.split(override), env
    installed = shutil.which("gilint")
    if installed:
        return [installed], env
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return [sys.executable, "-m", "gilint"], env


def _run(command: Sequence[str], env: dict[str, str], ok: Sequence[int] = (0,)) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in ok:
        raise SystemExit(f"`{shlex.join(command)}` exited with {result.returncode}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


_RSS_PROBE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _peak_rss_mib(command: Sequence[str], env: dict[str, str]) -> float:
    """Peak RSS (MiB) of the largest process in `command`'s tree, measured from a fresh parent so
    that earlier runs in this script do not count (ru_maxrss of RUSAGE_CHILDREN is a running max)."""
    result = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, *command], env=env, capture_output=True, text=True, check=True
    )
    code, kib = result.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"`{shlex.join(command)}` exited with {code}")
    return int(kib) / 1024


def _diagnostic_codes(output: str) -> Counter[str]:
    """Count diagnostic codes in the JSON output, whatever its exact shape."""
    try:
        data = json.loads(output)
    except json.JSONDecodeError:
        return Counter({"(output is not JSON)": 1})
    codes: Counter[str] = Counter()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            code = node.get("code")
            if isinstance(code, str) and re.fullmatch(r"GI\d{3}", code):
                codes[code] += 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return codes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="reports for the throughput runs")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the parallel run")
    parser.add_argument("--rss-count", type=int, default=1000, help="reports for the peak-RSS run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per throughput figure (median)")
    parser.add_argument(
        "--gilint",
        help='command to run, e.g. "gilint" (default: gilint on PATH, '
        "else python -m gilint from this checkout)",
    )
    args = parser.parse_args(argv)

    command, env = _gilint_command(args.gilint)
    with tempfile.TemporaryDirectory(prefix="gilint-bench-") as temp:
        root = Path(temp)
        # Bytecode goes where Python puts it (__pycache__, git-ignored): a cache
        # prefix would make every run recompile the standard library's imports
        # and triple the `--version` figure.
        small, large = root / "reports", root / "reports-rss"
        kinds = generate(small, args.count)
        generate(large, args.rss_count, seed=2025)

        _run([*command, "--version"], env)  # warm up: bytecode cache, OS file cache
        version_times = [_run([*command, "--version"], env)[0] for _ in range(5)]
        _, version = _run([*command, "--version"], env)

        check = [*command, "check", str(small), "--output-format", "json"]
        _run([*check, "--jobs", "1"], env, ok=(0, 1))  # warm-up
        rows: list[tuple[str, str]] = [
            ("gilint version", version.strip() or "?"),
            ("`gilint --version` (median of 5)", f"{statistics.median(version_times) * 1000:.0f} ms"),
        ]
        codes: Counter[str] = Counter()
        for jobs in sorted({1, args.jobs}):
            runs = [_run([*check, "--jobs", str(jobs)], env, ok=(0, 1)) for _ in range(args.repeat)]
            seconds = statistics.median(elapsed for elapsed, _ in runs)
            codes = _diagnostic_codes(runs[-1][1])
            rows.append(
                (
                    f"`check` {args.count} reports, `--jobs {jobs}` (median of {args.repeat})",
                    f"{seconds:.2f} s · {args.count / seconds:.1f} reports/s · "
                    f"{seconds * 1000 / args.count:.1f} ms/report",
                )
            )
        batch = [*command, "check", str(large), "--ignore", "GI5"]
        runs = [_run(batch, env, ok=(0, 1)) for _ in range(args.repeat)]
        seconds = statistics.median(elapsed for elapsed, _ in runs)
        rows.append(
            (
                f"`check` {args.rss_count} reports, default `--jobs` ({len(os.sched_getaffinity(0))}), "
                f"full output streamed, `--ignore GI5` (median of {args.repeat})",
                f"{seconds:.2f} s · {args.rss_count / seconds:.1f} reports/s",
            )
        )
        for jobs in sorted({1, args.jobs}):
            large_check = [*command, "check", str(large), "--output-format", "json", "--jobs", str(jobs)]
            rss = _peak_rss_mib(large_check, env)
            rows.append(
                (f"peak RSS (largest process), {args.rss_count} reports, `--jobs {jobs}`", f"{rss:.0f} MiB")
            )

    mix = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
    rows.append(("report mix", mix))
    found = ", ".join(f"{code} {n}" for code, n in sorted(codes.items())) or "none"
    rows.append(("diagnostics in the last run", found))
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
