"""Plain text and Markdown: Unicode with or without a BOM, else GB18030.

The decoding helpers are shared with the HTML reader (a page's bytes go through the
same BOM / UTF-8 / legacy-encoding ladder).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from gilint.model import Document, TextBlock
from gilint.patterns import linear
from gilint.read.base import LoadError, LoadOptions


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


_CONTROL = linear(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """NUL and other C0 controls would break every later step; they carry no
    report content, so they become spaces (keeping offsets unchanged)."""
    return _CONTROL.sub(" ", text)


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
