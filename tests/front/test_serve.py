"""`gilint serve`: the upload page, its endpoints, caps and refusals (in process
with Starlette's TestClient), and a real server answering ten uploads at once."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import httpx2 as httpx
import pytest
from front_helpers import CLEAN_DOCX, WRONG_KEY, comments_of, running_server, wrong_cell_docx
from starlette.testclient import TestClient

from gilint.cli import main
from gilint.pipeline import Linter, Options
from gilint.serve import tasks
from gilint.serve.app import Settings, create_app
from gilint.serve.upload import UploadError, read_upload

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "readers" / "hostile"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()), base_url="http://127.0.0.1")


def cli_json(path: Path, monkeypatch) -> str:
    """`gilint check NAME --output-format json` run beside the file, so the path matches."""
    monkeypatch.chdir(path.parent)
    out = io.StringIO()
    main(["check", path.name, "--output-format", "json"], out=out)
    return out.getvalue()


def test_upload_page_is_chinese_and_has_the_file_field(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "拖到这里" in response.text and 'name="file"' in response.text
    assert 'formaction="/annotate"' in response.text and 'formaction="/check"' in response.text
    assert "script-src 'nonce-" in response.headers["content-security-policy"]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.parametrize("source", ["clean-md", "wrong-docx", "zip-bomb", "pdf"])
def test_api_check_equals_the_cli_json(source, client, tmp_path, monkeypatch, corpus_dir):
    paths = {
        "clean-md": Path(__file__).resolve().parents[2] / "examples" / "clean-2021.md",
        "zip-bomb": HOSTILE / "zip-bomb.docx",
        "pdf": corpus_dir / "002.pdf",
    }
    if source == "wrong-docx":
        path = wrong_cell_docx(tmp_path / "报告 草稿.docx")
    else:
        path = tmp_path / paths[source].name
        shutil.copy(paths[source], path)
    response = client.post("/api/check", files={"file": (path.name, path.read_bytes())})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.text == cli_json(path, monkeypatch)
    if source == "zip-bomb":
        assert [d["code"] for d in response.json()["files"][0]["diagnostics"]] == ["GI001"]


def test_check_answers_the_html_report_with_the_cell_marked(client, tmp_path):
    path = wrong_cell_docx(tmp_path / "draft.docx")
    response = client.post("/check", files={"file": ("draft.docx", path.read_bytes())})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert f'class="bad error" data-cell="{WRONG_KEY}"' in response.text
    nonce = response.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.text


def test_check_in_english(client, tmp_path):
    path = wrong_cell_docx(tmp_path / "draft.docx")
    response = client.post("/check?lang=en", files={"file": ("draft.docx", path.read_bytes())})
    assert "should be 34" in response.text


def test_annotate_answers_the_commented_copy(client, tmp_path):
    path = wrong_cell_docx(tmp_path / "draft.docx")
    response = client.post("/annotate", files={"file": ("年度报告.docx", path.read_bytes())})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.gilint.docx" in disposition
    comments = comments_of(response.content)
    assert len(comments) == 3 == int(response.headers["x-gilint-comments"])
    assert all("应为 34" in comment.text for comment in comments)


def test_annotate_clean_draft_gives_it_back_unchanged(client):
    data = CLEAN_DOCX.read_bytes()
    response = client.post("/annotate", files={"file": ("clean.docx", data)})
    assert response.status_code == 200 and response.content == data


def test_annotate_refuses_other_formats_with_a_chinese_message(client):
    response = client.post("/annotate", files={"file": ("a.md", "# 标题\n".encode())})
    assert response.status_code == 415
    assert "只有 Word（.docx）文件可以生成带批注的副本" in response.text


def test_annotate_unreadable_word_file_shows_gi001(client):
    data = (HOSTILE / "zip-bomb.docx").read_bytes()
    response = client.post("/annotate", files={"file": ("bomb.docx", data)})
    assert response.status_code == 422
    assert 'data-code="GI001"' in response.text


def test_upload_over_the_cap_gets_413_in_chinese(tmp_path):
    capped = TestClient(create_app(Settings(Options(max_bytes=10_000))), base_url="http://127.0.0.1")
    big = b"x" * 10_001
    page = capped.post("/check", files={"file": ("big.txt", big)})
    assert page.status_code == 413 and "文件太大" in page.text
    api = capped.post("/api/check", files={"file": ("big.txt", big)})
    assert api.status_code == 413 and "文件太大" in api.json()["error"]
    exactly = capped.post("/api/check", files={"file": ("ok.txt", b"x" * 10_000)})
    assert exactly.status_code == 200


def test_cap_holds_without_content_length():
    """A chunked body is counted as it streams: reading stops at the cap."""
    chunks_read = []

    async def body():
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
        for _ in range(1000):
            chunks_read.append(1)
            yield b"x" * 1024

    async def read():
        headers = {"content-type": "multipart/form-data; boundary=b"}
        await read_upload(headers, body(), max_bytes=10_000)

    with pytest.raises(UploadError) as raised:
        anyio.run(read)
    assert raised.value.status == 413
    assert len(chunks_read) == 10  # 10 KiB is the first size past the cap: the rest is never read


def test_malformed_or_empty_uploads_are_400(client):
    assert client.post("/check", content=b"hello", headers={"content-type": "text/plain"}).status_code == 400
    no_file = client.post("/api/check", data={"other": "1"}, files={"x": ("a.txt", b"a")})
    assert no_file.status_code == 400 and "没有收到文件" in no_file.json()["error"]
    broken = client.post(
        "/api/check",
        content=b"--b\r\nContent-Disposition: form-data; name=file\r\n\r\nabc",
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert broken.status_code in (200, 400)  # truncated: refused or read as what arrived, never a 500


def test_client_file_names_are_labels_not_paths(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = (Path(__file__).resolve().parents[2] / "examples" / "clean-2021.md").read_bytes()
    response = client.post("/api/check", files={"file": ("../../etc/passwd.md", data)})
    assert response.json()["files"][0]["path"] == "passwd.md"
    assert list(tmp_path.iterdir()) == []
    assert tasks.upload_name("C:\\Users\\张三\\报告.docx") == "报告.docx"
    assert tasks.upload_name("") == "upload"
    assert tasks.upload_name("a\x00b\u202e.md\n") == "ab.md"
    assert len(tasks.upload_name("长" * 500 + ".docx")) == 120


def test_a_failure_is_a_one_line_500_not_a_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(tasks, "check_bytes", broken)
    client = TestClient(create_app(), base_url="http://127.0.0.1", raise_server_exceptions=False)
    response = client.post("/check", files={"file": ("a.md", b"# x\n")})
    assert response.status_code == 500
    assert "内部错误（RuntimeError）" in response.text and "Traceback" not in response.text
    assert "boom" not in response.text


def test_the_checker_is_warmed_up_with_every_bundled_example():
    """What the uploads' worker processes inherit ready (``tasks.warm_up``): each example
    checked in this process, none failing (a failure would only be logged)."""
    assert tasks.warm_up(Linter(Options())) == list(tasks.WARM_UP_EXAMPLES)


def test_a_warm_up_that_fails_says_so_and_goes_on(monkeypatch, caplog):
    monkeypatch.setattr(tasks, "WARM_UP_EXAMPLES", ("missing.md", "clean-2021.md"))
    with caplog.at_level(logging.WARNING, logger="gilint.serve"):
        assert tasks.warm_up(Linter(Options())) == ["clean-2021.md"]
    assert "missing.md" in caplog.text and "FileNotFoundError" in caplog.text


def test_the_server_warms_its_checker_up_before_the_first_upload(monkeypatch):
    """Once, at start-up: the uploads' threads then hand that checker to the worker processes
    they fork, and none checks in the server's own process (a fork while another thread
    checks can leave the worker a lock held for ever)."""
    warmed: list = []
    monkeypatch.setattr(tasks, "_warmed", {})
    monkeypatch.setattr(tasks, "warm_up", warmed.append)
    with TestClient(create_app(Settings()), base_url="http://127.0.0.1") as started:
        assert len(warmed) == 1  # before any request
        for _ in range(3):
            response = started.post("/api/check", files={"file": ("a.md", b"# x\n")})
            assert response.status_code == 200
    assert len(warmed) == 1 and tasks.linter_for(Options()) is warmed[0]


def test_no_worker_is_forked_while_the_server_works_with_lxml_itself():
    """A worker forked while another thread parses with lxml (writing Word comments) could
    inherit the parser's lock held for ever: the fork waits for that work to end."""
    events: list[str] = []

    def fork() -> None:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        events.append("forked")

    with tasks.in_process_work():
        forking = threading.Thread(target=fork)
        forking.start()
        forking.join(0.3)
        events.append("work done")
    forking.join(30)
    assert events == ["work done", "forked"]


