#!/usr/bin/env python3
"""Benchmark the gilint command line.

Generates synthetic reports in a temporary directory (variants of examples/clean-2021.md with other
agencies, years and numbers, about 15% of them converted to traditional characters to exercise the
t2s path, a quarter of them with a deliberate inconsistency, written as Markdown, plain text or a
government web page in about equal shares; plus the real seed reports in examples/*.txt), then
measures:

- ``gilint --version`` wall time and one report checked end to end (``gilint check FILE``), each
  the median of 5;
- an upload to a running ``gilint serve`` (``POST /api/check`` of each example report, as the
  upload page sends it): the first after the server started, and the median of the next 5;
- ``gilint check DIR --output-format json`` throughput with ``--jobs 1`` and ``--jobs N``;
- the same reports as Markdown only and as HTML only (``--jobs 1``): the cost of reading a page,
  the two run in turn and their ratio the median of each pair's (the machine's speed drifts
  over a run: two blocks of runs one after the other would put that drift in the ratio);
- the floor: reading every file and one regex pass over its text in one Python process, and
  gilint's ``--jobs 1`` time as a multiple of it;
- peak RSS while checking 1,000 reports (``ru_maxrss`` of the largest process in the run);
- the batch as people run it: ``gilint check DIR --ignore GI5`` over the 1,000 reports with the
  default output (full, streamed file by file) and the default ``--jobs`` (the usable cores).
  ``--ignore GI5``: the generator gives many reports one agency and year from one template, so
  the cross-report rules would rightly flag most of them (GI502, GI503) and the figure would
  measure the writing of those findings, not the checking.

Prints a Markdown table. Writes nothing into the repository but Python's bytecode cache
(``__pycache__``, git-ignored): the reports go to a temporary directory removed at the end.

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
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
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


_CELL_STYLE = (
    'style="padding: 5px; border-left: 1px solid windowtext; border-right: 1px solid windowtext; '
    'border-top: none; border-bottom: 1px solid windowtext" valign="center"'
)


def _as_web_page(markdown: str) -> str:
    """The report as a government site publishes it: markdown-it's HTML dressed the way CMS editors
    (TRS, 大汉) write it — styled paragraphs with spans, headings as bold paragraphs, every table
    cell a styled <td> wrapping <p><span> — inside a page with navigation and a footer."""
    from markdown_it import MarkdownIt  # installed with rich, a gilint dependency

    body = MarkdownIt("commonmark").enable("table").render(markdown)
    title = markdown.split("\n", 1)[0].lstrip("# ")
    body = re.sub(r"<h1>(.*?)</h1>", r'<p style="text-align: center;"><strong>\1</strong></p>', body)
    body = re.sub(
        r"<h[2-6]>(.*?)</h[2-6]>",
        r'<p style="text-indent: 2em;"><span style="font-family: 黑体, SimHei;">\1</span></p>',
        body,
    )
    body = re.sub(
        r"<p>(?!<)(.*?)</p>",
        r'<p style="text-indent: 2em;"><span style="font-family: 仿宋_GB2312;">\1</span></p>',
        body,
    )
    body = re.sub(
        r"<t[hd]( style=\"[^\"]*\")?>(.*?)</t[hd]>",
        rf'<td {_CELL_STYLE}><p align="center"><span style="font-size: 14px;">\2</span></p></td>',
        body,
    )
    body = body.replace("<table>", '<table border="1" cellspacing="0" cellpadding="0" width="600">')
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        '<link rel="stylesheet" href="/css/site.css"><script src="/js/jquery.min.js"></script></head>'
        '<body><div class="header"><ul class="nav"><li><a href="/">首页</a></li>'
        '<li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>'
        '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>'
        f'<div class="article"><h1 class="title">{title}</h1>'
        '<div class="info">发布日期：2025-01-20 来源：本站 浏览次数：<span id="hits">0</span></div>'
        f'<div class="TRS_Editor">{body}</div></div>'
        '<div class="footer"><p>主办单位：政府办公室 联系电话：0000-00000000</p>'
        '<script>document.getElementById("hits").textContent = "128";</script></div></body></html>\n'
    )


FORMATS = (".md", ".txt", ".html")


def generate(directory: Path, count: int, seed: int = 2024, only: str | None = None) -> Counter[str]:
    """Write `count` reports into `directory` (the seeds first); returns counts by kind.
    Each report is Markdown, text or a web page in about equal shares, or all `only` (a suffix):
    the same seed gives the same reports whatever `only` is."""
    import opencc  # installed with gilint (its t2s dependency)

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    template = CLEAN.read_text(encoding="utf-8")
    kinds: Counter[str] = Counter()
    directory.mkdir(parents=True, exist_ok=True)
    seeds = [] if only else sorted(EXAMPLES.glob("*.txt"))[:count]
    for path in seeds:
        shutil.copyfile(path, directory / path.name)
        kinds["seed"] += 1
    for index in range(count - len(seeds)):
        text, dirty = _variant(template, index, rng)
        kind = "dirty" if dirty else "clean"
        if rng.random() < 0.15:
            text = s2t.convert(text)
            kind += "-traditional"
        suffix = only or rng.choice(FORMATS)
        if suffix == ".html":
            text = _as_web_page(text)
        (directory / f"report-{index:05d}{suffix}").write_text(text, encoding="utf-8")
        kinds[kind] += 1
        kinds[suffix] += 1
    return kinds


# --------------------------------------------------------------------------- measurement


def _gilint_command(override: str | None) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    # gilint as installed runs from bytecode (pip compiles it on install). With
    # PYTHONDONTWRITEBYTECODE in the caller's environment every run would compile gilint's
    # modules from source and time that (one report 0.14 -> 0.25 s on the 2-core machine).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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


# The example reports uploaded to `gilint serve`, as agency staff upload them.
UPLOADS = ("clean-2021.docx", "clean-2021.html", "clean-2021.md")


def _serve_upload_times(command: Sequence[str], env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Seconds to answer ``POST /api/check`` of each of UPLOADS on a ``gilint serve`` started for
    it: (the first upload, the median of the 5 after it)."""
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz", server)
        times: dict[str, tuple[float, float]] = {}
        for name in UPLOADS:
            data = (EXAMPLES / name).read_bytes()
            seconds = [_upload(f"{base}/api/check", name, data) for _ in range(6)]
            times[name] = (seconds[0], statistics.median(seconds[1:]))
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"`gilint serve` exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise SystemExit("`gilint serve` did not answer within 60 s")


