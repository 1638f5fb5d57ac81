"""Step 1, load: bytes -> Document (blocks of the user's text, with positions).

Every failure is a ``LoadError`` carrying the diagnostic code (GI001 unreadable,
GI002 unsupported); the CLI turns it into a diagnostic, never a traceback.
Format readers register themselves by extension in ``READERS``; the text reader
lives here, the others in ``gilint.readers``.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Document, TextBlock

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

TEXT_EXTENSIONS = (".txt", ".md", ".markdown")
# Old binary office formats: say what to do instead.
LEGACY_BINARY_EXTENSIONS = (".doc", ".wps", ".et", ".xls")


class LoadError(Exception):
    """The file cannot be checked; ``code`` is GI001 or GI002."""

    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message = {"zh": message_zh, "en": message_en}


@dataclass(frozen=True)
class LoadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES


Reader = Callable[[str, bytes, LoadOptions], Document]
READERS: dict[str, Reader] = {}


def reader(*extensions: str) -> Callable[[Reader], Reader]:
    def register(function: Reader) -> Reader:
        for extension in extensions:
            READERS[extension] = function
        return function

    return register


# ----------------------------------------------------------------- decoding


def decode_unicode(data: bytes, decode: Callable[[bytes, str], str] | None = None) -> tuple[str, str] | None:
    """UTF-8 or UTF-16 with a BOM (decoded by ``decode``, strict by default), or
    valid UTF-8 without; None when the bytes are neither (then a legacy Chinese
    encoding is next in line)."""
    decode = decode or _strict
    if data.startswith(codecs.BOM_UTF8):
        return decode(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode report text: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030.

    GB18030 decodes almost any byte string, so a result full of replacement
    or control characters is refused as unreadable rather than linted as noise.
    """
    decoded = decode_unicode(data)
    if decoded is not None:
        return decoded
    text = _strict(data, "gb18030")
    if _looks_binary(text):
        raise _undecodable()
    return text, "gb18030"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _undecodable() from error


def _undecodable() -> LoadError:
    return LoadError(
        "GI001",
        "无法解码：文件不是 UTF-8、UTF-16（带 BOM）或 GB18030 编码的文本",
        "cannot decode: the file is not UTF-8, UTF-16 (with BOM) or GB18030 text",
    )


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls / len(sample) > 0.01


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """NUL and other C0 controls would break every later step; they carry no
    report content, so they become spaces (keeping offsets unchanged)."""
    return _CONTROL.sub(" ", text)


@reader(*TEXT_EXTENSIONS)
def read_text(path: str, data: bytes, options: LoadOptions) -> Document:
    text, encoding = decode_text(data)
    text = clean_text(text)
    if not text.strip():
        raise LoadError("GI001", "文件没有任何文字内容", "the file holds no text")
    fmt = "markdown" if path.lower().endswith((".md", ".markdown")) else "text"
    return Document(
        path=path,
        format=fmt,
        blocks=[TextBlock(text)],
        encoding=encoding,
        source_lines=text.split("\n"),
    )


# ------------------------------------------------------------------ entries


def extension_of(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def load_bytes(path: str, data: bytes, options: LoadOptions | None = None) -> Document:
    options = options or LoadOptions()
    if not data:
        raise LoadError("GI001", "文件为空", "the file is empty")
    if len(data) > options.max_bytes:
        raise LoadError(
            "GI001",
            f"文件大小 {len(data)} 字节，超过上限 {options.max_bytes} 字节",
            f"the file is {len(data)} bytes, over the limit of {options.max_bytes}",
        )
    extension = ".txt" if path == "-" else extension_of(path)
    function = READERS.get(extension)
    if function is None:
        raise unsupported(path)
    return function(path, data, options)


def unsupported(path: str) -> LoadError:
    extension = extension_of(path) or "（无扩展名）"
    if extension in LEGACY_BINARY_EXTENSIONS:
        return LoadError(
            "GI002",
            f"不支持旧版二进制格式 {extension}：请在 Word/WPS 中另存为 .docx 后再检查",
            f"old binary format {extension} is not supported: save it as .docx and check that",
        )
    supported = " ".join(sorted(READERS))
    return LoadError(
        "GI002",
        f"不支持的文件格式 {extension}；支持：{supported}",
        f"unsupported file format {extension}; supported: {supported}",
    )


def load_path(path: str, options: LoadOptions | None = None, stdin: bytes | None = None) -> Document:
    """Read one file (or ``-`` for standard input) into a Document."""
    options = options or LoadOptions()
    if path == "-":
        return load_bytes("-", stdin or b"", options)
    if extension_of(path) not in READERS:
        raise unsupported(path)
    try:
        size = os.path.getsize(path)
        if size > options.max_bytes:
            raise LoadError(
                "GI001",
                f"文件大小 {size} 字节，超过上限 {options.max_bytes} 字节",
                f"the file is {size} bytes, over the limit of {options.max_bytes}",
            )
        with open(path, "rb") as handle:
            data = handle.read(options.max_bytes + 1)
    except LoadError:
        raise
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise LoadError("GI001", f"无法读取文件：{reason}", f"cannot read the file: {reason}") from error
    return load_bytes(path, data, options)


# In a folder of reports these are the repository's own documents, not reports.
NOT_REPORTS = ("readme", "changelog", "license", "contributing")


def discover(paths: list[str]) -> Iterator[str]:
    """Expand directories into the files gilint can read, sorted; files given
    by name are yielded as they are (an unsupported one becomes GI002)."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = [
                str(candidate)
                for candidate in Path(path).rglob("*")
                if candidate.is_file()
                and candidate.suffix.lower() in READERS
                and candidate.stem.lower() not in NOT_REPORTS
                and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
            ]
            yield from sorted(found)
        else:
            yield path


from . import readers  # noqa: E402,F401  (registers HTML/DOCX/PDF readers)
