"""Reading one uploaded file from a multipart/form-data request, in memory, capped.

python-multipart parses the stream; the parts are collected here in memory
only, so an upload is never written to disk, and reading stops as soon as the
request is larger than the cap (checked against Content-Length first, then
while streaming), so an oversized upload costs at most the cap in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

from python_multipart.multipart import MultipartParser, parse_options_header

# Room for the multipart framing and a few small fields besides the file.
FRAMING_BYTES = 64 * 1024
FIELD = "file"


class UploadError(Exception):
    def __init__(self, status: int, zh: str, en: str):
        super().__init__(en)
        self.status = status
        self.message = {"zh": zh, "en": en}


def too_large(max_bytes: int) -> UploadError:
    megabytes = max_bytes / (1024 * 1024)
    return UploadError(
        413,
        f"文件太大：上限为 {megabytes:.1f} MB（{max_bytes} 字节）。请压缩图片或拆分文件后再试",
        f"the file is too large: the limit is {megabytes:.1f} MB ({max_bytes} bytes)",
    )


@dataclass
class Upload:
    """The uploaded file of a request."""

    filename: str | None  # as the client sent it: a label, never a path
    data: bytes


class _Collector:
    """python-multipart callbacks that keep the first part named ``file``."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.upload: Upload | None = None
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._chunks: list[bytes] | None = None
        self._size = 0
        self._filename: str | None = None

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers, self._field, self._value = {}, b"", b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        wanted = params.get(b"name") == FIELD.encode() and self.upload is None
        self._chunks = [] if wanted else None
        self._size = 0
        filename = params.get(b"filename")
        self._filename = filename.decode("utf-8", "replace") if filename is not None else None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._chunks is None:
            return
        self._size += end - start
        if self._size > self.max_bytes:
            raise too_large(self.max_bytes)
        self._chunks.append(data[start:end])

    def _part_end(self) -> None:
        if self._chunks is not None:
            self.upload = Upload(self._filename, b"".join(self._chunks))
            self._chunks = None


async def read_upload(headers: Mapping[str, str], body: AsyncIterator[bytes], max_bytes: int) -> Upload:
    """The ``file`` field of a multipart/form-data request; UploadError (413 over
    the cap, 400 malformed or without a file) otherwise."""
    limit = max_bytes + FRAMING_BYTES
    length = headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise too_large(max_bytes)
    kind, params = parse_options_header(headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadError(
            400, "请用上传表单提交文件（multipart/form-data，字段名 file）",
            "send the file as multipart/form-data in a field named file",
        )  # fmt: skip
    collector = _Collector(max_bytes)
    parser = MultipartParser(boundary, collector.callbacks())
    received = 0
    try:
        async for chunk in body:
            received += len(chunk)
            if received > limit:
                raise too_large(max_bytes)
            parser.write(chunk)
        parser.finalize()
    except UploadError:
        raise
    except Exception as error:  # python-multipart's MultipartParseError and friends
        raise UploadError(400, "上传的数据不完整或格式有误", f"malformed upload: {error}") from error
    if collector.upload is None or (not collector.upload.data and not collector.upload.filename):
        raise UploadError(400, "没有收到文件：请先选择文件", "no file received: choose a file first")
    return collector.upload