def _upload(url: str, name: str, data: bytes) -> float:
    """Seconds to POST ``data`` as the multipart field ``file`` named ``name`` and read the answer."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}, method="POST"
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"uploading {name} to `gilint serve`: HTTP {response.status}")
    return time.perf_counter() - start


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


_FLOOR = (
    "import pathlib, re, sys\n"
    "number = re.compile(r'\\d+')\n"
    "count = 0\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
    "    count += len(number.findall(path.read_bytes().decode('utf-8', 'replace')))\n"
    "print(count)\n"
)


def _floor_seconds(directory: Path, repeat: int) -> float:
    """The least any checker could take: a Python process that reads every file, decodes it and
    makes one regex pass over it (median of `repeat`)."""
    command = [sys.executable, "-c", _FLOOR, str(directory)]
    return statistics.median(_run(command, dict(os.environ))[0] for _ in range(repeat))


def _throughput(command: Sequence[str], env: dict[str, str], count: int, repeat: int) -> tuple[float, str]:
    """Median seconds of `repeat` runs and the last run's output."""
    runs = [_run(command, env, ok=(0, 1)) for _ in range(repeat)]
    return statistics.median(elapsed for elapsed, _ in runs), runs[-1][1]


def _per_format_times(
    root: Path, command: Sequence[str], env: dict[str, str], count: int, pairs: int
) -> dict[str, list[float]]:
    """Seconds of each of `pairs` runs over the same `count` reports as Markdown only and as
    HTML only, the two formats run in turn (after a warm-up run of each)."""
    checks = {}
    for suffix in (".md", ".html"):
        folder = root / f"only{suffix}"
        generate(folder, count, seed=2026, only=suffix)
        checks[suffix] = [*command, "check", str(folder), "--output-format", "json", "--jobs", "1"]
        checks[suffix] += ["--ignore", "GI5"]
        _run(checks[suffix], env, ok=(0, 1))
    times: dict[str, list[float]] = {suffix: [] for suffix in checks}
    for _ in range(pairs):
        for suffix, check in checks.items():
            times[suffix].append(_run(check, env, ok=(0, 1))[0])
    return times


