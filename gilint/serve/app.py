"""The local upload page: an ASGI app on Starlette, served by uvicorn (`gilint serve`).

    GET  /             the upload page (drag and drop or choose a file)
    POST /check        multipart field ``file`` -> the HTML report (gilint.render.html)
    POST /annotate     multipart field ``file`` -> the commented .docx as a download
    POST /api/check    multipart field ``file`` -> the JSON of ``--output-format json``
    GET  /healthz      {"status": "ok", "version": ...}

Uploads are read into memory and capped (413 with a Chinese message); nothing is
written to disk and the client's file name is only a label. The checks run in
worker threads (at most ``workers`` at once), so several uploads are served
together; a file the readers refuse is a GI001/GI002 finding like on the command
line, and any other failure a one-line 500 page, never a traceback.
"""

from __future__ import annotations

import contextlib
import html
import io
import logging
import secrets
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, TypeVar
from urllib.parse import quote

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from gilint import __version__
from gilint.batch import Budget
from gilint.model import CheckedReport
from gilint.pipeline import Options
from gilint.render.base import RenderOptions
from gilint.render.html import html_report
from gilint.render.json_output import render_json
from gilint.serve import tasks
from gilint.serve.upload import UploadError, read_upload

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Read (and drop) at most this much of an oversized upload before answering 413.
DRAIN_BYTES = 512 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
log = logging.getLogger("gilint.serve")
T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """How ``gilint serve`` runs."""

    options: Options = field(default_factory=Options)  # what the checks use (max_bytes included)
    lang: str = "zh"  # findings' language; ?lang=en on a request overrides it
    workers: int = 2  # checks running at once
    host: str = "127.0.0.1"  # bound to loopback: only requests naming a loopback host are served
    budget: Budget = field(default_factory=Budget)  # time and memory per upload (gilint.batch)

    @property
    def max_bytes(self) -> int:
        return self.options.max_bytes