def test_the_word_comments_are_written_with_no_fork_meanwhile(monkeypatch, tmp_path):
    """Every step python-docx parses in (opening, each comment, saving) runs under the guard,
    taken a step at a time: a fork from another thread waits for the step, not the whole copy."""
    import docx.document

    held: list[bool] = []

    def other_thread_can_fork() -> bool:
        taken: list[bool] = []

        def try_the_lock() -> None:  # as a fork from another thread would
            lock = tasks.in_process_work()
            taken.append(lock.acquire(timeout=0.05))
            if taken[-1]:
                lock.release()

        other = threading.Thread(target=try_the_lock)
        other.start()
        other.join()
        return taken[0]

    real_add_comment = docx.document.Document.add_comment

    def add_comment(self, *args, **kwargs):
        held.append(not other_thread_can_fork())
        return real_add_comment(self, *args, **kwargs)

    monkeypatch.setattr(docx.document.Document, "add_comment", add_comment)
    draft = wrong_cell_docx(tmp_path / "wrong.docx")
    annotation = tasks.annotate_bytes(draft.name, draft.read_bytes(), Options())
    assert annotation.comments >= 1 and held == [True] * annotation.comments
    assert other_thread_can_fork()  # and free between and after the steps


def test_only_loopback_host_names_are_served(client):
    assert client.get("/healthz", headers={"host": "attacker.example"}).status_code == 400
    assert client.get("/healthz", headers={"host": "localhost:8765"}).status_code == 200