def _rate(seconds: float, count: int) -> str:
    return f"{seconds:.2f} s · {count / seconds:.1f} reports/s · {seconds * 1000 / count:.1f} ms/report"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=600, help="reports for the throughput runs")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the parallel run")
    parser.add_argument("--rss-count", type=int, default=1000, help="reports for the peak-RSS run")
    parser.add_argument("--format-count", type=int, default=200, help="reports for Markdown vs HTML")
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
        one = [*command, "check", str(CLEAN)]
        _run(one, env)
        one_times = [_run(one, env)[0] for _ in range(5)]

        uploads = _serve_upload_times(command, env)

        check = [*command, "check", str(small), "--output-format", "json"]
        _run([*check, "--jobs", "1"], env, ok=(0, 1))  # warm-up
        rows: list[tuple[str, str]] = [
            ("gilint version", version.strip() or "?"),
            ("`gilint --version` (median of 5)", f"{statistics.median(version_times) * 1000:.0f} ms"),
            (
                "`gilint check` one report end to end (median of 5)",
                f"{statistics.median(one_times) * 1000:.0f} ms",
            ),
            (
                "an upload to `gilint serve` (`/api/check`): the first after start, then the median of 5",
                "; ".join(
                    f"{name} {first * 1000:.0f} ms, then {then * 1000:.0f} ms"
                    for name, (first, then) in uploads.items()
                ),
            ),
        ]
        codes: Counter[str] = Counter()
        serial = 0.0
        for jobs in sorted({1, args.jobs}):
            seconds, output = _throughput([*check, "--jobs", str(jobs)], env, args.count, args.repeat)
            serial = serial or seconds
            codes = _diagnostic_codes(output)
            rows.append(
                (
                    f"`check` {args.count} reports, `--jobs {jobs}` (median of {args.repeat})",
                    _rate(seconds, args.count),
                )
            )
        floor = _floor_seconds(small, args.repeat)
        rows.append(
            (
                f"floor: read, decode, one regex pass over {args.count} files (median of {args.repeat})",
                f"{floor:.2f} s · `--jobs 1` takes {serial / floor:.1f}× the floor",
            )
        )
        pairs = max(5, args.repeat)
        per_format = _per_format_times(root, command, env, args.format_count, pairs)
        for suffix, times in per_format.items():
            rows.append(
                (
                    f"the same {args.format_count} reports, all `{suffix}`, `--jobs 1`, `--ignore GI5` "
                    f"(median of {pairs})",
                    _rate(statistics.median(times), args.format_count),
                )
            )
        ratios = sorted(html / md for md, html in zip(per_format[".md"], per_format[".html"], strict=True))
        rows.append(
            (
                f"HTML ÷ Markdown time (median of {pairs} pairs run in turn; least and most)",
                f"{statistics.median(ratios):.2f}× ({ratios[0]:.2f}–{ratios[-1]:.2f})",
            )
        )
        batch = [*command, "check", str(large), "--ignore", "GI5"]
        seconds, _ = _throughput(batch, env, args.rss_count, args.repeat)
        rows.append(
            (
                f"`check` {args.rss_count} reports, default `--jobs` ({len(os.sched_getaffinity(0))}), "
                f"full output streamed, `--ignore GI5` (median of {args.repeat})",
                _rate(seconds, args.rss_count),
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