@lru_cache(maxsize=1)
def _pages():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("gilint.serve", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _security_headers(nonce: str | None = None) -> dict[str, str]:
    """No network, no frames, no script but our own inline one (by nonce)."""
    script = f"'nonce-{nonce}'" if nonce else "'none'"
    policy = (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src {script}; img-src data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    limiter = anyio.CapacityLimiter(max(1, settings.workers))

    async def in_worker(function: Callable[..., T], *args: Any) -> T:
        return await anyio.to_thread.run_sync(partial(function, *args), limiter=limiter)

    def lang_of(request: Request) -> str:
        wanted = request.query_params.get("lang")
        return wanted if wanted in ("zh", "en") else settings.lang

    def page(status: int = 200, error: str | None = None) -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        html = (
            _pages()
            .get_template("upload.html.j2")
            .render(
                max_mb=f"{settings.max_bytes / (1024 * 1024):.4g}",
                max_bytes=settings.max_bytes,
                error=error,
                nonce=nonce,
            )
        )
        return HTMLResponse(html, status, headers=_security_headers(nonce))

    def render_options(lang: str) -> RenderOptions:
        return RenderOptions(lang=lang, color=False, version=__version__, files_checked=1)

    def report_page(results: list[CheckedReport], lang: str, status: int = 200) -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        report = html_report(results, render_options(lang), nonce=nonce)
        return HTMLResponse(report, status, _security_headers(nonce))

    async def upload_of(request: Request) -> tuple[str, bytes]:
        body = request.stream()
        try:
            upload = await read_upload(request.headers, body, settings.max_bytes)
        except UploadError as error:
            if error.status == 413:  # a browser still sending shows a reset, not our answer
                await _discard(body, DRAIN_BYTES)
            raise
        return tasks.upload_name(upload.filename), upload.data

    async def checked(request: Request) -> list[CheckedReport]:
        name, data = await upload_of(request)
        return await in_worker(tasks.check_bytes, name, data, settings.options, settings.budget)

    async def index(request: Request) -> Response:
        return page()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    async def check(request: Request) -> Response:
        results = await checked(request)
        return await in_worker(report_page, results, lang_of(request))

    async def api_check(request: Request) -> Response:
        results = await checked(request)
        out = io.StringIO()
        render_json(results, render_options(lang_of(request)), out)
        return Response(out.getvalue(), media_type="application/json", headers=_security_headers())

    async def annotate(request: Request) -> Response:
        name, data = await upload_of(request)
        lang = lang_of(request)
        if not tasks.can_annotate(name):
            return page(415, tasks.NOT_DOCX[lang])
        annotation = await in_worker(
            tasks.annotate_bytes, name, data, settings.options, lang, (), settings.budget
        )
        if annotation.docx is None:  # unreadable: show why, as the report does
            return await in_worker(report_page, annotation.results, lang, 422)
        headers = {
            "Content-Disposition": _attachment(name),
            "X-Gilint-Comments": str(annotation.comments),
            **_security_headers(),
        }
        return Response(annotation.docx, media_type=DOCX_TYPE, headers=headers)

    async def upload_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, UploadError)
        message = error.message[lang_of(request)]
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, error.status, headers=_security_headers())
        return page(error.status, message)

    async def server_error(request: Request, error: Exception) -> Response:
        log.error("%s %s: %s: %s", request.method, request.url.path, type(error).__name__, error)
        message = f"内部错误（{type(error).__name__}），请把文件和这条信息发给 gilint 维护者"
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, 500)
        return HTMLResponse(f"<!DOCTYPE html><meta charset=utf-8><p>{html.escape(message)}</p>", 500)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The checker warmed up before the first upload is served (tasks.warm_up_checker).
        await in_worker(tasks.warm_up_checker, settings.options)
        yield

    allowed = ["*"] if settings.host not in LOOPBACK_HOSTS else [*LOOPBACK_HOSTS, "[::1]"]
    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/check", check, methods=["POST"]),
            Route("/annotate", annotate, methods=["POST"]),
            Route("/api/check", api_check, methods=["POST"]),
        ],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed)],
        exception_handlers={UploadError: upload_error, Exception: server_error},
        lifespan=lifespan,
    )


async def _discard(body: AsyncIterator[bytes], limit: int) -> None:
    """Read the rest of a refused request without keeping it, up to ``limit`` bytes."""
    seen = 0
    async for chunk in body:
        seen += len(chunk)
        if seen > limit:
            return


def _attachment(name: str) -> str:
    """``报告.docx`` -> a download called ``报告.gilint.docx`` (RFC 6266, UTF-8 name)."""
    stem = name[: -len(tasks.ANNOTATABLE)] if name.lower().endswith(tasks.ANNOTATABLE) else name
    target = f"{stem}.gilint.docx"
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in target)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(target)}"


def serve(settings: Settings, port: int, out=sys.stdout) -> None:
    """Bind, say where, and serve until interrupted. Binding here (not in uvicorn)
    turns a port in use into one line, and makes ``--port 0`` print the real port."""
    import socket

    import uvicorn

    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, port))
    except OSError as error:
        sock.close()
        raise OSError(f"无法监听 {settings.host}:{port}：{error.strerror or error}") from error
    sock.listen(128)
    actual = sock.getsockname()[1]
    shown = f"[{settings.host}]" if family == socket.AF_INET6 else settings.host
    print(f"gilint 已启动：http://{shown}:{actual}/ （按 Ctrl+C 停止）", file=out, flush=True)
    if settings.host not in LOOPBACK_HOSTS:
        print("注意：本机以外的电脑也能访问此页面", file=out, flush=True)
    config = uvicorn.Config(create_app(settings), log_level="warning", access_log=False)
    # uvicorn shuts down on Ctrl+C, then passes it on: here it is the normal way to stop.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[sock])
    print("gilint 已停止", file=out, flush=True)
