"""Shared by the front-end tests (annotate, HTML report, serve, browser): Word
files with a known error, where each comment of an annotated copy sits, and a
`gilint serve` process on a free port."""

from __future__ import annotations

import io
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from gilint.model import ParagraphAnchor
from gilint.read.docx import W, body_blocks, row_cells, table_rows

REPO = Path(__file__).resolve().parents[2]
CLEAN_DOCX = REPO / "examples" / "clean-2021.docx"

# 表三 （七）总计 × 自然人 in examples/clean-2021.docx: Word table 2, row 27, grid column 4
# (the third w:tc of its row: （七）总计 spans two columns); it holds 34 and the other
# cells of its row and column add up to 34.
WRONG_TABLE, WRONG_ROW, WRONG_CELL = 2, 26, 3
WRONG_KEY = "application:total_processed:natural_person"
WRONG_VALUE, RIGHT_VALUE = "35", "34"


def wrong_cell_docx(path: Path) -> Path:
    """The clean example with 表三 （七）总计 × 自然人 changed from 34 to 35."""
    import docx

    document = docx.Document(str(CLEAN_DOCX))
    cell = document.tables[WRONG_TABLE - 1].rows[WRONG_ROW].cells[WRONG_CELL]
    assert cell.text == RIGHT_VALUE
    cell.paragraphs[0].runs[0].text = WRONG_VALUE
    document.save(str(path))
    return path


@dataclass(frozen=True)
class Placed:
    """One comment of an annotated copy: its text and where its range starts."""

    text: str
    author: str
    where: tuple  # ("paragraph", N) | ("cell", table, row, index of the w:tc in its row)
    anchor_text: str  # the text of that paragraph or cell


def comments_of(data: bytes) -> list[Placed]:
    import docx

    document = docx.Document(io.BytesIO(data))
    texts = {comment.comment_id: (comment.text, comment.author) for comment in document.comments}
    placed: dict[int, tuple[tuple, str]] = {}
    for anchor, element in body_blocks(document.element.body):
        if isinstance(anchor, ParagraphAnchor):
            for start in element.iter(W + "commentRangeStart"):
                placed[int(start.get(W + "id"))] = (("paragraph", anchor.paragraph), _text(element))
            continue
        for r, row in enumerate(table_rows(element)):
            for c, cell in enumerate(row_cells(row)):
                for start in cell.iter(W + "commentRangeStart"):
                    place = ("cell", anchor.table, r, c)
                    placed.setdefault(int(start.get(W + "id")), (place, _text(cell)))
    assert set(placed) == set(texts), "every comment has its range in the body, and only those"
    return [Placed(*texts[number], *placed[number]) for number in sorted(texts)]


def _text(element) -> str:
    return "".join(node.text or "" for node in element.iter(W + "t"))


def body_content(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """Every body paragraph's text and every table's cell texts, as python-docx reads them."""
    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def soffice() -> str:
    """LibreOffice, or skip with the reason (.ci/run installs libreoffice-writer-nogui)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    return found


def convert(document: Path, target: str, out_dir: Path) -> Path:
    """Convert with headless LibreOffice in a private profile; the converted file."""
    profile = out_dir / "lo-profile"
    command = [
        soffice(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(out_dir),
        str(document),
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=180)
    extension = target.split(":", 1)[0]
    converted = out_dir / f"{document.stem}.{extension}"
    assert finished.returncode == 0 and converted.exists(), (finished.stdout, finished.stderr)
    return converted


# -------------------------------------------------------------------- serve


@contextmanager
def running_server(*arguments: str) -> Iterator[str]:
    """`gilint serve --port 0 ARGUMENTS` in a child process; yields its base URL."""
    command = [sys.executable, "-m", "gilint", "serve", "--port", "0", *arguments]
    environment = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        url = _announced_url(lines, process)
        _wait_healthy(url)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _announced_url(lines: queue.Queue[str], process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        found = re.search(r"http://\S+/", line)
        if found:
            return found.group(0)
    raise AssertionError(f"gilint serve did not announce its address: {seen}")


def _wait_healthy(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)
