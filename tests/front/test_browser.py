"""End to end in a real browser: the system's headless Chromium, driven by
Selenium through the system's chromedriver (nothing is downloaded at run time),
uploads a Word file with one wrong cell to `gilint serve` and finds the finding
at that cell. Screenshots go to the test's tmp folder, and to $GILINT_ARTEFACTS
when set. Without Chromium the tests skip and say why."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from front_helpers import RIGHT_VALUE, WRONG_KEY, WRONG_VALUE, running_server, wrong_cell_docx

from gilint.cli import main

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _browser_paths() -> tuple[str, str]:
    chromium = os.environ.get("GILINT_CHROMIUM") or shutil.which("chromium")
    driver = os.environ.get("GILINT_CHROMEDRIVER") or shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip(
            "headless browser test skipped: Chromium and chromedriver are not installed "
            "(apt-get install chromium chromium-driver)"
        )
    return chromium, driver


@pytest.fixture
def browser(tmp_path, monkeypatch):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (dev extra)")
    from selenium.webdriver.chrome.service import Service

    chromium, driver = _browser_paths()
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not fetch anything
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tmp_path / "chromium-profile"  # a fresh one per test
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    session.set_page_load_timeout(120)
    yield session
    session.quit()


def screenshot(browser, tmp_path: Path, name: str) -> Path:
    """Save the whole page (resized to its height) as NAME.png; keep a copy in
    $GILINT_ARTEFACTS when that is set."""
    width = browser.get_window_size()["width"]
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(height + 160, 400), 6000))  # + the window's own frame
    browser.execute_script("window.scrollTo(0, 0)")
    target = tmp_path / f"{name}.png"
    assert browser.save_screenshot(str(target))
    assert target.read_bytes().startswith(b"\x89PNG") and target.stat().st_size > 5_000
    artefacts = os.environ.get("GILINT_ARTEFACTS")
    if artefacts:
        Path(artefacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(target, Path(artefacts) / target.name)
    print(f"screenshot: {target}")
    return target


def _wait_for(browser, css: str, seconds: float = 90):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def test_upload_shows_the_finding_at_the_wrong_cell(browser, tmp_path):
    from selenium.webdriver.common.by import By

    draft = wrong_cell_docx(tmp_path / "年度报告草稿.docx")
    with running_server() as url:
        browser.get(url)
        assert "年度报告检查" in browser.title
        screenshot(browser, tmp_path, "upload-page")
        browser.find_element(By.ID, "file").send_keys(str(draft))
        assert browser.find_element(By.ID, "chosen").text == draft.name
        browser.find_element(By.ID, "check").click()
        cell = _wait_for(browser, f'td[data-cell="{WRONG_KEY}"]')
        assert "bad" in cell.get_attribute("class").split()
        assert cell.text.split() == [WRONG_VALUE, "应为", RIGHT_VALUE]
        assert cell.is_displayed() and cell.value_of_css_property("outline-style") == "solid"
        # the only marked cell is that one, in table 三's （七）总计 row
        marked = browser.find_elements(By.CSS_SELECTOR, "td.bad")
        assert [m.get_attribute("data-cell") for m in marked] == [WRONG_KEY]
        row_name = cell.find_element(By.XPATH, "./preceding-sibling::th").text
        assert row_name == "（七）总计"
        # following the cell's link lands on its finding
        cell.find_element(By.TAG_NAME, "a").click()
        card = browser.find_element(By.CSS_SELECTOR, "li.card:target")
        assert card.get_attribute("data-code") == "GI201"
        assert "（七）总计 × 自然人" in card.text and f"应为 {RIGHT_VALUE}" in card.text
        assert draft.name in browser.find_element(By.TAG_NAME, "h2").text
        screenshot(browser, tmp_path, "report-page")
        # phone width: the page itself does not scroll sideways (wide tables scroll in their box)
        browser.set_window_size(390, 844)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        screenshot(browser, tmp_path, "report-phone")


def test_dropping_a_file_on_the_page_checks_it(browser, tmp_path, examples_dir):
    """The drop zone: a file dropped on it goes into the form (Chromium's own DataTransfer)."""
    from selenium.webdriver.common.by import By

    text = (examples_dir / "clean-2021.md").read_text(encoding="utf-8")
    text = text.replace("全年共收到政府信息公开申请48件", "全年共收到政府信息公开申请49件", 1)
    with running_server() as url:
        browser.get(url)
        browser.execute_script(
            """
            const transfer = new DataTransfer();
            transfer.items.add(new File([arguments[0]], "拖入的报告.md", {type: "text/markdown"}));
            const zone = document.getElementById("drop");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
            """,
            text,
        )
        assert browser.find_element(By.ID, "chosen").text == "拖入的报告.md"
        browser.find_element(By.ID, "check").click()
        card = _wait_for(browser, 'li.card[data-code="GI207"]')
        assert "49" in card.text and "48" in card.text
        assert "拖入的报告.md" in browser.find_element(By.TAG_NAME, "h2").text


def test_index_sorts_and_filters_in_the_browser(browser, tmp_path, seeds_dir, examples_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out = io.StringIO()
    main(["check", str(seeds_dir), str(examples_dir), "--output-format", "html"], out=out)
    page = tmp_path / "index.html"
    page.write_text(out.getvalue(), encoding="utf-8")
    browser.get(page.as_uri())

    def rows() -> list[dict]:
        """The index rows in page order, as the browser shows them (one round trip)."""
        return browser.execute_script(
            """return Array.from(document.querySelectorAll("#index tbody tr")).map(row => ({
                codes: row.dataset.codes.split(" ").filter(Boolean),
                severities: row.dataset.severities.split(" ").filter(Boolean),
                errors: Number(row.children[4].textContent),
                visible: row.offsetParent !== null}));"""
        )

    def visible_cards() -> list[str]:
        return browser.execute_script(
            """return Array.from(document.querySelectorAll("li.card"))
                .filter(card => card.offsetParent !== null).map(card => card.dataset.code);"""
        )

    every = rows()
    assert len(every) >= 8 and all(row["visible"] for row in every)
    having = {}
    for row in every:
        for code in row["codes"]:
            having[code] = having.get(code, 0) + 1
    code = next(code for code, count in sorted(having.items()) if count < len(every))
    Select(browser.find_element(By.ID, "filter-code")).select_by_value(code)
    shown = [row for row in rows() if row["visible"]]
    assert len(shown) == having[code] and all(code in row["codes"] for row in shown)
    assert set(visible_cards()) == {code}
    assert browser.find_element(By.ID, "filter-count").text == f"显示 {len(shown)} / {len(every)} 份报告"
    Select(browser.find_element(By.ID, "filter-code")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-severity")).select_by_value("error")
    shown = [row for row in rows() if row["visible"]]
    assert shown and all("error" in row["severities"] for row in shown)
    assert len(shown) == sum("error" in row["severities"] for row in every)
    Select(browser.find_element(By.ID, "filter-severity")).select_by_value("")
    errors_header = browser.find_elements(By.CSS_SELECTOR, "#index thead th")[4]
    assert errors_header.text == "错误"
    errors_header.click()
    errors = [row["errors"] for row in rows()]
    assert errors == sorted(errors) and errors_header.get_attribute("aria-sort") == "ascending"
    errors_header.click()
    assert [row["errors"] for row in rows()] == sorted(errors, reverse=True)
    assert len(set(errors)) > 1  # the order was something to check
    screenshot(browser, tmp_path, "index-page")


def test_oversized_upload_is_refused_in_chinese(browser, tmp_path):
    """The page says so before sending; a browser that sends anyway gets the 413 page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    big = tmp_path / "大文件.txt"
    big.write_bytes(b"x" * 3_000_000)
    with running_server("--max-bytes", "1000000") as url:
        browser.get(url)
        browser.find_element(By.ID, "file").send_keys(str(big))
        browser.find_element(By.ID, "check").click()
        warning = browser.find_element(By.ID, "too-big")
        assert warning.is_displayed() and "文件太大" in warning.text
        assert browser.current_url == url  # nothing was sent
        # form.submit() skips the page's own check: the server refuses with 413 and says why
        browser.execute_script("document.getElementById('upload').submit()")
        WebDriverWait(browser, 90).until(lambda session: session.current_url == url + "check")
        alert = _wait_for(browser, "p.error[role=alert]:not([hidden])")
        assert "文件太大" in alert.text and "1000000 字节" in alert.text


def test_report_prints_without_its_controls(browser, tmp_path):
    """Chromium's own print to PDF: the print stylesheet drops the filters, keeps the findings."""
    import base64
    import subprocess

    from selenium.webdriver.common.print_page_options import PrintOptions

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    draft = wrong_cell_docx(tmp_path / "draft.docx")
    out = io.StringIO()
    main(["check", str(draft), "--output-format", "html"], out=out)
    page = tmp_path / "report.html"
    page.write_text(out.getvalue(), encoding="utf-8")
    browser.get(page.as_uri())
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(base64.b64decode(browser.print_page(PrintOptions())))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "（七）总计 × 自然人：报告值 35，应为 34" in text.replace("\n", "")
    assert f"应为 {RIGHT_VALUE}" in text
    assert "级别" not in text and "代码" not in text  # the filter controls are screen-only
