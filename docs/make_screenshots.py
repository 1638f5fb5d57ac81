"""Regenerate the README's screenshots in docs/ (not part of the tests).

    python docs/make_screenshots.py

Needs what the browser and LibreOffice tests need (chromium, chromium-driver,
libreoffice-writer-nogui, poppler-utils; fonts-noto-cjk for legible Chinese)
and the dev extra (selenium). It builds examples/clean-2021.docx with 表三
（七）总计 × 自然人 changed from 34 to 35, then
- upload-page.png: `gilint serve`'s page in headless Chromium;
- report-page.png: the report after uploading that file, around the marked cell;
- word-comments.png: the annotated copy as LibreOffice lays it out (→ PDF → PNG
  with pdftoppm), around the same cell, where LibreOffice draws the comments' marks.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(REPO / "tests" / "front"))

from front_helpers import WRONG_KEY, running_server, wrong_cell_docx  # noqa: E402


def _small_png(image: Image.Image, target: Path, colours: int = 96) -> None:
    """A palette PNG: screenshots of text and tables need few colours."""
    image.convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    print(f"{target.relative_to(REPO)}: {image.size[0]}x{image.size[1]}, {target.stat().st_size // 1024} KB")


def _browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--window-size=1000,900", "--hide-scrollbars",
    ):  # fmt: skip
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def browser_shots(draft: Path, work: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    browser = _browser(work / "profile")
    try:
        with running_server() as url:
            browser.get(url)
            browser.save_screenshot(str(work / "upload.png"))
            _small_png(Image.open(work / "upload.png").crop((0, 0, 1000, 560)), DOCS / "upload-page.png")
            browser.find_element(By.ID, "file").send_keys(str(draft))
            browser.find_element(By.ID, "check").click()
            cell = WebDriverWait(browser, 90).until(
                expected_conditions.presence_of_element_located(
                    (By.CSS_SELECTOR, f'td[data-cell="{WRONG_KEY}"]')
                )
            )
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.set_window_size(1000, height + 160)
            browser.execute_script("window.scrollTo(0, 0)")
            box = "return arguments[0].getBoundingClientRect()"
            meta = browser.execute_script(box, browser.find_element(By.CSS_SELECTOR, "section.report p.meta"))
            grid = cell.find_element(By.XPATH, "./ancestor::table")
            head = browser.execute_script(box, grid.find_element(By.TAG_NAME, "thead"))
            caption = browser.execute_script(box, grid.find_element(By.TAG_NAME, "caption"))
            above = browser.execute_script(
                box, cell.find_element(By.XPATH, "./ancestor::tr/preceding-sibling::tr[5]")
            )
            card = browser.execute_script(box, browser.find_element(By.CSS_SELECTOR, "li.card"))
            browser.save_screenshot(str(work / "report.png"))
    finally:
        browser.quit()
    page = Image.open(work / "report.png")
    scale = page.size[0] / 1000
    # the page's header, table 三's heading, and its last rows down to the first finding
    spans = [
        (0, meta["bottom"] + 6),
        (caption["top"] - 4, head["bottom"]),
        (above["top"] - 1, card["bottom"] + 12),
    ]
    parts = [page.crop((0, int(top * scale), page.size[0], int(bottom * scale))) for top, bottom in spans]
    joined = Image.new("RGB", (page.size[0], sum(part.size[1] for part in parts)), "white")
    offset = 0
    for part in parts:
        joined.paste(part, (0, offset))
        offset += part.size[1]
    _small_png(joined, DOCS / "report-page.png")


def word_shot(draft: Path, work: Path) -> None:
    annotated = work / "annotated.docx"
    subprocess.run(
        [sys.executable, "-m", "gilint", "annotate", str(draft), "-o", str(annotated)], check=False
    )
    export = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless", "--convert-to", export,
         "--outdir", str(work), str(annotated)],
        check=True, capture_output=True,
    )  # fmt: skip
    pdf = work / "annotated.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                              text=True).stdout).group(1))  # fmt: skip
    for number in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        if "（七）总计" in text:
            break
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", str(number), "-l", str(number), str(pdf),
                    str(work / "word")], check=True, capture_output=True)  # fmt: skip
    image = Image.open(next(work.glob("word-*.png")))
    _small_png(image.crop((60, 100, image.size[0] - 60, 450)), DOCS / "word-comments.png")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        draft = wrong_cell_docx(work / "年度报告草稿.docx")
        browser_shots(draft, work)
        word_shot(draft, work)


if __name__ == "__main__":
    main()
