"""The readers register cheaply: no heavy library is imported until a file
of that kind is read (what that saves at start-up is measured by benchmarks/bench.py,
not by a timed test)."""

from __future__ import annotations

import subprocess
import sys

from reader_helpers import REPO

from gilint.read.load import READERS


def test_extensions_are_registered():
    assert {".html", ".htm", ".docx", ".pdf"} <= set(READERS)


def test_registering_imports_no_heavy_library():
    code = (
        "import sys; import gilint.read.load; "
        "heavy = ('lxml', 'docx', 'pdfplumber', 'pdfminer', 'PIL', 'gilint.read.html', "
        "'gilint.read.docx', 'gilint.read.pdf'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