# ------------------------------------------------------------ a real server


def test_real_server_answers_ten_uploads_at_once(tmp_path, monkeypatch, corpus_dir):
    files = [wrong_cell_docx(tmp_path / "wrong.docx"), tmp_path / "clean.docx", tmp_path / "bomb.docx"]
    shutil.copy(CLEAN_DOCX, files[1])
    shutil.copy(HOSTILE / "zip-bomb.docx", files[2])
    corpus = ("002.pdf", "005.html", "010.txt", "022.txt", "027a.html", "035.txt", "template-2021-blank.docx")
    for name in corpus:
        shutil.copy(corpus_dir / name, tmp_path / name)
        files.append(tmp_path / name)
    assert len(files) == 10
    expected = {path.name: cli_json(path, monkeypatch) for path in files}
    workdir, private_tmp = tmp_path / "server-cwd", tmp_path / "server-tmp"
    workdir.mkdir()
    private_tmp.mkdir()
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    with running_server("--max-bytes", "2000000", "--workers", "4") as url:

        def upload(path: Path) -> tuple[str, int, str]:
            with httpx.Client(timeout=120) as http:
                response = http.post(url + "api/check", files={"file": (path.name, path.read_bytes())})
            return path.name, response.status_code, response.text

        with ThreadPoolExecutor(max_workers=10) as pool:
            answers = list(pool.map(upload, files))
        too_big = httpx.post(url + "api/check", files={"file": ("big.txt", b"x" * 2_000_001)}, timeout=60)
    for name, status, text in answers:
        assert status == 200, (name, text)
        assert json.loads(text) == json.loads(expected[name]), name
    assert too_big.status_code == 413
    # nothing was written: not beside the server, not in its temporary folder
    assert list(workdir.iterdir()) == [] and list(private_tmp.iterdir()) == []


def test_ctrl_c_stops_the_server_quietly_and_a_busy_port_is_one_line():
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "gilint", "serve", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("gilint 已启动：http://127.0.0.1:")
        port = first.split(":")[2].split("/")[0]
        busy = subprocess.run([*command[:-1], port], capture_output=True, text=True, timeout=60)
        assert busy.returncode == 2
        assert busy.stderr.count("\n") == 1 and f"无法监听 127.0.0.1:{port}" in busy.stderr
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert out.strip() == "gilint 已停止" and "Traceback" not in err
