"""The readers register cheaply: no heavy library is imported until a file
of that kind is read (gilint --version must start in < 300 ms)."""

from __future__ import annotations

import subprocess
import sys

from reader_helpers import REPO

from gilint.read.load import READERS


def test_extensions_are_registered():
    assert {".html", ".htm", ".docx", ".pdf"} <= set(READERS)


def test_registering_imports_no_heavy_library():
    code = (
        "import sys, time; t = time.perf_counter(); import gilint.read.load; "
        "print(time.perf_counter() - t); "
        "heavy = ('lxml', 'docx', 'pdfplumber', 'pdfminer', 'PIL', 'gilint.read.html', "
        "'gilint.read.docx', 'gilint.read.pdf'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    seconds, loaded = out.stdout.splitlines()
    assert loaded == "[]"
    assert float(seconds) < 0.3
